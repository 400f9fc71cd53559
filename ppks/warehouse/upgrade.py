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
- ``person_link`` was keyed by its pair (record_id_l, record_id_r). DuckDB loads
  a key's index into memory to check an insert against it, and writes it whole
  at each checkpoint: after two years at provincial scale the index over 7.5
  million pairs was a few hundred megabytes of every night that scored a few
  thousand. The table now has no key (ppks.link.write keeps one row per pair).
"""

from __future__ import annotations

import duckdb

from ppks.warehouse import schema

INGEST_FILE_KEY = ["source_path", "sha256"]


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

    def by_path(old: str) -> None:
        # Files of a warehouse this old were read from the top of their source folder.
        con.execute(f"ALTER TABLE {old} ADD COLUMN IF NOT EXISTS source_path VARCHAR")
        con.execute(f"ALTER TABLE {old} ADD COLUMN IF NOT EXISTS rows_below_blank INTEGER")
        con.execute(
            f"UPDATE {old} SET source_path = source || '/' || source_file WHERE source_path IS NULL"
        )

    return _rebuild(con, "ingest_file", "staging/ingest_file.sql", by_path)


def upgrade_person_link_key(con: duckdb.DuckDBPyConnection) -> int | None:
    """person_link without its primary key; returns the pairs moved, None when nothing to do.

    Call outside a transaction: the rebuild is one transaction of its own.
    """
    if primary_key(con, "person_link") is None:
        return None
    return _rebuild(con, "person_link", "linkage/person_link.sql")


def _rebuild(con, table: str, sql_file: str, prepare=None) -> int:
    """Every row of ``table`` moved to the table its sql file makes today, in one
    transaction: the one way to change a key DuckDB has."""
    old = f"{table}_before_upgrade"
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"ALTER TABLE {table} RENAME TO {old}")
        if prepare is not None:
            prepare(old)
        con.execute(schema.sql_text(sql_file))
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {old}")
        before = con.execute(f"SELECT count(*) FROM {old}").fetchall()[0][0]
        after = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        if before != after:  # never expected: refuse rather than lose a row
            raise RuntimeError(f"{table} upgrade kept {after} of {before} rows")
        con.execute(f"DROP TABLE {old}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return after
