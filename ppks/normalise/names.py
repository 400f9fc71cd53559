"""Person names: titles, bin/binti, and a spelling-tolerant key for linkage."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from ppks.normalise._vector import map_unique

# Titles by their letters only -> the normal written form.
FRONT_TITLES = {
    "H": "H.", "HJ": "HJ.", "HJH": "HJ.", "KH": "KH.", "DRS": "DRS.", "DRA": "DRA.",
    "DR": "DR.", "IR": "IR.", "PROF": "PROF.", "NY": "NY.", "NYONYA": "NY.", "TN": "TN.",
    "TUAN": "TN.", "SDR": "SDR.", "SDRI": "SDRI.", "BPK": "BPK.", "BAPAK": "BPK.",
    "IBU": "IBU", "ALM": "ALM.", "ALMH": "ALMH.", "ALMARHUM": "ALM.", "ALMARHUMAH": "ALMH.",
    "UST": "UST.", "USTADZ": "UST.", "USTADZAH": "USTH.", "USTH": "USTH.",
}  # fmt: skip
BACK_TITLES = {
    "SPD": "S.PD.", "SPDI": "S.PD.I.", "SAG": "S.AG.", "SH": "S.H.", "SHI": "S.H.I.",
    "SE": "S.E.", "SSOS": "S.SOS.", "SKOM": "S.KOM.", "SIP": "S.IP.", "ST": "S.T.",
    "SKM": "S.KM.", "SKEP": "S.KEP.", "SSI": "S.SI.", "SP": "S.P.", "SKED": "S.KED.",
    "STP": "S.TP.", "SHUT": "S.HUT.", "SPSI": "S.PSI.", "SSOSI": "S.SOS.I.",
    "MPD": "M.PD.", "MSI": "M.SI.", "MM": "M.M.", "MAG": "M.AG.", "MH": "M.H.",
    "MKES": "M.KES.", "AMD": "A.MD.", "AMA": "A.MA.", "AMAPD": "A.MA.PD.", "AMK": "A.MK.",
    "AMKEB": "A.MD.KEB.", "AMDKEB": "A.MD.KEB.", "AMDKEP": "A.MD.KEP.", "ALM": "ALM.",
    "ALMH": "ALMH.", "ALMARHUM": "ALM.", "ALMARHUMAH": "ALMH.",
}  # fmt: skip
# Written without dots these could be part of a name; only strip them when dotted
# or after a comma.
_BARE_BACK_OK = frozenset(BACK_TITLES) - {"SE", "ST", "SP", "MM", "MH", "SH", "AMA", "SIP"}
NASAB_WORDS = frozenset({"BIN", "BINTI", "BT", "BINT"})
# Written in a name cell but naming nobody: total lines, Excel errors, "unknown".
_NOT_A_NAME = re.compile(
    r"^\s*(?:(?:JUMLAH|JML|TOTAL|SUB\s*TOTAL)\b.*"
    r"|#(?:N/A|NAME\?|REF!|VALUE!|DIV/0!|NULL!|NUM!)"
    r"|N/?A|NN|TANPA NAMA|(?:TIDAK|TDK) (?:DIKETAHUI|TAHU|ADA)|BELUM ADA)\s*$"
)


class NameParts(NamedTuple):
    nama: str | None  # upper case, titles removed
    gelar: str | None  # titles found, normal forms, space-joined
    inti: str | None  # nama without the bin/binti tail
    nasab: str | None  # the father's name after bin/binti


def _letters(token: str) -> str:
    return re.sub(r"[^A-Z]", "", token)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(token, after_comma) pairs; 'H.MAHRUS' splits, 'S.PD.I' stays whole."""
    out: list[tuple[str, bool]] = []
    for part_no, part in enumerate(text.split(",")):
        for raw in part.split():
            pieces = [raw]
            if "." in raw.rstrip(".") and _letters(raw) not in BACK_TITLES:
                pieces = [p + "." for p in raw.rstrip(".").split(".") if p]
                if not raw.endswith("."):
                    pieces[-1] = pieces[-1][:-1]
            out.extend((piece, part_no > 0) for piece in pieces if _letters(piece))
    return out


@lru_cache(maxsize=262_144)
def split_name(raw: str | None) -> NameParts:
    """Split a written name into nama, gelar (titles), inti and nasab (bin/binti)."""
    empty = NameParts(None, None, None, None)
    if raw is None or _NOT_A_NAME.match(raw.upper()):
        return empty
    text = raw.upper().replace("\u2019", "'").replace("`", "'")
    # Keep letters, apostrophes (SA'DIYAH), dots of abbreviations (MOCH.), commas.
    text = re.sub(r"[^A-Z'.,\s-]", " ", text).replace("-", " ")
    tokens = _tokens(text)
    titles: list[str] = []
    while len(tokens) > 1 and _letters(tokens[0][0]) in FRONT_TITLES:
        titles.append(FRONT_TITLES[_letters(tokens.pop(0)[0])])
    back: list[str] = []
    kept: list[str] = []
    for index, (token, after_comma) in enumerate(tokens):
        key = _letters(token)
        at_end = all(_letters(t) in BACK_TITLES for t, _ in tokens[index:])
        bare_ok = "." in token or key in _BARE_BACK_OK
        if kept and key in BACK_TITLES and (after_comma or (at_end and bare_ok)):
            back.append(BACK_TITLES[key])
        elif kept and after_comma and key in FRONT_TITLES:
            back.append(FRONT_TITLES[key])
        else:
            kept.append(token.strip("'"))
    kept = [t for t in kept if _letters(t)]
    if not kept:
        return empty
    nama = " ".join(kept)
    gelar = " ".join(titles + back) or None
    cut = next((i for i, t in enumerate(kept) if i > 0 and _letters(t) in NASAB_WORDS), None)
    if cut is None:
        return NameParts(nama, gelar, nama, None)
    return NameParts(nama, gelar, " ".join(kept[:cut]), " ".join(kept[cut + 1 :]) or None)


_MUHAMMAD = re.compile(r"^M[OU]E?(?:CH|KH|C|H)?[AE]?M+[AE][DT]$")
_MUHAMMAD_SHORT = frozenset({"M", "MOCH", "MOH", "MUH", "MUCH", "MHD", "MUHD", "MOHD", "MOCHD"})
_AHMAD = re.compile(r"^A(?:CH|KH|H)M[AE][DT]$")
_AHMAD_SHORT = frozenset({"ACH", "ACHM", "AHM", "AHMD"})
_ABDUL_SHORT = frozenset({"ABD", "ABDL"})
_OLD_SPELLING = (
    (re.compile(r"OE"), "U"),
    (re.compile(r"DJ"), "J"),
    (re.compile(r"TJ"), "C"),
    (re.compile(r"SJ"), "SY"),
    # Arabic kh is written CH (old), KH or H (CHOIRUL, KHOIRUL, HOIRUL), and
    # Javanese old CH is modern H (SOECHARTO, RACHMAT): all become H.
    (re.compile(r"[CK]H"), "H"),
    # Arabic th/dh are written with or without the H (THOHIR/TOHIR, DHOFIR/DOFIR).
    (re.compile(r"(?<=[TD])H"), ""),
    # A final Y after a consonant is a spelling of I (RIZKY/RIZKI, DEDY/DEDI).
    (re.compile(r"(?<=[^AIUEO])Y$"), "I"),
)


def _key_token(token: str) -> str:
    if token in _MUHAMMAD_SHORT or _MUHAMMAD.match(token):
        return "MUHAMMAD"
    if token in _AHMAD_SHORT or _AHMAD.match(token):
        return "AHMAD"
    if token in _ABDUL_SHORT:
        return "ABDUL"
    for pattern, replacement in _OLD_SPELLING:
        token = pattern.sub(replacement, token)
    if _MUHAMMAD.match(token):
        return "MUHAMMAD"
    if _AHMAD.match(token):
        return "AHMAD"
    # Doubled letters are a spelling choice (SITTI, MOHAMMAD) more than a difference.
    return re.sub(r"(.)\1+", r"\1", token)


@lru_cache(maxsize=262_144)
def name_key(nama: str | None) -> tuple[str | None, tuple[str, ...]]:
    """A linkage key: old spelling modernised, Muhammad/Ahmad/Abdul variants unified.

    Returns (key, tokens); key is the tokens joined with spaces, None without letters.
    """
    if nama is None:
        return None, ()
    words = re.sub(r"[^A-Z]", " ", nama.upper().replace("'", "")).split()
    tokens = tuple(_key_token(w) for w in words if w)
    if not tokens:
        return None, ()
    return " ".join(tokens), tokens


def split_name_series(raw: pl.Series) -> pl.DataFrame:
    """Vectorised `split_name` plus the key of inti: nama, gelar, inti, nasab, nama_key."""

    def row(value: str | None) -> tuple[str | None, ...]:
        parts = split_name(value)
        return (*parts, name_key(parts.inti)[0])

    schema = {name: pl.Utf8 for name in (*NameParts._fields, "nama_key")}
    return map_unique([raw.cast(pl.Utf8)], row, schema)
