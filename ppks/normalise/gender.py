"""Gender as written (L, LK, Laki-laki, Pria, 1, P, PR, Perempuan, Wanita, 2, ...) -> 'L' / 'P'."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from ppks.normalise._vector import map_unique

MISSING = "gender_missing"
UNRECOGNISED = "gender_unrecognised"

_FORMS = {
    "L": ("L", "LK", "LAKILAKI", "LAKI2", "LAKI", "LELAKI", "PRIA", "1", "M", "MALE", "COWOK"),
    "P": ("P", "PR", "PRP", "PEREMPUAN", "WANITA", "2", "W", "F", "FEMALE", "CEWEK"),
}
_LOOKUP = {form: code for code, forms in _FORMS.items() for form in forms}
_BLANKS = frozenset({"", "-", "?"})


class ParsedGender(NamedTuple):
    gender: str | None
    flags: tuple[str, ...]


@lru_cache(maxsize=1024)
def parse_gender(raw: str | None) -> ParsedGender:
    if raw is None or raw.strip() in _BLANKS:
        return ParsedGender(None, (MISSING,))
    text = raw.strip().upper()
    # '1.0' comes from a number cell read as text; spaces and dashes vary ('Laki - laki').
    text = re.sub(r"\.0+$", "", text)
    key = re.sub(r"[^A-Z0-9]", "", text)
    code = _LOOKUP.get(key)
    if code is None:
        return ParsedGender(None, (UNRECOGNISED,))
    return ParsedGender(code, ())


def parse_gender_series(raw: pl.Series) -> pl.DataFrame:
    """Vectorised `parse_gender`: columns gender, gender_flags."""
    schema = {"gender": pl.Utf8, "gender_flags": pl.List(pl.Utf8)}
    return map_unique([raw.cast(pl.Utf8)], parse_gender, schema)
