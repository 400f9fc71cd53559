"""Each template variant of SOURCES.md, written as a real workbook and read back."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest
from helpers import Num

from ppks.ingest.inbox import InboxFile, sha256_of
from ppks.ingest.readers import read_file
from ppks.ingest.sniff import FileRejected

TKSK_HEADER = [
    "No",
    "NIK",
    "No. KK",
    "Nama Lengkap",
    "L/P",
    "Tempat Lahir",
    "Tgl Lahir",
    "Alamat",
    "RT",
    "RW",
    "Desa/Kelurahan",
    "Jenis PPKS",
    "Bentuk Penanganan",
    "Tanggal Penanganan",
    "Keterangan",
]


def item(path, source):
    return InboxFile(path, source, path.name, sha256_of(path), path.stat().st_size)


def tksk_row(no, nik, nama):
    return [
        no,
        nik,
        "3514032408181714",
        nama,
        "P",
        "BLITAR",
        dt.date(1975, 5, 7),
        "DSN. GONDANG",
        "08",
        "003",
        "Kemiri",
        "Lansia",
        "Usulan DTKS",
        dt.date(2026, 8, 17),
        "-",
    ]


def test_tksk_title_block_header_and_data_rows(xlsx):
    path = xlsx(
        "tksk/a.xlsx",
        {
            "Laporan": [
                ["LAPORAN BULANAN TENAGA KESEJAHTERAAN SOSIAL KECAMATAN"],
                ["Kecamatan : Puspo"],
                ["Kabupaten", ": Kab. Pasuruan"],
                ["Bulan", "Agustus 2026"],
                [],
                TKSK_HEADER,
                tksk_row(1, "3514034705750018", "SUKARTI"),
                tksk_row(2, Num(3514034705750010), "PAINEM"),
                [
                    "JUMLAH",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    "2 orang",
                ],
                [],
                [
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    "Puspo, 31 Agustus",
                ],
                ["Mengetahui,"],
                ["(MOH. PRATAMA)"],
            ]
        },
    )
    raw = read_file(item(path, "tksk")).raw
    assert raw.get_column("row_number").to_list() == [7, 8, 9]
    assert raw.get_column("nama").to_list() == ["SUKARTI", "PAINEM", None]
    assert raw.get_column("nik_numeric").to_list() == [False, True, False]
    assert raw.get_column("nik").to_list()[:2] == ["3514034705750018", "3514034705750010"]
    first = raw.row(0, named=True)
    assert (first["ctx_kecamatan"], first["ctx_kabupaten"], first["ctx_bulan"]) == (
        "Puspo",
        "Kab. Pasuruan",
        "Agustus 2026",
    )
    assert first["sheet"] == "Laporan"
    assert first["raw_values"][3] == "SUKARTI"
    read = read_file(item(path, "tksk"))
    assert read.headers[0].header_row == 6
    assert read.headers[0].headers[3] == "Nama Lengkap"


def test_tksk_header_order_spelling_extra_columns_and_umur(xlsx):
    header = [
        "NO.",
        "NAMA",
        "N I K",
        "No Kartu Keluarga",
        "Jenis Kelamin",
        "UMUR",
        "No HP",
        "Desa/Kel.",
        "Jns. PPKS",
        "Kota",
    ]
    path = xlsx(
        "tksk/b.xlsx",
        {
            "Sheet1": [
                ["KECAMATAN : Kec Gubeng"],
                ["Kota : Surabaya"],
                ["Bulan : Okt 2026"],
                [],
                header,
                [1, "Budi", "3578010101800001", None, "L", 46, "0812", "Airlangga", "LUT", None],
            ]
        },
    )
    raw = read_file(item(path, "tksk")).raw
    row = raw.row(0, named=True)
    assert (row["nama"], row["umur"], row["desa"], row["jenis_ppks"]) == (
        "Budi",
        "46",
        "Airlangga",
        "LUT",
    )
    assert row["ctx_kabupaten"] == "Kota Surabaya"
    assert row["tanggal_lahir"] is None


def test_tksk_without_kecamatan_in_title_is_rejected(xlsx):
    path = xlsx(
        "tksk/c.xlsx",
        {
            "Laporan": [
                ["Bulan : Agustus 2026"],
                [],
                TKSK_HEADER,
                tksk_row(1, "3514034705750018", "A"),
            ]
        },
    )
    with pytest.raises(FileRejected) as err:
        read_file(item(path, "tksk"))
    assert err.value.code == "wrong_template"
    assert "Kecamatan" in err.value.reason


PSM_HEADER = [
    "NO",
    "NAMA",
    "NIK",
    "NO KK",
    "TEMPAT, TANGGAL LAHIR",
    "JENIS KELAMIN",
    "ALAMAT",
    "DESA",
    "KECAMATAN",
    "KABUPATEN",
    "KONDISI",
]


def psm_row(no, nama):
    return [
        no,
        nama,
        "3514030804150025",
        "3514031510170510",
        "Sidoarjo, 17-08-1955",
        "Laki-laki",
        "Dsn. Krajan RT 002 RW 001",
        "Kemiri",
        "Puspo",
        "Pasuruan",
        "Sakit",
    ]


def test_psm_several_sheets_titles_empty_and_header_only(xlsx):
    path = xlsx(
        "psm/d.xlsx",
        {
            "Lansia": [["DATA PPKS DESA KEMIRI"], [], PSM_HEADER, psm_row(1, "A"), psm_row(2, "B")],
            "Disabilitas": [PSM_HEADER, psm_row(1, "C")],
            "Kosong": [],
            "Fakir Miskin": [PSM_HEADER],
        },
    )
    result = read_file(item(path, "psm"))
    raw = result.raw
    assert result.sheets == 4 and result.empty_sheets == 2
    assert raw.select("sheet", "row_number").rows() == [
        ("Lansia", 4),
        ("Lansia", 5),
        ("Disabilitas", 2),
    ]
    assert raw.get_column("ttl").to_list()[0] == "Sidoarjo, 17-08-1955"
    assert raw.get_column("ctx_sheet").to_list() == ["Lansia", "Lansia", "Disabilitas"]


def test_psm_folder_with_tksk_template_is_rejected_whole(xlsx):
    path = xlsx(
        "psm/e.xlsx",
        {
            "Laporan": [
                ["Kecamatan : Puspo"],
                ["Kabupaten : Pasuruan"],
                [],
                TKSK_HEADER,
                tksk_row(1, "3514034705750018", "A"),
            ]
        },
    )
    with pytest.raises(FileRejected) as err:
        read_file(item(path, "psm"))
    assert err.value.code == "wrong_template"


def test_sheet_with_content_but_no_header_rejects_the_file(xlsx):
    path = xlsx(
        "psm/f.xlsx",
        {
            "Lansia": [PSM_HEADER, psm_row(1, "A")],
            "Catatan": [["Data ini belum lengkap"], ["mohon maaf"]],
        },
    )
    with pytest.raises(FileRejected) as err:
        read_file(item(path, "psm"))
    assert "Catatan" in err.value.reason


SLRT_COLUMNS = [
    "id_layanan",
    "tanggal_layanan",
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "alamat",
    "kode_wilayah",
    "nama_desa",
    "jenis_keluhan",
    "kategori_ppks",
    "program_rujukan",
    "status_rujukan",
    "petugas",
]


@pytest.mark.parametrize("delimiter,bom", [(";", True), (",", False)])
def test_slrt_csv_delimiter_bom_and_line_numbers(tmp_path, delimiter, bom):
    lines = [delimiter.join(SLRT_COLUMNS)]
    for k in range(3):
        lines.append(
            delimiter.join(
                [
                    f"SLRT-{k}",
                    "2026-10-01",
                    "3514082201790010",
                    "",
                    f"N{k}",
                    "2",
                    "2013-05-06",
                    "DSN. SUMBER",
                    "3514082003",
                    "TEJOWANGI",
                    "x",
                    "PPKS-06",
                    "PKH",
                    "Selesai",
                    "Nasir",
                ]
            )
        )
    path = tmp_path / "slrt" / "export.csv"
    path.parent.mkdir()
    path.write_bytes(("\ufeff" if bom else "").encode() + "\n".join(lines).encode("utf-8"))
    raw = read_file(item(path, "slrt")).raw
    assert raw.get_column("row_number").to_list() == [2, 3, 4]
    assert raw.get_column("id_layanan").to_list() == ["SLRT-0", "SLRT-1", "SLRT-2"]
    assert raw.get_column("sheet").to_list() == ["", "", ""]
    assert raw.get_column("kk").to_list() == [None, None, None]


@pytest.mark.parametrize(
    "encoding, bom, delimiter, code",
    [
        ("cp1252", b"", ";", "csv_encoding_cp1252"),  # Excel "CSV" on an Indonesian Windows
        ("utf-16-le", codecs.BOM_UTF16_LE, "\t", "csv_encoding_utf16"),  # "Unicode Text"
        ("utf-16-be", codecs.BOM_UTF16_BE, ",", "csv_encoding_utf16"),
        ("utf-16-le", b"", ";", "csv_encoding_utf16"),  # no byte-order mark
        ("utf-8", codecs.BOM_UTF8, ";", None),
    ],
)
def test_slrt_csv_from_excel_on_windows_is_read_and_noted(tmp_path, encoding, bom, delimiter, code):
    path = tmp_path / "slrt" / "x.csv"
    path.parent.mkdir()
    lines = [delimiter.join(SLRT_COLUMNS), "S1;2026-10-01;;;Sri Wahyuni SA’DIYAH Ç"]
    text = "\r\n".join(lines).replace(";", delimiter)
    path.write_bytes(bom + text.encode(encoding))
    read = read_file(item(path, "slrt"))
    assert read.raw.get_column("id_layanan").to_list() == ["S1"]
    assert read.raw.get_column("nama").to_list() == ["Sri Wahyuni SA’DIYAH Ç"]
    assert (read.note or (None,))[0] == code


@pytest.mark.parametrize(
    "content",
    [
        b"\nS1;Sri " + "ÉLIS".encode("cp437"),  # bytes Windows-1252 does not define
        b"\nS1;Sri\x00\x9d;\x00\x00\x01",  # binary
        b"\nS1;Sri " + "Ç".encode("cp1252"),  # with a UTF-8 byte-order mark: says UTF-8, is not
    ],
)
def test_slrt_csv_whose_encoding_cannot_be_told_is_rejected(tmp_path, content):
    path = tmp_path / "slrt" / "x.csv"
    path.parent.mkdir()
    bom = codecs.BOM_UTF8 if content.endswith("Ç".encode("cp1252")) else b""
    path.write_bytes(bom + ";".join(SLRT_COLUMNS).encode() + content)
    with pytest.raises(FileRejected) as err:
        read_file(item(path, "slrt"))
    assert err.value.code == "csv_encoding_unknown"
    assert "CSV UTF-8" in err.value.reason


def test_a_windows_csv_is_loaded_with_a_note_on_the_file(tmp_path):
    from ppks.pipeline import process_batch

    path = tmp_path / "slrt" / "x.csv"
    path.parent.mkdir()
    path.write_bytes(
        (";".join(SLRT_COLUMNS) + "\nS1;2026-10-01;;;Sri Wahyuni SA’DIYAH").encode("cp1252")
    )
    [outcome] = process_batch([item(path, "slrt")]).outcomes
    assert outcome.status == "loaded"
    assert outcome.reason_code == "csv_encoding_cp1252"
    assert "Windows-1252" in outcome.reason


@pytest.mark.parametrize(
    "content,code",
    [
        (b"", "empty_file"),
        (b"\x00\x01garbage" * 100, "corrupt"),
        (b"PK\x03\x04" + b"\x00" * 200, "corrupt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "xls"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "password_protected",
        ),
    ],
)
def test_files_that_are_not_workbooks(tmp_path, content, code):
    path = tmp_path / "tksk" / "x.xlsx"
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(FileRejected) as err:
        read_file(item(path, "tksk"))
    assert err.value.code == code


def test_empty_workbook_is_rejected(xlsx):
    path = xlsx("tksk/empty.xlsx", {"Sheet1": []})
    with pytest.raises(FileRejected) as err:
        read_file(item(path, "tksk"))
    assert err.value.code == "empty_workbook"
