"""Runs killed with SIGKILL at several moments leave the previous warehouse intact and readable;
the next run completes and loads what the killed ones did not. A run while another holds
the warehouse is refused."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from helpers import SAMPLES
from ops_support import ROOT

from ppks.ingest.inbox import discover
from ppks.warehouse.build import exclusive_lock


def nightly_command(inbox: Path, warehouse: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ppks.cli",
        "nightly",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(warehouse),
    ]


def start_nightly(server, inbox: Path, warehouse: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        nightly_command(inbox, warehouse),
        env=server.env(),
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_when(process: subprocess.Popen, marker, timeout: float = 120) -> str:
    """SIGKILL the run (and anything it started) as soon as marker() is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return "finished"
        if marker():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            return "killed"
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    raise AssertionError("the marker never appeared")


def state(warehouse: Path) -> dict:
    """What a reader sees, and whether every loaded file has exactly its rows."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = [r for (r,) in con.execute("SELECT run_id FROM run_log ORDER BY 1").fetchall()]
        files = con.execute("SELECT source_file, sha256, status FROM ingest_file").fetchall()
        broken = con.execute(
            """
            SELECT f.source_file FROM ingest_file f
            WHERE f.status = 'loaded' AND f.rows_loaded + f.rows_rejected <>
              (SELECT count(*) FROM source_record s
               WHERE s.source_file = f.source_file AND s.file_sha256 = f.sha256)
            + (SELECT count(*) FROM rejected_row r
               WHERE r.source_file = f.source_file AND r.file_sha256 = f.sha256)
            """
        ).fetchall()
        rows = con.execute("SELECT count(*) FROM source_record").fetchone()[0]
    return {"runs": runs, "files": sorted(files), "broken": broken, "rows": rows}


def staging(warehouse: Path, suffix: str = "") -> list[Path]:
    return list(warehouse.parent.glob(f".{warehouse.name}.*.building{suffix}"))


def test_killed_runs_leave_the_warehouse_and_the_next_run_completes(prefect_server, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "inbox" / "psm", inbox / "psm")
    warehouse = tmp_path / "wh" / "ppks.duckdb"
    first = start_nightly(prefect_server, inbox, warehouse, tmp_path / "first.log")
    assert first.wait(timeout=180) == 0, (tmp_path / "first.log").read_text()
    before = state(warehouse)
    before_bytes = warehouse.read_bytes()
    assert len(before["runs"]) == 1 and not before["broken"]

    # More files arrive; three runs are killed at different moments.
    for source in ("tksk", "slrt"):
        shutil.copytree(SAMPLES / "inbox" / source, inbox / source)
    analyst_building = warehouse.with_name(".ppks_analyst.duckdb.building")
    moments = {
        "staging copy made": lambda: bool(staging(warehouse)),
        "files read, loading": lambda: any(
            p.stat().st_size > len(before_bytes) for p in staging(warehouse)
        ),
        "analyst edition being written": analyst_building.exists,
    }
    outcomes = {}
    for i, (moment, marker) in enumerate(moments.items()):
        run = start_nightly(prefect_server, inbox, warehouse, tmp_path / f"killed{i}.log")
        outcomes[moment] = kill_when(run, marker)
        after = state(warehouse)
        assert not after["broken"], moment
        if after["runs"] == before["runs"]:
            assert warehouse.read_bytes() == before_bytes, moment
        else:  # killed after the rename: the new warehouse is whole
            assert len(after["runs"]) == 2, moment
    assert list(outcomes.values()).count("killed") >= 2, outcomes

    last = start_nightly(prefect_server, inbox, warehouse, tmp_path / "last.log")
    assert last.wait(timeout=180) == 0, (tmp_path / "last.log").read_text()
    final = state(warehouse)
    assert not final["broken"]
    assert 2 <= len(final["runs"]) <= 3
    files, _ = discover(inbox)
    assert {(f.name, f.sha256) for f in files} == {(n, s) for n, s, _ in final["files"]}
    assert final["rows"] > before["rows"]
    assert not staging(warehouse) and not staging(warehouse, ".wal")


def test_a_second_run_at_once_is_refused(prefect_server, tmp_path):
    # The other run is held here, for the whole of this one, by the lock a running night
    # takes (build.exclusive_lock). Two nights started together overlapped only as long
    # as the first lasted: on the samples it was over before the second looked (both
    # exited 0 on a fresh clone), so the refusal was left to a race.
    warehouse = tmp_path / "wh" / "ppks.duckdb"
    with exclusive_lock(warehouse):
        second = start_nightly(prefect_server, SAMPLES / "inbox", warehouse, tmp_path / "b.log")
        code = second.wait(timeout=180)
    text = (tmp_path / "b.log").read_text()
    assert code == 1, text
    # The operator's line is the last one (Prefect also logs the flow run's exception above it).
    last = text.strip().splitlines()[-1]
    assert last.startswith("ppks nightly: error: another run holds"), last
    assert not warehouse.exists()
    # Once the other run let go, the night runs.
    first = start_nightly(prefect_server, SAMPLES / "inbox", warehouse, tmp_path / "a.log")
    assert first.wait(timeout=180) == 0, (tmp_path / "a.log").read_text()
    assert len(state(warehouse)["runs"]) == 1
