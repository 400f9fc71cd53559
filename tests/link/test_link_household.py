"""Issue #10: household context as evidence for people without papers.

The household of a row is the other rows its reporter listed with it: the same
file and sheet under the same KK (SOURCES.md: "No. KK: everyone on one card
shares it") or, without a KK, the same desa, address and RT/RW (PSM ALAMAT
with RT/RW, TKSK Alamat, RT, RW). Before, a row without NIK and date had only
its name and place.
"""

from __future__ import annotations

import duckdb
import polars as pl
from linkhelp import Warehouse

from ppks.link import model
from ppks.link.features import HOUSEHOLD_MAX, build_features

REF_YEAR = 2026
KK = "3514031203090001"
HOME = {"alamat": "Dsn. Krajan", "rt": "002", "rw": "001"}


def _households(wh: Warehouse, where: str = "") -> dict[int, list[str] | None]:
    mem = duckdb.connect()
    features, _ = build_features(wh.con, mem, ref_year=REF_YEAR, where=where)
    return dict(features.select("unique_id", "household_tokens").iter_rows())


def _level(wh: Warehouse, a: int, b: int) -> str:
    mem = duckdb.connect()
    build_features(wh.con, mem, ref_year=REF_YEAR)
    comparison = next(c for c in model.COMPARISONS if c["output_column_name"] == "rumah_tangga")
    whens = " ".join(
        f"WHEN {lv['sql_condition']} THEN '{lv['label_for_charts']}'"
        for lv in comparison["comparison_levels"]
        if lv["sql_condition"] != "ELSE"
    )
    return mem.execute(
        f"SELECT CASE {whens} ELSE 'else' END FROM link_input AS l, link_input AS r "
        "WHERE l.unique_id = ? AND r.unique_id = ?",
        [a, b],
    ).fetchall()[0][0]


def test_rows_listed_under_one_kk_in_one_sheet_are_a_household():
    wh = Warehouse()
    mother = wh.add(nama="Tukinem", kk=KK)
    son = wh.add(nama="Paidi Santoso", kk=KK)
    stranger = wh.add(nama="Ponirah", kk="3514031203090999")
    got = _households(wh)
    assert got[mother] == ["PAIDI", "SANTOSO"]
    assert got[son] == ["TUKINEM"]
    assert got[stranger] is None


def test_without_a_kk_the_address_and_rt_rw_make_the_household():
    wh = Warehouse()
    mother = wh.add(nama="Tukinem", **HOME)
    son = wh.add(nama="Paidi", **HOME)
    other_rt = wh.add(nama="Ponirah", alamat="Dsn. Krajan", rt="003", rw="001")
    no_rt = wh.add(nama="Sarmi", alamat="Dsn. Krajan")
    got = _households(wh)
    assert got[mother] == ["PAIDI"] and got[son] == ["TUKINEM"]
    assert got[other_rt] is None and got[no_rt] is None


def test_another_sheet_or_the_same_person_again_is_not_the_household():
    wh = Warehouse()
    visit_1 = wh.add(file="slrt.csv", nama="Tukinem", kk=KK)
    visit_2 = wh.add(file="slrt.csv", nama="Tukinem", kk=KK)  # one person, two visits
    elsewhere = wh.add(file="slrt.csv", sheet="Lain", nama="Paidi", kk=KK)
    got = _households(wh)
    assert got[visit_1] is None and got[visit_2] is None and got[elsewhere] is None


def test_a_crowd_under_one_key_is_a_neighbourhood_not_a_family():
    wh = Warehouse()
    names = ["Tukinem", "Paidi", "Ponirah", "Sarmi", "Kusno", "Rohmah", "Wagiman", "Sutinah"]
    names += ["Jumiati"]
    assert len(names) == HOUSEHOLD_MAX + 1
    for n in names:
        wh.add(nama=n, **HOME)
    assert all(v is None for v in _households(wh).values())
    family = Warehouse()
    for n in names[:HOUSEHOLD_MAX]:
        family.add(nama=n, **HOME)
    assert all(v is not None for v in _households(family).values())


def test_two_reports_listing_the_same_child_beside_a_person_without_papers():
    wh = Warehouse()
    a = wh.add(file="tksk.xlsx", nama="Tukinem", **HOME)
    wh.add(file="tksk.xlsx", nama="Paidi Santoso", **HOME)
    b = wh.add(file="psm.xlsx", nama="Tukinem", kk=KK)
    wh.add(file="psm.xlsx", nama="Paidi", kk=KK)
    c = wh.add(file="psm2.xlsx", nama="Tukinem", kk=KK)
    wh.add(file="psm2.xlsx", nama="Sarmi", kk=KK)
    assert _level(wh, a, b) == "member_agrees"  # failed before: no such evidence
    assert _level(wh, a, c) == "else"
    # Under one family card the kk comparison has counted the family already.
    assert _level(wh, b, c) == "same_card"


def test_household_of_a_file_arriving_on_a_later_night_is_the_same_as_in_a_full_run():
    wh = Warehouse()
    wh.add(file="old.xlsx", nama="Tukinem", kk=KK)
    wh.add(file="old.xlsx", nama="Paidi", kk=KK)
    first_new = wh.next_id
    wh.add(file="new.xlsx", nama="Tukinem", **HOME)
    wh.add(file="new.xlsx", nama="Sarmi", **HOME)
    full = _households(wh)
    night = _households(wh, where=f"WHERE record_id >= {first_new}")
    assert night == {k: v for k, v in full.items() if k >= first_new}
    frame = pl.DataFrame({"id": list(night)})
    assert frame.height == 2
