"""Incremental nights: the stored model is reused, only new evidence is scored, and
rows of earlier nights change person only on evidence."""

from __future__ import annotations

import json
import logging

import duckdb
import polars as pl
import pytest
from linkhelp import Warehouse

from ppks.link import Decision, append_decisions, link_persons, model, store

NIK = "3514030101700011"
KK = "3514042003090007"
ELSEWHERE = {
    "kode_kecamatan": "35.14.04",
    "kode_desa": "35.14.04.2001",
    "alamat": "Dsn. Wetan",
    "rt": "003",
    "rw": "002",
}
HOME = {"alamat": "Dsn. Krajan", "rt": "1", "rw": "2"}
GIVEN = ["Slamet", "Wagiman", "Sutrisno", "Paijo", "Karsini", "Tumini", "Parmin", "Sulastri"]
FAMILY = ["Hadi", "Santoso", "Wibowo", "Rahayu", "Purnomo", "Lestari", "Susilo", "Wati"]


def fill(warehouse: Warehouse, persons: int = 60) -> None:
    """Distinct people, one row each, so that a few new rows are a small night."""
    for k in range(persons):
        warehouse.add(
            file="filler.xlsx",
            nama=f"{GIVEN[k % 8]} {FAMILY[(k // 8) % 8]} {chr(65 + k % 26)}{chr(65 + k // 26)}",
            nik=f"35140{k:03d}0170{k % 90 + 10:02d}12",
            tanggal_lahir=f"19{50 + k % 40}-0{1 + k % 9}-1{k % 9}",
            jenis_kelamin="L" if k % 2 else "P",
        )


@pytest.fixture
def warehouse() -> Warehouse:
    w = Warehouse()
    fill(w)
    return w


def history(warehouse):
    return warehouse.con.execute(
        "SELECT old_person_id, new_person_id, run_id, reason FROM person_id_history ORDER BY ALL"
    ).fetchall()


def runs(warehouse):
    return warehouse.con.execute(
        "SELECT run_id, mode, model_version, trained, rows_new FROM link_run ORDER BY run_id"
    ).fetchall()


def test_first_night_trains_and_stores_the_model_then_nights_reuse_it(warehouse):
    link_persons(warehouse.con, run_id="r1")
    (version, trained_by, reason, settings) = warehouse.con.execute(
        "SELECT model_version, trained_run_id, reason, settings_json FROM link_model"
    ).fetchall()[0]
    assert (version, trained_by, reason) == (1, "r1", "no model yet")
    assert json.loads(settings)["comparisons"]
    warehouse.add(file="c.xlsx", run_id="r2", nama="Sukirman", tanggal_lahir="1966-02-03")
    summary = link_persons(warehouse.con, run_id="r2")
    assert (summary.mode, summary.trained, summary.model_version) == ("incremental", False, 1)
    assert summary.rows_new == 1
    assert warehouse.con.execute("SELECT count(*) FROM link_model").fetchall() == [(1,)]


def test_a_quiet_night_links_nothing_and_changes_nothing(warehouse):
    link_persons(warehouse.con, run_id="r1")
    before = warehouse.con.execute(
        "SELECT * FROM person_link ORDER BY record_id_l, record_id_r"
    ).fetchall()
    persons = warehouse.persons()
    summary = link_persons(warehouse.con, run_id="r2")
    assert (summary.mode, summary.pairs_scored, summary.trained) == ("none", 0, False)
    assert warehouse.persons() == persons
    after = warehouse.con.execute(
        "SELECT * FROM person_link ORDER BY record_id_l, record_id_r"
    ).fetchall()
    assert after == before
    assert history(warehouse) == []


def test_a_night_finds_its_new_rows_and_the_rows_that_left_exactly(warehouse):
    link_persons(warehouse.con, run_id="r1")
    gone = warehouse.con.execute("SELECT max(record_id) FROM source_record").fetchall()[0][0]
    # A row of an earlier night leaves (its file was replaced) as a new one arrives: as
    # many rows as features, the night must still find both.
    warehouse.con.execute("DELETE FROM source_record WHERE record_id = ?", [gone])
    warehouse.add(file="c.xlsx", run_id="r2", nama="Sukirman", tanggal_lahir="1966-02-03")
    summary = link_persons(warehouse.con, run_id="r2")
    assert (summary.mode, summary.rows_new, summary.rows_removed) == ("incremental", 1, 1)
    ids = "SELECT {} FROM {} ORDER BY 1"
    assert warehouse.con.execute(ids.format("unique_id", "link_feature")).fetchall() == (
        warehouse.con.execute(ids.format("record_id", "source_record")).fetchall()
    )
    assert link_persons(warehouse.con, run_id="r3").mode == "none"


def test_the_new_rows_and_the_rows_that_left_are_found_whichever_ids_they_hold(warehouse):
    link_persons(warehouse.con, run_id="r1")
    con = warehouse.con
    assert store.rows_without_features_and_back(con) == ([], [])
    # Only new rows: found above the features' largest id, none left.
    new = [warehouse.add(file="c.xlsx", run_id="r2", nama=n) for n in ("Sukirman", "Darmi")]
    assert store.rows_without_features_and_back(con) == (new, [])
    # A row of the middle of the history leaves beside them: found as well.
    middle = con.execute("SELECT min(record_id) + 3 FROM source_record").fetchall()[0][0]
    con.execute("DELETE FROM source_record WHERE record_id = ?", [middle])
    assert store.rows_without_features_and_back(con) == (new, [middle])
    # ... and alone, once the new rows have their features.
    link_persons(con, run_id="r2")
    other = con.execute("SELECT min(record_id) + 4 FROM source_record").fetchall()[0][0]
    con.execute("DELETE FROM source_record WHERE record_id = ?", [other])
    assert store.rows_without_features_and_back(con) == ([], [other])


def test_only_pairs_with_a_new_row_are_scored_and_old_pairs_keep_their_run(warehouse):
    a = warehouse.add(nama="Suparman", nik=NIK, jenis_kelamin="L", tanggal_lahir="1970-01-01")
    b = warehouse.add(file="b.xlsx", nama="SUPARMAN", nik=NIK, tanggal_lahir="1970-01-01")
    link_persons(warehouse.con, run_id="r1")
    c = warehouse.add(file="c.xlsx", run_id="r2", nama="Soeparman", nik=NIK, jenis_kelamin="L")
    summary = link_persons(warehouse.con, run_id="r2")
    linked = warehouse.con.execute(
        "SELECT count(*) FROM person_link WHERE run_id = 'r2' AND status = 'linked'"
    ).fetchall()[0][0]
    assert summary.links == linked == 1  # each pair counted once
    pairs = dict(
        (tuple(k), run)
        for *k, run in warehouse.con.execute(
            "SELECT record_id_l, record_id_r, run_id FROM person_link"
        ).fetchall()
    )
    assert pairs[(a, b)] == "r1"
    assert pairs[(a, c)] == pairs[(b, c)] == "r2"
    assert all(run == "r1" for (left, right), run in pairs.items() if c not in (left, right))
    assert warehouse.person(c) == warehouse.person(a) == warehouse.person(b)


def test_a_pair_scored_again_replaces_its_stored_row(warehouse):
    """person_link has no primary key (its index loaded into memory every night): a
    night removes the stored row of any pair it scores, so each pair is one row."""
    a = warehouse.add(nama="Suparman", nik=NIK, jenis_kelamin="L", tanggal_lahir="1970-01-01")
    b = warehouse.add(file="b.xlsx", nama="SUPARMAN", nik=NIK, tanggal_lahir="1970-01-01")
    link_persons(warehouse.con, run_id="r1")
    c = warehouse.add(file="c.xlsx", run_id="r2", nama="Soeparman", nik=NIK, jenis_kelamin="L")
    warehouse.con.execute(
        "INSERT INTO person_link (run_id, record_id_l, record_id_r, status) "
        "VALUES ('stale', ?, ?, 'not_linked')",
        [a, c],
    )
    link_persons(warehouse.con, run_id="r2")
    assert warehouse.con.execute(
        "SELECT run_id, status FROM person_link WHERE record_id_l = ? AND record_id_r = ?",
        [a, c],
    ).fetchall() == [("r2", "linked")]
    (rows, pairs) = warehouse.con.execute(
        "SELECT count(*), count(DISTINCT (record_id_l, record_id_r)) FROM person_link"
    ).fetchall()[0]
    assert rows == pairs
    assert warehouse.person(b) == warehouse.person(c)


def test_old_ids_stay_without_new_evidence(warehouse):
    link_persons(warehouse.con, run_id="r1")
    first = warehouse.persons()
    for k in range(3):
        warehouse.add(file="d.xlsx", run_id="r2", nama=f"Orang Baru {'XYZ'[k]}", tahun_lahir=1990)
    summary = link_persons(warehouse.con, run_id="r2")
    after = warehouse.persons()
    assert all(after[uid] == pid for uid, pid in first.items())
    assert summary.rows_moved == 0 and history(warehouse) == []


def test_a_chain_through_one_new_row_goes_to_review_not_a_merge(warehouse):
    with_nik = warehouse.add(file="a.xlsx", nama="Ahmad Fauzi", nik=NIK, jenis_kelamin="L")
    with_dob = warehouse.add(file="b.xlsx", nama="Achmad Fauzi", kk=KK, **ELSEWHERE)
    link_persons(warehouse.con, run_id="r1")
    apart = (warehouse.person(with_nik), warehouse.person(with_dob))
    assert apart[0] != apart[1]
    bridge = warehouse.add(
        file="c.xlsx", run_id="r2", nama="Ahmad Fauzi", nik=NIK, kk=KK, jenis_kelamin="L",
        **ELSEWHERE,
    )  # fmt: skip
    summary = link_persons(warehouse.con, run_id="r2")
    assert summary.mode == "incremental"
    assert (warehouse.person(with_nik), warehouse.person(with_dob)) == apart
    assert warehouse.person(bridge) in apart
    queued = warehouse.con.execute(
        "SELECT conflict FROM person_link WHERE status = 'review' AND run_id = 'r2'"
    ).fetchall()
    assert ("established_persons",) in queued
    assert history(warehouse) == []


def test_a_reviewer_joins_established_persons_and_a_retrain_records_its_moves(warehouse, tmp_path):
    decisions = tmp_path / "decisions.csv"
    with_nik = warehouse.add(file="a.xlsx", nama="Ahmad Fauzi", nik=NIK, jenis_kelamin="L")
    with_dob = warehouse.add(file="b.xlsx", nama="Achmad Fauzi", kk=KK, **ELSEWHERE)
    link_persons(warehouse.con, run_id="r1", decisions_path=decisions)
    older, younger = warehouse.person(with_nik), warehouse.person(with_dob)
    warehouse.add(
        file="c.xlsx", run_id="r2", nama="Ahmad Fauzi", nik=NIK, kk=KK, jenis_kelamin="L",
        **ELSEWHERE,
    )  # fmt: skip
    link_persons(warehouse.con, run_id="r2", decisions_path=decisions)
    assert warehouse.person(with_dob) == younger

    summary = link_persons(warehouse.con, run_id="r3", retrain=True, decisions_path=decisions)
    assert (summary.mode, summary.trained, summary.model_version) == ("full", True, 2)
    assert warehouse.person(with_dob) == warehouse.person(with_nik) == older
    assert summary.merges == 1 and summary.rows_moved == 1
    assert (younger, older, "r3", "merge") in history(warehouse)
    reason = warehouse.con.execute(
        "SELECT reason FROM link_model WHERE model_version = 2"
    ).fetchall()
    assert reason == [("retrain requested",)]


def test_a_reviewer_same_between_established_persons_merges_on_an_incremental_night(
    warehouse, tmp_path
):
    decisions = tmp_path / "decisions.csv"
    with_nik = warehouse.add(file="a.xlsx", nama="Ahmad Fauzi", nik=NIK, jenis_kelamin="L")
    with_dob = warehouse.add(file="b.xlsx", nama="Achmad Fauzi", kk=KK, **ELSEWHERE)
    link_persons(warehouse.con, run_id="r1", decisions_path=decisions)
    older = warehouse.person(with_nik)
    append_decisions(
        decisions, [Decision(("a.xlsx", "Laporan", 7), ("b.xlsx", "Laporan", 7), "same", "rina")]
    )
    summary = link_persons(warehouse.con, run_id="r2", decisions_path=decisions)
    assert summary.mode == "incremental" and summary.merges == 1
    assert warehouse.person(with_dob) == older
    again = link_persons(warehouse.con, run_id="r3", decisions_path=decisions)
    assert again.mode == "none"


def _pairs_naming_other_persons(warehouse) -> int:
    return warehouse.con.execute(
        "SELECT count(*) FROM person_link AS k "
        "JOIN source_record AS a ON a.record_id = k.record_id_l "
        "JOIN source_record AS b ON b.record_id = k.record_id_r "
        "WHERE k.person_id_l IS DISTINCT FROM a.person_id "
        "OR k.person_id_r IS DISTINCT FROM b.person_id"
    ).fetchall()[0][0]


def test_stored_pairs_name_their_rows_persons_after_a_merge_and_a_split(warehouse, tmp_path):
    """Only the rows whose person changed have their pairs renamed: after a reviewer's
    merge and a reviewer's split, every pair still names its rows' persons."""
    decisions = tmp_path / "decisions.csv"
    with_nik = warehouse.add(file="a.xlsx", nama="Ahmad Fauzi", nik=NIK, jenis_kelamin="L")
    warehouse.add(file="a2.xlsx", nama="Ahmad Fauzi", nik=NIK, jenis_kelamin="L")
    with_dob = warehouse.add(file="b.xlsx", nama="Achmad Fauzi", kk=KK, **ELSEWHERE)
    warehouse.add(file="b2.xlsx", nama="Achmad Fauzi", kk=KK, **ELSEWHERE)
    link_persons(warehouse.con, run_id="r1", decisions_path=decisions)
    assert warehouse.person(with_nik) != warehouse.person(with_dob)
    append_decisions(
        decisions, [Decision(("a.xlsx", "Laporan", 7), ("b.xlsx", "Laporan", 7), "same", "rina")]
    )
    warehouse.add(file="c.xlsx", run_id="r2", nama="Orang Baru", tahun_lahir=1990)
    assert link_persons(warehouse.con, run_id="r2", decisions_path=decisions).merges == 1
    assert warehouse.person(with_nik) == warehouse.person(with_dob)
    assert _pairs_naming_other_persons(warehouse) == 0
    append_decisions(
        decisions,
        [Decision(("a.xlsx", "Laporan", 7), ("b.xlsx", "Laporan", 7), "different", "rina")],
    )
    assert link_persons(warehouse.con, run_id="r3", decisions_path=decisions).splits == 1
    assert warehouse.person(with_nik) != warehouse.person(with_dob)
    assert _pairs_naming_other_persons(warehouse) == 0


def test_the_stored_model_is_the_one_that_scores(warehouse):
    a = warehouse.add(nama="Suparman", nik=NIK, jenis_kelamin="L", tanggal_lahir="1970-01-01")
    link_persons(warehouse.con, run_id="r1")
    # Make the stored model one that never links: if a night trained its own, it would.
    settings = json.loads(
        warehouse.con.execute("SELECT settings_json FROM link_model").fetchall()[0][0]
    )
    settings["probability_two_random_records_match"] = 1e-30
    warehouse.con.execute("UPDATE link_model SET settings_json = ?", [json.dumps(settings)])
    b = warehouse.add(file="b.xlsx", run_id="r2", nama="Suparman", nik=NIK, jenis_kelamin="L")
    link_persons(warehouse.con, run_id="r2")
    assert warehouse.person(a) != warehouse.person(b)
    weight = warehouse.con.execute(
        "SELECT match_weight FROM person_link WHERE record_id_l = ? AND record_id_r = ?", [a, b]
    ).fetchall()
    assert weight == [] or weight[0][0] < 0


def test_rows_growing_by_more_than_a_third_retrain(warehouse):
    link_persons(warehouse.con, run_id="r1")
    fill(warehouse, 30)
    summary = link_persons(warehouse.con, run_id="r2")
    assert summary.mode == "full"
    reason = warehouse.con.execute(
        "SELECT reason FROM link_model WHERE trained_run_id = 'r2'"
    ).fetchall()[0][0]
    assert reason.startswith("rows grew from 60 to 90")


def test_given_name_shares_and_households_work_on_an_incremental_night():
    """Issue #10: the given-name adjustment and the household of a row, on a night
    that scores only its new rows with the stored model and the stored counts."""
    import math

    from ppks.link import given_names, store

    w = Warehouse()
    fill(w, persons=420)  # enough rows to train: the model has a given-name reference
    born = "1948-05-05"
    a = w.add(nama="Siti Kartosuwiryo", jenis_kelamin="P", tanggal_lahir=born, **HOME)
    w.add(nama="Paidi", jenis_kelamin="L", **HOME)
    link_persons(w.con, run_id="r1")
    stored = store.current_model(w.con)
    assert given_names.GIVEN_NAME_TF in stored.settings
    b = w.add(
        file="n.xlsx",
        run_id="r2",
        nama="Kartosuwiryo",
        jenis_kelamin="P",
        tanggal_lahir=born,
        **HOME,
    )
    w.add(file="n.xlsx", run_id="r2", nama="Paidi", jenis_kelamin="L", **HOME)
    summary = link_persons(w.con, run_id="r2")
    assert summary.mode == "incremental"
    household = w.con.execute(
        "SELECT household_tokens FROM link_feature WHERE unique_id = ?", [b]
    ).fetchall()[0][0]
    assert household == ["PAIDI"]
    level, weight = w.con.execute(
        "SELECT agreement['nama'], weights['nama'] FROM person_link "
        "WHERE record_id_l = ? AND record_id_r = ?",
        [a, b],
    ).fetchall()[0]
    assert level == "same_tokens_or_core"
    levels = given_names._level_weights(stored.settings)
    gamma, plain = levels[level]
    low, high = given_names.bounds(stored.settings)[gamma]
    shares = dict(store.token_frequency_table(w.con).iter_rows())
    expected = stored.settings[given_names.GIVEN_NAME_TF]["log2_reference"] - math.log2(
        shares["KARTOSUWIRYO"]
    )
    assert weight == pytest.approx(plain + min(max(expected, low), high))
    # Here every filler row carries a token of its own (the reference is rarer than
    # a name two rows carry): the adjustment is applied, and it is negative.
    assert weight != pytest.approx(plain)


def _settings_check_warnings(features, settings, caplog) -> list[str]:
    """What Splink's settings check (Linker(validate_settings=True)) logs of ``settings``
    over a link_input of ``features``."""
    mem = duckdb.connect()
    mem.register("_features", features)
    mem.execute("CREATE TABLE link_input AS SELECT * FROM _features")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="splink"):
        model._linker_and_api(mem, settings, validate=True)
    mem.close()
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_stored_model_passes_splink_s_settings_check(warehouse, caplog):
    """Scoring skips Splink's settings check (model.predict): the stored model, as an
    incremental night scores with it, names only columns of the features."""
    link_persons(warehouse.con, run_id="r1")
    ((stored,),) = warehouse.con.execute("SELECT settings_json FROM link_model").fetchall()
    features = warehouse.con.sql("SELECT * FROM link_feature").pl()
    features = features.with_columns(is_new=pl.lit(True))
    scoring = model.only_new_pairs(json.loads(stored))
    assert _settings_check_warnings(features, scoring, caplog) == []
    # The check is real: a level that reads a column the features lack is reported.
    broken = json.loads(stored)
    broken["comparisons"][0]["comparison_levels"][1]["sql_condition"] = "l.no_such = r.no_such"
    assert any("no_such" in m for m in _settings_check_warnings(features, broken, caplog))
