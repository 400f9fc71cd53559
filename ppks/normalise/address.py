"""RT and RW written inside the address (PSM lists, SLRT exports)."""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl

_RT_RW = re.compile(
    r"(?:\bRT\s*[./]?\s*(?P<rt>\d{1,3})\s*[/,]?\s*RW\s*[./]?\s*(?P<rw>\d{1,3}))"
    r"|(?:\bRT\s*/\s*RW\s*[.:]?\s*(?P<rt2>\d{1,3})\s*/\s*(?P<rw2>\d{1,3}))"
    r"|(?:(?<![\d/])(?P<rt3>\d{1,3})\s*/\s*(?P<rw3>\d{1,3})(?![\d/]))",
    re.IGNORECASE,
)


@lru_cache(maxsize=200_000)
def split_rt_rw(alamat: str | None) -> tuple[str | None, str | None, str | None]:
    """(address without RT/RW, RT, RW), RT and RW as three digits ('002')."""
    if alamat is None or not alamat.strip():
        return None, None, None
    match = _RT_RW.search(alamat)
    if match is None:
        return alamat.strip(), None, None
    groups = match.groupdict()
    rt = groups["rt"] or groups["rt2"] or groups["rt3"]
    rw = groups["rw"] or groups["rw2"] or groups["rw3"]
    rest = (alamat[: match.start()] + alamat[match.end() :]).strip(" ,.-")
    return (rest or None), rt.zfill(3), rw.zfill(3)


def pad_rt_rw(value: pl.Expr) -> pl.Expr:
    """'2' or '02' or '002' → '002'; anything that is not a number → null."""
    digits = value.str.strip_chars().str.extract(r"^0*(\d{1,3})$", 1)
    return digits.str.zfill(3)


def split_rt_rw_series(values: pl.Series) -> pl.DataFrame:
    triples = [split_rt_rw(v) for v in values.to_list()]
    return pl.DataFrame(
        {
            "alamat": [t[0] for t in triples],
            "rt": [t[1] for t in triples],
            "rw": [t[2] for t in triples],
        },
        schema={"alamat": pl.Utf8, "rt": pl.Utf8, "rw": pl.Utf8},
    )
