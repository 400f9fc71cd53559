"""When the marts follow the night and when they are built whole
(ppks.warehouse.mart_delta), on a copy of the samples' warehouse (conftest.py). Nights
through the flow: tests/flows/test_mart_nights.py."""

from __future__ import annotations

import logging

import duckdb
from helpers import warehouse_tables

from ppks.warehouse import mart_delta, schema
from ppks.warehouse.write_steps import (
    TRANSFORMS,
    _golden_record_rules,
    apply_transform,
    build_model,
)

MARTS_LINE = "marts: rows written again"


def built(con, caplog) -> str:
    """build_model on ``con``; its line on the marts."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=mart_delta.__name__):
        build_model(con)
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith(MARTS_LINE)]
    return line


WHOLE = "written again for the keys the night moved: none; built whole: " + ", ".join(
    sorted(mart_delta.MOVED_KEYS)
)
NOTHING_MOVED = (
    "written again for the keys the night moved: "
    + ", ".join(f"{m} 0" for m in sorted(mart_delta.MOVED_KEYS))
    + "; built whole: none"
)


def test_every_mart_has_the_keys_the_transforms_leave_it():
    marts = {schema.defines(p.read_text(encoding="utf-8"))[1] for p in schema.model_files("marts")}
    assert marts == set(mart_delta.MOVED_KEYS)


def test_the_transforms_leave_each_mart_its_moved_keys(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        schema.apply(con, "macros")
        _golden_record_rules(con)
        schema.apply(con, "intermediate")
        for step in TRANSFORMS:
            apply_transform(con, step)
        for mart, keys in mart_delta.MOVED_KEYS.items():
            columns = con.execute(
                "SELECT column_name FROM duckdb_columns() "
                "WHERE database_name = 'temp' AND table_name = ? ORDER BY column_index",
                [mart_delta.moved_table(mart)],
            ).fetchall()
            assert tuple(c for (c,) in columns) == keys, mart


def test_a_night_that_moved_nothing_writes_no_mart_row(warehouse, caplog):
    before = warehouse_tables(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        assert mart_delta.rules_current(con)  # the night before stored them
        assert NOTHING_MOVED in built(con, caplog)
    assert warehouse_tables(warehouse) == before


def test_new_reference_data_new_rules_or_a_missing_mart_build_the_marts_whole(warehouse, caplog):
    with duckdb.connect(str(warehouse)) as con:
        # Another population (a new census) changes every rate: refreshed from the
        # package's data, the table is written again, and so is every mart.
        con.execute("UPDATE population SET total = total + 1")
        assert WHOLE in built(con, caplog)
        assert NOTHING_MOVED in built(con, caplog)
        # Other rules (an upgrade of the marts' SQL): the warehouse keeps the ones it was
        # built with.
        con.execute(f"CREATE OR REPLACE MACRO {mart_delta.RULES_MACRO}() AS 'older'")
        assert WHOLE in built(con, caplog)
        assert mart_delta.rules_current(con)
        con.execute("DROP TABLE mart_source_coverage")
        line = built(con, caplog)
        assert line.endswith("built whole: mart_source_coverage"), line


def test_a_mart_whose_moved_keys_hold_many_of_its_rows_is_built_whole(
    warehouse, caplog, monkeypatch
):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("DELETE FROM quality_file_count")  # every file counted again
        line = built(con, caplog)
        assert "built whole: mart_quality_kecamatan, mart_quality_reporter" in line, line
    monkeypatch.setattr(mart_delta, "MOVED_SHARE", 1.0)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("DELETE FROM quality_file_count")
        line = built(con, caplog)
        assert "built whole: none" in line and "mart_quality_reporter 0" not in line, line
