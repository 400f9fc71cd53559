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
    rows = rows.join(
        _file_rank(con, run_id, inbox, rows), on=["source_file", "file_sha256"], how="left"
    ).with_columns(
        pl.col("file_rank").fill_null(-1),
        _fresh(rows, _replaced_values(con, rows.get_column("id_layanan").unique().to_list())),
    )
    # Sorted oldest first, so the last row of each id_layanan is its winner.
    winners = (
        rows.sort("fresh", "file_rank", "row_number")
        .group_by("id_layanan", maintain_order=True)
        .last()
        .select(pl.all().name.prefix("w_"))
    )
    paired = rows.join(winners, left_on="id_layanan", right_on="w_id_layanan")
    corrected = [pl.when(_differs(c)).then(pl.lit(c)) for c in COMPARED]
    moves = (
        paired.filter(pl.col("record_id") != pl.col("w_record_id"))
        .with_columns(corrected=pl.concat_list(corrected).list.drop_nulls().list.join(", "))
        .filter(pl.col("corrected") != "")
        .select(
            "record_id",
            superseded_by=pl.col("w_source_file"),
            superseded_by_sha256=pl.col("w_file_sha256"),
            superseded_by_record_id=pl.col("w_record_id"),
            superseded_reason=pl.format(
                "replaced by row {} of the corrected export '{}' "
                "(same id_layanan {}; {} corrected)",
                "w_row_number",
                "w_source_file",
                "id_layanan",
                "corrected",
            ),
        )
    )
    if moves.height:
        _to_history(con, moves, run_id, now)
    return moves.height


def _file_rank(con, run_id, inbox, rows: pl.DataFrame) -> pl.DataFrame:
    """file_rank: 0 for the oldest file of these rows, upwards to the newest."""
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
    return pl.DataFrame(
        {
            "source_file": [f[1] for f in ordered],
            "file_sha256": [f[2] for f in ordered],
            "file_rank": list(range(len(ordered))),
        },
        schema={"source_file": pl.String, "file_sha256": pl.String, "file_rank": pl.Int64},
    )


def _fresh(rows: pl.DataFrame, replaced_before: dict[str, set[tuple]]) -> pl.Series:
    """False for a row whose values are those of a row already replaced (an old export late)."""
    if not replaced_before:
        return pl.Series("fresh", [True] * rows.height)
    return pl.Series(
        "fresh",
        [
            _values(r) not in replaced_before.get(r["id_layanan"], ())
            for r in rows.select("id_layanan", *COMPARED).iter_rows(named=True)
        ],
    )


def _replaced_values(con, ids: list[str]) -> dict[str, set[tuple]]:
    """The values of rows already replaced by a correction, by id_layanan."""
    con.register("_ids", pl.DataFrame({"id_layanan": ids}, schema={"id_layanan": pl.String}))
    try:
        old = con.sql(
            f"SELECT id_layanan, {', '.join(COMPARED)} FROM source_record_history "
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


def _differs(column: str) -> pl.Expr:
    """The row's value is not the winner's (a NIK or KK that Excel rounded is the same one)."""
    mine, theirs = pl.col(column), pl.col(f"w_{column}")
    differs = ~mine.eq_missing(theirs)
    flag = _EXCEL_FLAG.get(column)
    if flag is None:
        return differs
    damaged = pl.col("flags").list.contains(flag) | pl.col("w_flags").list.contains(flag)
    same_15 = mine.str.slice(0, 15) == theirs.str.slice(0, 15)
    return differs & ~(damaged.fill_null(False) & same_15.fill_null(False))


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
