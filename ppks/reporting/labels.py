"""Words for codes, in Indonesian: what reporters and the office read instead of
``kk_excel_damaged`` or ``wrong_template``. The codes are ``ppks.contract``'s;
tests/contract checks that every label names a code of the contract.

Short labels (``FLAG_LABEL``, ``REASON_LABEL``, ``STATUS_LABEL``) name bars and
table cells; ``FILE_REASON_TEXT`` says, for a file rejected whole (or loaded with a
remark), what went wrong and what the reporter should do.
"""

from __future__ import annotations

from ppks.contract import reasons

# Plain words for the reporter (Indonesian), one per reason code (ppks.contract.reasons).
REASON_TEXT: dict[str, str] = {
    reasons.NO_NAME: "nama kosong atau tidak berisi huruf",
    reasons.CATEGORY_UNRESOLVED: "jenis PPKS tidak dikenali (bukan salah satu dari 26 jenis)",
    reasons.PLACE_UNRESOLVED: "kecamatan tidak ditemukan di Jawa Timur",
}

SOURCE_LABEL = {
    "tksk": "Laporan Bulanan TKSK",
    "psm": "Data PPKS Desa (PSM)",
    "slrt": "Ekspor SLRT",
}

STATUS_LABEL = {
    "loaded": "dimuat",
    "rejected": "ditolak seluruhnya",
    "duplicate": "duplikat (isi sama dengan berkas lain)",
    "superseded": "digantikan berkas perbaikan",
}

REASON_LABEL = {
    "no_name": "nama kosong",
    "category_unresolved": "jenis PPKS tidak dikenali",
    "place_unresolved": "kecamatan tidak ditemukan",
}

FLAG_LABEL = {
    "nik_missing": "NIK kosong",
    "nik_malformed": "NIK tidak 16 angka",
    "nik_excel_damaged": "NIK rusak oleh Excel (diketik sebagai angka)",
    "nik_invalid_date": "tanggal di dalam NIK tidak valid",
    "nik_dob_mismatch": "tanggal lahir tidak cocok dengan NIK",
    "nik_gender_mismatch": "jenis kelamin tidak cocok dengan NIK",
    "nik_region_mismatch": "kecamatan tidak cocok dengan NIK",
    "kk_missing": "No. KK kosong",
    "kk_malformed": "No. KK tidak 16 angka",
    "kk_excel_damaged": "No. KK rusak oleh Excel (diketik sebagai angka)",
    "dob_missing": "tanggal lahir kosong",
    "dob_unparseable": "tanggal lahir tidak terbaca",
    "dob_year_only": "hanya tahun lahir",
    "dob_from_age": "tahun lahir dari umur",
    "dob_placeholder": "tanggal lahir isian sementara",
    "dob_day_month_swapped": "tanggal dan bulan lahir tertukar",
    "dob_implausible": "tanggal lahir tidak masuk akal",
    "gender_missing": "jenis kelamin kosong",
    "gender_unrecognised": "jenis kelamin tidak dikenali",
    "desa_unresolved": "desa/kelurahan tidak ditemukan",
}

_SEND_AGAIN = "lalu kirim ulang berkasnya."
FILE_REASON_TEXT: dict[str, tuple[str, str]] = {
    "empty_file": ("Berkas kosong (0 byte).", f"Periksa berkas di komputer Anda, {_SEND_AGAIN}"),
    "empty_workbook": (
        "Berkas tidak berisi baris data: semua lembar kosong.",
        f"Isi data pada format laporan yang benar, {_SEND_AGAIN}",
    ),
    "wrong_template": (
        "Judul kolom tidak sesuai format laporan untuk folder ini.",
        "Gunakan format laporan resmi (judul kolom jangan diubah), dan kirim ke folder yang "
        "benar: tksk/, psm/ atau slrt/.",
    ),
    "corrupt": (
        "Berkas rusak atau bukan berkas Excel (.xlsx).",
        f"Buka berkas di Excel, simpan sebagai 'Excel Workbook (.xlsx)', {_SEND_AGAIN}",
    ),
    "password_protected": (
        "Berkas dilindungi kata sandi.",
        f"Buka berkas, hapus kata sandinya (File > Info > Protect Workbook), {_SEND_AGAIN}",
    ),
    "xls": (
        "Berkas format lama Excel 97-2003 (.xls).",
        f"Buka di Excel, pilih Save As > 'Excel Workbook (.xlsx)', {_SEND_AGAIN}",
    ),
    "unsupported_type": (
        "Jenis berkas tidak didukung (hanya .xlsx, dan .csv untuk SLRT).",
        f"Simpan sebagai .xlsx (atau CSV UTF-8 untuk SLRT), {_SEND_AGAIN}",
    ),
    "too_large": (
        "Berkas terlalu besar.",
        "Hapus lembar atau baris yang bukan data laporan, atau pecah menjadi beberapa berkas, "
        + _SEND_AGAIN,
    ),
    "csv_encoding_unknown": (
        "Pengodean huruf (encoding) berkas CSV tidak dapat dikenali.",
        f"Buka berkas di Excel, simpan sebagai 'CSV UTF-8 (Comma delimited)', {_SEND_AGAIN}",
    ),
    "internal": (
        "Terjadi kesalahan pada sistem saat membaca berkas.",
        "Tidak perlu tindakan dari Anda; petugas Dinas akan memeriksanya.",
    ),
    # Loaded, with a remark.
    "csv_encoding_cp1252": (
        "Berkas CSV bukan UTF-8; dibaca sebagai Windows-1252.",
        "Data sudah dimuat. Periksa huruf khusus (’ é); lain kali simpan sebagai 'CSV UTF-8'.",
    ),
    "csv_encoding_utf16": (
        "Berkas CSV berformat UTF-16 (Unicode Text); dibaca sebagai UTF-16.",
        "Data sudah dimuat. Lain kali simpan sebagai 'CSV UTF-8'.",
    ),
    # Not a reason_code (a file may also carry one of the above): ingest_file.rows_below_blank.
    "rows_below_blank": (
        "Ada baris yang tampak seperti data di bawah baris kosong; baris itu tidak dimuat "
        "(tabel berakhir di baris kosong pertama).",
        "Hapus baris kosong di tengah tabel, " + _SEND_AGAIN,
    ),
}


def _plain(code: str) -> str:
    return code.replace("_", " ")


def flag_label(code: str) -> str:
    return FLAG_LABEL.get(code, _plain(code))


def reason_label(code: str) -> str:
    return REASON_LABEL.get(code, _plain(code))


def status_label(code: str) -> str:
    return STATUS_LABEL.get(code, _plain(code))


def source_label(code: str) -> str:
    return SOURCE_LABEL.get(code, code)


def file_reason_text(code: str | None, detail: str | None = None) -> tuple[str, str]:
    """(what went wrong, what to do) for a file's reason code, in Indonesian."""
    if code in FILE_REASON_TEXT:
        return FILE_REASON_TEXT[code]
    return (detail or _plain(code or "tidak diketahui"), "Hubungi petugas Dinas Sosial.")
