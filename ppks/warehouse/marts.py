"""The analysts' model: views and marts and their comments, rebuilt by every run.

`apply_model(con)` rebuilds, in the order of ``schema.MODEL_LAYERS``, every
model file (view or ``CREATE OR REPLACE`` table, each with its comments) of

- ``sql/linkage``: the views person_id_current and review_queue;
- ``sql/core``: the view household (the core tables person, ppks_case,
  service_event and household_member are kept up to date by ``sql/transforms``
  for the persons whose rows changed, before this);
- ``sql/intermediate``: TEMP views the marts share (never stored);
- ``sql/marts``: the mart_* tables, the rows of the keys the night moved or whole
  (ppks.warehouse.mart_delta);

then gives the history tables the comments of the tables they keep rows of.
Call it inside the load step, after the transforms and the reference tables are
refreshed, in the same transaction.
"""

from __future__ import annotations

import duckdb

from ppks.warehouse import schema
from ppks.warehouse.mart_delta import apply_marts
from ppks.warehouse.supersede import HISTORY


def history_comments(con: duckdb.DuckDBPyConnection) -> None:
    """A history table's column says what its current table's column says.

    Derived, not copied by hand: a column added to source_record later (and
    to its history by ppks.warehouse.supersede) is documented in one place.
    """
    for current, history in HISTORY.items():
        pairs = con.execute(
            """
            SELECT h.column_name, c.comment
            FROM duckdb_columns() AS h
            JOIN duckdb_columns() AS c
              ON c.table_name = ? AND c.column_name = h.column_name
             AND c.schema_name = h.schema_name AND c.database_name = h.database_name
            WHERE h.table_name = ? AND h.database_name = current_database()
              AND h.schema_name = 'main' AND c.comment IS NOT NULL
            ORDER BY h.column_index
            """,
            [current, history],
        ).fetchall()
        for column, comment in pairs:
            text = f"As {current}.{column}, for the row of the replaced file: {comment}"
            con.execute(f'COMMENT ON COLUMN {history}."{column}" IS {schema.literal(text)}')


def apply_model(con: duckdb.DuckDBPyConnection, reference_changed: bool = True) -> list[str]:
    """Rebuild the models (the marts: the rows the night moved, unless the reference
    tables changed or more; ppks.warehouse.mart_delta), then the derived comments.
    Returns the comments skipped."""
    layers = tuple(layer for layer in schema.MODEL_LAYERS if layer != "marts")
    skipped = schema.apply_models(con, layers)
    skipped += apply_marts(con, reference_changed)
    history_comments(con)
    return skipped
