"""Every reporter hears back: rejected files named with a reason in Indonesian, a workbook
for a file rejected whole, labels instead of codes, workbooks that read without adjusting."""

from __future__ import annotations

import datetime as dt
import html
import re

import duckdb
import openpyxl
import pytest

from ppks.reporting.feedback import FLAG_TEXT
from ppks.reporting.labels import FILE_REASON_TEXT, FLAG_LABEL
from ppks.reporting.outbox import write_outbox
from ppks.warehouse import schema

RUN = "20261001T020000-abcdef"
NOW = dt.datetime(2026, 10, 1, 2, 0)
LONG = "JL. " + "PANJANG SEKALI " * 10


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "ppks.duckdb"
    with duckdb.connect(str(path)) as con:
        schema.apply_tables(con)
        files = [
            ("Laporan Beji.xlsx", "tksk", "a1", "rejected", "wrong_template", "no header", None),
            ("lama.xls", "psm", "a2", "rejected", "xls", "old Excel 97-2003 workbook", None),
            ("Data Desa Kemiri.xlsx", "psm", "a3", "loaded", None, None, "35140101"),
            ("export.csv", "slrt", "a4", "loaded", "csv_encoding_cp1252", "read as cp1252", None),
        ]
        for name, source, sha, status, code, reason, desa in files:
            con.execute(
                "INSERT INTO ingest_file (source_file, source_path, source, sha256, status, "
                "reason_code, reason, kode_desa, run_id, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [name, f"{source}/{name}", source, sha, status, code, reason, desa, RUN, NOW],
            )
        con.execute(
            "INSERT INTO source_sheet VALUES ('Data Desa Kemiri.xlsx', 'a3', 'Data', 3, "
            "['NAMA', 'ALAMAT'], ?)",
            [RUN],
        )
        con.execute(
            "INSERT INTO rejected_row (run_id, source, source_file, file_sha256, sheet, row_number,"
            " reasons, reason_text, flags, raw_values) VALUES (?, 'psm', 'Data Desa Kemiri.xlsx',"
            " 'a3', 'Data', 4, ['no_name'], 'nama kosong', ['kk_excel_damaged'], ['', ?])",
            [RUN, LONG],
        )
        con.execute(
            "INSERT INTO source_record (record_id, run_id, source, source_file, file_sha256, sheet,"
            " row_number, flags, raw_values) VALUES (1, ?, 'psm', 'Data Desa Kemiri.xlsx', 'a3',"
            " 'Data', 5, ['kk_excel_damaged'], ['SITI', 'JL. MAWAR'])",
            [RUN],
        )
        con.execute(
            "INSERT INTO run_log (run_id, started_at, finished_at, status) "
            "VALUES (?, ?, ?, 'completed')",
            [RUN, NOW, NOW],
        )
    return path


def test_the_report_names_each_rejected_file_with_its_reason_and_what_to_do(warehouse, tmp_path):
    result = write_outbox(warehouse, RUN, tmp_path / "outbox")
    page = result.report.read_text(encoding="utf-8")
    for name, code in (("Laporan Beji.xlsx", "wrong_template"), ("lama.xls", "xls")):
        what, todo = FILE_REASON_TEXT[code]
        row = re.search(rf"<tr><td>{re.escape(name)}.*?</tr>", page).group(0)
        assert html.escape(what) in row and html.escape(todo) in row
        assert "umpan balik" in row, "the row links the reporter's workbook"
    assert "dibaca sebagai Windows-1252" in page, "a file loaded with a remark is listed too"
    assert "ditolak seluruhnya" in page and "<td>rejected</td>" not in page
    assert "nama kosong" in page and ">no_name<" not in page
    assert "No. KK rusak oleh Excel" in page and ">kk_excel_damaged<" not in page


def test_a_reporter_whose_file_was_rejected_whole_gets_a_workbook(warehouse, tmp_path):
    result = write_outbox(warehouse, RUN, tmp_path / "outbox")
    whole = {f.source_file: f for f in result.feedback if f.rejected_whole}
    assert set(whole) == {"Laporan Beji.xlsx", "lama.xls"}
    book = openpyxl.load_workbook(whole["lama.xls"].path)
    cells = dict(book.active.iter_rows(values_only=True))
    assert cells["Status"] == "BERKAS DITOLAK SELURUHNYA"
    assert cells["Alasan"] == FILE_REASON_TEXT["xls"][0]
    assert cells["Yang perlu dilakukan"] == FILE_REASON_TEXT["xls"][1]
    assert whole["lama.xls"].path.parent.parent.name == "psm"


def test_feedback_workbooks_filter_wrap_and_fit(warehouse, tmp_path):
    result = write_outbox(warehouse, RUN, tmp_path / "outbox")
    [rows] = [f for f in result.feedback if f.source_file == "Data Desa Kemiri.xlsx"]
    data = openpyxl.load_workbook(rows.path).worksheets[1]
    assert data.auto_filter.ref == "A1:E3"
    assert all(c.alignment.wrap_text for c in data[2])
    widths = {k: d.width for k, d in data.column_dimensions.items()}
    assert widths["A"] >= len("Baris di Excel")
    assert 40 <= widths["E"] <= 62, "a long address gets a wide column, within bounds"


def test_every_flag_has_a_label():
    assert set(FLAG_TEXT) <= set(FLAG_LABEL)
