"""benchmarks/compare_warehouses.py: what it ignores and what it finds."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "compare_warehouses.py"
spec = importlib.util.spec_from_file_location("compare_warehouses", SCRIPT)
compare_warehouses = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_warehouses)


def _warehouse(path: Path, rows: list[tuple]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t (k INTEGER, v VARCHAR[], run_id VARCHAR, loaded_at TIMESTAMP)")
        con.executemany("INSERT INTO t VALUES (?, ?, ?, now())", rows)
        con.execute("CREATE VIEW w AS SELECT k FROM t")
    return path


def test_the_same_rows_of_another_run_in_another_order_are_the_same(tmp_path, capsys):
    a = _warehouse(tmp_path / "a.duckdb", [(1, ["x"], "run-1"), (2, [], "run-1")])
    b = _warehouse(tmp_path / "b.duckdb", [(2, [], "run-2"), (1, ["x"], "run-2")])
    assert compare_warehouses.main([str(a), str(b)]) == 0
    assert "every object is the same" in capsys.readouterr().out


def test_a_changed_row_and_a_missing_table_are_found(tmp_path, capsys):
    a = _warehouse(tmp_path / "a.duckdb", [(1, ["x"], "r"), (2, [], "r")])
    b = _warehouse(tmp_path / "b.duckdb", [(1, ["y"], "r"), (2, [], "r")])
    with duckdb.connect(str(b)) as con:
        con.execute("CREATE TABLE extra (k INTEGER)")
    assert compare_warehouses.main([str(a), str(b), "--sample", "1"]) == 1
    out = capsys.readouterr().out
    assert "t " in out and "DIFFERS" in out and "only in a 1, only in b 1" in out
    assert "extra" in out and "only in b" in out
    assert "[x]" in out and "[y]" in out
    assert "w " in out and "same" in out
