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
    # The stored rows narrowed to the night's places where a rule equals a computed key:
    # the same pairs.
    narrowed = blocked_pairs_sql(settings, new_rows)
    assert w.con.sql(f"{narrowed} ORDER BY join_key_l, join_key_r").pl().equals(theirs)
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


def test_a_rule_on_a_computed_key_pairs_the_same_rows_with_the_stored_rows_narrowed():
    # The first word of the name is computed for each stored row; the rule's place, a
    # plain column, narrows the stored rows to the night's places (a quote among them).
    rule = (
        "split_part(l.name_key, ' ', 1) = split_part(r.name_key, ' ', 1) "
        "AND l.kode_desa = r.kode_desa"
    )
    settings = {"blocking_rules_to_generate_predictions": [{"blocking_rule": rule}]}
    schema = {"unique_id": pl.Int64, "name_key": pl.Utf8, "kode_desa": pl.Utf8}
    stored = pl.DataFrame(
        {
            "unique_id": [1, 2, 3, 4],
            "name_key": ["BUDI SANTOSO", "BUDI HARTONO", "BUDI", "ANI BUDI"],
            "kode_desa": ["A", "B", "C'D", "A"],
        },
        schema=schema,
    )
    con = duckdb.connect()
    for new, pairs in [
        ({"unique_id": [5, 6], "name_key": ["BUDI UTOMO", "BUDI"], "kode_desa": ["A", "C'D"]},
         [("0", 1, 5), ("0", 3, 6)]),
        ({"unique_id": [5], "name_key": ["BUDI"], "kode_desa": [None]}, []),
    ]:  # fmt: skip
        new = pl.DataFrame(new, schema=schema)
        con.register("_stored", pl.concat([stored, new]))
        con.execute("CREATE OR REPLACE TABLE link_feature AS SELECT * FROM _stored")
        con.register("_new", new)
        for sql in (blocked_pairs_sql(settings), blocked_pairs_sql(settings, new)):
            assert con.execute(f"{sql} ORDER BY ALL").fetchall() == pairs


def test_the_model_s_rule_on_a_name_s_first_word_is_narrowed_by_its_desa():
    """Which joins are narrowed: those whose rule equals a key computed from the stored
    row, by a column the rule equals as it is (the model's first-word rule, by desa)."""
    from ppks.link.incremental import _joins

    narrowed = {narrow for *_, narrow in _joins(model.settings_dict()) if narrow}
    assert narrowed == {"kode_desa"}
