import datetime as dt

import polars as pl
import pytest
from normalise_samples import has_noise, sample_rows

from ppks.normalise.dates import (
    age_to_birth_year,
    age_to_birth_year_series,
    parse_birth_date,
    parse_birth_date_series,
    parse_event_date,
    parse_event_date_series,
    parse_report_month,
    split_ttl,
)

REF = dt.date(2026, 10, 31)
D = dt.date


@pytest.mark.parametrize(
    ("raw", "numeric", "expected"),
    [
        ("1955-08-17", False, D(1955, 8, 17)),
        ("1955-08-17 00:00:00", False, D(1955, 8, 17)),
        ("17-08-1955", False, D(1955, 8, 17)),
        ("17/08/1955", False, D(1955, 8, 17)),
        ("17.08.1955", False, D(1955, 8, 17)),
        ("17 08 1955", False, D(1955, 8, 17)),
        ("'17-08-1955", False, D(1955, 8, 17)),
        ("17-08-1955 00:00", False, D(1955, 8, 17)),
        ("5-3-89", False, D(1989, 3, 5)),
        ("25-12-57", False, D(1957, 12, 25)),
        ("5-3-12", False, D(2012, 3, 5)),
        ("17 Agustus 1955", False, D(1955, 8, 17)),
        ("17 agt 1955", False, D(1955, 8, 17)),
        ("17-Agu-1955", False, D(1955, 8, 17)),
        ("17 Ags. 1955", False, D(1955, 8, 17)),
        ("4 Nopember 2022", False, D(2022, 11, 4)),
        ("30 Desember 1999", False, D(1999, 12, 30)),
        ("8 Mei 1979", False, D(1979, 5, 8)),
        ("17 October 1955", False, D(1955, 10, 17)),
        ("August 17, 1955", False, D(1955, 8, 17)),
        ("22366", True, D(1961, 3, 26)),
        ("40444.0", True, D(2010, 9, 23)),
        ("40444", False, D(2010, 9, 23)),
        ("27000.5", True, D(1973, 12, 2)),
        ("17081955", False, D(1955, 8, 17)),
        ("19550817", False, D(1955, 8, 17)),
        ("170855", False, D(1955, 8, 17)),
    ],
)
def test_written_dates(raw, numeric, expected):
    parsed = parse_birth_date(raw, numeric, REF)
    assert parsed.date == expected
    assert parsed.year == expected.year
    assert parsed.flags == ()


@pytest.mark.parametrize(
    ("raw", "numeric", "year", "flags"),
    [
        ("1987", True, 1987, ("dob_year_only",)),
        ("1987.0", True, 1987, ("dob_year_only",)),
        ("1987", False, 1987, ("dob_year_only",)),
        ("th. 1987", False, 1987, ("dob_year_only",)),
        ("Agustus 1987", False, 1987, ("dob_year_only",)),
        ("1850", False, 1850, ("dob_year_only", "dob_implausible")),
        ("2031", True, 2031, ("dob_year_only", "dob_implausible")),
    ],
)
def test_year_only(raw, numeric, year, flags):
    assert parse_birth_date(raw, numeric, REF) == (None, year, flags)


def test_day_and_month_swapped_only_when_month_is_impossible():
    assert parse_birth_date("03-17-1985", False, REF) == (
        D(1985, 3, 17),
        1985,
        ("dob_day_month_swapped",),
    )
    assert parse_birth_date("1985-17-03", False, REF).flags == ("dob_day_month_swapped",)
    # Both parts could be a month: read as DD-MM, the Indonesian order.
    assert parse_birth_date("03-11-1999", False, REF) == (D(1999, 11, 3), 1999, ())


@pytest.mark.parametrize("raw", ["01-01-1950", "31-12-1945", "01-07-1960", "1960-07-01"])
def test_placeholder_dates_are_kept_and_flagged(raw):
    parsed = parse_birth_date(raw, False, REF)
    assert parsed.date is not None
    assert parsed.flags == ("dob_placeholder",)


def test_implausible_dates_are_kept_and_flagged():
    assert parse_birth_date("17-08-1855", False, REF) == (
        D(1855, 8, 17),
        1855,
        ("dob_implausible",),
    )
    assert parse_birth_date("31-10-2026", False, REF).flags == ()
    assert parse_birth_date("02-11-2026", False, REF).flags == ("dob_implausible",)
    assert parse_birth_date("02-11-2026", False, D(2026, 11, 30)).flags == ()


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "?"])
def test_blank_is_missing(raw):
    assert parse_birth_date(raw, False, REF) == (None, None, ("dob_missing",))


@pytest.mark.parametrize("raw", ["tidak tahu kapan", "abc", "17-13-13", "12345678", "1/2"])
def test_text_that_is_no_date(raw):
    parsed = parse_birth_date(raw, False, REF)
    assert parsed.date is None
    assert parsed.flags == ("dob_unparseable",)


def test_impossible_calendar_day_keeps_the_year():
    assert parse_birth_date("31-02-1980", False, REF) == (None, 1980, ("dob_unparseable",))


def test_two_digit_year_pivots_to_the_past_of_the_reference():
    assert parse_birth_date("01-02-26", False, D(2026, 10, 31)).year == 2026
    assert parse_birth_date("01-02-27", False, D(2026, 10, 31)).year == 1927
    assert parse_birth_date("01-02-27", False, D(2030, 1, 1)).year == 2027


def test_event_dates():
    assert parse_event_date("2026-08-17") == D(2026, 8, 17)
    assert parse_event_date("2026-08-17 00:00:00") == D(2026, 8, 17)
    assert parse_event_date("17 Agustus 2026") == D(2026, 8, 17)
    assert parse_event_date("46251", True) == D(2026, 8, 17)
    assert parse_event_date("2026") is None
    assert parse_event_date("kemarin") is None
    assert parse_event_date(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Oktober 2026", D(2026, 10, 1)),
        ("OKTOBER 2026", D(2026, 10, 1)),
        ("Okt 2026", D(2026, 10, 1)),
        ("Okt. 2026", D(2026, 10, 1)),
        ("10/2026", D(2026, 10, 1)),
        ("10-2026", D(2026, 10, 1)),
        ("2026-10", D(2026, 10, 1)),
        ("2026-10-01 00:00:00", D(2026, 10, 1)),
        ("Bulan : Nopember 2026", D(2026, 11, 1)),
        ("Agustus, 2026", D(2026, 8, 1)),
        ("13/2026", None),
        ("Oktober", None),
        (None, None),
    ],
)
def test_report_month(raw, expected):
    assert parse_report_month(raw) == expected


@pytest.mark.parametrize(
    ("umur", "year", "flags"),
    [
        ("62", 1964, ("dob_from_age",)),
        ("62 th", 1964, ("dob_from_age",)),
        ("62 Tahun", 1964, ("dob_from_age",)),
        ("62.0", 1964, ("dob_from_age",)),
        ("0", 2026, ("dob_from_age",)),
        ("10 bulan", 2025, ("dob_from_age",)),
        ("140", 1886, ("dob_from_age", "dob_implausible")),
        (None, None, ("dob_missing",)),
        ("", None, ("dob_missing",)),
        ("tua", None, ("dob_unparseable",)),
    ],
)
def test_age_to_birth_year(umur, year, flags):
    assert age_to_birth_year(umur, D(2026, 9, 1)) == (year, flags)


@pytest.mark.parametrize(
    ("raw", "place", "date_text"),
    [
        ("Sidoarjo, 17-08-1955", "Sidoarjo", "17-08-1955"),
        ("PASURUAN 31-12-1951", "PASURUAN", "31-12-1951"),
        ("Pasuruan,14-07-1968", "Pasuruan", "14-07-1968"),
        ("MAGETAN, 12 Juni 1939", "MAGETAN", "12 Juni 1939"),
        ("BATU, 1986", "BATU", "1986"),
        ("JAKARTA TIMUR, 05-01-1984", "JAKARTA TIMUR", "05-01-1984"),
        ("17-08-1955", None, "17-08-1955"),
        ("1955-08-17 00:00:00", None, "1955-08-17 00:00:00"),
        ("Sidoarjo", "Sidoarjo", None),
        (None, None, None),
    ],
)
def test_split_ttl(raw, place, date_text):
    assert split_ttl(raw) == (place, date_text)


def test_series_keeps_order_types_and_matches_scalar():
    raw = pl.Series(["17-08-1955", None, "1987", "22366", "17-08-1955", "abc", "1987"])
    numeric = pl.Series([False, False, True, True, False, False, False])
    out = parse_birth_date_series(raw, numeric, REF)
    assert out.columns == ["dob", "dob_year", "dob_flags"]
    assert out.schema == {"dob": pl.Date, "dob_year": pl.Int32, "dob_flags": pl.List(pl.Utf8)}
    expected = [parse_birth_date(r, n, REF) for r, n in zip(raw, numeric, strict=True)]
    assert out["dob"].to_list() == [e.date for e in expected]
    assert out["dob_year"].to_list() == [e.year for e in expected]
    assert out["dob_flags"].to_list() == [list(e.flags) for e in expected]


def test_series_takes_a_reference_date_per_row():
    raw = pl.Series(["15-10-2026", "15-10-2026"])
    refs = pl.Series([D(2026, 9, 30), D(2026, 10, 31)])
    out = parse_birth_date_series(raw, False, refs)
    assert out["dob_flags"].to_list() == [["dob_implausible"], []]


def test_series_of_nothing():
    empty = pl.Series([], dtype=pl.Utf8)
    assert parse_birth_date_series(empty).height == 0
    nulls = pl.Series([None, None])
    assert parse_birth_date_series(nulls)["dob_flags"].to_list() == [["dob_missing"]] * 2


def test_event_and_age_series():
    dates = parse_event_date_series(pl.Series("tanggal", ["2026-08-17", None, "x"]))
    assert dates.name == "tanggal"
    assert dates.to_list() == [D(2026, 8, 17), None, None]
    ages = age_to_birth_year_series(pl.Series(["41", None]), D(2026, 9, 1))
    assert ages["dob_year"].to_list() == [1985, None]
    assert ages["dob_flags"].to_list() == [["dob_from_age"], ["dob_missing"]]


def _written_dob(row: dict) -> str | None:
    if row["w_dob"] is not None:
        return row["w_dob"]
    return split_ttl(row["w_ttl"])[1] if row["w_ttl"] else None


def test_sample_truth_birth_dates():
    rows = sample_rows()
    ambiguous = rows.select(has_noise("dob_year_only", "dob_swapped", "dob_placeholder"))
    checked = exact = 0
    for row, noisy in zip(rows.iter_rows(named=True), ambiguous.to_series(), strict=True):
        raw = _written_dob(row)
        if raw is None:
            continue
        parsed = parse_birth_date(raw, row["w_dob_type"] == "num", dt.date(2026, 12, 31))
        checked += 1
        exact += str(parsed.date) == row["dob"]
        if "dob_year_only" in row["noise"]:
            assert parsed == (None, int(raw), ("dob_year_only",))
        elif "dob_placeholder" in row["noise"]:
            assert "dob_placeholder" in parsed.flags
        elif not noisy:
            assert str(parsed.date) == row["dob"], (raw, row["dob"])
    # Year-only, placeholder and swapped-but-ambiguous dates cannot be recovered.
    assert checked > 300
    assert exact / checked >= 0.96


def test_sample_truth_ages():
    rows = sample_rows().filter(pl.col("w_umur").is_not_null())
    assert rows.height > 20
    reports = rows["bulan"].map_elements(parse_report_month, return_dtype=pl.Date)
    out = age_to_birth_year_series(rows["w_umur"], reports)
    truth = rows["dob"].str.slice(0, 4).cast(pl.Int32)
    # Report year minus age is the birth year or one after it.
    assert ((out["dob_year"] - truth).is_in([0, 1])).all()
    assert (out["dob_flags"].list.first() == "dob_from_age").all()
