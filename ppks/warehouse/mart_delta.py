"""The marts follow the night: each writes again only the rows of the keys that moved.

A mart (``sql/marts``) is built from counts the transforms keep night by night
(``sql/core``: the region, monthly and coverage counts, the quality counts by file,
the persons by kecamatan), the reference tables and ``ingest_file``. Rebuilt whole,
the five marts were about 0.65 s of CPU of a 1%-new provincial night, most of it
writing, compressing and checkpointing the 122,000 rows of ``mart_ppks_region`` (and
the 8,000 of ``mart_quality_reporter``, whose flag maps are costly to make) again
unchanged: a 1%-new night moves 2% of the one and 1% of the other.

The transforms that keep those counts leave, for each mart, the keys whose rows can
differ tonight in a TEMP table ``<mart>_moved`` (columns: `MOVED_KEYS`): the counts
whose sum moved (``transforms/mart_counts_after.sql``), the kecamatans that gained or
lost a person or whose files' rows came or left (``kecamatan_person_rows.sql``,
``quality_file_rows.sql``), the reporters of those files and of the files the run
added or replaced (``quality_file_rows.sql``). A mart's file restricts its first
step to those keys unless ``mart_whole()``; `apply_marts` then deletes the mart's
rows of those keys and inserts what its query gives for them. The mart's file stays
its one definition: the night runs the query of its ``CREATE OR REPLACE TABLE``
statement as an ``INSERT``.

A mart is built whole (its file as written, with its comments):

- when the table is missing (a first night, a new mart);
- when the reference tables changed tonight (names, population, categories: any row);
- when the rules changed: the SQL of the marts, macros, intermediate views and
  transforms, or this module (`rules`, kept in the warehouse as the macro
  ``ppks_marts_rules``: a warehouse from before it is built whole once);
- when the keys are not known (the model applied without the transforms);
- when the keys moved hold more than `MOVED_SHARE` of its rows (a month's night, a
  retrain): writing it whole is then cheaper and leaves no deleted rows behind.

The rows are the same either way (tests/warehouse/test_mart_delta.py, and
tests/flows/test_mart_nights.py through real nights); the order of a table's rows is
not: a night's rows come after the others. SQL gives no order without ORDER BY
(docs/warehouse.md).
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

import duckdb

from ppks.warehouse import schema

# The columns of each mart's `<mart>_moved` table: the keys of the rows a night writes
# again. A monthly row's running total reads the months before it, a coverage row's
# share the other rows of its region: their keys are the partition, not the row.
MOVED_KEYS = {
    "mart_ppks_monthly": ("tingkat", "kode", "ppks_kode"),
    "mart_ppks_region": ("tingkat", "kode", "ppks_kode"),
    "mart_quality_kecamatan": ("kode_kecamatan",),
    "mart_quality_reporter": ("source", "reporter_kode"),
    "mart_source_coverage": ("tingkat", "kode"),
}
# Past this share of a mart's rows moved, the mart is written whole.
MOVED_SHARE = 0.25
RULES_MACRO = "ppks_marts_rules"
# The folders whose SQL decides a mart's rows or the keys a night moves.
RULES_FOLDERS = ("marts", "macros", "intermediate", "transforms")

log = logging.getLogger(__name__)


def moved_table(mart: str) -> str:
    return f"{mart}_moved"


@functools.cache
def rules() -> str:
    """Fingerprint of what the marts are made with, besides the tables they read."""
    return schema.files_fingerprint(
        ((folder, path) for folder in RULES_FOLDERS for path in schema.sql_files(folder)),
        seed=Path(__file__).read_bytes(),
    )


def rules_current(con: duckdb.DuckDBPyConnection) -> bool:
    stored = con.execute(
        "SELECT macro_definition FROM duckdb_functions() "
        "WHERE function_name = ? AND database_name = current_database()",
        [RULES_MACRO],
    ).fetchall()
    return bool(stored) and rules() in str(stored[0][0])


def _temp_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        n
        for (n,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    }


def _main_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        n
        for (n,) in con.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE NOT temporary AND database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    }


def _whole(con: duckdb.DuckDBPyConnection, whole: bool) -> None:
    con.execute(f"CREATE OR REPLACE TEMP MACRO mart_whole() AS {'true' if whole else 'false'}")


def _moved_rows(mart: str) -> str:
    """The mart's rows whose key is among the moved (a key may be null: a kecamatan or
    reporter not known)."""
    match = " AND ".join(f"m.{k} IS NOT DISTINCT FROM t.{k}" for k in MOVED_KEYS[mart])
    return f"EXISTS (SELECT 1 FROM {moved_table(mart)} AS m WHERE {match})"


def _share(con: duckdb.DuckDBPyConnection, mart: str) -> float:
    """The share of the mart's rows that the keys moved would write again."""
    moved, rows = con.execute(
        f"SELECT count(*) FILTER (WHERE {_moved_rows(mart)}), count(*) FROM {mart} AS t"
    ).fetchall()[0]
    return moved / rows if rows else 1.0


def _query(mart: str, text: str) -> str:
    """The query of the mart file's ``CREATE OR REPLACE TABLE <mart> AS``."""
    statement = schema.statements(text)[0]
    head = re.compile(rf"^\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+{mart}\s+AS\s", re.I)
    if not head.match(statement):
        raise ValueError(f"{mart}: the file does not start with CREATE OR REPLACE TABLE ... AS")
    return head.sub("", statement, count=1)


def apply_marts(con: duckdb.DuckDBPyConnection, reference_changed: bool = True) -> list[str]:
    """Build every mart: the rows of the keys the night moved, or whole (see the module).
    Returns the comments skipped."""
    known = {moved_table(m) for m in MOVED_KEYS} <= _temp_tables(con)
    current = rules_current(con)
    whole_all = reference_changed or not current or not known
    for mart, keys in MOVED_KEYS.items():  # a whole build binds them too (mart_whole())
        columns = ", ".join(f"{k} VARCHAR" for k in keys)
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {moved_table(mart)} ({columns})")
    present = _main_tables(con)
    skipped: list[str] = []
    whole, written = [], []
    for path in schema.model_files("marts"):
        text = path.read_text(encoding="utf-8")
        mart = schema.defines(text)[1]
        if (
            whole_all
            or mart not in present
            or mart not in MOVED_KEYS
            or _share(con, mart) > MOVED_SHARE
        ):
            _whole(con, True)
            skipped += schema.execute_file(con, text, path.name)
            whole.append(mart)
        else:
            _whole(con, False)
            con.execute(f"DELETE FROM {mart} AS t WHERE {_moved_rows(mart)}")
            (rows,) = con.execute(f"INSERT INTO {mart} BY NAME {_query(mart, text)}").fetchone()
            written.append(f"{mart} {rows:,}")
    for mart in MOVED_KEYS:
        con.execute(f"DROP TABLE {moved_table(mart)}")
    con.execute("DROP MACRO mart_whole")
    if not current:
        con.execute(f"CREATE OR REPLACE MACRO {RULES_MACRO}() AS '{rules()}'")
    log.info(
        "marts: rows written again for the keys the night moved: %s; built whole: %s",
        ", ".join(written) or "none",
        ", ".join(whole) or "none",
    )
    return skipped
