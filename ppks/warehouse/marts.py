"""The analysts' model: core tables, marts and comments, rebuilt by every run.

`apply_model(con)` runs, in this order, every file of

- ``sql/04_core``: ppks_case, service_event, household_member (from person and source_record);
- ``sql/05_marts``: the mart_* tables;
- ``sql/06_comments``: column comments of tables and views defined elsewhere.

Call it inside the load step, after the golden record (``02_transforms``) and
the reference tables are refreshed, in the same transaction. Comments on an
object defined by another stage are applied one statement at a time and a
comment whose column no longer exists is skipped (the docs test then says
so) rather than failing the night.
"""

from __future__ import annotations

import logging
import re

import duckdb

from ppks.warehouse import schema

MODEL_FOLDERS = ("04_core", "05_marts")
COMMENT_FOLDER = "06_comments"

log = logging.getLogger(__name__)
_STATEMENT_END = re.compile(r";\s*(?:\n|$)")


def statements(text: str) -> list[str]:
    """The statements of a comments file (one per `;` at the end of a line)."""
    out = []
    for chunk in _STATEMENT_END.split(text):
        body = "\n".join(
            line for line in chunk.splitlines() if not line.strip().startswith("--")
        ).strip()
        if body:
            out.append(body)
    return out


def apply_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply sql/06_comments; returns the statements skipped because their target is gone."""
    skipped = []
    for path in schema.sql_files(COMMENT_FOLDER):
        for statement in statements(path.read_text(encoding="utf-8")):
            try:
                con.execute(statement)
            except (duckdb.CatalogException, duckdb.BinderException) as exc:
                skipped.append(f"{path.name}: {statement.splitlines()[0][:80]} ({exc})")
                log.warning("comment skipped, its target is gone: %s", skipped[-1])
    return skipped


def apply_model(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rebuild core tables and marts, then the comments. Returns skipped comments."""
    for folder in MODEL_FOLDERS:
        schema.apply(con, folder)
    return apply_comments(con)
