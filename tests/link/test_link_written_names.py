"""Issue #10: names read as written before they are keyed, and a name written together
with a slip besides (branch recall8).

The conflict rules compare the words of two names after `name_key` has modernised old
spelling, made KH, CH and H one and doubled letters single. A slip made in the written
word can land on those letters, and the key then moves it further from the other report:
TRI TIARA KHOTIAH / TRI TIARA KHODIJAH is one slip as written and three in the key, and
was refused as two names (held-out world, seeds 11 and 13: true pairs of one house refused
by the `name` rule at weights 7 to 24). A name written apart on one report and together on
the other with one slip besides (BAYU FARHAN / BSYUFARHAN) no longer lines up word by word.
The cases failed at main (e07ba77); the guards held there and hold now.
"""

from __future__ import annotations

import duckdb
import pytest
from linkhelp import Warehouse

from ppks.link import cluster, link_persons
from ppks.link.features import build_features

HOUSE = {"alamat": "Dsn. Krajan", "rt": "3", "rw": "1", "ppks_kode": "PPKS-05"}


def _rows(*names: str) -> list[cluster.Row]:
    """The conflict rules' rows of reports of one house without papers, one per name."""
    wh = Warehouse()
    ids = [wh.add(file=f"{i}.xlsx", nama=name, **HOUSE) for i, name in enumerate(names)]
    features, common = build_features(wh.con, duckdb.connect(), ref_year=2026)
    rows = cluster.rows_from_features(features, common)
    return [rows[uid] for uid in ids]


def _conflict(one: str, other: str) -> str | None:
    return cluster.conflict(*_rows(one, other))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("TRI TIARA KHOTIAH", "TRI TIARA KHODIJAH"),  # key HOTIAH / HODIJAH
        ("CATUR AULIA KHOITJAH", "CATUR AULIA KHOTIJAH"),  # TJ keyed as old spelling
        ("CATUR MUHAMMAD FIKRI HAAN", "CATUR MUHAMMAD FIKRI HASAN"),  # AA keyed as A
        ("SOTEINI", "SOETINI"),  # OE keyed as U on one side only
    ],
)
def test_a_slip_in_the_name_as_written_is_no_name_conflict(one, other):
    assert _conflict(one, other) is None


@pytest.mark.parametrize(
    ("apart", "together"),
    [
        ("BAYU FARHAN", "BSYUFARHAN"),
        ("UMAR SARMIN", "UAMRSARMIN"),
        ("BAGUS UMAR SUSANTO", "BAGUS UAMRSUSANTO"),
    ],
)
def test_a_name_written_together_with_one_slip_is_no_name_conflict(apart, together):
    assert _conflict(apart, together) is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("NUR KHOLIS", "NUR KHOLIFAH"),  # two slips and more, as written and keyed
        ("AHMAD ALDI RAMADAN", "AHMAD FAJAR RAMADAN"),  # twins: another given name
        ("KHOIRUL ANWAR", "KHOLIFAH ANWAR"),  # a brother and a sister, KH on both
        ("RIZKA AMALIA", "RIZKIAMELIA"),  # written together, and two letters apart
    ],
)
def test_names_more_than_a_slip_apart_as_written_still_conflict(one, other):
    assert _conflict(one, other) == "name"


def test_the_words_as_written_are_kept_only_where_the_key_spells_them_otherwise():
    keyed, plain = _rows("Tri Tiara Khotiah", "Tri Tiara Rahma")
    assert keyed.spelled == (("HOTIAH", "KHOTIAH"),)
    assert plain.spelled == ()


def test_one_girl_whose_name_a_report_mistyped_where_the_key_respells_it_is_one_person():
    # Three reports of one house without papers: the mistyped one (KHOTIAH) was refused
    # as another name by the two that spell KHODIJAH.
    wh = Warehouse()
    guess = {"tanggal_lahir": "2019-07-01", "flags": ["dob_placeholder"], **HOUSE}
    a = wh.add(nama="TRI TIARA KHODIJAH", jenis_kelamin="P", **guess)
    b = wh.add(file="b.xlsx", nama="TRI TIARA KHOTIAH", jenis_kelamin="P", **guess)
    c = wh.add(file="c.xlsx", nama="Tri Tiara Khodijah", jenis_kelamin="P", **guess)
    link_persons(wh.con, run_id="r1")
    assert wh.person(a) == wh.person(c)
    assert wh.person(a) == wh.person(b)
