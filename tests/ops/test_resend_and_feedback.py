"""Closing the loop: feedback workbooks for the reporter, a corrected file replaces the earlier one.

The flow runs in this process against the session's Prefect server, as in
production: the load step supersedes the earlier file before linkage, and the
run log notes it.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import openpyxl
from helpers import SAMPLES
from ppks.flows.nightly import nightly
from prefect.settings import PREFECT_API_URL, temporary_settings

from ppks.reporting.outbox import write_outbox

ORIGINAL = "LAP_BULANAN_TKSK_PUSPO_09_2026.xlsx"
CORRECTED = "LAP_BULANAN_TKSK_PUSPO_09_2026 revisi.xlsx"
FORMULA = '=HYPERLINK("http://x","klik")'


def run(server, inbox, warehouse):
    with temporary_settings(updates={PREFECT_API_URL: server.url}):
        return nightly(inbox=inbox, warehouse=warehouse)


def rows_of(con, table, name):
    sql = f"SELECT count(*) FROM {table} WHERE source_file = ?"
    return con.execute(sql, [name]).fetchone()[0]


def test_feedback_then_corrected_resend_supersedes(prefect_server, tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "tksk").mkdir(parents=True)
    source = SAMPLES / "inbox" / "tksk" / ORIGINAL
    workbook = openpyxl.load_workbook(source)
    sheet = workbook.worksheets[0]
    header_row, name_col, ket_col = _header(sheet)
    first_data = header_row + 1
    # A row with no name (rejected) and a formula-looking text in a loaded row.
    sheet.cell(first_data, name_col).value = "-"
    sheet.cell(first_data + 1, ket_col).value = FORMULA
    sheet.cell(first_data + 1, ket_col).data_type = "s"
    workbook.save(inbox / "tksk" / ORIGINAL)
    warehouse = tmp_path / "wh" / "ppks.duckdb"
    first = run(prefect_server, inbox, warehouse)

    outbox = tmp_path / "outbox"
    result = write_outbox(warehouse, first.run_id, outbox)
    assert result.report.is_file() and "<svg" in result.report.read_text()
    [feedback] = [f for f in result.feedback if f.source_file == ORIGINAL]
    assert feedback.rejected >= 1
    assert feedback.path.parent.parent.name == "tksk"
    assert feedback.path.parent.name.startswith(feedback.kode_kecamatan)
    book = openpyxl.load_workbook(feedback.path)
    assert book.sheetnames[0] == "Petunjuk"
    data = book.worksheets[1]
    header = [c.value for c in data[1]]
    assert header[:3] == ["Baris di Excel", "Status", "Alasan / yang perlu diperbaiki"]
    rows = {r[0].value: r for r in data.iter_rows(min_row=2)}
    rejected = rows[str(first_data)]
    assert rejected[1].value == "DITOLAK"
    assert "nama kosong" in rejected[2].value
    cells = [c for r in data.iter_rows(min_row=1) for c in r if c.value is not None]
    assert all(c.data_type == "s" for c in cells), "every cell is text"
    assert any(c.value == FORMULA for c in cells), "the formula-looking value is kept as text"

    # The reporter sends the corrected file for the same kecamatan and month.
    corrected = openpyxl.load_workbook(inbox / "tksk" / ORIGINAL)
    corrected.worksheets[0].cell(first_data, name_col).value = "SITI AMINAH"
    corrected.save(inbox / "tksk" / CORRECTED)
    second = run(prefect_server, inbox, warehouse)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        status = dict(con.execute("SELECT source_file, status FROM ingest_file").fetchall())
        assert status == {ORIGINAL: "superseded", CORRECTED: "loaded"}
        assert rows_of(con, "source_record", ORIGINAL) == 0
        assert rows_of(con, "rejected_row", ORIGINAL) == 0
        assert rows_of(con, "source_record_history", ORIGINAL) > 0
        assert rows_of(con, "rejected_row_history", ORIGINAL) >= 1
        assert rows_of(con, "source_record", CORRECTED) == rows_of(
            con, "source_record_history", ORIGINAL
        ) + rows_of(con, "rejected_row_history", ORIGINAL)
        [(by, key, moved_run)] = con.execute(
            "SELECT superseded_by, replace_key, run_id FROM file_supersede"
        ).fetchall()
        assert by == CORRECTED and key.startswith("tksk:") and moved_run == second.run_id
        counts = json.loads(
            con.execute(
                "SELECT counts_json FROM run_log WHERE run_id = ?", [second.run_id]
            ).fetchone()[0]
        )
        assert counts["files_superseded"] == 1
        assert counts["superseded"][0]["file"] == ORIGINAL
        # Persons come from current rows only.
        orphans = con.execute(
            "SELECT count(*) FROM person p WHERE NOT EXISTS "
            "(SELECT 1 FROM source_record s WHERE s.person_id = p.person_id)"
        ).fetchone()[0]
        assert orphans == 0

    again = write_outbox(warehouse, second.run_id, outbox)
    statuses = {f["file"]: f["status"] for f in again.files}
    assert statuses == {ORIGINAL: "superseded", CORRECTED: "loaded"}
    shutil.rmtree(outbox)


def _header(sheet) -> tuple[int, int, int]:
    for row in sheet.iter_rows():
        texts = {str(c.value).strip().lower(): c.column for c in row if c.value}
        name = texts.get("nama lengkap") or texts.get("nama")
        if name:
            ket = texts.get("keterangan") or max(texts.values())
            return row[0].row, name, ket
    raise AssertionError("no header")
