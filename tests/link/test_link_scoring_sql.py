"""The statements Splink sends to score with a stored model are kept beside the model and
replayed by later nights: the same pairs and weights, bit for bit, without a Linker."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from linkhelp import Warehouse
from splink.internals.linker import Linker
from test_link_incremental import KK, NIK, fill

from ppks.link import link_persons, scoring_sql, store

# Every column of the pairs and every row's person: what a night's scoring decides.
PAIRS = "SELECT * FROM person_link ORDER BY record_id_l, record_id_r"
PERSONS = "SELECT record_id, person_id FROM source_record ORDER BY record_id"


def night_one(path) -> None:
    """A trained model (more rows than model.MIN_ROWS_TO_TRAIN) in a warehouse file."""
    w = Warehouse()
    fill(w, 450)
    for k, nama in enumerate(("Suparman", "SUPARMAN", "Soeparman bin Karto")):
        w.add(file=f"p{k}.xlsx", nama=nama, nik=NIK, kk=KK, tanggal_lahir="1970-01-01")
    link_persons(w.con, run_id="r1")
    w.con.execute(f"ATTACH '{path}' AS f")
    w.con.execute("COPY FROM DATABASE memory TO f")
    w.con.close()


def night_two(path) -> duckdb.DuckDBPyConnection:
    """New rows that pair with stored ones (one NIK, a name a slip apart, a namesake)."""
    con = duckdb.connect(str(path))
    w = Warehouse.__new__(Warehouse)
    w.con = con
    w.next_id = con.execute("SELECT max(record_id) + 1 FROM source_record").fetchall()[0][0]
    w.next_row = {}
    w.add(file="c.xlsx", run_id="r2", nama="Suparman", nik=NIK, tanggal_lahir="1970-01-01")
    w.add(file="c.xlsx", run_id="r2", nama="Slamet Hadi AA", tanggal_lahir="1950-01-10")
    w.add(file="c.xlsx", run_id="r2", nama="Slamt Hadi AA", jenis_kelamin="P")
    w.add(file="c.xlsx", run_id="r2", nama="Wagiman Santoso", tanggal_lahir="1966-02-03")
    return con


@pytest.fixture
def built(tmp_path):
    path = tmp_path / "night1.duckdb"
    night_one(path)
    return path


def linkers_built(monkeypatch) -> list:
    """Each Linker Splink builds, counted (and built as ever)."""
    built = []
    real = Linker.__init__

    def counted(self, *args, **kwargs):
        built.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Linker, "__init__", counted)
    return built


def kept_of(con) -> dict | None:
    text = con.execute("SELECT scoring_sql FROM link_model").fetchall()[0][0]
    return json.loads(text) if text else None


def test_a_training_night_keeps_splink_s_statements_and_the_next_night_replays_them(
    built, monkeypatch
):
    con = duckdb.connect(str(built))
    kept = kept_of(con)
    con.close()
    assert kept is not None and kept["statements"]
    assert any(s.startswith(f"CREATE TABLE {kept['output']} AS") for s in kept["statements"])
    con = night_two(built)
    linkers = linkers_built(monkeypatch)
    summary = link_persons(con, run_id="r2")
    assert summary.mode == "incremental" and summary.pairs_scored > 0 and summary.links > 0
    assert linkers == []  # nothing written by Splink tonight
    assert kept_of(con) == kept  # and nothing written again
    leftover = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '__splink%'"
    ).fetchall()
    assert leftover == [(0,)]


def test_replayed_statements_score_as_splink_does_bit_for_bit(built, tmp_path, monkeypatch):
    uncached = tmp_path / "uncached.duckdb"
    shutil.copy(built, uncached)
    con = duckdb.connect(str(uncached))
    con.execute("UPDATE link_model SET scoring_sql = NULL")
    con.close()

    results = {}
    for name, path in (("kept", built), ("splink", uncached)):
        con = night_two(path)
        linkers = linkers_built(monkeypatch)
        link_persons(con, run_id="r2")
        results[name] = (con.execute(PAIRS).fetchall(), con.execute(PERSONS).fetchall())
        results[name + " linkers"] = len(linkers)
        if name == "splink":  # scored by Splink, and its statements kept for next time
            results["splink kept"] = kept_of(con)
        con.close()
    assert (results["kept linkers"], results["splink linkers"]) == (0, 1)
    # Splink's own table names hash a random id: kept, they are made the same every time.
    assert results["splink kept"] == kept_of(duckdb.connect(str(built), read_only=True))
    tonight = [row for row in results["kept"][0] if "r2" in row]
    assert len(tonight) >= 3  # with their weights, compared exactly below
    assert results["kept"] == results["splink"]


def test_statements_kept_under_another_key_are_written_again(built, monkeypatch):
    # What an upgrade of Splink or DuckDB, or other columns scored, looks like: the key.
    con = duckdb.connect(str(built))
    kept = kept_of(con)
    con.execute("UPDATE link_model SET scoring_sql = ?", [json.dumps({**kept, "key": "before"})])
    con.close()
    con = night_two(built)
    linkers = linkers_built(monkeypatch)
    link_persons(con, run_id="r2")
    assert len(linkers) == 1
    assert kept_of(con)["key"] == kept["key"]


def test_statements_a_replay_would_not_repeat_are_not_kept():
    kept = scoring_sql.Kept(None)
    create = "CREATE TABLE __splink__df_predict_1 AS\nSELECT 1"
    kept.record(
        "k", ["DROP TABLE IF EXISTS __splink__df_predict_1", create], "__splink__df_predict_1"
    )
    assert json.loads(kept.recorded)["statements"][1] == create
    assert kept.statements("k") is None  # recorded, not yet what the model holds
    other = scoring_sql.Kept(None)
    other.record("k", [create, "INSERT INTO x VALUES (1)"], "__splink__df_predict_1")
    assert other.recorded is None
    assert store.StoredModel(1, {}, frozenset(), 1, True, "x", kept.recorded).kept.statements(
        "k"
    ) == ([json.loads(kept.recorded)["statements"][0], create], "__splink__df_predict_1")


def test_kept_statements_that_fail_are_written_again_by_splink(built, monkeypatch):
    con = duckdb.connect(str(built))
    kept = kept_of(con)
    broken = [*kept["statements"][:-1], "CREATE TABLE nowhere AS SELECT * FROM no_such_table"]
    con.execute(
        "UPDATE link_model SET scoring_sql = ?", [json.dumps({**kept, "statements": broken})]
    )
    con.close()
    con = night_two(built)
    linkers = linkers_built(monkeypatch)
    summary = link_persons(con, run_id="r2")
    assert len(linkers) == 1 and summary.pairs_scored > 0
    again = kept_of(con)
    assert again["key"] == kept["key"] and "no_such_table" not in json.dumps(again)
