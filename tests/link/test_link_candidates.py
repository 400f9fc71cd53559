"""What an incremental night scores grows with its new rows, not with the history:
stored rows are candidates only when a blocking rule, applied whole, pairs them with
a new row, and the rules' joins never enumerate pairs of two stored rows."""

from __future__ import annotations

import copy

import duckdb
import polars as pl
from linkhelp import Warehouse

from ppks.link import link_persons, model, store
from ppks.link.incremental import candidates_sql, equality_keys


def _settings(*rules: str) -> dict:
    return {"blocking_rules_to_generate_predictions": [{"blocking_rule": r} for r in rules]}


def _candidates(settings: dict, stored: list[dict], new: list[dict]) -> set[int]:
    con = duckdb.connect()
    schema = {
        "unique_id": pl.Int64, "name_key": pl.Utf8, "kode_desa": pl.Utf8,
        "kode_kabupaten": pl.Utf8, "nik": pl.Utf8, "nik_head": pl.Utf8, "nik_tail": pl.Utf8,
        "birth_year": pl.Int64,
    }  # fmt: skip
    con.register("_stored", pl.DataFrame(stored, schema=schema))
    con.execute("CREATE TABLE link_feature AS SELECT * FROM _stored")
    con.register("_new", pl.DataFrame(new, schema=schema))
    return {r[0] for r in con.execute(candidates_sql(settings)).fetchall()}


def _row(uid, name, desa="A", kab="K", nik=None, head=None, tail=None, year=None) -> dict:
    return {
        "unique_id": uid, "name_key": name, "kode_desa": desa, "kode_kabupaten": kab,
        "nik": nik, "nik_head": head, "nik_tail": tail, "birth_year": year,
    }  # fmt: skip


def test_a_rule_on_an_expression_takes_only_the_rows_it_pairs_not_the_whole_desa():
    # The first-name rule (model.BLOCKING_RULES: a typo in the rarest token) was read
    # as kode_desa alone: every stored row of the new row's desa was a candidate.
    rule = (
        "split_part(l.name_key, ' ', 1) = split_part(r.name_key, ' ', 1) "
        "AND l.kode_desa = r.kode_desa"
    )
    stored = [_row(1, "SITI AMINAH"), _row(2, "BUDI SANTOSO"), _row(3, "SITI RAHAYU", desa="B")]
    assert _candidates(_settings(rule), stored, [_row(9, "SITI NUR")]) == {1}


def test_a_rules_other_conditions_keep_out_rows_it_never_pairs():
    rule = (
        "l.name_key = r.name_key AND l.kode_kabupaten = r.kode_kabupaten "
        "AND l.nik IS NULL AND r.nik IS NULL"
    )
    stored = [_row(1, "DEWI LESTARI"), _row(2, "DEWI LESTARI", nik="3514030101700011")]
    assert _candidates(_settings(rule), stored, [_row(9, "DEWI LESTARI", desa="C")]) == {1}
    assert _candidates(_settings(rule), stored, [_row(9, "DEWI LESTARI", nik="35")]) == set()


def test_a_rule_of_two_columns_finds_the_stored_row_on_either_side():
    rule = "l.nik_head = r.nik_tail"
    stored = [_row(1, "A", head="12"), _row(2, "B", tail="12"), _row(3, "C", head="99")]
    assert _candidates(_settings(rule), stored, [_row(9, "D", head="12", tail="12")]) == {1, 2}
    assert equality_keys(_settings(rule)) == [[("l.nik_head", "r.nik_tail")]]


def test_a_rule_is_read_as_sql_not_split_at_every_and():
    # BETWEEN's AND and an AND inside quotes are not two conditions of the rule.
    rule = (
        "l.name_key = r.name_key AND l.kode_desa <> ' AND ' "
        "AND l.birth_year BETWEEN r.birth_year - 1 AND r.birth_year + 1"
    )
    stored = [_row(1, "SITI", year=1970), _row(2, "SITI", year=1975), _row(3, "SITI", " AND ")]
    assert _candidates(_settings(rule), stored, [_row(9, "SITI", year=1971)]) == {1}
    assert equality_keys(_settings(rule)) == [[("l.name_key", "r.name_key")]]


def _pairs(con) -> list[tuple]:
    return con.execute(
        "SELECT unique_id_l, unique_id_r, round(match_weight, 9), match_key FROM link_pairs "
        "ORDER BY 1, 2"
    ).fetchall()


def test_the_split_rules_score_the_pairs_one_condition_scored_and_name_the_same_rule():
    w = Warehouse()
    for k, (name, nik) in enumerate(
        [("Suparman", "3514030101700011"), ("SUPARMAN", "3514030101700011"),
         ("Sutrisno", "3514030202710012"), ("Sutrisno Hadi", None), ("Soeparman", None),
         ("Sutrisno", "3514030202710012"), ("Karsini", None), ("Karsini", None)]
    ):  # fmt: skip
        w.add(
            file=f"f{k}.xlsx", nama=name, nik=nik, tanggal_lahir="1970-01-01", kk="3514042003090007"
        )
    link_persons(w.con, run_id="r1")
    settings = store.current_model(w.con).settings
    mem = duckdb.connect()
    frame = w.con.sql("SELECT * FROM link_feature").pl()
    mem.register("_f", frame.with_columns(is_new=pl.col("unique_id") >= 5))
    mem.execute("CREATE TABLE link_input AS SELECT * FROM _f ORDER BY unique_id")
    # As the rules were written before: one condition, applied after each rule's join.
    one_condition = copy.deepcopy(settings)
    for rule in one_condition["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = f"({rule['blocking_rule']}) AND (l.is_new OR r.is_new)"
    model.predict(mem, one_condition, floor_weight=-100.0)
    before = _pairs(mem)
    model.predict(mem, model.only_new_pairs(settings), floor_weight=-100.0)
    after = _pairs(mem)
    assert after == before
    assert {(a, b) for a, b, _, _ in after} == {
        (a, b) for a in range(1, 9) for b in range(max(a + 1, 5), 9)
    }  # every pair holding a new row: one kk for all
    rules = len(settings["blocking_rules_to_generate_predictions"])
    assert {int(k) for *_, k in after} <= set(range(rules))  # the rule's own number
