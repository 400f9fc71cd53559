"""Issue #9: the costly name tests of the blocking rules run behind a CASE guard.

DuckDB regrouped Splink's NOT (every earlier rule) so that damerau_levenshtein ran on
every pair of a desa: blocking a provincial night took 152 s, 31 s with the guards
(docs/PERFORMANCE.md). A guard may only skip pairs the test would refuse: the rules
and the `similar_core` level must admit exactly the pairs they admitted unguarded.
Rules 14 and 15 are each written as two, by the side without a NIK or an RT/RW (a
condition on one side is applied before the join): together they admit what one did.
"""

from __future__ import annotations

import itertools

import duckdb
import pytest

from ppks.link import model

NAMES = [
    "KARSINAH", "KARSNIAH", "KARSIAH", "KARSINAHH", "GALIH", "GAILH", "GALI", "EKO HOIRUL",
    "EKOHOIRUL", "SITI", "SITI AMINAH", "AMINAH", "A", "AB", "BA", "", None,
]  # fmt: skip

UNGUARDED_NAMES_ALIKE = (
    "jaro_winkler_similarity(coalesce(l.name_core, l.name_key), "
    "coalesce(r.name_core, r.name_key)) >= 0.88 "
    "OR jaro_winkler_similarity(l.name_key, r.name_key) >= 0.92 "
    "OR damerau_levenshtein(l.name_key, r.name_key) <= 1"
)


@pytest.fixture(scope="module")
def pairs() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    rows = []
    places = [("3501010001", "001/002", "KRAJAN"), ("3501010001", None, "KRAJAN")]
    for name, (desa, rt_rw, word), nik in itertools.product(
        NAMES, places, [None, "3501010101900001"]
    ):
        rows.append((name, name.split(" ")[-1] if name else None, desa, rt_rw, [word], nik))
    con.execute(
        "CREATE TABLE side (name_key VARCHAR, name_core VARCHAR, kode_desa VARCHAR, "
        "rt_rw VARCHAR, address_tokens VARCHAR[], nik VARCHAR)"
    )
    con.executemany("INSERT INTO side VALUES (?, ?, ?, ?, ?, ?)", rows)
    return con


def _admitted(con: duckdb.DuckDBPyConnection, condition: str) -> set[tuple]:
    return set(
        con.execute(
            "SELECT l.name_key, l.rt_rw, l.nik, r.name_key, r.rt_rw, r.nik "
            f"FROM side AS l, side AS r WHERE coalesce(({condition}), false)"
        ).fetchall()
    )


def test_names_alike_admit_what_they_admitted_unguarded(pairs):
    assert _admitted(pairs, model._NAMES_ALIKE) == _admitted(pairs, UNGUARDED_NAMES_ALIKE)
    assert ("KARSINAH", "001/002", None, "KARSNIAH", "001/002", None) in _admitted(
        pairs, model._NAMES_ALIKE
    )


@pytest.mark.parametrize(
    ("halves", "unguarded"),
    [
        (
            model.BLOCKING_RULES[13:15],
            "l.kode_desa = r.kode_desa AND l.rt_rw = r.rt_rw "
            f"AND (l.nik IS NULL OR r.nik IS NULL) AND ({UNGUARDED_NAMES_ALIKE})",
        ),
        (
            model.BLOCKING_RULES[15:17],
            "l.kode_desa = r.kode_desa AND list_has_any(l.address_tokens, r.address_tokens) "
            "AND (l.rt_rw IS NULL OR r.rt_rw IS NULL) "
            f"AND (l.nik IS NULL OR r.nik IS NULL) AND ({UNGUARDED_NAMES_ALIKE})",
        ),
    ],
    ids=["one_house", "one_house_rt_rw_lost"],
)
def test_the_one_house_rules_admit_what_they_admitted_unguarded(pairs, halves, unguarded):
    # Each rule is written as two, by the side that lacks the NIK or the RT/RW.
    first, second = (_admitted(pairs, rule) for rule in halves)
    assert first and second  # the cases hold pairs each half admits
    assert not first & second
    assert first | second == _admitted(pairs, unguarded)


def _edited(rng, text: str, alphabet: str) -> str:
    """`text` after one random edit (or none): changed, dropped, added, two swapped."""
    i = rng.randrange(len(text) + 1)
    kind = rng.choice(["none", "change", "drop", "add", "swap"])
    if kind == "change" and i < len(text):
        return text[:i] + rng.choice(alphabet) + text[i + 1 :]
    if kind == "drop" and i < len(text):
        return text[:i] + text[i + 1 :]
    if kind == "add":
        return text[:i] + rng.choice(alphabet) + text[i:]
    if kind == "swap" and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


@pytest.mark.parametrize(("alphabet", "k"), [("0123456789", 7), ("AIKNRS ", 2), ("01", 3)])
def test_one_edit_is_the_edit_distance_on_edited_and_unrelated_strings(alphabet, k):
    import random

    rng = random.Random(20261204)
    rows = []
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 19)))
        other = _edited(rng, text, alphabet)
        if rng.random() < 0.3:
            other = _edited(rng, other, alphabet)  # two edits: mostly refused
        rows.append((text, other))
    rows += [(None, "1"), ("1", None), (None, None)]
    con = duckdb.connect()
    con.execute("CREATE TABLE p (a VARCHAR, b VARCHAR)")
    con.executemany("INSERT INTO p VALUES (?, ?)", rows)
    guarded = model._one_edit("a", "b", k)
    differ = con.execute(
        f"SELECT a, b FROM p WHERE coalesce({guarded}, false) "
        "!= coalesce(damerau_levenshtein(a, b) <= 1, false)"
    ).fetchall()
    assert differ == []
    one_edit = con.execute(f"SELECT count(*) FROM p WHERE {guarded}").fetchall()[0][0]
    assert 1000 < one_edit < len(rows)  # both answers are tested
