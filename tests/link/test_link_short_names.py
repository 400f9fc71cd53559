"""Issue #10, item 2: pairs of the held-out world lost on a shortened name, a `St.` for
Siti, or a kecamatan the name blocking rules never reached. Each case failed at b181ebd.

Rows are hand-written (linkhelp.Warehouse), features built as a night builds them, and
comparison levels evaluated in DuckDB with the prior parameters bounded as a trained
model's would be.
"""

from __future__ import annotations

import duckdb
import pytest
from linkhelp import Warehouse
from test_link_evidence import PRIORS, _case, weight

from ppks.link import given_names, model, store
from ppks.link.features import COMMON_MIN_ROWS, build_features
from ppks.normalise.names import name_key, split_name

REF_YEAR = 2026
WOMAN = {"jenis_kelamin": "P", "alamat": "Dsn. Ngemplak", "rt": "8", "rw": "2"}


def _with_common(wh: Warehouse, token: str) -> None:
    """Enough other people carrying `token` for the 1% rule to call it common (as
    INTAN, NUR, DWI and HIDAYAT were in the held-out world)."""
    others = ["Rahayu", "Lestari", "Wulandari", "Handayani", "Purwanti", "Susanti"]
    for i in range(COMMON_MIN_ROWS + 2):
        wh.add(
            file="c.xlsx",
            nama=f"{token} {others[i % len(others)]} {chr(65 + i % 26)}",
            jenis_kelamin="P",
            kode_desa="35.14.03.2002",
        )


def _name_level(wh: Warehouse, a: int, b: int) -> str:
    mem = duckdb.connect()
    build_features(wh.con, mem, ref_year=REF_YEAR)
    return mem.execute(
        f"SELECT {_case('nama')} FROM link_input AS l, link_input AS r "
        "WHERE l.unique_id = ? AND r.unique_id = ?",
        [a, b],
    ).fetchall()[0][0]


@pytest.mark.parametrize(
    ("short", "full", "common"),
    [
        ("Anisa", "Anisa Firmansyah", None),  # a surname left out
        ("Wartini", "Sulastri Wartini", None),  # the call name is the second name
        ("Rahma", "Rahmawati Aminah", None),  # the first letters of the name
        ("Anisa", "Dewi Anisa Firmansyah", "Dewi"),  # a common token too
    ],
)
def test_a_name_that_holds_the_other_is_its_own_level_above_a_different_name(short, full, common):
    wh = Warehouse()
    if common:
        _with_common(wh, common)
    a = wh.add(nama=short, **WOMAN)
    b = wh.add(file="b.xlsx", nama=full, **WOMAN)
    assert _name_level(wh, a, b) == "holds_other"
    assert weight("nama", "holds_other") > weight("nama", "else")


@pytest.mark.parametrize(
    ("short", "full", "common"),
    [
        ("NUR", "NURUL RAHAYU", "Nur"),
        ("Intan", "Dewi Intan", "Intan"),
    ],
)
def test_a_held_name_of_only_common_tokens_is_not_evidence(short, full, common):
    # Measured on the held-out world (docs/PERFORMANCE.md, "Fix: names"): a level for
    # INTAN held by INTAN HALIMAH linked the sister or the mother listed beside her,
    # and pairwise precision fell from 0.9973 to 0.9969. A held name that is the start
    # of the other (INTAN / INTAN HALIMAH) is now a call name, a level of its own that EM
    # weighs (tests/link/test_link_call_names.py, branch recall7); held elsewhere, or a
    # habitual prefix (NUR), it stays a different name.
    wh = Warehouse()
    _with_common(wh, common)
    a = wh.add(nama=short, **WOMAN)
    b = wh.add(file="b.xlsx", nama=full, **WOMAN)
    assert _name_level(wh, a, b) == "else"


def test_names_that_only_share_a_token_do_not_hold_each_other():
    wh = Warehouse()
    a = wh.add(nama="Anisa Aminah", **WOMAN)
    b = wh.add(file="b.xlsx", nama="Anisa Rahmawati", **WOMAN)
    assert _name_level(wh, a, b) != "holds_other"


def _pair_weight(pairs, a: int, b: int) -> float:
    row = pairs.filter((pairs["unique_id_l"] == min(a, b)) & (pairs["unique_id_r"] == max(a, b)))
    return row["match_weight"].item()


def test_a_name_many_carry_held_by_the_other_weighs_less_than_a_rare_one():
    # The given-name term frequency reaches the new level: AMINAH (twenty other rows,
    # too few for the 1% rule) inside ZAHRO AMINAH says less than KARTOSUWIRYO inside
    # ZAHRO KARTOSUWIRYO.
    wh = Warehouse()
    others = ["Rahayu", "Lestari", "Wulandari", "Handayani", "Purwanti"]
    for i in range(20):
        wh.add(file="c.xlsx", nama=f"Aminah {others[i % 5]}", kode_desa="35.14.03.2002")
    common = (wh.add(nama="Aminah", **WOMAN), wh.add(file="b.xlsx", nama="Zahro Aminah", **WOMAN))
    rare = (
        wh.add(nama="Kartosuwiryo", **WOMAN),
        wh.add(file="b.xlsx", nama="Zahro Kartosuwiryo", **WOMAN),
    )
    mem = duckdb.connect()
    features, _ = build_features(wh.con, mem, ref_year=REF_YEAR)
    store.replace_counts(wh.con, features)
    settings = {**PRIORS, given_names.GIVEN_NAME_TF: {"log2_reference": given_names.reference(mem)}}
    pairs = model.predict(
        mem, settings, floor_weight=-100, token_frequencies=store.token_frequency_table(wh.con)
    ).frame()
    labels = model.level_labels(settings)["nama"]
    for a, b in (common, rare):
        gamma = pairs.filter(pairs["unique_id_l"] == min(a, b))["gamma_nama"]
        assert labels[gamma[0]] == "holds_other"
    assert _pair_weight(pairs, *rare) > _pair_weight(pairs, *common)


@pytest.mark.parametrize(
    ("written", "full"),
    [
        ("HJ. ST. WARTINI", "Siti Wartini"),
        ("ST. TUKINAH", "SITI TUKINAH"),
        ("st aulia", "SITI AULIA"),
    ],
)
def test_st_written_first_is_siti(written, full):
    assert name_key(split_name(written).inti) == name_key(split_name(full).inti)


@pytest.mark.parametrize("written", ["ST", "AMINAH ST", "Ir. Budi, S.T."])
def test_st_alone_or_after_the_name_is_not_siti(written):
    assert "SITI" not in (name_key(split_name(written).inti)[0] or "")


def _blocked(wh: Warehouse, a: int, b: int) -> bool:
    mem = duckdb.connect()
    build_features(wh.con, mem, ref_year=REF_YEAR)
    rules = " OR ".join(f"({rule})" for rule in model.BLOCKING_RULES)
    return bool(
        mem.execute(
            f"SELECT count(*) FROM link_input AS l, link_input AS r "
            f"WHERE l.unique_id = ? AND r.unique_id = ? AND ({rules})",
            [a, b],
        ).fetchall()[0][0]
    )


SIDOARJO_10 = {
    "kode_kabupaten": "35.15",
    "kode_kecamatan": "35.15.10",
    "kode_desa": "35.15.10.2001",
}
SIDOARJO_11 = {
    "kode_kabupaten": "35.15",
    "kode_kecamatan": "35.15.11",
    "kode_desa": "35.15.11.2001",
}


@pytest.mark.parametrize(
    ("first", "compared"),
    [
        # Held-out pair 24983/33329: no NIK, no birth date, another kecamatan of Sidoarjo.
        ({"nama": "Akhmad Farhan", "nik_raw": "tidak ada", "alamat": "EMPERAN PASAR"}, True),
        # Bounded: with a NIK on a row the NIK rules are the way across kecamatan.
        ({"nama": "Ahmad Farhan", "nik": "3515100101900001"}, False),
    ],
)
def test_people_without_papers_in_another_kecamatan_are_compared(first, compared):
    wh = Warehouse()
    a = wh.add(**first, jenis_kelamin="L", **SIDOARJO_10)
    b = wh.add(file="b.xlsx", nama="ACHMAD FARHAN", jenis_kelamin="L", **SIDOARJO_11)
    assert _blocked(wh, a, b) is compared
