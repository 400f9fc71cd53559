"""Progress: every stage with its own clock, steps from anywhere, logs kept out of the lines."""

from __future__ import annotations

import io
import logging
import sys

from prefect.logging.handlers import PrefectConsoleHandler
from rich.console import Console

from ppks.reporting import progress
from ppks.reporting.progress import RunProgress, closing_summary


def test_plain_lines_keep_their_prefix_and_name_every_stage_and_step(monkeypatch):
    monkeypatch.delenv("PPKS_PROGRESS", raising=False)
    out = io.StringIO()
    run = RunProgress(4, console=Console(file=out, force_terminal=False, markup=False))
    run.stage("reading")
    run.files_done(2, rows=10)
    run.files_done(2, rows=5)
    progress.stage("linking")  # as the linkage reports, without holding the object
    progress.step("scoring pairs [blocking on nik]")
    progress.stage("building marts")
    run.close()
    progress.step("after the run: ignored")
    text = out.getvalue()
    assert "[ppks " in text, "the prefix is not eaten as markup"
    for expected in (
        "stage reading",
        "read 4/4 files, 15 rows",
        "stage linking",
        "linking: scoring pairs [blocking on nik]",
        "stage building marts",
    ):
        assert expected in text
    assert "ignored" not in text


def test_live_display_shows_each_stage_and_prints_logs_above_it(monkeypatch, capsys):
    monkeypatch.delenv("PPKS_PROGRESS", raising=False)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, markup=False)
    logger = logging.getLogger("ppks.test.progress")
    plain = logging.StreamHandler(sys.stderr)
    prefect_handler = PrefectConsoleHandler(stream=sys.stderr)
    logger.addHandler(plain)
    logger.addHandler(prefect_handler)
    original_console = prefect_handler.console
    try:
        run = RunProgress(2, console=console)
        assert run.live
        run.stage("reading")
        run.files_done(2, rows=7)
        progress.stage("linking")
        progress.step("clustering")
        logger.warning("a log line [ppks 1.0s] during the run")
        progress.stage("publishing")
        run.close()
    finally:
        logger.removeHandler(plain)
        logger.removeHandler(prefect_handler)
    text = out.getvalue()
    for expected in ("reading", "2/2 files · 7 rows", "linking", "clustering", "publishing"):
        assert expected in text
    # Both handlers (and any other terminal handler of the session) print through the console,
    # none straight to the terminal underneath the live lines.
    assert text.count("a log line [ppks 1.0s] during the run") >= 2
    assert "a log line" not in capsys.readouterr().err
    assert plain.stream is sys.stderr and prefect_handler.console is original_console


def test_closing_summary_says_where_everything_is_and_how_to_open_it(tmp_path):
    warehouse = tmp_path / "ppks.duckdb"
    edition = tmp_path / "ppks_analyst.duckdb"
    report = tmp_path / "out" / "run1" / "laporan_mutu.html"
    feedback = report.parent / "umpan_balik"
    (feedback / "tksk").mkdir(parents=True)
    for path in (warehouse, edition, report, feedback / "tksk" / "a - perbaikan.xlsx"):
        path.write_bytes(b"x")
    text = closing_summary(warehouse, report, feedback)
    for expected in (str(warehouse), str(edition), str(report), str(feedback)):
        assert expected in text
    assert f"duckdb -readonly {edition}" in text
    assert "pip install duckdb-cli" in text
