"""Publishing that a DuckDB client cannot break: real sessions in other processes.

A read-write session refuses the night (one line, exit 1, nothing lost); the
.wal of a session that crashed is replayed into the next night's copy and
never left beside the new file; a session that writes during the run
refuses the swap; readers are never in the way.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from helpers import SAMPLES
from test_kill import start_nightly, state

from ppks.warehouse import build

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
if sys.argv[2] == "rw":
    con.execute("CREATE TABLE IF NOT EXISTS analyst_note (note VARCHAR)")
    con.execute("INSERT INTO analyst_note VALUES ('kept')")
print("ready", flush=True)
time.sleep(600)
"""


def hold(warehouse: Path, how: str) -> subprocess.Popen:
    """A DuckDB session on the warehouse in another process ("rw" writes a row first)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse), how], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def end(process: subprocess.Popen) -> None:
    process.kill()  # as a crash: no checkpoint, the .wal stays
    process.wait(timeout=30)


@pytest.fixture
def published(sample_night) -> Path:
    return sample_night


def test_a_read_write_session_refuses_the_night_and_the_next_night_keeps_its_work(
    prefect_server, published, tmp_path
):
    warehouse = published
    session = hold(warehouse, "rw")
    try:
        run = start_nightly(prefect_server, SAMPLES / "inbox", warehouse, tmp_path / "2.log")
        assert run.wait(timeout=300) == 1
    finally:
        end(session)
    last = (tmp_path / "2.log").read_text().strip().splitlines()[-1]
    assert last.startswith(
        f"ppks nightly: error: a read-write DuckDB session (PID {session.pid}) holds {warehouse}"
    ), last
    wal = warehouse.with_name(warehouse.name + ".wal")
    assert wal.exists()  # the crashed session's work, not yet in the file

    run = start_nightly(prefect_server, SAMPLES / "inbox", warehouse, tmp_path / "3.log")
    assert run.wait(timeout=300) == 0, (tmp_path / "3.log").read_text()
    assert not wal.exists()
    assert len(state(warehouse)["runs"]) == 2
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT note FROM analyst_note").fetchall() == [("kept",)]


def test_a_session_that_writes_during_the_run_refuses_the_swap(published):
    warehouse = published
    before = warehouse.read_bytes()
    staging = build.start_copy(warehouse, "test-run")
    session = hold(warehouse, "rw")
    try:
        with pytest.raises(build.RunRefused, match=r"read-write DuckDB session \(PID \d+\)"):
            build.publish(staging, warehouse)
    finally:
        session.terminate()
        session.wait(timeout=30)
    # The session closed (or crashed): the live file or its .wal changed since the copy.
    with pytest.raises(build.RunRefused, match="changed by another DuckDB session during the run"):
        build.publish(staging, warehouse)
    build.discard(staging)
    assert warehouse.read_bytes() != before or warehouse.with_name("ppks.duckdb.wal").exists()
    assert not list(warehouse.parent.glob(".*.building*"))


def test_readers_are_never_in_the_way(published):
    warehouse = published
    reader = hold(warehouse, "ro")
    try:
        staging = build.start_copy(warehouse, "test-run")
        build.publish(staging, warehouse)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM run_log").fetchone()[0] == 1
    finally:
        end(reader)


def test_a_run_killed_after_moving_the_old_wal_aside_puts_it_back(tmp_path):
    warehouse = tmp_path / "ppks.duckdb"
    duckdb.connect(str(warehouse)).execute("CREATE TABLE analyst_note (note VARCHAR)").close()
    end(hold(warehouse, "rw"))  # crashed: its row is only in the .wal
    wal = warehouse.with_name(warehouse.name + ".wal")
    staging = build.start_copy(warehouse, "killed-run")
    wal.replace(staging.with_name(staging.name + ".old-wal"))  # where publish puts it; then killed
    build.discard(build.start_copy(warehouse, "next-run"))
    assert wal.exists() and not list(tmp_path.glob(".*.building*"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT note FROM analyst_note").fetchall() == [("kept",)]
