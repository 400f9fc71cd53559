"""Write one run's results into the (staging copy of the) warehouse."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import polars as pl

from ppks import reference
from ppks.ingest.classify import Known

REFERENCE_TABLES = {
    "region": reference.regions,
    "population": reference.population,
    "ppks_category": reference.categories,
}


def known_files(con: duckdb.DuckDBPyConnection) -> Known:
    rows = con.execute("SELECT source_file, sha256, status FROM ingest_file").fetchall()
    return Known(
        pairs=frozenset((name, sha) for name, sha, _ in rows),
        loaded_by_hash={sha: name for name, sha, status in sorted(rows) if status == "loaded"},
    )


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    columns = [
        c
        for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
    ]
    present = [c for c in columns if c in frame.columns]
    con.register("_incoming", frame.select(present))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def next_record_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(record_id), 0) + 1 FROM source_record").fetchone()[0]


def with_record_ids(frame: pl.DataFrame, first: int) -> pl.DataFrame:
    return frame.with_columns(
        pl.int_range(first, first + frame.height, dtype=pl.Int64).alias("record_id")
    )


def refresh_reference(con: duckdb.DuckDBPyConnection) -> None:
    for table, loader in REFERENCE_TABLES.items():
        con.execute(f"DELETE FROM {table}")
        insert_frame(con, table, loader())


def write_run_log(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    started_at: dt.datetime,
    inbox: str,
    counts: dict,
) -> None:
    persons = con.execute("SELECT count(*) FROM person").fetchone()[0]
    con.execute(
        """
        INSERT INTO run_log VALUES (?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            run_id,
            started_at,
            dt.datetime.now(),
            inbox,
            counts["files_seen"],
            counts["files_loaded"],
            counts["files_rejected"],
            counts["files_duplicate"],
            counts["files_skipped"],
            counts["rows_loaded"],
            counts["rows_rejected"],
            persons,
            json.dumps(counts, sort_keys=True, default=str),
        ],
    )
