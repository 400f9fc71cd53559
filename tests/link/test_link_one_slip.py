"""One field of a row copied wrong is one slip, not another person (cluster._one_slip).

A clerk who copies a row by hand slips in one cell: the name, the birth date or
the NIK. Another person differs in more than one: twins in the given name and
the NIK, a wife given her husband's NIK in the name, the date and the gender.
Each case refused before the rule and is one person now; each guard next to it
stays refused.
"""

from __future__ import annotations

import datetime as dt

from ppks.link.cluster import Row, conflict

NIK = "3514034508550017"  # a woman born 05-08-1955 in 35.14.03
BORN = dt.date(1955, 8, 5)
DESA = "35.14.03.2001"


def row(uid: int, name: str, **kw) -> Row:
    tokens = frozenset(name.split())
    values = {
        "nasab": None, "gender": "P", "dob": BORN, "dob_placeholder": False, "year": 1955,
        "year_approx": False, "nik": NIK, "nik15": None, "nik_damaged": False,
        "nik_disagrees": False, "desa": DESA,
    }  # fmt: skip
    values |= kw
    if values["nik"]:
        values["nik15"] = values["nik"][:15]
    return Row(uid, name, tokens, tokens - {"SITI", "SRI", "DWI", "EKA"}, **values)


def test_a_name_copied_wrong_with_one_nik_and_one_date_is_one_person():
    # SOURCES.md: names "mistyped"; the NIK and the date both say one person.
    assert conflict(row(1, "SRI WAHYUNI"), row(2, "SRI RAHAYU")) is None


def test_a_name_conflict_with_a_second_difference_stays_two_people():
    wahyuni = row(1, "SRI WAHYUNI")
    # Twins: their NIKs differ in the serial (one typo apart, not one NIK).
    assert conflict(wahyuni, row(2, "SRI RAHAYU", nik="3514034508550018")) == "name"
    # Excel drops the 16th digit, where twins' serials differ: not one NIK.
    damaged = row(2, "SRI RAHAYU", nik="3514034508550010", nik_damaged=True)
    assert conflict(wahyuni, damaged) == "name"
    # Another date, or no written date to confirm the NIK.
    assert conflict(wahyuni, row(2, "SRI RAHAYU", dob=dt.date(1957, 1, 2), year=1957))
    assert conflict(wahyuni, row(2, "SRI RAHAYU", dob=None)) == "name"
    # Birth-order names are twins whatever else they share.
    assert conflict(row(1, "EKA WAHYUNI"), row(2, "DWI WAHYUNI")) == "name"
    # The husband's NIK written for his wife: name, date and gender differ.
    husband = row(2, "SLAMET RIYADI", gender="L", dob=dt.date(1950, 3, 1), year=1950)
    assert conflict(wahyuni, husband) == "gender,name,birth_date"


def test_a_birth_date_copied_wrong_with_one_nik_and_one_name_is_one_person():
    # SOURCES.md: dates written many ways, from memory or another paper.
    other = row(2, "SRI WAHYUNI", dob=dt.date(1965, 11, 20), year=1965)
    assert conflict(row(1, "SRI WAHYUNI"), other) is None
    # A typo in the name as well is still one name.
    assert conflict(row(1, "SRI WAHYUNY"), other) is None


def test_a_birth_date_conflict_with_a_second_difference_stays_two_people():
    other_date = {"dob": dt.date(1965, 11, 20), "year": 1965}
    assert conflict(row(1, "SRI WAHYUNI"), row(2, "SRI RAHAYU", **other_date))
    damaged = row(2, "SRI WAHYUNI", nik="3514034508550010", nik_damaged=True, **other_date)
    assert conflict(row(1, "SRI WAHYUNI"), damaged) == "birth_date"
    # A child given the head's NIK disagrees with it (nik_disagrees): not one NIK.
    child = row(2, "SRI WAHYUNI", nik_disagrees=True, **other_date)
    assert conflict(row(1, "SRI WAHYUNI"), child) == "birth_date"


def test_another_nik_with_one_name_date_and_desa_is_one_person():
    # SOURCES.md: "two rows of the same person do not always share a NIK".
    assert conflict(row(1, "SRI WAHYUNI"), row(2, "SRI WAHYUNI", nik="3578016502710003")) is None


def test_another_nik_with_a_second_difference_stays_two_people():
    other = {"nik": "3578016502710003"}
    wahyuni = row(1, "SRI WAHYUNI")
    # A namesake born the same day in another desa.
    assert conflict(wahyuni, row(2, "SRI WAHYUNI", desa="35.14.03.2002", **other)) == "nik"
    # Twins: the serial and the given name differ.
    twin = row(2, "SRI RAHAYU", nik="3514034508550025")
    assert conflict(wahyuni, twin) == "name,nik"
    # No written full date to say it is one person.
    assert conflict(wahyuni, row(2, "SRI WAHYUNI", dob=None, **other)) == "nik"
