"""The night's private copy is held open from the first stage to the last: each stage
joins that one DuckDB database, commits into its WAL without checkpointing, and
record_run checkpoints once. A stage that spilled to the temporary folder does not
stop the stages after it."""

from __future__ import annotations

from pathlib import Path

import duckdb
from ppks.flows import night

from ppks.warehouse import build


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def test_stages_commit_into_the_held_copy_and_checkpoint_once(tmp_path):
    staging = tmp_path / "staging.duckdb"
    with build.connect(staging) as con:
        con.execute("CREATE TABLE t (i INTEGER, s VARCHAR)")
    held = night._hold_open(staging)
    try:

        def add(con, start):
            con.execute(
                "INSERT INTO t SELECT i, md5(i::VARCHAR) FROM range(?, ? + 200000) r(i)",
                [start, start],
            )

        night._on_staging(staging, add, 0)
        wal_after_one = _wal(staging).stat().st_size
        night._on_staging(staging, add, 200000)
        # Both commits are in the WAL: neither checkpointed (DuckDB's own threshold,
        # 16 MB, would have been passed by the second).
        assert _wal(staging).stat().st_size > wal_after_one > 0
        assert held.execute("SELECT count(*) FROM t").fetchall()[0][0] == 400000
        held.execute("CHECKPOINT")
        assert not _wal(staging).exists() or _wal(staging).stat().st_size == 0
    finally:
        held.close()
    with duckdb.connect(str(staging), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT i) FROM t").fetchall()[0][0] == 400000


def test_a_stage_after_one_that_spilled_runs(tmp_path, monkeypatch):
    staging = tmp_path / "staging.duckdb"
    build.connect(staging).close()
    monkeypatch.setenv("PPKS_MEMORY_LIMIT", "64MB")
    held = night._hold_open(staging)
    try:

        def group_more_than_memory(con):
            con.execute(
                "CREATE TABLE groups AS SELECT count(*) AS n FROM ("
                " SELECT md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s, count(*)"
                " FROM range(3000000) r(i) GROUP BY s)"
            )

        night._on_staging(staging, group_more_than_memory)
        spilled = build.temp_directory(staging)
        assert spilled.is_dir()  # the stage did spill: DuckDB created its folder
        # DuckDB refuses to set the folder again once it was used; the next stage
        # must not try.
        rows = night._on_staging(
            staging, lambda con: con.execute("SELECT n FROM groups").fetchall()[0][0]
        )
        assert rows == 3000000
    finally:
        held.close()
