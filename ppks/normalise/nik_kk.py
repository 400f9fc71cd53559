"""NIK and No. KK: cleaning, Excel damage, and what a NIK encodes.

What a NIK encodes is read by ``ppks.contract.nik`` (PPKKCC DDMMYY SSSS:
province, kabupaten, kecamatan, birth date with DD + 40 for women, serial).
A No. KK has the same length but no date.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from ppks.contract import nik as layout
from ppks.normalise._vector import as_series, days_in_month, flag_lists, with_fallback

_PLACEHOLDERS = frozenset(
    {
        "", "-", "--", "0", "?", "N/A", "NA", "X", "NIHIL", "KOSONG",
        "BELUM ADA", "TIDAK ADA", "BLM ADA", "TDK ADA", "BELUM PUNYA", "TIDAK PUNYA",
        "BLM PUNYA", "TDK PUNYA", "BELUM", "TIDAK", "TIDAK TAHU", "TDK TAHU",
    }
)  # fmt: skip
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?E\+?\d+$")
_NUMERIC_TEXT = re.compile(r"^\d+(?:\.\d+)?$")
_SEPARATORS = re.compile(r"[\s.\-_/,]+")
# The common shape, read by Polars: 16 digits, maybe '.0' from a number, maybe
# padded and quoted the way `_parse` strips them. Anything else takes `_parse`.
_WS, _QUOTES = " \t\r\n\u00a0", "'`\u2018\u2019\"=+"
_PLAIN_ID = (
    rf"^[{_WS}]*[{_QUOTES}]*[{_WS}]*[0-9]{{{layout.LENGTH}}}(?:\.0+)?[{_WS}]*[{_QUOTES}]*[{_WS}]*$"
)


class ParsedId(NamedTuple):
    value: str | None  # the 16 digits, or None
    digits: str | None  # whatever digits were written, for fuzzy linkage
    flags: tuple[str, ...]


class NikInfo(NamedTuple):
    birth_date: dt.date | None
    gender: str | None
    kode_kecamatan: str


def _number_digits(text: str) -> str | None:
    """Digits of the integer a number cell holds ('3514...0.0', '3.514134105e+15')."""
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0:
        return None
    return str(int(value))


@lru_cache(maxsize=262_144)
def _parse(raw: str | None, is_numeric: bool, prefix: str) -> ParsedId:
    missing = ParsedId(None, None, (f"{prefix}_missing",))
    if raw is None:
        return missing
    text = raw.strip().strip("'`\u2018\u2019\"=+").strip()
    if text.upper() in _PLACEHOLDERS or re.fullmatch(r"[-0\s.?]*", text):
        return missing
    damaged = is_numeric
    if _SCIENTIFIC.match(text.upper()) and not is_numeric:
        # The text shows a rounded number: the digits are gone.
        return ParsedId(None, None, (f"{prefix}_excel_damaged",))
    if is_numeric or (_NUMERIC_TEXT.match(text) and re.search(r"\.0+$", text)):
        # '3514...0000.0' in a text cell is a number converted to text on the way.
        digits = _number_digits(text)
        damaged = True
        if digits is None:
            return ParsedId(None, None, (f"{prefix}_malformed", f"{prefix}_excel_damaged"))
    else:
        digits = _SEPARATORS.sub("", text)
    if digits.strip("0") == "":
        return missing
    flags = []
    if len(digits) != layout.LENGTH or not digits.isdigit():
        flags.append(f"{prefix}_malformed")
    if damaged:
        flags.append(f"{prefix}_excel_damaged")
    if f"{prefix}_malformed" in flags:
        only_digits = re.sub(r"\D", "", digits) or None
        return ParsedId(None, only_digits, tuple(flags))
    if prefix == "nik" and not layout.date_valid(digits):
        flags.append("nik_invalid_date")
    return ParsedId(digits, digits, tuple(flags))


def parse_nik(raw: str | None, is_numeric: bool = False) -> ParsedId:
    """Clean a NIK; `is_numeric` is True when the cell was a number cell.

    Flags: nik_missing, nik_malformed, nik_excel_damaged, nik_invalid_date.
    A number cell keeps its 16 digits but is flagged: the 16th is not trustworthy.
    """
    return _parse(raw, bool(is_numeric), "nik")


def parse_kk(raw: str | None, is_numeric: bool = False) -> ParsedId:
    """Clean a No. KK: like `parse_nik` with kk_* flags and no date check."""
    return _parse(raw, bool(is_numeric), "kk")


def _nik_date(nik: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """(DD as written, born day, MM, YY) of a 16-digit NIK; null for other text.

    Collect lazily: the common subexpressions are then computed once.
    """
    date = layout.DATE
    ddmmyy = nik.str.slice(date.start, date.stop - date.start).cast(pl.Int32, strict=False)
    day, month, yy = ddmmyy // 10_000, ddmmyy // 100 % 100, ddmmyy % 100
    offset = layout.WOMAN_DAY_OFFSET
    return day, pl.when(day > offset).then(day - offset).otherwise(day), month, yy


def _nik_date_valid(nik: pl.Expr) -> pl.Expr:
    """Vectorised `layout.date_valid`: 29 Feb is valid when YY % 4 == 0, as in 20YY."""
    _, day, month, yy = _nik_date(nik)
    return month.is_between(1, 12) & (day >= 1) & (day <= days_in_month(2000 + yy, month))


def _id_series(raw: pl.Series, is_numeric: pl.Series | bool, prefix: str) -> pl.DataFrame:
    keys = [
        as_series(raw, raw.len(), pl.Utf8),
        as_series(is_numeric, raw.len(), pl.Boolean).fill_null(False),
    ]
    schema = {prefix: pl.Utf8, f"{prefix}_digits": pl.Utf8, f"{prefix}_flags": pl.List(pl.Utf8)}
    # Within _PLAIN_ID, stripping both sets at once is what `_parse` does in steps.
    text = pl.col("raw").str.strip_chars(_WS + _QUOTES)
    digits, damaged = pl.col("digits"), pl.col("damaged")
    fast = (
        pl.LazyFrame({"raw": keys[0], "numeric": keys[1]})
        .select(
            plain=pl.col("raw").str.contains(_PLAIN_ID),
            digits=text.str.slice(0, layout.LENGTH),
            # A number cell, or the text of one ('...0.0'): the 16th digit is not trustworthy.
            damaged=pl.col("numeric") | (text.str.len_bytes() > layout.LENGTH),
        )
        .with_columns(
            # A number loses its leading zeros in `_parse`, and all zeros is a placeholder.
            done=pl.col("plain")
            & pl.when(damaged)
            .then(digits.str.starts_with("0").not_())
            .otherwise(digits != "0" * layout.LENGTH),
            invalid=~_nik_date_valid(digits) if prefix == "nik" else pl.lit(False),
        )
        .collect()
    )
    flags = fast.select(
        pl.col("damaged").alias(f"{prefix}_excel_damaged"),
        pl.col("invalid").alias("nik_invalid_date"),
    )
    fast = fast.select(
        "done",
        digits.alias(prefix),
        digits.alias(f"{prefix}_digits"),
        flag_lists(flags).alias(f"{prefix}_flags"),
    )

    def parse(raw: str | None, numeric: bool) -> ParsedId:
        return _parse(raw, numeric, prefix)

    return with_fallback(fast, fast.get_column("done"), keys, parse, schema)


def parse_nik_series(raw: pl.Series, is_numeric: pl.Series | bool = False) -> pl.DataFrame:
    """Vectorised `parse_nik`: columns nik, nik_digits, nik_flags."""
    return _id_series(raw, is_numeric, "nik")


def parse_kk_series(raw: pl.Series, is_numeric: pl.Series | bool = False) -> pl.DataFrame:
    """Vectorised `parse_kk`: columns kk, kk_digits, kk_flags."""
    return _id_series(raw, is_numeric, "kk")


@lru_cache(maxsize=65_536)
def decode_nik(nik: str | None, ref_year: int | None = None) -> NikInfo | None:
    """Birth date, gender and dotted kecamatan code encoded in a 16-digit NIK.

    The century is guessed: 20YY unless that is after `ref_year` (default this
    year). birth_date and gender are None when the date part is invalid.
    """
    if not layout.is_nik_shaped(nik):
        return None
    kec = layout.kode_kecamatan(nik)
    if not layout.date_valid(nik):
        return NikInfo(None, None, kec)
    parts = layout.date_parts(nik)
    ref_year = ref_year or dt.date.today().year
    year = 2000 + parts.yy if 2000 + parts.yy <= ref_year else 1900 + parts.yy
    try:
        born = dt.date(year, parts.month, parts.day)
    except ValueError:  # 29 Feb in the other century
        born = dt.date(year - 100, parts.month, parts.day)
    return NikInfo(born, layout.gender_of(parts.day_written), kec)


@lru_cache(maxsize=262_144)
def nik_consistency(
    nik: str | None,
    dob: dt.date | None = None,
    birth_year: int | None = None,
    gender: str | None = None,
    kode_kecamatan: str | None = None,
) -> tuple[str, ...]:
    """Flags where the NIK disagrees with the row: dob, gender, region.

    Nothing is compared that the row does not know; with only a birth year the
    two-digit year is compared.
    """
    if not layout.is_nik_shaped(nik):
        return ()
    flags = []
    if layout.date_valid(nik):
        parts = layout.date_parts(nik)
        if dob is not None:
            if (parts.day, parts.month, parts.yy) != (dob.day, dob.month, dob.year % 100):
                flags.append("nik_dob_mismatch")
        elif birth_year is not None and parts.yy != birth_year % 100:
            flags.append("nik_dob_mismatch")
        if gender in ("L", "P") and gender != layout.gender_of(parts.day_written):
            flags.append("nik_gender_mismatch")
    if kode_kecamatan and nik[layout.REGION] != layout.region_digits(kode_kecamatan):
        flags.append("nik_region_mismatch")
    return tuple(flags)


def nik_consistency_series(
    nik: pl.Series,
    dob: pl.Series | None = None,
    birth_year: pl.Series | None = None,
    gender: pl.Series | None = None,
    kode_kecamatan: pl.Series | None = None,
) -> pl.Series:
    """Vectorised `nik_consistency`: a List(Utf8) Series named nik_consistency_flags."""
    n = nik.len()
    keys = [
        as_series(nik, n, pl.Utf8),
        as_series(dob, n, pl.Date),
        as_series(birth_year, n, pl.Int32),
        as_series(gender, n, pl.Utf8),
        as_series(kode_kecamatan, n, pl.Utf8),
    ]
    schema = {"nik_consistency_flags": pl.List(pl.Utf8)}
    nik_, dob_, year, sex, kec = (pl.col(f"k{i}") for i in range(5))
    day, born_day, month, yy = _nik_date(nik_)
    valid = _nik_date_valid(nik_)
    differs = (born_day != dob_.dt.day()) | (month != dob_.dt.month())
    differs = differs | (yy != dob_.dt.year() % 100)
    # Only when the row has no date is the year compared (a null year: no flag).
    differs = pl.when(dob_.is_not_null()).then(differs).otherwise(yy != year % 100)
    nik_sex = pl.when(day > layout.WOMAN_DAY_OFFSET).then(pl.lit("P")).otherwise(pl.lit("L"))
    region = kec.str.replace_all(".", "", literal=True)
    conditions = (
        pl.LazyFrame({f"k{i}": key for i, key in enumerate(keys)})
        .select(
            nik_dob_mismatch=valid & differs,
            nik_gender_mismatch=valid & sex.is_in(["L", "P"]) & (sex != nik_sex),
            nik_region_mismatch=(kec != "")
            & (nik_.str.slice(layout.REGION.start, layout.REGION.stop) != region),
        )
        .collect()
    )
    # Null NIKs get no flags; other text that is not 16 digits takes the scalar path.
    done = keys[0].is_null() | keys[0].str.contains(f"^[0-9]{{{layout.LENGTH}}}$")
    fast = flag_lists(conditions).alias("nik_consistency_flags").to_frame()

    def check(*key: object) -> tuple[tuple[str, ...]]:
        return (nik_consistency(*key),)

    return with_fallback(fast, done, keys, check, schema).to_series()
