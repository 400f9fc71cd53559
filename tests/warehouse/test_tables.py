"""Reference tables refreshed from the package's files: written only when they differ."""

from __future__ import annotations

import shutil

import duckdb

from ppks.warehouse import tables


def rowids(con, table: str) -> list[int]:
    return [r for (r,) in con.execute(f"SELECT rowid FROM {table} ORDER BY rowid").fetchall()]


def contents(con, table: str) -> list[tuple]:
    return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=str)


def test_reference_tables_as_the_files_say_are_left_as_they_are(built, tmp_path):
    copy = tmp_path / "wh.duckdb"
    shutil.copyfile(built.warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        before = {t: (rowids(con, t), contents(con, t)) for t in tables.REFERENCE_TABLES}
        tables.refresh_reference(con)
        # Not deleted and inserted again (rows inserted again get new rowids).
        assert {t: (rowids(con, t), contents(con, t)) for t in tables.REFERENCE_TABLES} == before


def test_a_reference_table_that_differs_from_its_file_is_written_again(built, tmp_path):
    copy = tmp_path / "wh.duckdb"
    shutil.copyfile(built.warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        want = {t: contents(con, t) for t in tables.REFERENCE_TABLES}
        con.execute("UPDATE population SET total = total + 1 WHERE kode = '35'")
        con.execute("DELETE FROM ppks_category WHERE kode = (SELECT min(kode) FROM ppks_category)")
        con.execute(
            "INSERT INTO region SELECT kode || '9', nama, tingkat, kode_induk FROM region LIMIT 1"
        )
        kept = rowids(con, "population")
        tables.refresh_reference(con)
        assert {t: contents(con, t) for t in tables.REFERENCE_TABLES} == want
        assert rowids(con, "population") != kept


def test_a_new_row_never_takes_the_id_of_a_replaced_one(built, tmp_path):
    copy = tmp_path / "wh.duckdb"
    shutil.copyfile(built.warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        last = con.execute("SELECT max(record_id) FROM source_record").fetchone()[0]
        assert tables.next_record_id(con) == last + 1
        # The last loaded rows replaced by a correction that brought no row of its own.
        con.execute(
            "INSERT INTO source_record_history BY NAME "
            "SELECT * FROM source_record WHERE record_id > ?",
            [last - 3],
        )
        con.execute("DELETE FROM source_record WHERE record_id > ?", [last - 3])
        assert tables.next_record_id(con) == last + 1
