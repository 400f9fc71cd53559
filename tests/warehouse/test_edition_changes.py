"""What differs between the copied edition and the warehouse, found by blocks of record ids."""

from __future__ import annotations

import duckdb

from ppks.warehouse import edition_delta

ROWS = 20_000  # five blocks of record ids


def editions(changes: list[str]) -> duckdb.DuckDBPyConnection:
    """``ed`` (last night's rows) and ``src`` (tonight's: ``changes`` applied to them)."""
    con = duckdb.connect()
    for database in ("ed", "src"):
        con.execute(f"ATTACH ':memory:' AS {database}")
        con.execute(
            f"CREATE TABLE {database}.main.source_record AS "
            "SELECT i AS record_id, 'P' || (i // 3) AS person_id FROM range(1, ?) AS t(i)",
            [ROWS + 1],
        )
    con.execute(
        "CREATE TABLE src.main.source_record_history AS SELECT * FROM src.main.source_record"
    )
    for change in changes:
        con.execute(change)
    return con


def moving(con) -> list[tuple]:
    return con.execute("SELECT * FROM _moving ORDER BY record_id").fetchall()


def test_the_rows_added_moved_and_removed_in_any_block_are_found():
    con = editions(
        [
            "UPDATE src.main.source_record SET person_id = 'P0' WHERE record_id = 5000",
            "UPDATE src.main.source_record SET person_id = NULL WHERE record_id = 9000",
            "DELETE FROM src.main.source_record WHERE record_id = 13000",
            "INSERT INTO src.main.source_record VALUES (20001, 'P9'), (20002, NULL)",
        ]
    )
    found = edition_delta.changes(con)
    assert moving(con) == [
        (5000, "P1666", "P0", False, False),
        (9000, "P3000", None, False, False),
        (13000, "P4333", None, False, True),
        (20001, None, "P9", True, False),
        (20002, None, None, True, False),
    ]
    assert (found.rows_moved, found.persons, found.by_change) == (5, 5, True)
    # Only the blocks that differ were read row by row.
    assert con.execute("SELECT count(*) FROM _moving_block").fetchall() == [(4,)]


def test_two_rows_of_one_block_that_swap_persons_are_found():
    # The block's count stays, and its fingerprint still differs.
    con = editions(
        [
            "UPDATE src.main.source_record SET person_id = CASE record_id "
            "WHEN 7000 THEN 'P2335' ELSE 'P2333' END WHERE record_id IN (7000, 7005)",
        ]
    )
    edition_delta.changes(con)
    assert moving(con) == [
        (7000, "P2333", "P2335", False, False),
        (7005, "P2335", "P2333", False, False),
    ]


def test_nothing_differs_nothing_is_read_row_by_row():
    con = editions([])
    found = edition_delta.changes(con)
    assert (found.rows_moved, found.persons) == (0, 0)
    assert con.execute("SELECT count(*) FROM _moving_block").fetchall() == [(0,)]
