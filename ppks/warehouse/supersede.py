"""A corrected file replaces the earlier one: TKSK by kecamatan and month, PSM by desa.

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

`note_in_run_log(con, run_id, superseded)` adds the outcome to the run's
``run_log.counts_json`` (``files_superseded`` and the list), after
``write_run_log``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from ppks.warehouse import schema
from ppks.warehouse.tables import insert_row

HISTORY = {"source_record": "source_record_history", "rejected_row": "rejected_row_history"}
_CORRECTION_WORDS = re.compile(
    r"revisi|rev\b|_rev|perbaikan|koreksi|update|final|terbaru|\(\d+\)|ulang", re.IGNORECASE
)

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
        for column, dtype in con.execute(_TYPED_COLUMNS, [current]).fetchall():
            if column not in have:
                con.execute(f'ALTER TABLE {history} ADD COLUMN "{column}" {dtype}')


_COLUMNS = "SELECT column_name FROM duckdb_columns() WHERE table_name = ?"
_TYPED_COLUMNS = (
    "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index"
)


def _mtimes(inbox: Path | None, files: list[tuple[str, str]]) -> dict[str, float]:
    if inbox is None:
        return {}
    out = {}
    for source, name in files:
        folder = Path(inbox) / source
        for path in folder.rglob(name) if folder.is_dir() else ():
            if path.is_file():
                out[name] = max(out.get(name, 0.0), path.stat().st_mtime)
    return out


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
    """Replace earlier files by this run's corrections; returns what was replaced."""
    _ensure_tables(con)
    groups = _candidates(con, run_id)
    if not groups:
        return []
    old_shas = {s for (s,) in con.execute("SELECT sha256 FROM file_supersede").fetchall()}
    mtimes = _mtimes(
        Path(inbox) if inbox else None,
        [(f[0], f[1]) for files in groups.values() for f in files if f[3] == run_id],
    )

    def newness(f: tuple) -> tuple:
        _source, name, sha, file_run, ingested_at = f
        return (
            sha not in old_shas,
            ingested_at,
            file_run,
            mtimes.get(name, 0.0) if file_run == run_id else 0.0,
            bool(_CORRECTION_WORDS.search(Path(name).stem)),
            len(name),
            name,
        )

    now = dt.datetime.now()
    out: list[Superseded] = []
    for key, files in sorted(groups.items()):
        ordered = sorted(files, key=newness)
        winner = ordered[-1]
        for source, name, sha, _, _ in ordered[:-1]:
            moved = {}
            for current, history in HISTORY.items():
                moved[current] = _move_rows(con, current, history, name, sha, winner, run_id, now)
            con.execute(
                "UPDATE ingest_file SET status = 'superseded', reason = ? "
                "WHERE source_file = ? AND sha256 = ?",
                [_reason(key, winner[1]), name, sha],
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


def _move_rows(con, current, history, name, sha, winner, run_id, now) -> int:
    where = "source_file = ? AND file_sha256 = ?"
    n = con.execute(f"SELECT count(*) FROM {current} WHERE {where}", [name, sha]).fetchone()[0]
    if n:
        con.execute(
            f"INSERT INTO {history} BY NAME SELECT *, ? AS superseded_by, "
            f"? AS superseded_by_sha256, ? AS superseded_run_id, ? AS superseded_at "
            f"FROM {current} WHERE {where}",
            [winner[1], winner[2], run_id, now, name, sha],
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
    counts["files_superseded"] = len(superseded)
    counts["superseded"] = [
        {"file": s.source_file, "by": s.superseded_by, "key": s.replace_key, "rows": s.rows_moved}
        for s in superseded
    ]
    con.execute(
        "UPDATE run_log SET counts_json = ? WHERE run_id = ?",
        [json.dumps(counts, sort_keys=True, default=str), run_id],
    )
