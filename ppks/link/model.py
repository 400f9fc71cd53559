"""The Fellegi-Sunter model: comparisons, blocking, unsupervised training, scoring.

Splink 5 on an in-memory DuckDB connection of its own (the warehouse is never
touched by Splink). Training uses no labels: u from a seeded random sample,
lambda from deterministic rules, m by expectation maximisation on two
blocking passes. Trained parameters are rounded and the scoring model is
rebuilt from that rounded dictionary, so the same input gives the same weights
on every run (floating sums in a parallel aggregate cannot leak through).
"""

from __future__ import annotations

import copy
import logging
import math
import re
from dataclasses import dataclass

import duckdb
import polars as pl

from ppks.link import given_names, scoring_sql
from ppks.link.cluster import GUESS_SPREAD, ORDINALS, PREFIXES
from ppks.link.given_names import GIVEN_NAME_TF
from ppks.link.pairs import TABLE as PAIRS_TABLE
from ppks.link.pairs import ScoredPairs

SEED = 20260101
U_MAX_PAIRS = 1e6
LAMBDA_RECALL = 0.7
# Unobserved levels, or nights too small to train on, fall back to these.
MIN_ROWS_TO_TRAIN = 400

_NOT_DAMAGED = "NOT l.nik_damaged AND NOT r.nik_damaged"
_CORE_L = "coalesce(l.name_core, l.name_key)"
_CORE_R = "coalesce(r.name_core, r.name_key)"


# A costly test run only on the pairs a cheap one admits. DuckDB evaluates a CASE's
# THEN only where its WHEN holds, but may reorder or regroup the terms of an AND and
# an OR: in Splink's blocking each rule carries NOT (every earlier rule), and there it
# ran damerau_levenshtein on every pair of a desa (issue #9: 32 of the 37 s of blocking
# 50,000 rows, the first provincial night's linkage 1.6 times what it was).
def _only_where(guard: str, test: str) -> str:
    return f"(CASE WHEN {guard} THEN {test} ELSE false END)"


def _one_edit(a: str, b: str, k: int) -> str:
    """damerau_levenshtein(a, b) <= 1, computed only where it can hold. One edit (a
    character changed, dropped or added, two neighbours swapped) touches at most two
    neighbouring places, so two strings one edit apart differ in length by one at most
    and, when both have more than 2k characters, agree on their first k or their last
    k. The edit distance costs more than all the other comparisons of a pair together
    (issue #9)."""
    short = f"least(length({a}), length({b})) <= {2 * k}"
    ends = f"left({a}, {k}) = left({b}, {k}) OR right({a}, {k}) = right({b}, {k})"
    guard = f"abs(length({a}) - length({b})) <= 1 AND ({short} OR {ends})"
    return _only_where(guard, f"damerau_levenshtein({a}, {b}) <= 1")


# Sixteen digits, the first six the region of the card: a pair of one kecamatan agrees
# on them, so the guard reads seven.
_NUMBER_ENDS = 7
# Names alike as the `nama` levels above `holds_other` read them (a slip, a name
# written together): the `similar_core` level, and the blocking rules that compare
# the reports of one house whose names share no key or token.
_NAMES_ALIKE = (
    f"jaro_winkler_similarity({_CORE_L}, {_CORE_R}) >= 0.88 "
    "OR jaro_winkler_similarity(l.name_key, r.name_key) >= 0.92 OR "
    + _one_edit("l.name_key", "r.name_key", 2)
)
_CORE_TOKENS = "list_has_any(string_split(l.name_core, ' '), string_split(r.name_core, ' '))"


# One name key holds the other: every token of the held one in the other's, or the
# held key the start of the other (three letters at least: an initial says nothing).
def _holds(outer: str, held: str) -> str:
    return (
        f"(list_has_all({outer}.name_tokens, {held}.name_tokens) OR (length({held}.name_key) >= 3 "
        f"AND starts_with({outer}.name_key, {held}.name_key)))"
    )


# The held name keeps a token that few people carry (its core, features.py).
_HOLDS_RARE = (
    f"({_holds('l', 'r')} AND r.name_core IS NOT NULL) "
    f"OR ({_holds('r', 'l')} AND l.name_core IS NOT NULL)"
)
# Words written before a given name by habit (cluster.PREFIXES, ORDINALS): a held
# name of one of them alone is no call name.
_NOT_A_CALL_NAME = "[" + ", ".join(f"'{word}'" for word in sorted(PREFIXES | ORDINALS)) + "]"
_CALL_NAME = (
    f"(starts_with(l.name_key, r.name_key || ' ') "
    f"AND NOT list_contains({_NOT_A_CALL_NAME}, r.name_key)) "
    f"OR (starts_with(r.name_key, l.name_key || ' ') "
    f"AND NOT list_contains({_NOT_A_CALL_NAME}, l.name_key))"
)
_DOB_DIGITS_L = "strftime(l.dob, '%Y%m%d')"
_DOB_DIGITS_R = "strftime(r.dob, '%Y%m%d')"
_BOTH_FULL = "l.dob_kind = 'full' AND r.dob_kind = 'full'"
# Two full dates one typo apart (YYYYMMDD, eight digits each: a digit changed or two
# neighbours swapped): the year agrees, or the day does (a swap across the year and the
# month). Only those pairs pay for the edit distance.
_DOB_ONE_TYPO = _only_where(
    "year(l.dob) = year(r.dob) OR day(l.dob) = day(r.dob)",
    f"damerau_levenshtein({_DOB_DIGITS_L}, {_DOB_DIGITS_R}) <= 1",
)
# One of the two years is a guess: an age, an estimated placeholder year or a
# year written alone, not a full date (written, or the one the NIK gives).
# GUESS_SPREAD is how far two guesses of one person may lie apart (the conflict
# rules refuse beyond it).
_GUESS = f"NOT ({_BOTH_FULL})"
_NIK_ANY_L = "coalesce(l.nik, l.nik_partial)"
_NIK_ANY_R = "coalesce(r.nik, r.nik_partial)"
# The two addresses share a word (Dsn. Krajan, Jl. Mawar: features._address_tokens).
_ADDRESS = "list_has_any(l.address_tokens, r.address_tokens)"
# One desa, a shared address word, the RT/RW left out on one side (not another RT/RW).
_HOUSE_RT_RW_UNKNOWN = (
    f"l.kode_desa = r.kode_desa AND {_ADDRESS} AND (l.rt_rw IS NULL OR r.rt_rw IS NULL)"
)
# Both rows without a home (features.no_fixed_home), in one kabupaten.
_NO_HOME_KABUPATEN = "l.no_fixed_home AND r.no_fixed_home AND l.kode_kabupaten = r.kode_kabupaten"
# One desa, the address left out on one side (the `wilayah` level desa_address_unknown).
_DESA_ADDRESS_UNKNOWN = (
    "l.kode_desa = r.kode_desa AND (l.address_tokens IS NULL OR r.address_tokens IS NULL)"
)
# A pair the `wilayah` comparison weighs at one of its no_fixed_home_kabupaten levels:
# both kecamatan known (not its null level), and not one desa and public place or one
# desa and an address left out (a Gelandangan row without one: levels above them). No
# other level above them can hold two rows without an RT/RW.
_NO_HOME_WEIGHED_BY_WILAYAH = (
    f"{_NO_HOME_KABUPATEN} AND l.kode_kecamatan IS NOT NULL AND r.kode_kecamatan IS NOT NULL "
    f"AND NOT coalesce({_HOUSE_RT_RW_UNKNOWN}, false) "
    f"AND NOT coalesce({_DESA_ADDRESS_UNKNOWN}, false)"
)


# The two `wilayah` levels of two rows without a home, and the pairs each holds as
# the comparison reads them (first matching level wins). Few rows of a kabupaten
# carry no home, so Splink's 1e6 random pairs hold only a handful of such pairs and
# their u moved by a factor of 7 between worlds (1.5 bits: docs/PERFORMANCE.md,
# branch nopaper4). The same share is counted over every pair instead
# (`_counted_u`): a join of the homeless rows within their kabupaten, cheap.
_SAME_CATEGORY = "coalesce(l.ppks_kode = r.ppks_kode, false)"
_NO_HOME = _NO_HOME_WEIGHED_BY_WILAYAH
COUNTED_U = {
    "wilayah": {
        "no_fixed_home_kabupaten_same_category": f"{_NO_HOME} AND {_SAME_CATEGORY}",
        "no_fixed_home_kabupaten": f"{_NO_HOME} AND NOT {_SAME_CATEGORY}",
    }
}

# Their m is counted too (issue #10, branch evidence29). EM learns m on the pairs of its
# blocks (one NIK; one name key and birth year), and a person without a home is mostly a
# person without papers or a known birth date (SOURCES.md: "people without papers are
# exactly the people this data is about"; field practice), whose pairs seldom reach
# either block: on the held-out world seed 13 EM gave the two levels +8.1 and +3.7 bits
# where the true pairs give +9.4 and +5.5, and an exact name of a homeless person found
# in two kecamatan stayed in review. A person without a home is without one at each
# report (field practice: it is where they are found that changes, not that they have
# no house), so the share of one person's report pairs that both carry no home is the
# share of rows without one (those reported as often as the others), and the PPKS
# category splits it as it splits any person's reports (`jenis_ppks` same, from EM).
# Rows without a kecamatan are left out: their pairs fall in the null level.
COUNTED_M = {
    "wilayah": {
        "no_fixed_home_kabupaten_same_category": "same_category",
        "no_fixed_home_kabupaten": "other_category",
    }
}
NO_HOME_SHARE_SQL = (
    "SELECT avg(CASE WHEN no_fixed_home AND kode_kecamatan IS NOT NULL THEN 1 ELSE 0 END) "
    "FROM link_input"
)


def _level(sql: str, label: str, m: float, u: float, **extra) -> dict:
    return {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
        **extra,
    }


def _null(sql: str) -> dict:
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


def _else(m: float, u: float) -> dict:
    return _level("ELSE", "else", m, u)


# The year agrees and one side is not a full date. Fixed, as the two levels of years
# within a tolerance (`tanggal_lahir`): m, an age is one of two years (0.55 equal);
# u, two persons' years over some sixty years (1/60).
_YEAR_KNOWN_AGREES = _level(
    f"NOT ({_BOTH_FULL}) AND l.birth_year = r.birth_year",
    "year_known_agrees",
    0.55,
    1 / 60,
    fix_m_probability=True,
    fix_u_probability=True,
)


# Each comparison: output name, levels (first match wins). The m/u values are
# priors (used only when a night is too small to train or a level is unseen).
COMPARISONS: list[dict] = [
    {
        "output_column_name": "nik",
        "comparison_description": "NIK: exact, 15 digits (Excel damage), one typo, "
        "a 15/17-digit NIK one digit off",
        "comparison_levels": [
            _null(f"{_NIK_ANY_L} IS NULL OR {_NIK_ANY_R} IS NULL"),
            _level(
                f"l.nik = r.nik AND {_NOT_DAMAGED} AND NOT l.nik_disagrees AND NOT r.nik_disagrees",
                "exact",
                0.80,
                1e-6,
            ),
            _level(
                f"l.nik = r.nik AND {_NOT_DAMAGED}",
                "exact_row_disagrees",
                0.03,
                5e-6,
            ),
            _level(
                "l.nik15 = r.nik15 AND (l.nik_damaged OR r.nik_damaged)",
                "first_15_digits",
                0.12,
                5e-6,
            ),
            _level(
                _one_edit("l.nik", "r.nik", _NUMBER_ENDS)
                + " OR ((l.nik_damaged OR r.nik_damaged) AND "
                + _one_edit("l.nik15", "r.nik15", _NUMBER_ENDS)
                + ")",
                "one_typo",
                0.03,
                2e-5,
            ),
            # SOURCES.md: NIKs of 15 or 17 digits; one digit dropped or doubled.
            _level(
                "(l.nik IS NULL OR r.nik IS NULL) "
                f"AND levenshtein({_NIK_ANY_L}, {_NIK_ANY_R}) <= 1",
                "length_damaged",
                0.03,
                2e-5,
            ),
            _else(0.02, 0.99997),
        ],
    },
    {
        "output_column_name": "nama",
        "comparison_description": "Name key (bin/binti part apart), core without common tokens",
        "comparison_levels": [
            _null("l.name_key IS NULL OR r.name_key IS NULL"),
            _level(
                "l.name_key = r.name_key",
                "exact",
                0.80,
                2e-4,
                tf_adjustment_column="name_key",
                tf_adjustment_weight=1.0,
            ),
            # The whole key too: when a night's 1% rule calls every token but a typo
            # common, the cores alone no longer resemble each other.
            _level(
                f"l.name_tokens = r.name_tokens OR {_CORE_L} = {_CORE_R} "
                f"OR jaro_winkler_similarity({_CORE_L}, {_CORE_R}) >= 0.94 "
                "OR jaro_winkler_similarity(l.name_key, r.name_key) >= 0.95",
                "same_tokens_or_core",
                0.12,
                5e-4,
            ),
            _level(
                _NAMES_ALIKE,
                "similar_core",
                0.05,
                3e-3,
            ),
            # One name holds the other: a call name, a surname or a middle name left
            # out (ANISA / ANISA FIRMANSYAH), or its first letters (RAHMA /
            # RAHMAWATI AMINAH). Field practice (SOURCES.md: names shortened); the
            # conflict rules accept it too (cluster._names_differ). EM weighs it, and
            # the given-name term frequency (given_names.LEVELS) discounts a held name
            # that many people carry. A held name of only common tokens (INTAN, NUR)
            # stays in ELSE: it is as often the sister or the mother listed beside her
            # (a level for it cost precision on the held-out world: docs/PERFORMANCE.md).
            _level(_HOLDS_RARE, "holds_other", 0.03, 2e-3),
            # A call name (nama panggilan): the held name is the first words of the
            # other, of common tokens only (BAYU / BAYU ADITYA, NABILA / NABILA
            # RAMADAN). Field practice: a person is reported by the name they are
            # called by, which is the start of the full name; a sister or a mother
            # listed beside her shares another word, seldom the first (AULIA INDAH /
            # INDAH). EM weighs it apart from a held rare name.
            _level(_CALL_NAME, "call_name", 0.02, 2e-3),
            _level(_CORE_TOKENS, "shares_rare_token", 0.02, 1e-2),
            _else(0.01, 0.987),
        ],
    },
    {
        "output_column_name": "nasab",
        "comparison_description": "The bin/binti part (father's name), when both wrote it",
        "comparison_levels": [
            _null("l.nasab_key IS NULL OR r.nasab_key IS NULL"),
            _level("jaro_winkler_similarity(l.nasab_key, r.nasab_key) >= 0.9", "agree", 0.95, 0.01),
            _else(0.05, 0.99),
        ],
    },
    {
        # Compared by what is known of it, so that agreement never lands in a level
        # learned from disagreement: two full dates (exact, swapped day/month or one
        # typo: SOURCES.md), a year known only as a year, an age or an estimate
        # (placeholder 01-07-YYYY), each with its tolerance (features.year_tolerance).
        "output_column_name": "tanggal_lahir",
        "comparison_description": "Birth date by what is known: full dates exact, swapped or one "
        "typo, year-month; a year-only, age or estimated year equal or within its tolerance",
        "comparison_levels": [
            _null("l.dob_kind IS NULL OR r.dob_kind IS NULL"),
            # The year agrees and one side is not a full date (an age, a year alone, an
            # estimated placeholder): fixed, see below. Before `exact`: two equal
            # placeholders are not a known date. Their day and month are a convention for
            # an unknown date (SOURCES.md: `01-07-...`; 01-01 and 31-12 of the guessed
            # year too), so they agree on the estimated year only. Weighed as a full date
            # with its term frequency (+12 bits) two old namesakes of one kabupaten whose
            # ages were guessed alike linked (docs/PERFORMANCE.md, branch recall6).
            _YEAR_KNOWN_AGREES,
            # Splink's term frequencies need the bare equality.
            _level(
                "l.dob = r.dob",
                "exact",
                0.85,
                5e-5,
                tf_adjustment_column="dob",
                tf_adjustment_weight=1.0,
            ),
            _level(
                f"{_BOTH_FULL} AND ((year(l.dob) = year(r.dob) AND month(l.dob) = day(r.dob) "
                "AND day(l.dob) = month(r.dob)) "
                f"OR {_DOB_ONE_TYPO})",
                "swapped_or_typo",
                0.04,
                1e-3,
            ),
            _level(
                f"{_BOTH_FULL} AND year(l.dob) = year(r.dob) AND month(l.dob) = month(r.dob)",
                "year_month",
                0.01,
                1e-3,
            ),
            # These two levels and `year_known_agrees` are fixed, not trained: EM sees
            # them almost only on pairs whose NIKs agree and whose dates therefore come
            # from the NIK, so it cannot learn them. m is the share of one person's report pairs
            # inside the level (an age is one of two years; an estimate within three
            # years); u is the share of two persons' years that fall inside, for
            # birth years spread over some sixty years.
            _level(
                "abs(l.birth_year - r.birth_year) <= 1 "
                "AND greatest(l.year_tolerance, r.year_tolerance) >= 1",
                "year_within_1_of_age_or_estimate",
                0.45,
                2 / 60,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            _level(
                "abs(l.birth_year - r.birth_year) <= greatest(l.year_tolerance, r.year_tolerance)",
                "year_within_estimate",
                0.5,
                4 / 60,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            # Field practice: an age or a year written for someone who does not know
            # their birth date (the elderly, people without papers) is the reporter's
            # guess, made again at each report, and reported ages heap on round
            # numbers (40, 45, 50): one person's guesses, or a guess beside the real
            # date, lie several years apart, more for the old. Beyond the tolerance
            # they are a band EM weighs, not the `else` of two different dates.
            _level(
                f"{_GUESS} AND abs(l.birth_year - r.birth_year) <= {GUESS_SPREAD}",
                "year_guess_within_spread",
                0.1,
                0.1,
            ),
            _level("l.birth_year = r.birth_year", "year_full_dates_differ", 0.03, 0.012),
            _else(0.02, 0.9),
        ],
    },
    {
        "output_column_name": "jenis_kelamin",
        "comparison_description": "Gender (from the NIK when the row has none)",
        "comparison_levels": [
            _null("l.gender IS NULL OR r.gender IS NULL"),
            _level("l.gender = r.gender", "exact", 0.99, 0.5),
            _else(0.01, 0.5),
        ],
    },
    {
        "output_column_name": "kk",
        "comparison_description": "Family card number (No. KK)",
        "comparison_levels": [
            _null("l.kk IS NULL OR r.kk IS NULL"),
            _level("l.kk = r.kk AND NOT l.kk_damaged AND NOT r.kk_damaged", "exact", 0.85, 2e-5),
            _level("l.kk15 = r.kk15", "first_15_digits", 0.1, 3e-5),
            # SOURCES.md: numbers are mistyped (one digit, two swapped).
            _level(_one_edit("l.kk", "r.kk", _NUMBER_ENDS), "one_typo", 0.03, 5e-5),
            _else(0.05, 0.99995),
        ],
    },
    {
        # Region and address as one comparison. The desa, the address and its RT/RW are
        # not independent: two rows in one RT are in one desa, so weighing the desa and
        # the address apart counted the desa twice (their product of u is hundreds of
        # times smaller than the share of random pairs in one RT), and capping each
        # then under-counted one house. One comparison has its u measured on random
        # pairs as they fall (one RT of a desa is about 150 people: field practice),
        # and EM weighs each level. SOURCES.md: PSM `ALAMAT` "Dsn. Krajan RT 002 RW
        # 001", TKSK `Alamat`, `RT`, `RW`; desa names misspelled or blank (the desa
        # unknown, the kecamatan, address and RT/RW agree).
        "output_column_name": "wilayah",
        "comparison_description": "Region and address together: desa with the address and "
        "RT/RW, desa, kecamatan, kabupaten",
        "comparison_levels": [
            _null("l.kode_kecamatan IS NULL OR r.kode_kecamatan IS NULL"),
            _level(
                f"l.kode_desa = r.kode_desa AND {_ADDRESS} AND l.rt_rw = r.rt_rw",
                "desa_address_rt_rw",
                0.55,
                1e-4,
            ),
            # RT/RW left out on one side is not a different RT/RW.
            _level(
                _HOUSE_RT_RW_UNKNOWN,
                "desa_address_rt_rw_unknown",
                0.1,
                3e-5,
            ),
            # An address left out on one side is not another address.
            _level(
                _DESA_ADDRESS_UNKNOWN,
                "desa_address_unknown",
                0.0125,
                2e-4,
            ),
            # Both rows without a home, in one kabupaten (features.no_fixed_home): a
            # homeless person is reported wherever the TKSK finds them (field practice),
            # so another desa or kecamatan says nothing against the pair, and few rows of
            # a kabupaten carry no home. EM weighs it; u from the random pairs.
            # With the PPKS category, not apart from it: people without a home are
            # reported under a few categories (gelandangan, pengemis, pemulung), so two
            # of them share one far more often than two random rows do, and weighing the
            # category again in `jenis_ppks` counted that twice. Here u of each level is
            # measured on random pairs as they fall, homelessness and category together;
            # `jenis_ppks` leaves these pairs out (its level no_home).
            _level(
                f"{_NO_HOME_KABUPATEN} AND l.ppks_kode = r.ppks_kode",
                "no_fixed_home_kabupaten_same_category",
                0.009,
                1e-5,
            ),
            _level(_NO_HOME_KABUPATEN, "no_fixed_home_kabupaten", 0.001, 2e-5),
            _level("l.kode_desa = r.kode_desa", "desa_other_address", 0.05, 2e-3),
            _level(
                f"l.kode_kecamatan = r.kode_kecamatan AND {_ADDRESS} AND l.rt_rw = r.rt_rw",
                "kecamatan_address_rt_rw",
                0.02,
                2e-5,
            ),
            _level("l.kode_kecamatan = r.kode_kecamatan", "kecamatan", 0.1, 0.02),
            # The same address and RT/RW read in another kecamatan: a row placed wrong
            # (SOURCES.md: kecamatan misspelled, abbreviated) or a common dusun name
            # (Dsn. Krajan RT 1 RW 1 is in many desa). EM weighs which.
            _level(f"{_ADDRESS} AND l.rt_rw = r.rt_rw", "address_rt_rw_elsewhere", 0.01, 3e-4),
            _level("l.kode_kabupaten = r.kode_kabupaten", "kabupaten", 0.1, 0.2),
            _else(0.03, 0.78),
        ],
    },
]

COMPARISONS.append(
    {
        # SOURCES.md: TKSK `Tempat Lahir`, PSM `TEMPAT, TANGGAL LAHIR`.
        "output_column_name": "tempat_lahir",
        "comparison_description": "Birthplace, as written (letters only)",
        "comparison_levels": [
            _null("l.tempat_lahir IS NULL OR r.tempat_lahir IS NULL"),
            _level(
                "jaro_winkler_similarity(l.tempat_lahir, r.tempat_lahir) >= 0.92", "agree", 0.9, 0.2
            ),
            _else(0.1, 0.8),
        ],
    }
)

COMPARISONS.append(
    {
        # The PPKS category (SOURCES.md: "Jenis PPKS: one of the 26 categories") is the
        # condition the person is reported for: old age, a disability, no home, HIV,
        # poverty. It lasts from one month's report to the next (field practice: the
        # same lansia terlantar or penyandang disabilitas is reported each month), and
        # a reporter may file the person under a neighbouring category (gelandangan /
        # pengemis, lansia / fakir miskin). EM weighs both levels; u from random pairs.
        "output_column_name": "jenis_ppks",
        "comparison_description": "PPKS category reported",
        "comparison_levels": [
            _null("l.ppks_kode IS NULL OR r.ppks_kode IS NULL"),
            # Two rows without a home: the `wilayah` comparison weighs their category
            # with their homelessness (its no_fixed_home_kabupaten levels), so it counts
            # nothing here. Fixed at weight 0, as rumah_tangga's same_card is.
            _level(
                _NO_HOME_WEIGHED_BY_WILAYAH,
                "no_home",
                0.5,
                0.5,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            _level("l.ppks_kode = r.ppks_kode", "same", 0.8, 0.1),
            _else(0.2, 0.9),
        ],
    }
)

COMPARISONS.append(
    {
        # Household co-listing (features.py, household_tokens). SOURCES.md: "No. KK:
        # everyone on one card shares it"; reporters list a family together in one
        # sheet (one KK, or one address and RT/RW). Two reports of a person without
        # papers often list the same spouse or child beside them. A different roster
        # is no evidence against: each report lists only the members who are PPKS
        # that month, so the ELSE level is fixed at weight 0.
        "output_column_name": "rumah_tangga",
        "comparison_description": "Household: a member listed with the row agrees",
        "comparison_levels": [
            _null("l.household_tokens IS NULL OR r.household_tokens IS NULL"),
            # Co-listed under one family card: the kk comparison has counted that
            # card already, and its members come with it. Fixed at weight 0.
            _level(
                "l.kk15 = r.kk15",
                "same_card",
                0.5,
                0.5,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            _level(
                "list_has_any(l.household_tokens, r.household_tokens)", "member_agrees", 0.6, 0.02
            ),
            _level("ELSE", "else", 0.5, 0.5, fix_m_probability=True, fix_u_probability=True),
        ],
    }
)

# Candidate pairs: any pair that one of these rules admits is scored.
_NO_NIK_ON_A_ROW = "(l.nik IS NULL OR r.nik IS NULL)"


def _missing_on_one_side(column: str) -> tuple[str, str]:
    """`column` missing on l, or on r alone: together, missing on either row."""
    return f"l.{column} IS NULL", f"r.{column} IS NULL AND l.{column} IS NOT NULL"


BLOCKING_RULES = [
    "l.nik15 = r.nik15",
    "l.nik_head = r.nik_head AND l.birth_year = r.birth_year",
    "l.nik_tail = r.nik_tail AND l.kode_kabupaten = r.kode_kabupaten",
    "l.kk15 = r.kk15",
    "l.name_key = r.name_key AND l.birth_year = r.birth_year",
    "l.name_key = r.name_key AND l.kode_kecamatan = r.kode_kecamatan",
    "l.dob = r.dob AND l.kode_kecamatan = r.kode_kecamatan",
    "l.name_rarest = r.name_rarest AND l.kode_desa = r.kode_desa",
    "l.name_rarest = r.name_rarest AND l.dob = r.dob",
    "l.name_core = r.name_core AND l.kode_kabupaten = r.kode_kabupaten "
    "AND abs(l.birth_year - r.birth_year) <= 2",
    # A typo in the rarest token: the first or the last token still agrees, in one desa.
    "split_part(l.name_key, ' ', 1) = split_part(r.name_key, ' ', 1) AND l.kode_desa = r.kode_desa",
    "l.name_last = r.name_last AND l.kode_desa = r.kode_desa",
    # Without a NIK on either row no NIK rule finds the pair, and without a birth year
    # no rule above reaches another kecamatan. People without papers are the people
    # this data is about (SOURCES.md, "Rules for a row"): homeless people are reported
    # wherever the TKSK finds them, families move within the kabupaten (field practice,
    # MIN_WEIGHT_OF below). Bounded: one kabupaten, one name key, no NIK on either row.
    "l.name_key = r.name_key AND l.kode_kabupaten = r.kode_kabupaten "
    "AND l.nik IS NULL AND r.nik IS NULL",
    # People without papers are listed by name, desa and RT/RW (SOURCES.md: PSM `ALAMAT`
    # "Dsn. Krajan RT 002 RW 001", TKSK `RT`, `RW`), and names are mistyped: a one-token
    # name with one slip (KARSINAH / KARSNIAH, GALIH / GAILH) or written together
    # (EKOHOIRUL / EKO HOIRUL) shares no key, first or last token with the other report,
    # so no rule above compares two rows of one house. Bounded: one desa and RT/RW, a
    # row without a NIK, names alike as the `nama` levels above `holds_other` read them.
    # Two rules, by the side without a NIK (8.5% of a provincial night's rows): see the
    # next rule.
    *(
        f"l.kode_desa = r.kode_desa AND l.rt_rw = r.rt_rw AND {side} AND "
        + _only_where(f"l.rt_rw = r.rt_rw AND {_NO_NIK_ON_A_ROW}", f"({_NAMES_ALIKE})")
        for side in _missing_on_one_side("nik")
    ),
    # The same house with its RT/RW lost on one report: PSM `ALAMAT` is one free-text
    # cell ("Dsn. Krajan RT 002 RW 001") and a clerk often writes the dusun alone
    # (field practice), so rule 14's RT/RW equality misses the pair. Bounded as the
    # `wilayah` level `desa_address_rt_rw_unknown` reads one house: one desa, a shared
    # address word, the RT/RW missing on one side (not another RT/RW).
    # Written as two rules, by the side that lacks the RT/RW: a condition on one side
    # is applied before the join, which then pairs the few rows without an RT/RW (1.3%
    # on a provincial night) with their desa, not every row of a desa with every other
    # (21 million pairs, 14 s of that night's blocking, for a rule that one desa bounds).
    *(
        f"l.kode_desa = r.kode_desa AND {side} AND "
        + _only_where(f"{_HOUSE_RT_RW_UNKNOWN} AND {_NO_NIK_ON_A_ROW}", f"({_NAMES_ALIKE})")
        for side in _missing_on_one_side("rt_rw")
    ),
]
DETERMINISTIC_RULES = [
    "l.nik = r.nik AND l.name_key = r.name_key AND NOT l.nik_damaged AND NOT r.nik_damaged",
    "l.name_key = r.name_key AND l.dob = r.dob AND l.kode_desa = r.kode_desa",
]
EM_RULES = [
    "l.nik15 = r.nik15",
    "l.name_key = r.name_key AND l.birth_year = r.birth_year",
]
PRIOR_LAMBDA = 1e-4


def _splink_columns(sql: str) -> str:
    """Comparison SQL is written with l./r. like blocking rules; Splink 5 wants col_l/col_r."""
    return re.sub(r"\b([lr])\.(\w+)", r"\2_\1", sql)


def _comparisons_for_splink(comparisons: list[dict]) -> list[dict]:
    out = copy.deepcopy(comparisons)
    for comparison in out:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = _splink_columns(level["sql_condition"])
    return out


def settings_dict(
    comparisons: list[dict] | None = None,
    blocking_rules: list[str] | None = None,
    probability_two_random_records_match: float = PRIOR_LAMBDA,
) -> dict:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": probability_two_random_records_match,
        "comparisons": _comparisons_for_splink(
            comparisons if comparisons is not None else COMPARISONS
        ),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule}
            for rule in (blocking_rules if blocking_rules is not None else BLOCKING_RULES)
        ],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "linker_uid": "ppks",
        "em_convergence": 0.0001,
        "max_iterations": 25,
    }


@dataclass
class TrainedModel:
    settings: dict
    trained: bool
    notes: list[str]


def _quiet_splink() -> None:
    logging.getLogger("splink").setLevel(logging.WARNING)
    # Its warnings (default max_pairs, unobserved levels) are handled here: priors + notes.
    logging.getLogger("splink.internals.linker_components.training").setLevel(logging.ERROR)
    logging.getLogger("splink.internals.m_training").setLevel(logging.ERROR)
    logging.getLogger("splink.internals.expectation_maximisation").setLevel(logging.ERROR)


def _linker(con: duckdb.DuckDBPyConnection, settings: dict, table: str = "link_input"):
    return _linker_and_api(con, settings, table)[0]


def _linker_and_api(
    con: duckdb.DuckDBPyConnection,
    settings: dict,
    table: str = "link_input",
    *,
    validate: bool = True,
):
    """Splink's linker over ``table``. ``validate=False`` skips Splink's settings check
    (``Linker(validate_settings=False)``: its InvalidColumnsLogger parses every blocking
    rule and comparison level with sqlglot and looks up their columns, and only logs
    what it finds). Scoring passes it: its settings are the model `train` made from
    `settings_dict`, which Splink checked when it trained it, and
    tests/link/test_link_incremental.py checks them against the features' columns."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    frame = db_api.register(table)
    splink_settings = {
        k: v for k, v in settings.items() if k not in (GIVEN_NAME_TF, NEW_ROWS_MATCH_KEY)
    }
    linker = Linker(frame, splink_settings, log_level=None, validate_settings=validate)
    return linker, db_api


def _round(value, digits: int = 6):
    if not isinstance(value, float) or value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits}g}")


# Household fields are shared by the whole family and agree together (KK, desa,
# address): their weights are capped so that together they cannot outweigh a
# different name and birth date. No single level may weigh less than MIN_WEIGHT:
# clear contradictions are the conflict rules' job (cluster.py), not one weight's.
MAX_WEIGHT = {"kk": 8.0, "tempat_lahir": 2.0}
# The household a row is listed with is shared by the whole family, like its address.
MAX_WEIGHT["rumah_tangga"] = 4.0
MIN_WEIGHT = -10.0
# People move and homeless people are reported wherever the TKSK finds them
# (field practice; SOURCES.md: rows of one person in other sources and places):
# another kecamatan or address is weak evidence, whatever EM learns from a
# night in which nobody moved.
MIN_WEIGHT_OF = {"wilayah": -4.0, "tempat_lahir": -2.0}
# Family cards are re-issued (marriage, moving): another KK is not another person.
MIN_WEIGHT_OF["kk"] = -4.0


def _bounded_m(name: str, m: float, u: float, floor: float = -math.inf) -> float:
    weight = math.log2(m / u)
    low = max(MIN_WEIGHT_OF.get(name, MIN_WEIGHT), floor)
    bounded = min(max(weight, low), MAX_WEIGHT.get(name, math.inf))
    return m if bounded == weight else u * 2**bounded


def _else_weight(comparison: dict) -> float:
    last = comparison["comparison_levels"][-1]
    return math.log2(last["m_probability"] / last["u_probability"])


def _finish(trained: dict, prior: dict, notes: list[str]) -> dict:
    """Round every trained parameter; unseen or invalid levels take their prior; bound weights."""
    out = copy.deepcopy(trained)
    out["probability_two_random_records_match"] = _round(
        float(out["probability_two_random_records_match"])
    )
    for comparison, prior_comparison in zip(out["comparisons"], prior["comparisons"], strict=True):
        for level, prior_level in zip(
            comparison["comparison_levels"], prior_comparison["comparison_levels"], strict=True
        ):
            if level.get("is_null_level"):
                continue
            for key in ("m_probability", "u_probability"):
                value = level.get(key)
                if not isinstance(value, float | int) or not 0 < value <= 1:
                    notes.append(
                        f"{comparison['output_column_name']}.{level['label_for_charts']}: "
                        f"{key} not estimated, prior used"
                    )
                    value = prior_level[key]
                level[key] = _round(float(value))
        # The ELSE level is the comparison's plain disagreement: no level of partial
        # agreement may weigh less than it (issue #10: agreement never scores as
        # disagreement).
        name = comparison["output_column_name"]
        levels = comparison["comparison_levels"]
        if not levels[-1].get("is_null_level"):
            last = levels[-1]
            last["m_probability"] = _round(
                _bounded_m(name, last["m_probability"], last["u_probability"])
            )
        floor = _else_weight(comparison)
        for level in levels[:-1]:
            if level.get("is_null_level"):
                continue
            bounded = _bounded_m(name, level["m_probability"], level["u_probability"], floor)
            level["m_probability"] = _round(bounded)
    return out


def _aligned(trained: dict, prior: dict, notes: list[str]) -> dict:
    """The trained comparisons in the prior's order; any Splink left out take their prior.

    On rows in which no pair agrees by the deterministic rules (at least 400 rows of
    distinct people: a small first night), Splink estimates lambda as 0 and saves
    only some comparisons; scoring would then fail or link nothing.
    """
    out = copy.deepcopy(trained)
    lam = out.get("probability_two_random_records_match")
    if not isinstance(lam, float | int) or not 0 < lam < 1:
        notes.append(f"lambda estimated as {lam}; prior used")
        out["probability_two_random_records_match"] = prior["probability_two_random_records_match"]
    by_name = {c["output_column_name"]: c for c in out["comparisons"]}
    comparisons = []
    for comparison in prior["comparisons"]:
        name = comparison["output_column_name"]
        if name not in by_name:
            notes.append(f"{name}: not in the trained model, prior used")
        comparisons.append(copy.deepcopy(by_name.get(name, comparison)))
    out["comparisons"] = comparisons
    return out


def train(con: duckdb.DuckDBPyConnection, rows: int, *, seed: int = SEED) -> TrainedModel:
    """Train on table link_input without labels; deterministic for a given input."""
    _quiet_splink()
    prior = settings_dict()
    notes: list[str] = []
    if rows < MIN_ROWS_TO_TRAIN:
        notes.append(
            f"{rows} rows: too few to train, prior parameters used, no term-frequency adjustment"
        )
        untrained = _finish(prior, prior, notes)
        for comparison in untrained["comparisons"]:
            for level in comparison["comparison_levels"]:
                level.pop("tf_adjustment_column", None)
                level.pop("tf_adjustment_weight", None)
        return TrainedModel(untrained, False, notes)
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    try:
        linker = _linker(con, prior)
        try:
            linker.training.estimate_probability_two_random_records_match(
                DETERMINISTIC_RULES, recall=LAMBDA_RECALL
            )
        except Exception as exc:  # too few matches by the rules: keep the prior
            notes.append(f"lambda not estimated ({exc}); prior used")
        linker.training.estimate_u_using_random_sampling(
            max_pairs=U_MAX_PAIRS, seed=seed, min_count_per_level=None, num_chunks=1
        )
        con.execute("SET threads = 1")  # EM sums floats in one order: same values every run
        for rule in EM_RULES:
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True
                )
            except Exception as exc:
                notes.append(f"EM on {rule!r} failed ({exc}); priors kept for its comparisons")
        trained = linker.misc.save_model_to_json()
    finally:
        con.execute(f"SET threads = {int(threads)}")
    _set_counted_u(trained, _counted_u(con, rows))
    _set_counted_m(trained, con.execute(NO_HOME_SHARE_SQL).fetchall()[0][0] or 0.0)
    finished = _finish(_aligned(trained, prior, notes), prior, notes)
    log2_reference = given_names.reference(con)
    if log2_reference is not None:
        finished[GIVEN_NAME_TF] = {"log2_reference": log2_reference}
    return TrainedModel(finished, True, notes)


def _counted_u(con: duckdb.DuckDBPyConnection, rows: int) -> dict[tuple[str, str], float]:
    """u of the `COUNTED_U` levels: the share of all pairs of link_input that fall in
    each, as Splink's random sampling estimates it (matches included), from every
    pair instead of a sample. Only rows without a home in one kabupaten are joined."""
    total = rows * (rows - 1) / 2
    levels = [(name, label, sql) for name, by in COUNTED_U.items() for label, sql in by.items()]
    if not levels or total <= 0:
        return {}
    counts = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE {sql})" for _, _, sql in levels)
        + " FROM link_input AS l JOIN link_input AS r ON l.kode_kabupaten = r.kode_kabupaten "
        "AND l.unique_id < r.unique_id WHERE l.no_fixed_home AND r.no_fixed_home"
    ).fetchone()
    return {(name, label): n / total for (name, label, _), n in zip(levels, counts, strict=True)}


def _set_counted_u(trained: dict, counted: dict[tuple[str, str], float]) -> None:
    """Put the counted u in the trained model; a level no pair falls in keeps Splink's
    estimate (or its prior, `_finish`)."""
    for comparison in trained.get("comparisons", []):
        for level in comparison["comparison_levels"]:
            u = counted.get((comparison["output_column_name"], level.get("label_for_charts")))
            if u:
                level["u_probability"] = u


def _set_counted_m(trained: dict, no_home_share: float) -> None:
    """Put the counted m of the `COUNTED_M` levels in the trained model: the share of
    rows without a home, split by the trained share of one person's reports in one PPKS
    category. A night without a homeless row keeps EM's estimate (or the prior)."""
    by_name = {c["output_column_name"]: c for c in trained.get("comparisons", [])}
    same = next(
        (
            level.get("m_probability")
            for level in by_name.get("jenis_ppks", {}).get("comparison_levels", [])
            if level.get("label_for_charts") == "same"
        ),
        None,
    )
    if not no_home_share or not isinstance(same, float | int) or not 0 < same < 1:
        return
    share = {"same_category": no_home_share * same, "other_category": no_home_share * (1 - same)}
    for name, labels in COUNTED_M.items():
        for level in by_name[name]["comparison_levels"]:
            part = labels.get(level.get("label_for_charts"))
            if part:
                level["m_probability"] = share[part]


# On a night that scores only its new rows, each blocking rule is taken twice: with
# the new row on the left, and with the new row on the right and a stored row on the
# left. A pair between two stored rows was scored on an earlier night and keeps its
# weight. Written as one condition, (l.is_new OR r.is_new), the rule's join enumerated
# every pair of its block before dropping the stored-stored ones: a block holds every
# row of a person (or a family card) of all the months kept, so that work grew with
# the square of the history. A condition on one side alone is applied to that side
# before the join: each new row meets its block once.
NEW_ROWS_ONLY = ("l.is_new", "r.is_new AND NOT l.is_new")
# Set by only_new_pairs: match_key of the split rules is reported as the rule's own.
NEW_ROWS_MATCH_KEY = "ppks_new_rows_split_rules"


def only_new_pairs(settings: dict) -> dict:
    """The same model, blocking only pairs with at least one row flagged is_new.

    Rule i becomes rules 2i and 2i + 1 (`NEW_ROWS_ONLY`): together they admit exactly
    the pairs rule i admits that hold a new row, in the same order of rules, so a pair
    is found by the same rule as before; `predict` reports match_key i for both
    (`NEW_ROWS_MATCH_KEY`).
    """
    out = copy.deepcopy(settings)
    out["blocking_rules_to_generate_predictions"] = [
        {**rule, "blocking_rule": f"({rule['blocking_rule']}) AND {side}"}
        for rule in settings["blocking_rules_to_generate_predictions"]
        for side in NEW_ROWS_ONLY
    ]
    out[NEW_ROWS_MATCH_KEY] = True
    return out


# The view of the pairs handed to `predict`, while Splink scores them.
BLOCKED_PAIRS = "link_blocked_pairs"


def predict(
    con: duckdb.DuckDBPyConnection,
    settings: dict,
    *,
    floor_weight: float,
    term_frequencies: dict[str, pl.DataFrame] | None = None,
    token_frequencies: pl.DataFrame | None = None,
    blocked_pairs: pl.DataFrame | None = None,
    kept_sql: scoring_sql.Kept | None = None,
) -> ScoredPairs:
    """Score every blocked pair of table link_input; keep those with match_weight >= floor_weight.

    The pairs stay on `con`, in table link_pairs (pairs.py): unique_id_l, unique_id_r,
    match_weight, match_probability, match_key, and gamma_, mw_ (and mw_tf_adj_) of
    each comparison.
    term_frequencies: column -> lookup table (column, tf_column) over all rows
    ever loaded, so that a night of few rows weighs a common name as the whole
    warehouse does; without it Splink counts link_input itself.
    token_frequencies: token, tf (share of rows carrying it) for the given-name
    adjustment (given_names.py); without it that adjustment is left out.
    blocked_pairs: the pairs to score (match_key, join_key_l < join_key_r, as Splink's
    blocking writes them, e.g. `incremental.blocked_pairs_sql`); without it Splink blocks
    link_input by the settings' rules.
    kept_sql: the statements Splink sent for this model on an earlier night
    (scoring_sql.py), replayed when their key holds, without a Linker; otherwise Splink
    scores and what it sends is put in kept_sql.recorded, for the caller to keep. Only
    with blocked_pairs.
    """
    boost = given_names.max_boost(settings) if token_frequencies is not None else 0.0
    # Pairs given, Splink needs no blocking rule: it parsed each (sqlglot) three times a
    # predict for the columns they read, only to carry them in its table of pairs,
    # which nothing here reads (0.1 s of a 1%-new night's 1 s of scoring).
    scoring = (
        settings
        if blocked_pairs is None
        else {**settings, "blocking_rules_to_generate_predictions": []}
    )
    threshold = floor_weight - boost
    registered = {}
    for column, table in (term_frequencies or {}).items():
        name = f"link_tf_{column}"
        con.register(name, table)
        registered[name] = column
    if blocked_pairs is not None:
        con.register(BLOCKED_PAIRS, blocked_pairs)
    try:
        caching = kept_sql is not None and blocked_pairs is not None
        wanted = (
            scoring_sql.key(con, scoring, threshold, ["link_input", *registered])
            if caching
            else None
        )
        kept = kept_sql.statements(wanted) if caching else None
        scored_table = scoring_sql.replay(con, *kept) if kept is not None else None
        if scored_table is None:
            scored_table = _splink_predict(
                con,
                scoring,
                threshold,
                registered,
                blocked_pairs,
                kept_sql if caching else None,
                wanted,
            )
    finally:
        for name in [*registered, *([BLOCKED_PAIRS] if blocked_pairs is not None else [])]:
            con.unregister(name)
    adjusting = bool(boost) or token_frequencies is not None
    given = (
        given_names.adjust(con, scored_table, settings, token_frequencies) if adjusting else None
    )
    con.execute(
        f"CREATE OR REPLACE TABLE {PAIRS_TABLE} AS "
        + _pairs_select(settings, scored_table, given)
        + (" WHERE match_weight >= $floor" if adjusting else ""),
        {"floor": floor_weight} if adjusting else {},
    )
    con.execute(f"DROP TABLE IF EXISTS {scored_table}")
    if given:
        con.execute(f"DROP TABLE {given}")
    return ScoredPairs.of_table(con)


def _splink_predict(con, scoring, threshold, tf_tables, blocked_pairs, kept_sql, wanted) -> str:
    """Splink's predict over link_input with the registered tables; the name of its table
    of scored pairs. With kept_sql, what Splink sends DuckDB is recorded there."""
    _quiet_splink()
    linker, db_api = _linker_and_api(con, scoring, validate=False)
    for name, column in tf_tables.items():
        linker.table_management.register_term_frequency_lookup(db_api.register(name), column)
    if blocked_pairs is not None:
        linker.table_management.register_blocked_pairs_for_predict(db_api.register(BLOCKED_PAIRS))
    with scoring_sql.Recording(db_api) as recording:
        scored = linker.inference.predict(threshold_match_weight=threshold, warning_mode="never")
    if kept_sql is not None and recording.statements is not None:
        kept_sql.record(wanted, recording.statements, scored.physical_name)
    return scored.physical_name


def _pairs_select(settings: dict, source: str, given: str | None) -> str:
    """The pairs' columns from Splink's table, with the given-name adjustment (table
    `given`, when some pair has one) added to the weight, its probability and the name's
    tf part, as the Polars frame did before: w + 0.0 for a pair without one, and the
    probability recomputed for every pair once any pair is adjusted."""
    names = [c["output_column_name"] for c in settings["comparisons"]]
    add = " + coalesce(g._given, 0.0)" if given else ""
    parts = []
    for name, comparison in zip(names, settings["comparisons"], strict=True):
        parts.append(f"gamma_{name}, mw_{name}")
        if _has_tf(comparison):
            extra = add if name == given_names.COMPARISON else ""
            parts.append(f"coalesce(mw_tf_adj_{name}, 0){extra} AS mw_tf_adj_{name}")
    weight = f"s.match_weight{add}"
    match_key = (
        f"CAST(CAST(match_key AS INTEGER) // {len(NEW_ROWS_ONLY)} AS VARCHAR) AS match_key"
        if settings.get(NEW_ROWS_MATCH_KEY)
        else "match_key"
    )
    probability = f"1 / (1 + pow(2.0, -({weight})))" if given else "s.match_probability"
    source_sql = f"{source} AS s" + (
        f" LEFT JOIN {given} AS g USING (unique_id_l, unique_id_r)" if given else ""
    )
    return (
        "SELECT * FROM (SELECT unique_id_l, unique_id_r, "
        f"{weight} AS match_weight, {probability} AS match_probability, {match_key}, "
        f"{', '.join(parts)} FROM {source_sql})"
    )


def _has_tf(comparison: dict) -> bool:
    return any(level.get("tf_adjustment_column") for level in comparison["comparison_levels"])


def level_labels(settings: dict) -> dict[str, dict[int, str]]:
    """comparison -> gamma value -> level label (null is -1, else 0)."""
    out = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        labels: dict[int, str] = {}
        value = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
        for level in levels:
            if level.get("is_null_level"):
                labels[-1] = "null"
            else:
                labels[value] = level["label_for_charts"]
                value -= 1
        out[comparison["output_column_name"]] = labels
    return out
