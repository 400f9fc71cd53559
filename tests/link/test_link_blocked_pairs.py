"""An incremental night blocks its pairs itself (incremental.blocked_pairs_sql) and hands
them to Splink to score: the same pairs, each with the same rule number, as Splink's own
blocking of the split rules (model.only_new_pairs) over the new rows and their
candidates, and the same scored pairs."""

from __future__ import annotations

import duckdb
import polars as pl
from linkhelp import Warehouse

from ppks.link import link_persons, model, store
from ppks.link.incremental import blocked_pairs_sql, candidates_sql

NIK = "3514030101700011"
KK = "3514042003090007"
HOUSE = {"alamat": "Dsn. Krajan", "rt": "1", "rw": "2"}


def _warehouse() -> Warehouse:
    """One family, people without papers in one house (rules 13 to 16: by the side that
    lacks the NIK or the RT/RW), name slips, and strangers; rows 1-12 are night 1's."""
    w = Warehouse()
    night1 = [
        {"nama": "Suparman", "nik": NIK, "tanggal_lahir": "1970-01-01", "kk": KK},
        {"nama": "Sutrisno Hadi", "tanggal_lahir": "1971-02-02", "kk": KK},
        {"nama": "Karsinah", **HOUSE},
        {"nama": "Karsini", "alamat": "Dsn. Krajan"},
        {"nama": "Galih Pratama", "nik": "3514030303800013", "tanggal_lahir": "1980-03-03"},
        {"nama": "Tumini", "tahun_lahir": 1950, "alamat": "Pasar Baru"},
        {"nama": "Eko Hoirul", **HOUSE},
        {"nama": "Paijo", "nik": "3514030404600014", "kode_desa": "35.14.03.2002"},
        {"nama": "Wagiman Susilo", "tanggal_lahir": "1965-05-05", "kode_kecamatan": "35.14.04"},
        {"nama": "Siti Aminah", "tanggal_lahir": "1975-06-06"},
        {"nama": "Parmin", "nik": "3514030505550015", "kk": "3514042003090099"},
        {"nama": "Sulastri", "tanggal_lahir": "1990-07-07", "kode_kabupaten": "35.15"},
    ]
    night2 = [
        {"nama": "SUPARMAN", "nik": NIK, "tanggal_lahir": "1970-01-01"},
        {"nama": "Sutrisno", "tanggal_lahir": "1971-02-02", "kk": KK},
        {"nama": "Karsniah", "alamat": "Dsn. Krajan"},
        {"nama": "Karsinah", **HOUSE},
        {"nama": "Ekohoirul", **HOUSE},
        {"nama": "Galih Pratama", "nik": "3514030303800013", "tahun_lahir": 1980},
        {"nama": "Siti Aminah", "tanggal_lahir": "1975-06-06", "kode_desa": "35.14.03.2002"},
        {"nama": "Tumini", "tahun_lahir": 1951, "alamat": "Pasar Baru"},
    ]
    for k, values in enumerate(night1):
        w.add(file=f"a{k}.xlsx", run_id="r1", **values)
    return w, night2


def _splink_s_own_blocking(con, settings: dict, new_rows: pl.DataFrame) -> pl.DataFrame:
    """match_key (the rule's own number), join_key_l, join_key_r as the night blocked before:
    the new rows and their candidates, blocked by Splink with the split rules."""
    con.register("_new", new_rows)
    try:
        old = con.sql(candidates_sql(settings)).pl()
    finally:
        con.unregister("_new")
    mem = duckdb.connect()
    frame = pl.concat(
        [new_rows.with_columns(is_new=pl.lit(True)), old.with_columns(is_new=pl.lit(False))],
        how="diagonal_relaxed",
    )
    mem.register("_input", frame)
    mem.execute("CREATE TABLE link_input AS SELECT * FROM _input ORDER BY unique_id")
    linker = model._linker(mem, model.only_new_pairs(settings))
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    return mem.sql(
        "SELECT CAST(CAST(match_key AS INTEGER) // 2 AS VARCHAR) AS match_key, "
        f"join_key_l, join_key_r FROM {blocked.physical_name} ORDER BY join_key_l, join_key_r"
    ).pl()


def test_the_night_blocks_the_pairs_splink_blocked_with_the_same_rule():
    w, night2 = _warehouse()
    link_persons(w.con, run_id="r1")
    for k, values in enumerate(night2):
        w.add(file=f"b{k}.xlsx", run_id="r2", **values)
    link_persons(w.con, run_id="r2")  # features of the new rows stored, as the night does
    settings = store.current_model(w.con).settings
    new_rows = w.con.sql("SELECT * FROM link_feature WHERE unique_id > 12").pl()
    theirs = _splink_s_own_blocking(w.con, settings, new_rows)
    w.con.register("_new", new_rows)
    mine = w.con.sql(f"{blocked_pairs_sql(settings)} ORDER BY join_key_l, join_key_r").pl()
    assert mine.equals(theirs)
    # The NIK, the card, and the house's rules read one way (13 to 16): not a trivial night.
    assert {"0", "3", "13", "15", "16"} <= set(mine["match_key"])


def test_a_rule_read_one_way_finds_each_pair_by_the_ids_order():
    # Rule 14 admits the pair only when its l (the lower id) lacks the NIK: the new row
    # lacks it in one pair, the stored row in the other.
    rule = "l.kode_desa = r.kode_desa AND l.nik IS NULL"
    settings = {"blocking_rules_to_generate_predictions": [{"blocking_rule": rule}]}
    con = duckdb.connect()
    stored = pl.DataFrame(
        {"unique_id": [1, 2], "kode_desa": ["A", "A"], "nik": [None, "35"]},
        schema={"unique_id": pl.Int64, "kode_desa": pl.Utf8, "nik": pl.Utf8},
    )
    new = pl.DataFrame(
        {"unique_id": [3], "kode_desa": ["A"], "nik": ["36"]},
        schema={"unique_id": pl.Int64, "kode_desa": pl.Utf8, "nik": pl.Utf8},
    )
    con.register("_stored", pl.concat([stored, new]))
    con.execute("CREATE TABLE link_feature AS SELECT * FROM _stored")
    con.register("_new", new)
    pairs = con.execute(f"{blocked_pairs_sql(settings)} ORDER BY ALL").fetchall()
    assert pairs == [("0", 1, 3)]  # (2, 3): l is row 2, which has a NIK


def test_scoring_the_night_s_pairs_weighs_them_as_splink_s_own_blocking_did():
    w, night2 = _warehouse()
    link_persons(w.con, run_id="r1")
    for k, values in enumerate(night2):
        w.add(file=f"b{k}.xlsx", run_id="r2", **values)
    link_persons(w.con, run_id="r2")
    settings = store.current_model(w.con).settings
    new_rows = w.con.sql("SELECT * FROM link_feature WHERE unique_id > 12").pl()
    everyone = w.con.sql("SELECT * FROM link_feature").pl()
    mem = duckdb.connect()
    mem.register("_i", everyone.with_columns(is_new=pl.col("unique_id") > 12))
    mem.execute("CREATE TABLE link_input AS SELECT * FROM _i ORDER BY unique_id")
    columns = "* EXCLUDE (match_probability), round(match_probability, 12)"

    def scored() -> list[tuple]:
        return mem.execute(f"SELECT {columns} FROM link_pairs ORDER BY ALL").fetchall()

    model.predict(mem, model.only_new_pairs(settings), floor_weight=-100.0)
    before = scored()
    w.con.register("_new", new_rows)
    blocked = w.con.sql(blocked_pairs_sql(settings)).pl()
    model.predict(mem, settings, floor_weight=-100.0, blocked_pairs=blocked)
    assert scored() == before
    assert len(before) == blocked.height
