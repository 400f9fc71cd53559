"""Dates as people write them: birth dates, event dates, report months, ages.

Input text is what the readers give (ppks.ingest.grid.cell_text): real date cells arrive as
``YYYY-MM-DD`` (maybe with ``00:00:00``), number cells as ``27000``/``27000.0``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from ppks.normalise._vector import (
    as_series,
    days_in_month,
    flag_lists,
    map_distinct,
    map_unique,
    with_fallback,
)

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_MAX = 80_000  # 2119-01-10; anything larger is not a date serial
YEAR_MIN = 1900
# A 4-digit integer is read as a year, not a serial: serials 1000..2999 would
# be dates in 1902-1908, which nobody in these reports was born on.
YEAR_LIKE = range(1000, 3000)

MISSING = "dob_missing"
UNPARSEABLE = "dob_unparseable"
YEAR_ONLY = "dob_year_only"
FROM_AGE = "dob_from_age"
PLACEHOLDER = "dob_placeholder"
SWAPPED = "dob_day_month_swapped"
IMPLAUSIBLE = "dob_implausible"
_FLAG_ORDER = (MISSING, UNPARSEABLE, YEAR_ONLY, FROM_AGE, PLACEHOLDER, SWAPPED, IMPLAUSIBLE)

PLACEHOLDER_DAYS = frozenset({(1, 1), (31, 12), (1, 7)})
_BLANKS = frozenset({"", "-", "--", "?", "0", "N/A", "NA", "TIDAK TAHU", "TDK TAHU", "TIDAK ADA"})

MONTHS = {
    "JANUARI": 1, "JANUARY": 1, "JAN": 1,
    "FEBRUARI": 2, "PEBRUARI": 2, "FEBRUARY": 2, "FEB": 2, "PEB": 2,
    "MARET": 3, "MARCH": 3, "MAR": 3, "MRT": 3,
    "APRIL": 4, "APR": 4,
    "MEI": 5, "MAY": 5,
    "JUNI": 6, "JUNE": 6, "JUN": 6,
    "JULI": 7, "JULY": 7, "JUL": 7,
    "AGUSTUS": 8, "AUGUST": 8, "AGU": 8, "AGT": 8, "AGS": 8, "AGST": 8, "AUG": 8,
    "SEPTEMBER": 9, "SEPT": 9, "SEP": 9,
    "OKTOBER": 10, "OCTOBER": 10, "OKT": 10, "OCT": 10,
    "NOVEMBER": 11, "NOPEMBER": 11, "NOV": 11, "NOP": 11,
    "DESEMBER": 12, "DECEMBER": 12, "DES": 12, "DEC": 12,
}  # fmt: skip

_TIME_TAIL = re.compile(r"[T\s]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_SEP = r"(?:\s*[-/.]\s*|\s+)"
_YMD = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})$")
_DMY = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{2}}|\d{{4}})$")
_D_MON_Y = re.compile(r"^(\d{1,2})\s*[-/. ,]?\s*([A-Z]{3,})\.?\s*[-/. ,]?\s*(\d{2}|\d{4})$")
_MON_D_Y = re.compile(r"^([A-Z]{3,})\.?\s+(\d{1,2})\s*,?\s*(\d{4})$")
_MON_Y = re.compile(r"^([A-Z]{3,})\.?\s*[-/. ,]\s*(\d{4})$")
_YEAR_WORD = re.compile(r"^(?:TAHUN|THN|TH)\.?\s*(\d{4})$")


class ParsedDate(NamedTuple):
    date: dt.date | None
    year: int | None
    flags: tuple[str, ...]


class _Read(NamedTuple):
    """What the text says, before birth-date judgement."""

    kind: str  # "date", "year", "blank", "bad"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    swapped: bool = False


def _month(word: str) -> int | None:
    return MONTHS.get(word) or MONTHS.get(word[:3])


def _full_year(text: str, ref_year: int) -> int:
    """Two-digit years pivot to the past: the latest year not after `ref_year`."""
    year = int(text)
    if len(text) > 2:
        return year
    century = ref_year - ref_year % 100
    return century + year if century + year <= ref_year else century - 100 + year


def _dmy(day: int, month: int, year: int) -> _Read:
    swapped = False
    if month > 12 and day <= 12:
        day, month, swapped = month, day, True
    try:
        dt.date(year, month, day)
    except ValueError:
        return _Read("bad", year)
    return _Read("date", year, month, day, swapped)


def _clean(raw: str) -> str:
    text = raw.strip().lstrip("'`").strip().upper()
    text = re.sub(r"\s+", " ", text)
    return _TIME_TAIL.sub("", text).strip()


def _read_number(text: str, is_numeric: bool, ref_year: int) -> _Read:
    if len(text) == 8 and text.isdigit():  # YYYYMMDD or DDMMYYYY typed as one number
        for year, month, day in ((text[:4], text[4:6], text[6:]), (text[4:], text[2:4], text[:2])):
            read = _dmy(int(day), int(month), int(year))
            if read.kind == "date" and not read.swapped and YEAR_MIN <= int(year) <= 2100:
                return read
        return _Read("bad")
    if len(text) == 6 and text.isdigit() and not is_numeric:  # DDMMYY typed as text
        return _dmy(int(text[:2]), int(text[2:4]), _full_year(text[4:], ref_year))
    value = float(text)
    if value.is_integer() and int(value) in YEAR_LIKE:
        return _Read("year", int(value))
    if 1 <= value <= SERIAL_MAX:
        day = EXCEL_EPOCH + dt.timedelta(days=int(value))
        return _Read("date", day.year, day.month, day.day)
    return _Read("bad")


@lru_cache(maxsize=65_536)
def _read(raw: str | None, is_numeric: bool, ref_year: int) -> _Read:
    if raw is None:
        return _Read("blank")
    text = _clean(raw)
    if text in _BLANKS:
        return _Read("blank")
    if text.endswith(".0") and _NUMBER.match(text):
        text = text[:-2]
    if _NUMBER.match(text):
        return _read_number(text, is_numeric, ref_year)
    if m := _YMD.match(text):
        return _dmy(int(m[3]), int(m[2]), int(m[1]))
    if m := _DMY.match(text):
        return _dmy(int(m[1]), int(m[2]), _full_year(m[3], ref_year))
    if (m := _D_MON_Y.match(text)) and (month := _month(m[2])):
        return _dmy(int(m[1]), month, _full_year(m[3], ref_year))
    if (m := _MON_D_Y.match(text)) and (month := _month(m[1])):
        return _dmy(int(m[2]), month, int(m[3]))
    if (m := _MON_Y.match(text)) and _month(m[1]):
        return _Read("year", int(m[2]))
    if m := _YEAR_WORD.match(text):
        return _Read("year", int(m[1]))
    return _Read("bad")


def _flags(found: set[str]) -> tuple[str, ...]:
    return tuple(flag for flag in _FLAG_ORDER if flag in found)


@lru_cache(maxsize=65_536)
def _birth(raw: str | None, is_numeric: bool, ref: dt.date) -> ParsedDate:
    read = _read(raw, is_numeric, ref.year)
    if read.kind == "blank":
        return ParsedDate(None, None, (MISSING,))
    if read.kind == "bad":
        return ParsedDate(None, read.year, (UNPARSEABLE,))
    found: set[str] = set()
    if read.kind == "year":
        found.add(YEAR_ONLY)
        if not YEAR_MIN <= read.year <= ref.year:
            found.add(IMPLAUSIBLE)
        return ParsedDate(None, read.year, _flags(found))
    day = dt.date(read.year, read.month, read.day)
    if read.swapped:
        found.add(SWAPPED)
    if (day.day, day.month) in PLACEHOLDER_DAYS:
        found.add(PLACEHOLDER)
    if day.year < YEAR_MIN or day > ref:
        found.add(IMPLAUSIBLE)
    return ParsedDate(day, day.year, _flags(found))


def parse_birth_date(
    raw: str | None, is_numeric: bool = False, ref_date: dt.date | None = None
) -> ParsedDate:
    """Read a birth date; `ref_date` (default today) is the latest plausible date.

    Pass the last day of the report month as `ref_date`. Returns the date (or
    None), the year (also for year-only and some unparseable text) and dob_* flags.
    """
    return _birth(raw, bool(is_numeric), ref_date or dt.date.today())


def parse_event_date(raw: str | None, is_numeric: bool = False) -> dt.date | None:
    """Read any full date (Tanggal Penanganan, tanggal_layanan); None if not a full date."""
    read = _read(raw, bool(is_numeric), dt.date.today().year)
    if read.kind != "date":
        return None
    return dt.date(read.year, read.month, read.day)


_REPORT_MONTH = (
    re.compile(r"^([A-Z]{3,})\.?\s*[-/ ,]?\s*(\d{4})$"),
    re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$"),
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?$"),
)


@lru_cache(maxsize=4096)
def parse_report_month(raw: str | None) -> dt.date | None:
    """'Oktober 2026', 'Okt 2026', '10/2026', '2026-10', a date cell -> the 1st of that month."""
    if raw is None:
        return None
    text = _clean(raw)
    text = re.sub(r"^BULAN\s*:?\s*", "", text)
    by_name, month_year, year_month = _REPORT_MONTH
    if m := by_name.match(text):
        month, year = _month(m[1]), int(m[2])
    elif m := month_year.match(text):
        month, year = int(m[1]), int(m[2])
    elif m := year_month.match(text):
        month, year = int(m[2]), int(m[1])
    else:
        return None
    if not month or not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    return dt.date(year, month, 1)


_AGE = re.compile(r"^(\d{1,3})(?:[.,]0+)?\s*(TAHUN|THN|TH|BULAN|BLN|BL)?\.?$")


@lru_cache(maxsize=4096)
def age_to_birth_year(
    umur: str | None, report_date: dt.date | None
) -> tuple[int | None, tuple[str, ...]]:
    """Umur (age in years at the report month, '62', '62 th', '6 bulan') -> estimated birth year.

    The estimate is report year minus age, which is right for people whose
    birthday has passed by the report month and one too high otherwise.
    """
    if umur is None or _clean(umur) in _BLANKS - {"0"}:
        return None, (MISSING,)
    report_date = report_date or dt.date.today()
    m = _AGE.match(_clean(umur))
    if not m:
        return None, (UNPARSEABLE,)
    amount, unit = int(m[1]), m[2] or "TAHUN"
    if unit.startswith("B"):
        months = report_date.year * 12 + report_date.month - 1 - amount
        year = months // 12
    else:
        year = report_date.year - amount
    flags = {FROM_AGE}
    if year < YEAR_MIN:
        flags.add(IMPLAUSIBLE)
    return year, _flags(flags)


_TTL = re.compile(
    r"^(?P<place>.*?)[\s,;/]*"
    r"(?P<date>\d{1,2}\s*[-/. ]\s*(?:\d{1,2}|[A-Za-z]{3,}\.?)\s*[-/. ,]\s*\d{2,4}"
    r"|\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s+[\d:]+)?"
    r"|\d{4,5}(?:\.0)?)\s*$"
)


@lru_cache(maxsize=65_536)  # a person's TTL comes back in each month's list of the desa
def split_ttl(raw: str | None) -> tuple[str | None, str | None]:
    """'Sidoarjo, 17-08-1955' / 'PASURUAN 31-12-1951' -> (place, date text).

    Without a recognisable date at the end the whole text is the place.
    """
    if raw is None or not raw.strip():
        return None, None
    text = raw.strip()
    m = _TTL.match(text)
    if not m:
        return text.strip(" ,;"), None
    place = m["place"].strip(" ,;/") or None
    return place, m["date"]


def _dates_schema() -> dict[str, pl.DataType]:
    return {"dob": pl.Date, "dob_year": pl.Int32, "dob_flags": pl.List(pl.Utf8)}


# The shapes most dates arrive in, read by Polars: a date cell (ISO, maybe with a
# midnight time), 'd-m-yyyy' / 'd/m/yyyy' / 'd.m.yyyy', and 'd Month yyyy'. `_read`
# takes each of them straight to `_dmy`; one needing a swap (month > 12), a
# two-digit year or a day the month lacks goes to the scalar path instead.
_PLAIN_ISO = r"^[12][0-9]{3}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}:[0-9]{2})?$"
_PLAIN_DMY = r"^(?<d>[0-9]{1,2})[-/.](?<m>[0-9]{1,2})[-/.](?<y>[12][0-9]{3})$"
_PLAIN_D_MONTH_Y = r"^(?<d>[0-9]{1,2}) +(?<m>[A-Za-z]{3,}) +(?<y>[12][0-9]{3})$"


def _month_number(word: pl.Expr) -> pl.Expr:
    """Vectorised `_month`: the whole word, else its first three letters."""
    word = word.str.to_uppercase()
    whole = word.replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
    return whole.fill_null(word.str.slice(0, 3).replace_strict(MONTHS, default=None))


def _plain_dates(raw: pl.Series) -> pl.DataFrame:
    """Columns date, day, month: the date where `raw` has a plain shape, else null."""
    text = pl.col("text")
    iso = text.str.contains(_PLAIN_ISO)
    dmy = text.str.extract_groups(_PLAIN_DMY).struct
    named = text.str.extract_groups(_PLAIN_D_MONTH_Y).struct
    year, month, day = pl.col("year"), pl.col("month"), pl.col("day")
    valid = month.is_between(1, 12) & day.is_between(1, days_in_month(year, month))
    # Lazy, so that the shared subexpressions (the regex matches) are computed once.
    return (
        pl.LazyFrame({"text": raw.str.strip_chars(" ")})
        .select(
            year=pl.when(iso)
            .then(text.str.slice(0, 4))
            .otherwise(pl.coalesce(dmy.field("y"), named.field("y"))),
            month=pl.when(iso)
            .then(text.str.slice(5, 2))
            .otherwise(pl.coalesce(dmy.field("m"), _month_number(named.field("m")).cast(pl.Utf8))),
            day=pl.when(iso)
            .then(text.str.slice(8, 2))
            .otherwise(pl.coalesce(dmy.field("d"), named.field("d"))),
        )
        .cast(pl.Int32)
        .select(date=pl.date(pl.when(valid).then(year), month, day), day=day, month=month)
        .collect()
    )


def _birth_dates(raw: pl.Series, is_numeric: pl.Series, ref: pl.Series) -> pl.DataFrame:
    date, day, month = pl.col("date"), pl.col("day"), pl.col("month")
    placeholder = pl.any_horizontal((day == d) & (month == m) for d, m in PLACEHOLDER_DAYS)
    implausible = (date.dt.year() < YEAR_MIN) | (date > pl.col("ref").fill_null(dt.date.today()))
    plain = _plain_dates(raw).with_columns(ref=ref)
    # A plain date gets no other flag: the shapes exclude swaps, unknown parts and blanks.
    flags = flag_lists(plain.select(**{PLACEHOLDER: placeholder, IMPLAUSIBLE: implausible}))
    fast = plain.select(dob=date, dob_year=date.dt.year(), dob_flags=flags)
    done = plain.get_column("date").is_not_null()
    keys = [raw, is_numeric, ref]
    return with_fallback(fast, done, keys, parse_birth_date, _dates_schema())


def parse_birth_date_series(
    raw: pl.Series,
    is_numeric: pl.Series | bool = False,
    ref_date: pl.Series | dt.date | None = None,
) -> pl.DataFrame:
    """Vectorised `parse_birth_date`: columns dob (Date), dob_year (Int32), dob_flags."""
    n = raw.len()
    keys = [
        as_series(raw, n, pl.Utf8),
        as_series(is_numeric, n, pl.Boolean).fill_null(False),
        as_series(dt.date.today() if ref_date is None else ref_date, n, pl.Date),
    ]
    # A person's birth date is written again in every month's report: read it once.
    return map_distinct(keys, _birth_dates)


def _event_dates(raw: pl.Series, is_numeric: pl.Series) -> pl.DataFrame:
    fast = _plain_dates(raw).select(done=pl.col("date").is_not_null(), date="date")

    def read(raw: str | None, numeric: bool) -> tuple[dt.date | None]:
        return (parse_event_date(raw, numeric),)

    return with_fallback(fast, fast.get_column("done"), [raw, is_numeric], read, {"date": pl.Date})


def parse_event_date_series(raw: pl.Series, is_numeric: pl.Series | bool = False) -> pl.Series:
    """Vectorised `parse_event_date`: a Date Series named like the input."""
    keys = [
        as_series(raw, raw.len(), pl.Utf8),
        as_series(is_numeric, raw.len(), pl.Boolean).fill_null(False),
    ]
    # Service dates repeat within a month's reports: read each distinct one once.
    return map_distinct(keys, _event_dates).to_series().alias(raw.name)


def age_to_birth_year_series(umur: pl.Series, report_date: pl.Series | dt.date) -> pl.DataFrame:
    """Vectorised `age_to_birth_year`: columns dob_year (Int32), dob_flags."""
    keys = [as_series(umur, umur.len(), pl.Utf8), as_series(report_date, umur.len(), pl.Date)]
    schema = {"dob_year": pl.Int32, "dob_flags": pl.List(pl.Utf8)}
    return map_unique(keys, age_to_birth_year, schema)
