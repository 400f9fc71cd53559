"""Reports after the swap: an unwritable outbox is an exit status and one line, not a lost
night; `ppks outbox --run` writes them again; a relative --outbox works."""

from __future__ import annotations

import subprocess
import sys

import duckdb
from helpers import SAMPLES
from ops_support import ROOT


def ppks(server, *args, cwd=ROOT, log=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ppks.cli", *map(str, args)],
        env=server.env(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_unwritable_outbox_fails_loudly_and_the_reports_can_be_written_later(
    prefect_server, tmp_path
):
    warehouse = tmp_path / "wh" / "ppks.duckdb"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the outbox folder should be\n")
    run = ppks(
        prefect_server, "nightly", "--inbox", SAMPLES / "inbox", "--warehouse", warehouse,
        "--outbox", blocker / "outbox",
    )  # fmt: skip
    assert run.returncode == 3, run.stdout + run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ppks nightly: error: run ") and "data is published" in last, last
    assert "ppks outbox --run" in last
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (run_id,) = con.execute("SELECT run_id FROM run_log").fetchone()
    assert run_id in last

    again = ppks(
        prefect_server, "outbox", "--run", run_id, "--warehouse", warehouse,
        "--outbox", tmp_path / "outbox",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "outbox" / run_id / "laporan_mutu.html").exists()
    assert list((tmp_path / "outbox" / run_id / "umpan_balik").rglob("*.xlsx"))

    unknown = ppks(prefect_server, "outbox", "--run", "nope", "--warehouse", warehouse,
                   "--outbox", tmp_path / "outbox")  # fmt: skip
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == f"ppks outbox: error: no run nope in {warehouse} " + (
        "(see the run_log table)"
    )


def test_a_relative_outbox_is_resolved(prefect_server, tmp_path):
    run = ppks(
        prefect_server, "nightly", "--inbox", SAMPLES / "inbox", "--warehouse", "wh/ppks.duckdb",
        "--outbox", "rel/outbox", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "relative path" not in run.stdout + run.stderr
    assert list((tmp_path / "rel" / "outbox").glob("*/laporan_mutu.html"))
