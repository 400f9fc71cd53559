"""A corrected SLRT export replaces the rows it corrects, one id_layanan at a time.

An SLRT export is one row per service event, and ``id_layanan`` is the
event's id in the application (SOURCES.md). When an operator fixes a name or
a NIK in the application and the office exports again, the new export carries
the same id_layanan with the right values; keeping the old row beside it
would make a second, phantom person of the wrong values.

`replace_corrected_rows(con, run_id, inbox, now)` runs in the load step, after
file-level supersedes and before linkage, in the same transaction. For every
id_layanan that this run loaded and that has more than one loaded row:

- the newest row wins: the row of the newest file (the order of
  ``ppks.warehouse.newness``: a later run, then the file modified last, a name
  that says it is a correction, ...), then the lower row in the file; a row
  whose values are those of a row already replaced for that id_layanan (an
  old export sent late) never wins;
- every other row whose values about the person or the event differ from the
  winner's (COMPARED) moves from ``source_record`` to
  ``source_record_history`` with the reason, the winning file and the winning
  row (``superseded_by_record_id``); nothing is deleted;
- a plain re-export (the same values, perhaps a newer ``status_rujukan``)
  leaves both rows loaded and linked to the same person, as SOURCES.md says;
  ``service_event`` counts the event once.

The status, programme, complaint and officer are not compared: the
application advances the status between exports, and none of them says who
was served (``service_event`` takes them from the most advanced row).
Rejected rows (``rejected_row``) have no id_layanan column and stay as they
are: they never made a person.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

from ppks.warehouse.newness import file_newness

# What the operator typed about the person and the event; a difference is a correction.
COMPARED = (
    "nama",
    "nik",
    "kk",
    "jenis_kelamin",
    "tanggal_lahir",
    "alamat",
    "kode_desa",
    "ppks_kode",
    "tanggal_kegiatan",
)
# An export opened in Excel turns a 16-digit id into a number that ends in 0: the
# same id, not a correction, when the first 15 digits agree.
_EXCEL_FLAG = {"nik": "nik_excel_damaged", "kk": "kk_excel_damaged"}

_CANDIDATES = f"""
WITH mine AS (
  SELECT DISTINCT id_layanan FROM source_record
  WHERE run_id = $run AND source = 'slrt' AND id_layanan IS NOT NULL
),
r AS (
  SELECT record_id, id_layanan, source_file, file_sha256, row_number, flags,
         {", ".join(COMPARED)}
  FROM source_record
  WHERE source = 'slrt' AND id_layanan IN (SELECT id_layanan FROM mine)
)
SELECT * FROM r
WHERE id_layanan IN (SELECT id_layanan FROM r GROUP BY id_layanan HAVING count(*) > 1)
ORDER BY id_layanan, record_id
"""


def replace_corrected_rows(
    con: duckdb.DuckDBPyConnection, run_id: str, inbox: Path | str | None, now: dt.datetime
) -> int:
    """Move the rows this run's SLRT exports correct to history; returns how many moved."""
    rows = con.sql(_CANDIDATES, params={"run": run_id}).pl()
    if rows.is_empty():
        return 0
    rank = _file_rank(con, run_id, inbox, rows)
    replaced_before = _replaced_values(con, rows.get_column("id_layanan").unique().to_list())
    moves = []
    for group in rows.partition_by("id_layanan", maintain_order=True):
        members = group.to_dicts()
        id_layanan = members[0]["id_layanan"]
        stale = replaced_before.get(id_layanan, set())
        winner = max(
            members,
            key=lambda r: (
                _values(r) not in stale,
                rank.get((r["source_file"], r["file_sha256"]), -1),
                r["row_number"],
            ),
        )
        for row in members:
            differ = [c for c in COMPARED if row is not winner and not _same(c, row, winner)]
            if differ:
                moves.append(_move(row, winner, differ))
    if moves:
        _to_history(con, pl.DataFrame(moves), run_id, now)
    return len(moves)


def _file_rank(con, run_id, inbox, rows: pl.DataFrame) -> dict[tuple[str, str], int]:
    """0 for the oldest file of these rows, upwards to the newest."""
    keys = rows.select("source_file", "file_sha256").unique()
    con.register("_row_files", keys)
    try:
        files = con.execute(
            "SELECT f.source, f.source_file, f.sha256, f.run_id, max(f.ingested_at) "
            "FROM ingest_file AS f JOIN _row_files AS k "
            "ON f.source_file = k.source_file AND f.sha256 = k.file_sha256 "
            "WHERE f.status = 'loaded' GROUP BY ALL"
        ).fetchall()
    finally:
        con.unregister("_row_files")
    ordered = sorted(files, key=file_newness(con, run_id, inbox, files))
    return {(f[1], f[2]): i for i, f in enumerate(ordered)}


def _replaced_values(con, ids: list[str]) -> dict[str, set[tuple]]:
    """The values of rows already replaced by a correction, by id_layanan."""
    con.register("_ids", pl.DataFrame({"id_layanan": ids}, schema={"id_layanan": pl.String}))
    try:
        old = con.sql(
            f"SELECT id_layanan, flags, {', '.join(COMPARED)} FROM source_record_history "
            "WHERE superseded_by_record_id IS NOT NULL "
            "AND id_layanan IN (SELECT id_layanan FROM _ids)"
        ).pl()
    finally:
        con.unregister("_ids")
    out: dict[str, set[tuple]] = {}
    for row in old.iter_rows(named=True):
        out.setdefault(row["id_layanan"], set()).add(_values(row))
    return out


def _values(row: dict) -> tuple:
    return tuple(row[c] for c in COMPARED)


def _same(column: str, a: dict, b: dict) -> bool:
    if a[column] == b[column]:
        return True
    flag = _EXCEL_FLAG.get(column)
    if flag is None or a[column] is None or b[column] is None:
        return False
    damaged = flag in (a["flags"] or []) or flag in (b["flags"] or [])
    return damaged and a[column][:15] == b[column][:15]


def _move(row: dict, winner: dict, differ: list[str]) -> dict:
    return {
        "record_id": row["record_id"],
        "superseded_by": winner["source_file"],
        "superseded_by_sha256": winner["file_sha256"],
        "superseded_by_record_id": winner["record_id"],
        "superseded_reason": (
            f"replaced by row {winner['row_number']} of the corrected export "
            f"'{winner['source_file']}' (same id_layanan {row['id_layanan']}; "
            f"{', '.join(differ)} corrected)"
        ),
    }


def _to_history(con, moves: pl.DataFrame, run_id: str, now: dt.datetime) -> None:
    con.register("_replaced", moves)
    try:
        con.execute(
            "INSERT INTO source_record_history BY NAME "
            "SELECT r.*, x.superseded_by, x.superseded_by_sha256, x.superseded_by_record_id, "
            "x.superseded_reason, $run AS superseded_run_id, $now AS superseded_at "
            "FROM source_record AS r JOIN _replaced AS x USING (record_id)",
            {"run": run_id, "now": now},
        )
        con.execute(
            "DELETE FROM source_record WHERE record_id IN (SELECT record_id FROM _replaced)"
        )
    finally:
        con.unregister("_replaced")


def replaced_in_run(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Rows a corrected SLRT export replaced in this run (for the run log)."""
    return con.execute(
        "SELECT count(*) FROM source_record_history "
        "WHERE superseded_run_id = ? AND superseded_by_record_id IS NOT NULL",
        [run_id],
    ).fetchall()[0][0]
