"""The project's SQL: one file per object, in folders named for their layer.

The SQL lives in ``sql/`` at the top of the repository and is installed as
the package data ``ppks.sql`` (pyproject.toml maps one onto the other), so it
is read through importlib.resources and works from a wheel as from a
checkout. Every reader of SQL goes through this module. ``sql/README.md``
says what each folder holds; the order things are applied in is here:

- ``apply_tables`` (the prepare stage, before anything is loaded): every
  *table file* of ``TABLE_LAYERS``, layer by layer, files in name order. A
  table file creates its table ``IF NOT EXISTS`` (the night fills it), with
  any migration of older warehouses, then its comments. Once they all applied
  without a skipped comment, the warehouse keeps their fingerprint (the macro
  ``ppks_table_files_applied``) and later nights skip them until a file changes
  or a table is missing (`tables_current`).
- ``apply_models`` (after linkage, see ppks.warehouse.write_steps.build_model): every
  *model file* of the layers asked for. A model file ``CREATE OR REPLACE``s
  its view or table from the tables, then its comments; ``intermediate``
  models are TEMP views, shared by the marts and never stored.
- ``apply(con, folder)``: every file of a folder, whatever it holds
  (``macros``, ``transforms``).

A COMMENT whose target column is gone (a warehouse older than the column,
before the code that adds it has run) is skipped with a warning rather than
failing the night; the comment-coverage test says so.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from importlib import resources
from importlib.resources.abc import Traversable

import duckdb

# Layers holding tables the night fills, in the order their tables are created
# (history tables copy the columns of the staging tables before them).
TABLE_LAYERS = ("staging", "reference", "ops", "linkage", "core", "edition")
# Layers holding models rebuilt from the tables every night, in build order.
MODEL_LAYERS = ("linkage", "core", "intermediate", "marts")

log = logging.getLogger(__name__)
_STATEMENT_END = re.compile(r";\s*(?:\n|$)")
_CREATE = re.compile(
    r"^\s*CREATE\s+(?P<replace>OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?"
    r"(?P<kind>TABLE|VIEW|MACRO)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>\w+)",
    re.I | re.M,
)


def literal(text: str | None) -> str:
    """``text`` as a SQL string literal (NULL for None), for what DuckDB takes only as
    text: ATTACH paths, COMMENT ON, constant lists."""
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"


def sql_root() -> Traversable:
    return resources.files("ppks.sql")


def sql_files(folder: str) -> list[Traversable]:
    """The ``*.sql`` files of one folder (e.g. ``staging``), in name order."""
    path = sql_root() / folder
    if not path.is_dir():
        raise FileNotFoundError(f"SQL folder missing from the installed package: ppks/sql/{folder}")
    return sorted((p for p in path.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)


def sql_text(relpath: str) -> str:
    """The text of one SQL file, e.g. ``sql_text("linkage/link_run.sql")``."""
    return (sql_root() / relpath).read_text(encoding="utf-8")


def defines(text: str) -> tuple[str, str, bool]:
    """(kind, name, is_table_file) of the first object a file creates."""
    match = _CREATE.search(text)
    if match is None:
        raise ValueError("no CREATE TABLE/VIEW/MACRO in the file")
    kind = match["kind"].upper()
    return kind, match["name"], kind == "TABLE" and not match["replace"]


def table_files(layer: str) -> list[Traversable]:
    return [p for p in sql_files(layer) if defines(p.read_text(encoding="utf-8"))[2]]


def model_files(layer: str) -> list[Traversable]:
    return [p for p in sql_files(layer) if not defines(p.read_text(encoding="utf-8"))[2]]


def statements(text: str) -> list[str]:
    """The statements of a file (one per `;` at the end of a line), without `--` lines."""
    out = []
    for chunk in _STATEMENT_END.split(text):
        body = "\n".join(
            line for line in chunk.splitlines() if not line.strip().startswith("--")
        ).strip()
        if body:
            out.append(body)
    return out


def execute_file(con: duckdb.DuckDBPyConnection, text: str, name: str = "") -> list[str]:
    """Run a file statement by statement; returns the comments skipped (target gone)."""
    skipped = []
    for statement in statements(text):
        if not statement.upper().startswith("COMMENT ON"):
            con.execute(statement)
            continue
        try:
            con.execute(statement)
        except (duckdb.CatalogException, duckdb.BinderException) as exc:
            skipped.append(f"{name}: {statement.splitlines()[0][:80]} ({exc})")
            log.warning("comment skipped, its target is gone: %s", skipped[-1])
    return skipped


def apply_file(con: duckdb.DuckDBPyConnection, relpath: str) -> list[str]:
    return execute_file(con, sql_text(relpath), relpath)


def _run(con: duckdb.DuckDBPyConnection, paths: list[Traversable]) -> list[str]:
    skipped = []
    for path in paths:
        skipped += execute_file(con, path.read_text(encoding="utf-8"), path.name)
    return skipped


def apply(con: duckdb.DuckDBPyConnection, folder: str) -> list[str]:
    """Every file of one folder, in name order."""
    return _run(con, sql_files(folder))


def apply_tables(
    con: duckdb.DuckDBPyConnection, layers: tuple[str, ...] = TABLE_LAYERS
) -> list[str]:
    """Create the tables of these layers that are missing; (re)apply their comments.

    Nothing to do when the warehouse says the table files were applied as they are
    now (`tables_current`): their 300 comments cost half a second, every night.
    """
    if layers == TABLE_LAYERS and tables_current(con):
        return []
    skipped = _run(con, [p for layer in layers for p in table_files(layer)])
    if layers == TABLE_LAYERS and not skipped:  # a skipped comment is tried again next time
        con.execute(f"CREATE OR REPLACE MACRO {APPLIED_MACRO}() AS '{table_files_fingerprint()}'")
    return skipped


# A macro stored in the warehouse: the fingerprint of the table files last applied whole.
APPLIED_MACRO = "ppks_table_files_applied"


@functools.cache
def table_files_fingerprint() -> str:
    """Changes when any table file changes (a table, a column, a migration, a comment).

    Once per process: the files are the installed package's, and a night asks three
    or four times (reading and hashing 40 files each time)."""
    return files_fingerprint((layer, path) for layer in TABLE_LAYERS for path in table_files(layer))


def files_fingerprint(files, seed: bytes = b"") -> str:
    """Fingerprint of SQL files given as (folder, path): their names and texts, after `seed`."""
    digest = hashlib.sha256(seed)
    for folder, path in files:
        digest.update(f"{folder}/{path.name}\n".encode())
        digest.update(path.read_text(encoding="utf-8").encode())
    return digest.hexdigest()[:16]


@functools.cache
def _tables_wanted() -> frozenset[str]:
    return frozenset(
        defines(p.read_text(encoding="utf-8"))[1]
        for layer in TABLE_LAYERS
        for p in table_files(layer)
    )


def tables_current(con: duckdb.DuckDBPyConnection) -> bool:
    """The table files were applied whole as they are now, and every table they create exists.

    (A table dropped by hand since is created again: the files are applied again.)
    """
    applied = con.execute(
        "SELECT macro_definition FROM duckdb_functions() WHERE function_name = ?", [APPLIED_MACRO]
    ).fetchall()
    if not applied or table_files_fingerprint() not in str(applied[0][0]):
        return False
    have = {n for (n,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return _tables_wanted() <= have


def apply_models(
    con: duckdb.DuckDBPyConnection, layers: tuple[str, ...] = MODEL_LAYERS
) -> list[str]:
    """Rebuild the views and tables of these layers from the tables, with their comments."""
    return _run(con, [p for layer in layers for p in model_files(layer)])
