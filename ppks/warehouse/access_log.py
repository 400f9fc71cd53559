"""subject_access_log: who looked up whom, appended to the warehouse, never lost.

`ppks subject` appends to the table when it can open the warehouse for
writing. Readers (an analyst's read-only DuckDB session) prevent that, and a
subject request must not wait for them: then the line goes to a pending file
beside the warehouse (``<warehouse>.access-log``, JSON lines, 0600), which the
next session that can write (the next ``ppks subject``, or the next night's
copy in `ppks.warehouse.build.start_copy`) moves into the table. Both writers
hold the run lock, so no line is appended while a night imports the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from ppks.ops.private import FILE_MODE
from ppks.warehouse import schema

LOG_SQL = "ops/subject_access_log.sql"
COLUMNS = ("accessed_at", "requested_by", "os_user", "host", "query", "exported_to", "found")


def pending_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".access-log")


def append_pending(warehouse: Path, entry: dict) -> None:
    fd = os.open(pending_path(warehouse), os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, default=str, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def insert(con: duckdb.DuckDBPyConnection, entries: list[dict]) -> None:
    schema.apply_file(con, LOG_SQL)  # warehouses made before the table
    for entry in entries:
        con.execute(
            f"INSERT INTO subject_access_log ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [entry[c] for c in COLUMNS],
        )


def pending(warehouse: Path) -> list[dict]:
    path = pending_path(warehouse)
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def move_pending(con: duckdb.DuckDBPyConnection, warehouse: Path) -> int:
    """Insert the pending lines on ``con`` (the warehouse or its copy); the caller removes them."""
    entries = pending(warehouse)
    if entries:
        insert(con, entries)
    return len(entries)
