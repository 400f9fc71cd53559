"""A corrected file replaces the earlier one: TKSK by kecamatan and month, PSM by desa;
a corrected SLRT export replaces the rows it corrects, by id_layanan.

`apply_supersedes(con, run_id)` runs inside the load step, after this run's
rows are inserted and before persons are linked, in the same transaction:

- loaded files (``ingest_file.status = 'loaded'``) are grouped by what they
  report on: ``tksk:<kode_kecamatan>:<YYYY-MM>`` (title block) or
  ``psm:<kode_desa>``; SLRT exports are never replaced (a re-export repeats
  service events, which the warehouse already counts once);
- only groups that hold a file of this run are looked at (older groups were
  settled by older runs); in each, the newest file stays and every other file
  becomes ``superseded``: its rows move from ``source_record`` and
  ``rejected_row`` to ``source_record_history`` and ``rejected_row_history``,
  and ``file_supersede`` says by which file, in which run;
- newest means: loaded by a later run; within one run, the file modified last
  in the inbox (when the inbox is given), then a name that says it is a
  correction (``revisi``, ``perbaikan``, ``update``, ...), then the name.
  A file whose bytes are those of an already superseded file (an old version
  sent again under a new name) never wins.

SLRT exports are replaced row by row (``ppks.warehouse.supersede_rows``): a
row of a newer export whose id_layanan is already loaded, with other values
for the person or the event (a name or NIK fixed in the application), moves
the older row to ``source_record_history`` with a reason; a plain re-export
(same values, perhaps a newer status) leaves both rows loaded, as SOURCES.md
says.

`note_in_run_log(con, run_id, superseded)` adds the outcome to the run's
``run_log.counts_json`` (``files_superseded`` and the list), after
``write_run_log``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from ppks.warehouse import schema, supersede_rows
from ppks.warehouse.newness import file_newness
from ppks.warehouse.tables import insert_row

HISTORY = {"source_record": "source_record_history", "rejected_row": "rejected_row_history"}

KEY_SQL = """
CASE
  WHEN source = 'tksk' AND kode_kecamatan IS NOT NULL AND bulan_laporan IS NOT NULL
    THEN 'tksk:' || kode_kecamatan || ':' || strftime(bulan_laporan, '%Y-%m')
  WHEN source = 'psm' AND kode_desa IS NOT NULL
    THEN 'psm:' || kode_desa
END
"""


@dataclass(frozen=True)
class Superseded:
    source: str
    source_file: str
    sha256: str
    superseded_by: str
    superseded_by_sha256: str
    replace_key: str
    rows_moved: int
    rejected_rows_moved: int


def _ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """History tables exist and have every column of their current table."""
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if not {"file_supersede", *HISTORY.values()} <= names:
        schema.apply_tables(con)
    for current, history in HISTORY.items():
        have = {c for (c,) in con.execute(_COLUMNS, [history]).fetchall()}
        wanted = [
            *con.execute(_TYPED_COLUMNS, [current]).fetchall(),
            *_HISTORY_ONLY[history].items(),
        ]
        for column, dtype in wanted:
            if column not in have:
                con.execute(f'ALTER TABLE {history} ADD COLUMN "{column}" {dtype}')


# Columns of the history tables that came after them (a warehouse made before gets them here).
_HISTORY_ONLY = {
    "source_record_history": {"superseded_reason": "VARCHAR", "superseded_by_record_id": "BIGINT"},
    "rejected_row_history": {"superseded_reason": "VARCHAR"},
}


_COLUMNS = "SELECT column_name FROM duckdb_columns() WHERE table_name = ?"
_TYPED_COLUMNS = (
    "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index"
)


def _candidates(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, list[tuple]]:
    rows = con.execute(
        f"""
        WITH f AS (
          SELECT source, source_file, sha256, run_id, ingested_at, {KEY_SQL} AS replace_key
          FROM ingest_file WHERE status = 'loaded'
        )
        SELECT replace_key, source, source_file, sha256, run_id, ingested_at FROM f
        WHERE replace_key IN (SELECT replace_key FROM f WHERE run_id = ?)
        ORDER BY replace_key, source_file
        """,
        [run_id],
    ).fetchall()
    groups: dict[str, list[tuple]] = {}
    for key, *rest in rows:
        groups.setdefault(key, []).append(tuple(rest))
    return {k: v for k, v in groups.items() if len(v) > 1}


def apply_supersedes(
    con: duckdb.DuckDBPyConnection, run_id: str, inbox: Path | str | None = None
) -> list[Superseded]:
    """Replace earlier files, then earlier SLRT rows, by this run's corrections.

    Returns the files replaced; the rows replaced are in source_record_history.
    """
    _ensure_tables(con)
    now = dt.datetime.now()
    out = _replace_files(con, run_id, inbox, now)
    supersede_rows.replace_corrected_rows(con, run_id, inbox, now)
    return out


def _replace_files(con, run_id: str, inbox, now: dt.datetime) -> list[Superseded]:
    groups = _candidates(con, run_id)
    if not groups:
        return []
    newness = file_newness(con, run_id, inbox, [f for files in groups.values() for f in files])
    out: list[Superseded] = []
    for key, files in sorted(groups.items()):
        ordered = sorted(files, key=newness)
        winner = ordered[-1]
        for source, name, sha, _, _ in ordered[:-1]:
            moved = {}
            reason = _reason(key, winner[1])
            for current, history in HISTORY.items():
                moved[current] = _move_rows(
                    con, current, history, name, sha, winner, run_id, now, reason
                )
            con.execute(
                "UPDATE ingest_file SET status = 'superseded', reason = ? "
                "WHERE source_file = ? AND sha256 = ?",
                [reason, name, sha],
            )
            item = Superseded(
                source,
                name,
                sha,
                winner[1],
                winner[2],
                key,
                moved["source_record"],
                moved["rejected_row"],
            )
            insert_row(
                con, "file_supersede", {**asdict(item), "run_id": run_id, "superseded_at": now}
            )
            out.append(item)
    return out


def _move_rows(con, current, history, name, sha, winner, run_id, now, reason) -> int:
    where = "source_file = ? AND file_sha256 = ?"
    n = con.execute(f"SELECT count(*) FROM {current} WHERE {where}", [name, sha]).fetchall()[0][0]
    if n:
        con.execute(
            f"INSERT INTO {history} BY NAME SELECT *, ? AS superseded_by, "
            f"? AS superseded_by_sha256, ? AS superseded_run_id, ? AS superseded_at, "
            f"? AS superseded_reason FROM {current} WHERE {where}",
            [winner[1], winner[2], run_id, now, reason, name, sha],
        )
        con.execute(f"DELETE FROM {current} WHERE {where}", [name, sha])
    return n


def _reason(key: str, by: str) -> str:
    what = "kecamatan dan bulan" if key.startswith("tksk:") else "desa"
    return f"replaced by the corrected file '{by}' (same {what}: {key.split(':', 1)[1]})"


def note_in_run_log(
    con: duckdb.DuckDBPyConnection, run_id: str, superseded: list[Superseded]
) -> None:
    """Add ``files_superseded`` and the list to the run's counts_json (after write_run_log)."""
    row = con.execute("SELECT counts_json FROM run_log WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        return
    counts = json.loads(row[0] or "{}")
    _ensure_tables(con)  # a night with no file did not call apply_supersedes
    counts["files_superseded"] = len(superseded)
    counts["rows_superseded"] = supersede_rows.replaced_in_run(con, run_id)
    counts["superseded"] = [
        {"file": s.source_file, "by": s.superseded_by, "key": s.replace_key, "rows": s.rows_moved}
        for s in superseded
    ]
    con.execute(
        "UPDATE run_log SET counts_json = ? WHERE run_id = ?",
        [json.dumps(counts, sort_keys=True, default=str), run_id],
    )
