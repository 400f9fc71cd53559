"""Flags of a loaded row (``source_record.flags``): code -> what it means.

A flag never rejects a row; it says what a reader of the row should doubt.
"""

from __future__ import annotations

FLAGS: dict[str, str] = {
    "nik_missing": "NIK empty or a placeholder (`-`, `0`, `belum ada`, `tidak ada`, ...)",
    "nik_malformed": (
        "after removing apostrophe, spaces, dots and dashes it is not 16 digits (15, 17, letters)"
    ),
    "nik_excel_damaged": (
        "the NIK was stored as a number: Excel kept 15 significant digits, the 16th is not "
        "trustworthy; also a NIK written as `3.57801E+15`"
    ),
    "nik_invalid_date": "16 digits but digits 7-12 are not a valid DDMMYY (DD may be +40)",
    "nik_dob_mismatch": "the birth date encoded in the NIK disagrees with the row's birth date",
    "nik_gender_mismatch": "the gender encoded in the NIK (DD > 40 = woman) disagrees with the row",
    "nik_region_mismatch": (
        "the kecamatan encoded in the NIK (digits 1-6) is not the row's kecamatan"
    ),
    "kk_missing": "as `nik_missing`, for No. KK",
    "kk_malformed": "as `nik_malformed`, for No. KK",
    "kk_excel_damaged": "as `nik_excel_damaged`, for No. KK",
    "dob_missing": "no birth date, no year, no age",
    "dob_unparseable": "something is written but it is not a date",
    "dob_year_only": "only a year is known",
    "dob_from_age": "only `Umur` is known; the birth year is estimated from it",
    "dob_placeholder": 'a date typical of "unknown": 01-01, 31-12 or 01-07 of any year',
    "dob_day_month_swapped": "written month > 12 and day <= 12: read as swapped",
    "dob_implausible": "before 1900 or after the report date",
    "gender_missing": "gender blank",
    "gender_unrecognised": "gender written but not one of the known forms",
    "desa_unresolved": "the kecamatan is known but the desa/kelurahan is not",
}

# The groups the quality marts count (mart_quality_kecamatan, mart_quality_reporter):
# a row "has a NIK problem" or "has a birth-date problem" when it carries one of them.
NIK_PROBLEM: tuple[str, ...] = (
    "nik_missing",
    "nik_malformed",
    "nik_excel_damaged",
    "nik_invalid_date",
)
DOB_PROBLEM: tuple[str, ...] = (
    "dob_missing",
    "dob_unparseable",
    "dob_placeholder",
    "dob_implausible",
)
GROUPS: dict[str, tuple[str, ...]] = {"nik_problem": NIK_PROBLEM, "dob_problem": DOB_PROBLEM}


def sql_list(group: tuple[str, ...]) -> str:
    """A group as a DuckDB list literal, as the marts write it: ['a', 'b']."""
    return "[" + ", ".join(f"'{flag}'" for flag in group) + "]"
