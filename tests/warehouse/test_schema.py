"""The table files are applied once as they are: a warehouse that holds them whole
(tables_current) is not written again every night, and one that lacks a table, or was
applied from other files, gets them again."""

from __future__ import annotations

import duckdb

from ppks.warehouse import schema


def comment_of(con, table: str):
    return con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table]
    ).fetchall()[0][0]


def test_applied_whole_the_table_files_are_current_and_not_applied_again(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert not schema.tables_current(con)
        assert schema.apply_tables(con) == []
        assert schema.tables_current(con)
        con.execute("COMMENT ON TABLE run_log IS 'an analyst''s note'")
        schema.apply_tables(con)  # current: nothing is written
        assert comment_of(con, "run_log") == "an analyst's note"


def test_a_dropped_table_or_other_files_are_applied_again(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        schema.apply_tables(con)
        wanted = comment_of(con, "run_log")
        con.execute("DROP TABLE run_log")
        assert not schema.tables_current(con)
        schema.apply_tables(con)
        assert comment_of(con, "run_log") == wanted

        # Applied by code whose table files differed (an older release): applied again.
        con.execute("COMMENT ON TABLE run_log IS 'old words'")
        con.execute(f"CREATE OR REPLACE MACRO {schema.APPLIED_MACRO}() AS 'older'")
        assert not schema.tables_current(con)
        schema.apply_tables(con)
        assert comment_of(con, "run_log") == wanted
        assert schema.tables_current(con)
