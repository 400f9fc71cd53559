"""Person names: titles, bin/binti, and a spelling-tolerant key for linkage."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from ppks.normalise._vector import as_series, with_fallback

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


_NON_LETTER = re.compile(r"[^A-Z]")


def _letters(token: str) -> str:
    return _NON_LETTER.sub("", token)


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
    # at_end[i]: every token from i on is a back title (computed once, from the end).
    at_end = [True] * (len(tokens) + 1)
    for index in range(len(tokens) - 1, -1, -1):
        at_end[index] = at_end[index + 1] and _letters(tokens[index][0]) in BACK_TITLES
    back: list[str] = []
    kept: list[str] = []
    for index, (token, after_comma) in enumerate(tokens):
        key = _letters(token)
        bare_ok = "." in token or key in _BARE_BACK_OK
        if kept and key in BACK_TITLES and (after_comma or (at_end[index] and bare_ok)):
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


# A doubled letter is a spelling choice (SITTI/SITI, MUHAMMAD/MUHAMAD, SA'ADAH/SADAH):
# every run of one letter loses one letter. A third is no spelling but a slip (a key
# pressed again, or a letter typed as its neighbours: SITI as SIII) and keeps its one
# letter, so that the slip stays one edit from the name, as any other slip is: cut to
# one letter, SIII would be SI, two edits from SITI, which the conflict rules
# (cluster._tokens_close) read as another name.
_RUN = re.compile(r"(.)\1(\1*)")
# Raise when name_key's output changes: the stored keys of earlier nights must then be
# computed again, and store.rules_fingerprint makes the next night retrain.
NAME_KEY_VERSION = 3
# Reporters shorten Siti to `St.` (HJ. ST. WARTINI: field practice, like SOURCES.md's
# `Moch.`, `M.`, `Muh.` for Muhammad). Written first, before another name, ST can only
# be Siti: the back title S.T. (Sarjana Teknik) follows the name, and split_name has
# removed it there when it was dotted.
_SITI_SHORT = "ST"
_SITI = "SITI"


def _key_token(token: str) -> str:
    if token in _MUHAMMAD_SHORT or _MUHAMMAD.match(token):
        return "MUHAMMAD"
    if token in _AHMAD_SHORT or _AHMAD.match(token):
        return "AHMAD"
    if token in _ABDUL_SHORT:
        return "ABDUL"
    for pattern, replacement in _OLD_SPELLING:
        token = pattern.sub(replacement, token)
    token = _RUN.sub(r"\1\2", token)
    if _MUHAMMAD.match(token):  # after the runs: MUHHAMMAD
        return "MUHAMMAD"
    if _AHMAD.match(token):
        return "AHMAD"
    return token


def written_words(nama: str) -> list[str]:
    """The words of a name as written (letters only, upper case), one per token of its
    key and in the same order: what `name_key` keys word by word."""
    words = re.sub(r"[^A-Z]", " ", nama.upper().replace("'", "")).split()
    if len(words) > 1 and words[0] == _SITI_SHORT:
        words[0] = _SITI
    return words


@lru_cache(maxsize=262_144)
def name_key(nama: str | None) -> tuple[str | None, tuple[str, ...]]:
    """A linkage key: old spelling modernised, Muhammad/Ahmad/Abdul variants unified.

    Returns (key, tokens); key is the tokens joined with spaces, None without letters.
    """
    if nama is None:
        return None, ()
    tokens = tuple(_key_token(w) for w in written_words(nama) if w)
    if not tokens:
        return None, ()
    return " ".join(tokens), tokens


# The common shape, split by Polars: words of letters, maybe with inner apostrophes
# (SA'DIYAH) or a final dot (M., MOCH.), separated by spaces. Without a title word
# `split_name` keeps every word as written, so nama is the upper-cased text; the
# first bin/binti after the first word cuts it into inti and nasab. Titles,
# commas, digits, other marks and non-ASCII take `split_name`.
_PLAIN_NAME = r"^ *[A-Za-z]+(?:'[A-Za-z]+)*\.?(?: +[A-Za-z]+(?:'[A-Za-z]+)*\.?)* *$"
_TITLE_WORD = rf"(?:^| )(?:{'|'.join(sorted(FRONT_TITLES.keys() | BACK_TITLES.keys()))})(?: |$)"
_NASAB = "|".join(sorted(NASAB_WORDS))
_HAS_NASAB = rf" (?:{_NASAB})(?: |$)"
_NASAB_CUT = rf"^(?<inti>.+?) (?:{_NASAB})(?: (?<nasab>.+))?$"


def _name_keys(inti: pl.Series) -> pl.Series:
    """Vectorised `name_key(inti)[0]`: each distinct word is keyed once in Python.

    `split_name` leaves only A-Z, apostrophes and dots in inti, so upper-casing
    is already done and `[^A-Z]` is the same set in Polars as in `re`.
    """
    text = inti.str.replace_all("'", "", literal=True).str.replace_all("[^A-Z]+", " ")
    text = text.str.strip_chars(" ").str.replace(f"^{_SITI_SHORT} ", f"{_SITI} ")
    words = text.replace("", None).str.split(" ")
    distinct = words.explode().drop_nulls().unique()
    keys = pl.Series([_key_token(word) for word in distinct], dtype=pl.Utf8)
    return words.list.eval(pl.element().replace_strict(distinct, keys)).list.join(" ")


def split_name_series(raw: pl.Series) -> pl.DataFrame:
    """Vectorised `split_name` plus the key of inti: nama, gelar, inti, nasab, nama_key."""
    raw = as_series(raw, raw.len(), pl.Utf8)
    upper = pl.col("raw").str.to_uppercase()
    nama = pl.col("nama")
    shape = (
        pl.DataFrame({"raw": raw})
        .select(
            plain=pl.col("raw").str.contains(_PLAIN_NAME)
            & ~upper.str.contains(_NOT_A_NAME.pattern),
            nama=upper.str.replace_all("  +", " ").str.strip_chars(" "),
        )
        # The words as `_letters` sees them.
        .with_columns(letters=nama.str.replace_all("['.]", ""))
        .with_columns(nasab=pl.col("letters").str.contains(_HAS_NASAB))
    )
    letters, nasab = pl.col("letters"), pl.col("nasab")
    # With bin/binti the cut is made on the written words: dots or apostrophes go to split_name.
    done = shape.select(
        pl.col("plain") & ~letters.str.contains(_TITLE_WORD) & (~nasab | (nama == letters))
    ).to_series()
    cut = nama.str.extract_groups(_NASAB_CUT).struct
    fast = shape.select(
        nama=nama,
        gelar=pl.lit(None, pl.Utf8),
        inti=pl.when(nasab).then(cut.field("inti")).otherwise(nama),
        nasab=pl.when(nasab).then(cut.field("nasab")),
    )
    parts = with_fallback(fast, done, [raw], split_name, dict.fromkeys(NameParts._fields, pl.Utf8))
    return parts.with_columns(nama_key=_name_keys(parts.get_column("inti")))
