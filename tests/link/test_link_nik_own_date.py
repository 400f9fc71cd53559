"""Issue #10: two written dates a typo apart, each the date its own row's NIK encodes,
are two people (branch precision29).

`_dates_differ` forgives one digit of a full date (SOURCES.md: dates mistyped). A report
that mistyped the date still carries the NIK of the true one; when each row's NIK encodes
(digits 7-12, SOURCES.md) the row's own date, the same typo would have been made twice,
in the date and in the NIK alike. Held-out seed 13: two PARTINI of one desa born
1964-11-08 and 1964-11-18, each NIK its own card's, were one person (24 false pairs).
The cases failed at main (0317a34); the guards held there and hold now.
"""

from __future__ import annotations

from linkhelp import Warehouse

from ppks.link import link_persons

HOUSE = {"nama": "PARTINI", "alamat": "Dsn. Randu", "jenis_kelamin": "P", "ppks_kode": "PPKS-08"}
EIGHTH = {"nik": "3514034811640008", "tanggal_lahir": "1964-11-08"}
EIGHTEENTH = {"nik": "3514035811640009", "tanggal_lahir": "1964-11-18"}


def _conflict(one: dict, other: dict) -> str | None:
    return Warehouse().conflict_of({**HOUSE, **one}, {**HOUSE, **other})


def test_two_dates_each_its_own_niks_are_two_people():
    assert _conflict(EIGHTH, EIGHTEENTH) == "birth_date"
    # Excel's lost 16th digit leaves the date digits: still each its own.
    damaged = {**EIGHTEENTH, "nik": "3514035811640000"}
    assert _conflict(EIGHTH, damaged) == "birth_date"


def test_namesakes_born_days_apart_stay_two_persons_through_the_link():
    wh = Warehouse()
    eighth = [wh.add(file=f"{i}.xlsx", **HOUSE, **EIGHTH) for i in range(3)]
    eighteenth = [wh.add(file=f"{i + 3}.xlsx", **HOUSE, **EIGHTEENTH) for i in range(3)]
    link_persons(wh.con, run_id="r1")
    assert len({wh.person(r) for r in eighth}) == 1
    assert len({wh.person(r) for r in eighteenth}) == 1
    assert wh.person(eighth[0]) != wh.person(eighteenth[0])


def test_a_date_mistyped_on_one_report_is_still_one_person():
    # One NIK on both: the date slipped on one report, the NIK says one person.
    assert _conflict(EIGHTH, {**EIGHTH, "tanggal_lahir": "1964-11-18"}) is None
    # The date slipped on one report and the NIK's serial on another: that NIK still
    # encodes the first date, not its own row's.
    assert _conflict(EIGHTH, {**EIGHTEENTH, "nik": "3514034811640009"}) is None
    # No NIK on one report: nothing says which date is its own.
    assert _conflict(EIGHTH, {"nik": None, "tanggal_lahir": "1964-11-18"}) is None
