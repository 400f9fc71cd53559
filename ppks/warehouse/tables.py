"""Warehouse tables read and written by name: ingest_file as known files, inserts by
column name, record ids, the reference tables and the run_log row."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import polars as pl

from ppks import reference
from ppks.ingest.classify import Known
from ppks.warehouse import schema

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
    present = [c for c, _ in _columns(con, table) if c in frame.columns]
    con.register("_incoming", frame.select(present))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(name, type) of the table's columns, in order."""
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
        "ORDER BY column_index",
        [table],
    ).fetchall()


def insert_row(con: duckdb.DuckDBPyConnection, table: str, row: dict) -> None:
    """One row, by column name: a column added to the table never shifts the others."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


def next_record_id(con: duckdb.DuckDBPyConnection) -> int:
    """Above every id ever given: a row a corrected file replaced keeps its id in
    source_record_history, so a new row must never take it, not even when the replaced
    rows were the last loaded and the correction brought none."""
    return con.execute(
        "SELECT coalesce(greatest((SELECT max(record_id) FROM source_record), "
        "(SELECT max(record_id) FROM source_record_history)), 0) + 1"
    ).fetchone()[0]


def with_record_ids(frame: pl.DataFrame, first: int) -> pl.DataFrame:
    return frame.with_columns(
        pl.int_range(first, first + frame.height, dtype=pl.Int64).alias("record_id")
    )


def refresh_reference(con: duckdb.DuckDBPyConnection) -> bool:
    """The reference tables as the package's files say, written again only when they
    differ: rewritten every night, the regions' table and its key were written again
    by every night's checkpoint. Returns whether any was written (the marts, which
    name regions and categories and divide by the population, are then built whole)."""
    written = False
    for table, loader in REFERENCE_TABLES.items():
        frame = loader()
        if _holds(con, table, frame):
            continue
        con.execute(f"DELETE FROM {table}")
        insert_frame(con, table, frame)
        written = True
    return written


def _holds(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> bool:
    """Whether ``table`` holds exactly the rows that inserting ``frame`` into it empty
    would give (its other columns null)."""
    typed = _columns(con, table)
    given = [(c, t) for c, t in typed if c in frame.columns]
    others = [c for c, _ in typed if c not in frame.columns]
    table_side = ", ".join(f'"{c}"' for c, _ in given)
    frame_side = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in given)
    unset = " OR ".join(f'"{c}" IS NOT NULL' for c in others) or "false"
    con.register("_incoming", frame.select([c for c, _ in given]))
    try:
        differ = con.execute(
            f"SELECT EXISTS (SELECT {table_side} FROM {table} "
            f"EXCEPT ALL SELECT {frame_side} FROM _incoming) "
            f"OR EXISTS (SELECT {frame_side} FROM _incoming "
            f"EXCEPT ALL SELECT {table_side} FROM {table}) "
            f"OR EXISTS (SELECT 1 FROM {table} WHERE {unset})"
        ).fetchall()[0][0]
    finally:
        con.unregister("_incoming")
    return not differ


def ensure_run_log_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Columns added since the first warehouses were written (sql/ops/run_log.sql adds them)."""
    if not schema.tables_current(con):
        schema.apply_file(con, "ops/run_log.sql")


def write_run_log(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    started_at: dt.datetime,
    inbox: str,
    counts: dict,
    extra: dict | None = None,
) -> None:
    ensure_run_log_columns(con)
    # Counted by the night's link stage (link_run.persons), which no stage after it
    # changes: counting the distinct persons of every row again cost a quiet night
    # after two years a fifth of a second.
    linked = con.execute("SELECT persons FROM link_run WHERE run_id = ?", [run_id]).fetchall()
    persons = (
        linked[0][0]
        if linked
        else con.execute("SELECT count(DISTINCT person_id) FROM source_record").fetchall()[0][0]
    )
    extra = extra or {}
    row = {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": dt.datetime.now(),
        "status": "completed",
        "inbox": inbox,
        "files_seen": counts["files_seen"],
        "files_loaded": counts["files_loaded"],
        "files_rejected": counts["files_rejected"],
        "files_duplicate": counts["files_duplicate"],
        "files_skipped": counts["files_skipped"],
        "rows_loaded": counts["rows_loaded"],
        "rows_rejected": counts["rows_rejected"],
        "persons": persons,
        "counts_json": json.dumps(counts, sort_keys=True, default=str),
        "link_mode": extra.get("link_mode"),
        "stage_seconds": json.dumps(extra.get("stage_seconds") or {}, sort_keys=True),
        "peak_memory_mb": (extra.get("peak_memory_mb") or {}).get("process"),
        "peak_worker_memory_mb": (extra.get("peak_memory_mb") or {}).get("largest_child"),
    }
    insert_row(con, "run_log", row)


def complete_run_log(con: duckdb.DuckDBPyConnection, note: dict) -> None:
    """What a run could only know after its swap (its end, the last stages), written the
    next night: the published file is never written after the swap."""
    ensure_run_log_columns(con)
    con.execute(
        "UPDATE run_log SET published_at = ?, stage_seconds = ?, peak_memory_mb = ? "
        "WHERE run_id = ?",
        [
            note.get("published_at"),
            json.dumps(note.get("stage_seconds") or {}, sort_keys=True),
            note.get("peak_memory_mb"),
            note["run_id"],
        ],
    )
