"""The night's copy of the warehouse made while the command waits for its Prefect server:
taken by the prepare stage only if nobody wrote the warehouse since, once; never left
behind."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from ppks.flows import night

from ppks.warehouse import build, copy_ahead, schema

WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "wh" / "ppks.duckdb"
    path.parent.mkdir()
    with build.connect(path) as con:
        schema.apply_tables(con)
        con.execute("CREATE TABLE analyst_note (note VARCHAR)")
        con.execute("INSERT INTO analyst_note VALUES ('first')")
    return path


@pytest.fixture(autouse=True)
def nothing_pending(warehouse):
    yield
    copy_ahead.take(warehouse)


def notes(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [n for (n,) in con.execute("SELECT note FROM analyst_note ORDER BY note").fetchall()]


def building(warehouse: Path) -> list[str]:
    return sorted(p.name for p in warehouse.parent.glob(f".{warehouse.name}.*"))


def test_a_copy_made_ahead_is_the_nights_copy_when_nobody_wrote_since(warehouse):
    ahead = build.copy_ahead(warehouse)
    inode = ahead.stat().st_ino
    staging = build.start_copy(warehouse, "r1", ahead=ahead)
    assert staging.stat().st_ino == inode  # taken, not copied again
    assert stat.S_IMODE(staging.stat().st_mode) == 0o600
    assert notes(staging) == ["first"]
    assert building(warehouse) == [
        f".{warehouse.name}.r1.building",
        f".{warehouse.name}.r1.building.live",
    ]


def test_a_warehouse_written_after_the_copy_ahead_is_copied_again(warehouse):
    ahead = build.copy_ahead(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("INSERT INTO analyst_note VALUES ('second')")
    staging = build.start_copy(warehouse, "r1", ahead=ahead)
    assert notes(staging) == ["first", "second"]
    assert not ahead.exists()
    assert building(warehouse) == [
        f".{warehouse.name}.r1.building",
        f".{warehouse.name}.r1.building.live",
    ]


def test_a_read_write_session_gets_no_copy_ahead_and_refuses_the_night(warehouse):
    ahead = build.copy_ahead(warehouse)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        assert build.copy_ahead(warehouse) is None
        with pytest.raises(build.RunRefused, match="read-write DuckDB session"):
            build.start_copy(warehouse, "r1", ahead=ahead)
    finally:
        writer.communicate("")
    assert building(warehouse) == []  # neither the copy made before nor one of the run's


def test_the_prepare_stage_takes_the_copy_made_ahead_once(warehouse):
    copy_ahead.start(warehouse)
    staging, _known = night.prepare_warehouse(warehouse, "r1", build.DEFAULT_STORAGE_VERSION)
    assert notes(staging) == ["first"]
    assert copy_ahead.take(warehouse) is None
    assert not build.ahead_path(warehouse).exists()
    build.discard(staging)


def test_a_copy_ahead_nobody_took_is_removed_when_the_command_exits(warehouse):
    script = (
        "import sys; from pathlib import Path; from ppks.warehouse import copy_ahead; "
        "w = Path(sys.argv[1]); copy_ahead.start(w); "
        "print(copy_ahead._pending[w.resolve()].result().exists())"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(warehouse)],
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "True"  # made, then removed at exit
    assert building(warehouse) == []
    assert notes(warehouse) == ["first"]
