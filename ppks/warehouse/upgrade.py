"""A warehouse made by an older version, brought to today's shape by the night that opens it.

Added columns need no code here: the ``sql/`` table files add them with
``ADD COLUMN IF NOT EXISTS`` every night. What DuckDB cannot change in place
is a primary key, so a table whose key changed is rebuilt here, once, on the
night's private copy (a failed night leaves the live file as it was):

- ``ingest_file`` was keyed by (source_file, sha256) until files were keyed by
  their path in the inbox: the same name in two subfolders of a source folder
  (``tksk/x.xlsx`` and ``tksk/arsip/x.xlsx``, same bytes) violated that key and
  failed every night until the warehouse was rebuilt. Its rows move, all of
  them, to a table with today's key (source_path, sha256).
"""

from __future__ import annotations

import duckdb

from ppks.warehouse import schema

INGEST_FILE_KEY = ["source_path", "sha256"]
_OLD = "ingest_file_before_path_key"


def primary_key(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    rows = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
        [table],
    ).fetchall()
    return list(rows[0][0]) if rows else None


def upgrade_ingest_file_key(con: duckdb.DuckDBPyConnection) -> int | None:
    """Rekey an older ingest_file by path; returns the rows moved, None when nothing to do.

    Call outside a transaction: the rebuild is one transaction of its own.
    """
    key = primary_key(con, "ingest_file")
    if key is None or key == INGEST_FILE_KEY:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"ALTER TABLE ingest_file RENAME TO {_OLD}")
        # Files of a warehouse this old were read from the top of their source folder.
        con.execute(f"ALTER TABLE {_OLD} ADD COLUMN IF NOT EXISTS source_path VARCHAR")
        con.execute(f"ALTER TABLE {_OLD} ADD COLUMN IF NOT EXISTS rows_below_blank INTEGER")
        con.execute(
            f"UPDATE {_OLD} SET source_path = source || '/' || source_file "
            "WHERE source_path IS NULL"
        )
        con.execute(schema.sql_text("staging/ingest_file.sql"))
        con.execute(f"INSERT INTO ingest_file BY NAME SELECT * FROM {_OLD}")
        before = con.execute(f"SELECT count(*) FROM {_OLD}").fetchall()[0][0]
        after = con.execute("SELECT count(*) FROM ingest_file").fetchall()[0][0]
        if before != after:  # never expected: refuse rather than lose a file's record
            raise RuntimeError(f"ingest_file upgrade kept {after} of {before} rows")
        con.execute(f"DROP TABLE {_OLD}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return after
