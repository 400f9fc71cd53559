"""A hostile inbox through the whole nightly flow: every path accounted for, the night ends."""

from __future__ import annotations

import logging
import os
import shutil

import duckdb
import openpyxl
import pytest
from ppks.flows.nightly import nightly
from workbooks import tksk_row, tksk_rows, write_tksk

from ppks.ingest.inbox import discover


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    inbox = root / "inbox"
    first = write_tksk(inbox / "tksk" / "x.xlsx", tksk_rows(4))
    (inbox / "tksk" / "arsip").mkdir(parents=True)
    shutil.copy(first, inbox / "tksk" / "arsip" / "x.xlsx")  # same name, same bytes
    # Same name, other bytes (another kecamatan: not a corrected resend of the first).
    write_tksk(inbox / "tksk" / "lama" / "x.xlsx", tksk_rows(5, start=20), kecamatan="Tosari")
    write_tksk(inbox / "tksk" / "jauh.xlsx", tksk_rows(3, start=40), far_cell=(999_998, 16_383))
    write_tksk(
        inbox / "tksk" / "kosong.xlsx",
        [*tksk_rows(2, start=60), [], tksk_row(9, "LUPA BARIS")],
        kecamatan="Tutur",
    )
    outside = write_tksk(root / "elsewhere" / "luar.xlsx", tksk_rows(2, start=80))
    os.symlink("/etc/passwd", inbox / "tksk" / "passwd.xlsx")
    os.symlink(outside, inbox / "tksk" / "luar.xlsx")
    os.symlink(root / "elsewhere", inbox / "tksk" / "folder")
    os.symlink(root / "nothing.xlsx", inbox / "tksk" / "dangling.xlsx")
    (inbox / "tksk" / ".hidden.xlsx").write_bytes(first.read_bytes())
    (inbox / "catatan.txt").write_text("stray")
    warehouse = root / "ppks.duckdb"
    log = Collect()
    flow_log = logging.getLogger("prefect.flow_runs")
    flow_log.addHandler(log)
    try:
        result = nightly(inbox=inbox, warehouse=warehouse, outbox=root / "outbox")
    finally:
        flow_log.removeHandler(log)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT source_path, status, reason_code, rows_loaded, rows_below_blank, reason "
            "FROM ingest_file"
        ).fetchall()
    finally:
        con.close()
    return inbox, result, {r[0]: r[1:] for r in rows}, log.lines


class Collect(logging.Handler):
    """The run's log lines, as the operator reads them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_night_completes_and_the_huge_sheet_is_rejected_alone(hostile):
    _, result, files, _ = hostile
    assert files["tksk/jauh.xlsx"][:2] == ("rejected", "too_large")
    assert files["tksk/x.xlsx"][:3] == ("loaded", None, 4)
    assert files["tksk/lama/x.xlsx"][:3] == ("loaded", None, 5)
    assert result.counts["files_loaded"] == 3


def test_the_same_name_in_two_subfolders_never_collides(hostile):
    _, _, files, _ = hostile
    assert files["tksk/arsip/x.xlsx"][0] == "duplicate"


def test_rows_below_a_blank_row_are_counted_and_the_file_stays_loaded(hostile):
    _, _, files, _ = hostile
    status, _, loaded, below, reason = files["tksk/kosong.xlsx"]
    assert (status, loaded, below) == ("loaded", 2, 1)
    assert "below an empty row" in reason


def test_links_hidden_and_stray_paths_are_not_read_but_named(hostile):
    inbox, _, files, log = hostile
    assert not any(p in files for p in ("tksk/passwd.xlsx", "tksk/luar.xlsx", "tksk/.hidden.xlsx"))
    assert not any("folder" in p for p in files)
    _, skipped = discover(inbox)
    why = {s.path.relative_to(inbox).as_posix(): s.why for s in skipped}
    assert why["tksk/passwd.xlsx"].startswith("a link to a file")
    assert why["tksk/luar.xlsx"].startswith("a link to a file")
    assert why["tksk/dangling.xlsx"].startswith("a link to nothing")
    assert why["tksk/folder"].startswith("a link to a folder")
    # The run's log names every path it did not read, with why.
    for path, reason in why.items():
        assert any(str(inbox / path) in line and reason in line for line in log), path
    assert any("catatan.txt" in line for line in log)
    assert why["tksk/.hidden.xlsx"] == "a hidden file"
    assert why["catatan.txt"] == "not in tksk/, psm/ or slrt/"


def test_the_reporter_is_told_of_rows_below_a_blank_row(hostile):
    inbox, result, _, _ = hostile
    outbox = inbox.parent / "outbox" / result.run_id
    [workbook] = (outbox / "umpan_balik" / "tksk").rglob("kosong - perbaikan.xlsx")
    info = {
        row[0]: row[1]
        for row in openpyxl.load_workbook(workbook)["Petunjuk"].iter_rows(values_only=True)
    }
    assert info["Baris di bawah baris kosong"].startswith("1: Ada baris")
    report = (outbox / "laporan_mutu.html").read_text(encoding="utf-8")
    assert "kosong.xlsx" in report and "di bawah baris kosong" in report
