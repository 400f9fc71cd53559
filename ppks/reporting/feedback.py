"""Feedback workbooks for the reporters, in Indonesian: what to correct and send again.

`write_feedback(con, run_id, outbox)` writes, for every file of the run with
rejected or flagged rows, one workbook

    <outbox>/umpan_balik/<source>/<kode kecamatan> <nama kecamatan>/<file> - perbaikan.xlsx

with a sheet ``Petunjuk`` (what the workbook is) and one sheet per sheet of
the original file: the row number as Excel showed it, whether the row was
rejected (``DITOLAK``) or loaded with notes (``DIMUAT, PERLU DICEK``), the
reasons in plain words, then every original cell under its original header.
A file rejected whole gets a one-sheet workbook ``<file> - ditolak.xlsx``
saying why, in Indonesian, and what to do.

Data sheets have a filter on the header, wrapped text and columns as wide as
their contents (within bounds), so they read without adjusting anything.

Every cell is written with ``write_string``: a value that starts with ``=``,
``+``, ``-`` or ``@`` stays text and never becomes a formula.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ppks.reporting.labels import REASON_TEXT, file_reason_text, source_label

FLAG_TEXT: dict[str, str] = {
    "nik_missing": "NIK kosong atau hanya tanda (-, 0, belum ada)",
    "nik_malformed": "NIK tidak 16 angka",
    "nik_excel_damaged": (
        "NIK diketik sebagai angka: Excel mengubah angka terakhir; ketik ulang NIK sebagai teks "
        "(awali dengan tanda petik ')"
    ),
    "nik_invalid_date": "tanggal lahir di dalam NIK (angka ke-7 s.d. 12) tidak valid",
    "nik_dob_mismatch": "tanggal lahir tidak sama dengan tanggal lahir di NIK",
    "nik_gender_mismatch": "jenis kelamin tidak sama dengan jenis kelamin di NIK",
    "nik_region_mismatch": "kecamatan tidak sama dengan kode wilayah di NIK",
    "kk_missing": "No. KK kosong atau hanya tanda (-, 0, belum ada)",
    "kk_malformed": "No. KK tidak 16 angka",
    "kk_excel_damaged": (
        "No. KK diketik sebagai angka: Excel mengubah angka terakhir; ketik ulang sebagai teks"
    ),
    "dob_missing": "tanggal lahir kosong",
    "dob_unparseable": "tanggal lahir tidak terbaca sebagai tanggal",
    "dob_year_only": "hanya tahun lahir yang diisi",
    "dob_from_age": "hanya umur yang diisi; tahun lahir diperkirakan dari umur",
    "dob_placeholder": "tanggal lahir tampak seperti isian sementara (01-01, 31-12 atau 01-07)",
    "dob_day_month_swapped": "tanggal dan bulan lahir tampak tertukar",
    "dob_implausible": "tanggal lahir tidak masuk akal (sebelum 1900 atau setelah tanggal laporan)",
    "gender_missing": "jenis kelamin kosong",
    "gender_unrecognised": "jenis kelamin tidak dikenali (gunakan L atau P)",
    "desa_unresolved": "nama desa/kelurahan tidak ditemukan di kecamatan ini",
}

STATUS_REJECTED = "DITOLAK"
STATUS_FLAGGED = "DIMUAT, PERLU DICEK"
STATUS_FILE_REJECTED = "BERKAS DITOLAK SELURUHNYA"
MIN_WIDTH, MAX_WIDTH = 8, 60
INSTRUCTIONS = [
    "Lembar ini berisi baris dari berkas Anda yang ditolak atau perlu dicek.",
    "DITOLAK: baris tidak masuk ke data. Perbaiki sesuai alasan, lalu kirim ulang berkas.",
    "DIMUAT, PERLU DICEK: baris sudah masuk, tetapi ada isian yang perlu diperbaiki bila "
    "datanya ada.",
    "Perbaiki di berkas asli Anda (bukan di lembar ini), lalu kirim ulang berkas yang sudah "
    "diperbaiki: untuk TKSK, berkas untuk kecamatan dan bulan yang sama; untuk PSM, berkas "
    "untuk desa yang sama. Berkas perbaikan menggantikan berkas lama.",
    "Nomor baris sama dengan nomor baris di Excel pada berkas asli.",
]


@dataclass(frozen=True)
class FeedbackFile:
    path: Path
    source_file: str
    source: str
    kode_kecamatan: str | None
    rejected: int
    flagged: int
    rejected_whole: bool = False  # the file was rejected whole: no row of it was loaded
    rows_below_blank: int = 0  # data-like rows below an empty row, not loaded (a warning)


def flag_text(flag: str) -> str:
    return FLAG_TEXT.get(flag, flag.replace("_", " "))


def reasons_text(reasons: list[str] | None) -> str:
    return "; ".join(REASON_TEXT.get(r, r.replace("_", " ")) for r in reasons or [])


def _safe(text: str, limit: int = 80) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .") or "_"
    return cleaned[:limit]


def _rows(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple]:
    """(source, source_file, sha, sheet, row_number, status, reasons text, raw values, raw json).

    The rows are taken by the run that loaded them (``run_id``, the run that loaded their
    file) before they meet the run's files: joined to the files alone, every row of the
    history was read (its flags and raw cells) to keep the night's few, and the reports
    of a night cost more with every month kept.
    """
    return con.execute(
        """
        WITH files AS (
          SELECT source_file, sha256 FROM ingest_file WHERE run_id = $run AND status = 'loaded'
        ),
        rejected AS (
          SELECT source, source_file, file_sha256, sheet, row_number, reasons, flags,
                 raw_values, raw_json
          FROM rejected_row WHERE run_id = $run
        ),
        flagged AS (
          SELECT source, source_file, file_sha256, sheet, row_number, flags, raw_values
          FROM source_record WHERE run_id = $run AND len(flags) > 0
        )
        SELECT r.source, r.source_file, r.file_sha256, r.sheet, r.row_number, 'rejected',
               r.reasons, r.flags, r.raw_values, r.raw_json
        FROM rejected r JOIN files f ON f.source_file = r.source_file
                                    AND f.sha256 = r.file_sha256
        UNION ALL
        SELECT s.source, s.source_file, s.file_sha256, s.sheet, s.row_number, 'flagged',
               NULL, s.flags, s.raw_values, NULL
        FROM flagged s JOIN files f ON f.source_file = s.source_file
                                   AND f.sha256 = s.file_sha256
        ORDER BY 2, 3, 4, 5
        """,
        {"run": run_id},
    ).fetchall()


def kecamatan_of_files(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[tuple, str | None]:
    """The kecamatan of each file loaded by the run, as the file was read (ingest_file).

    The one definition (sql/README.md): the pipeline sets it once, the marts read it too.
    """
    rows = con.execute(
        """
        SELECT f.source_file, f.sha256, f.kode_kecamatan
        FROM ingest_file f WHERE f.run_id = ? AND f.status = 'loaded'
        """,
        [run_id],
    ).fetchall()
    return {(name, sha): kec for name, sha, kec in rows}


def _region_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute("SELECT kode, nama FROM region").fetchall())
    except duckdb.Error:
        return {}


def _headers(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[tuple, dict[tuple, list]]:
    """(file, sha) -> {(file, sha, sheet): headers}: grouped once, looked up per file."""
    rows = con.execute(
        "SELECT source_file, file_sha256, sheet, headers FROM source_sheet WHERE run_id = ?",
        [run_id],
    ).fetchall()
    by_file: dict[tuple, dict[tuple, list]] = {}
    for n, s, sh, h in rows:
        by_file.setdefault((n, s), {})[(n, s, sh)] = list(h)
    return by_file


def _rejected_files(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple]:
    """(source, source_file, reason_code, reason) of the run's files rejected whole."""
    return con.execute(
        "SELECT source, source_file, reason_code, reason FROM ingest_file "
        "WHERE run_id = ? AND status = 'rejected' ORDER BY source, source_file",
        [run_id],
    ).fetchall()


def _below_blank(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[tuple, int]:
    """(source, source_file, sha) → data-like rows below an empty row, of the run's loaded files."""
    return {
        (source, name, sha): n
        for source, name, sha, n in con.execute(
            "SELECT source, source_file, sha256, rows_below_blank FROM ingest_file "
            "WHERE run_id = ? AND status = 'loaded' AND rows_below_blank > 0",
            [run_id],
        ).fetchall()
    }


def _unique_path(folder: Path, stem: str, suffix: str, used: set[Path]) -> Path:
    path, n = folder / f"{stem} - {suffix}.xlsx", 2
    while path in used:
        path, n = folder / f"{stem} - {suffix} ({n}).xlsx", n + 1
    used.add(path)
    return path


@dataclass
class FeedbackPlan:
    """A run's workbooks as read from the warehouse: written by `write`, which reads
    nothing (the night writes them while its warehouse checkpoints and its analyst
    edition builds: flows/night.py)."""

    files: list[FeedbackFile]
    rejected_whole: list[tuple]  # _write_rejected_workbook's arguments
    jobs: list[tuple]  # _write_workbook's

    def write(self) -> list[FeedbackFile]:
        for job in self.rejected_whole:
            _write_rejected_workbook(*job)
        if self.jobs:
            _write_all(self.jobs)
        return self.files


def write_feedback(
    con: duckdb.DuckDBPyConnection, run_id: str, outbox: Path | str
) -> list[FeedbackFile]:
    """One workbook per file of the run with rejected or flagged rows, and one per file
    rejected whole; returns them."""
    return plan_feedback(con, run_id, outbox).write()


def plan_feedback(con: duckdb.DuckDBPyConnection, run_id: str, outbox: Path | str) -> FeedbackPlan:
    """Everything `write_feedback` reads, with the path of each workbook."""
    outbox = Path(outbox)
    written: list[FeedbackFile] = []
    rejected_whole: list[tuple] = []
    used: set[Path] = set()
    for source, name, code, reason in _rejected_files(con, run_id):
        # Nothing of the file was read, so its kecamatan is not known.
        folder = outbox / "umpan_balik" / source / "tanpa_kecamatan"
        path = _unique_path(folder, _safe(Path(name).stem), "ditolak", used)
        rejected_whole.append((path, source, name, code, reason))
        written.append(FeedbackFile(path, name, source, None, 0, 0, rejected_whole=True))
    by_file: dict[tuple, list[tuple]] = {}
    for row in _rows(con, run_id):
        by_file.setdefault((row[0], row[1], row[2]), []).append(row)
    below = _below_blank(con, run_id)
    for source, name, sha in below:  # told even when every row it loaded is clean
        by_file.setdefault((source, name, sha), [])
    if not by_file:
        return FeedbackPlan(written, rejected_whole, [])
    kecamatan = kecamatan_of_files(con, run_id)
    names = _region_names(con)
    headers = _headers(con, run_id)
    jobs = []
    for (source, name, sha), rows in sorted(by_file.items()):
        kec = kecamatan.get((name, sha))
        folder = _safe(f"{kec} {names.get(kec, '')}".strip()) if kec else "tanpa_kecamatan"
        path = _unique_path(
            outbox / "umpan_balik" / source / folder, _safe(Path(name).stem), "perbaikan", used
        )
        own = headers.get((name, sha), {})
        n_below = below.get((source, name, sha), 0)
        jobs.append((path, source, name, kec, names.get(kec or ""), rows, own, sha, n_below))
        written.append(
            FeedbackFile(
                path,
                name,
                source,
                kec,
                sum(r[5] == "rejected" for r in rows),
                sum(r[5] == "flagged" for r in rows),
                rows_below_blank=n_below,
            )
        )
    return FeedbackPlan(written, rejected_whole, jobs)


# From this many workbooks on (a first night writes thousands), two processes
# write them: xlsxwriter is pure Python, one core per process.
PARALLEL_FROM = 60
WRITERS = 2


def _write_job(job: tuple) -> None:
    _write_workbook(*job)


def _write_all(jobs: list[tuple]) -> None:
    if len(jobs) < PARALLEL_FROM:
        for job in jobs:
            _write_job(job)
        return
    # Never fork: the flow runs threads. The children inherit the run's umask (0077).
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(WRITERS, mp_context=context) as pool:
        list(pool.map(_write_job, jobs, chunksize=max(1, len(jobs) // (WRITERS * 8))))


def _open_workbook(path: Path):
    import xlsxwriter  # here: a night without feedback never imports it

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    # in_memory: no temporary XML files on disk (a fifth of the time of a small workbook).
    workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "in_memory": True})
    formats = {
        "bold": workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "red": workbook.add_format(
            {"font_color": "#9C0006", "bg_color": "#FFC7CE", "text_wrap": True, "valign": "top"}
        ),
        "amber": workbook.add_format(
            {"font_color": "#7F6000", "bg_color": "#FFEB9C", "text_wrap": True, "valign": "top"}
        ),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    return workbook, tmp, formats


def _fit_columns(ws, table: list[list[str]]) -> None:
    """Each column as wide as its longest line (header included), within bounds; longer
    text wraps."""
    widths: dict[int, int] = {}
    for row in table:
        for j, text in enumerate(row):
            longest = max((len(line) for line in str(text).splitlines()), default=0)
            widths[j] = max(widths.get(j, 0), longest)
    for j, width in widths.items():
        ws.set_column(j, j, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))


def _write_rejected_workbook(path, source, name, code, reason) -> None:
    workbook, tmp, f = _open_workbook(path)
    what, todo = file_reason_text(code, reason)
    ws = workbook.add_worksheet("Petunjuk")
    lines = [
        ("Berkas", name),
        ("Jenis laporan", source_label(source)),
        ("Status", STATUS_FILE_REJECTED),
        ("Alasan", what),
        ("Yang perlu dilakukan", todo),
        ("Keterangan teknis", reason or "-"),
        (
            "",
            "Tidak ada baris dari berkas ini yang masuk ke data. Setelah diperbaiki, kirim "
            "ulang berkas dengan nama yang sama.",
        ),
    ]
    for i, (label, value) in enumerate(lines):
        ws.write_string(i, 0, label, f["bold"] if label else f["wrap"])
        ws.write_string(i, 1, value, f["red"] if label == "Status" else f["wrap"])
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 90)
    workbook.close()
    tmp.replace(path)


def _write_workbook(path, source, name, kec, kec_name, rows, headers, sha, below=0) -> None:
    workbook, tmp, f = _open_workbook(path)
    bold, red, amber, wrap = f["bold"], f["red"], f["amber"], f["wrap"]

    info = workbook.add_worksheet("Petunjuk")
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 100)
    lines = [
        ("Berkas", name),
        ("Jenis laporan", source_label(source)),
        ("Kecamatan", f"{kec} {kec_name or ''}".strip() if kec else "-"),
        ("Baris ditolak", str(sum(r[5] == "rejected" for r in rows))),
        ("Baris perlu dicek", str(sum(r[5] == "flagged" for r in rows))),
    ]
    if below:
        what, todo = file_reason_text("rows_below_blank")
        lines.append(("Baris di bawah baris kosong", f"{below}: {what} {todo}"))
    for i, (label, value) in enumerate(lines):
        info.write_string(i, 0, label, bold)
        info.write_string(i, 1, value)
    for i, text in enumerate(INSTRUCTIONS, start=len(lines) + 1):
        info.write_string(i, 1, text, wrap)

    by_sheet: dict[str, list[tuple]] = {}
    for row in rows:
        by_sheet.setdefault(row[3], []).append(row)
    taken = {"petunjuk"}
    for sheet, sheet_rows in by_sheet.items():
        title = _sheet_title(sheet or "Data", taken)
        ws = workbook.add_worksheet(title)
        original = headers.get((name, sha, sheet)) or _json_headers(sheet_rows)
        head = ["Baris di Excel", "Status", "Alasan / yang perlu diperbaiki", *original]
        for j, text in enumerate(head):
            ws.write_string(0, j, str(text), bold)
        ws.freeze_panes(1, 3)
        table = [[str(h) for h in head]]
        for i, (*_, row_number, status, reasons, flags, raw_values, raw_json) in enumerate(
            sheet_rows, start=1
        ):
            if status == "rejected":
                label, fmt = STATUS_REJECTED, red
                why = [reasons_text(reasons)]
                if flags:
                    why.append("; ".join(flag_text(f) for f in flags))
            else:
                label, fmt = STATUS_FLAGGED, amber
                why = ["; ".join(flag_text(f) for f in flags or [])]
            values = ["" if v is None else str(v) for v in _values(raw_values, raw_json, original)]
            cells = [str(row_number), label, "; ".join(w for w in why if w), *values]
            ws.write_string(i, 0, cells[0], wrap)
            ws.write_string(i, 1, label, fmt)
            for j, value in enumerate(cells[2:], start=2):
                ws.write_string(i, j, value, wrap)
            table.append(cells)
        _fit_columns(ws, table)
        ws.autofilter(0, 0, len(sheet_rows), max(len(row) for row in table) - 1)
    workbook.close()
    tmp.replace(path)


def _sheet_title(sheet: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "Data"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _json_headers(rows: list[tuple]) -> list[str]:
    for row in rows:
        if row[-1]:
            try:
                return list(json.loads(row[-1]))
            except (ValueError, TypeError):
                continue
    width = max((len(r[-2] or []) for r in rows), default=0)
    return [f"Kolom {i + 1}" for i in range(width)]


def _values(raw_values, raw_json, headers: list[str]) -> list:
    if raw_values is not None:
        return list(raw_values)
    if raw_json:
        try:
            data = json.loads(raw_json)
        except ValueError:
            return [raw_json]
        return [data.get(h) for h in headers]
    return []
