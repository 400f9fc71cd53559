"""Jenis PPKS as written (name, abbreviation, code, alias, typo) -> 'PPKS-01'..'PPKS-26'."""

from __future__ import annotations

import re

import polars as pl

from ppks.normalise._fuzzy import FuzzyIndex, compact
from ppks.normalise._vector import map_unique
from ppks.reference import categories

# Names in use in the field that the reference alias list lacks.
EXTRA_ALIASES = {
    "PPKS-01": ["balita terlantar"],
    "PPKS-03": ["anak berhadapan dengan hukum", "anak yang berkonflik dengan hukum"],
    "PPKS-05": ["anak cacat", "anak dengan disabilitas"],
    "PPKS-06": [
        "anak korban tindak kekerasan",
        "anak yang menjadi korban tindak kekerasan",
        "anak korban kekerasan",
    ],
    "PPKS-07": ["anak memerlukan perlindungan khusus"],
    "PPKS-08": ["manula", "lansia terlantar"],
    "PPKS-09": ["cacat", "disabel", "penyandang disabilitas"],
    "PPKS-10": ["psk", "pekerja seks komersial"],
    "PPKS-15": [
        "bekas warga binaan pemasyarakatan",
        "mantan napi",
        "mantan narapidana",
        "bekas narapidana",
        "eks narapidana",
    ],
    "PPKS-16": ["hiv", "orang dengan hiv aids"],
    "PPKS-17": ["korban narkoba", "napza"],
    "PPKS-18": ["korban trafiking"],
    "PPKS-19": ["korban kdrt"],
    "PPKS-20": ["pmi bermasalah", "buruh migran bermasalah"],
    "PPKS-21": ["korban bencana alam"],
    "PPKS-22": ["korban bencana sosial"],
    "PPKS-23": ["wanita rawan sosial ekonomi", "wrse"],
    "PPKS-24": ["gakin", "keluarga fakir miskin", "rumah tangga miskin"],
    "PPKS-26": ["masyarakat adat terpencil"],
}
PLACEHOLDERS = frozenset(
    compact(p)
    for p in ("", "-", "?", "lainnya", "lain lain", "lain", "dll", "tidak ada", "n/a", "na")
)
_CODE = re.compile(r"^(?:PPKS|PMKS)\s*[-_.:/]?\s*0*(\d{1,2})(?:\D.*)?$")
_NUMBERED = re.compile(r"^\d{1,2}\s*[.)]\s+")
_SHEET_LEAD = re.compile(r"^(?:DATA|DAFTAR|REKAP|REKAPITULASI)\b\s*(?:PPKS|PMKS)?\b\s*")
_SHEET_NOT_CATEGORY = re.compile(r"^(?:SHEET|LEMBAR|TAMBAHAN|BARU|LAINNYA|LAIN\s*LAIN)?\s*\d*$")


class CategoryResolver:
    """Resolve written PPKS categories against the 26 in ``ppks.reference.categories()``."""

    def __init__(self, table: pl.DataFrame | None = None):
        table = categories() if table is None else table
        self.codes = frozenset(table["kode"].to_list())
        self.names = dict(zip(table["kode"], table["nama"], strict=True))
        pairs: list[tuple[str, str]] = []
        for row in table.iter_rows(named=True):
            spellings = [row["nama"], row["singkatan"], row["kode"]]
            spellings += (row["alias"] or "").split("|") + EXTRA_ALIASES.get(row["kode"], [])
            pairs += [(compact(s), row["kode"]) for s in spellings if s]
        # Abbreviations are too short to tell a typo from another abbreviation:
        # only full names take part in the fuzzy search (min_length below).
        self.index = FuzzyIndex(pairs, threshold=0.85, margin=0.08)
        self._cache: dict[str, str | None] = {}

    def resolve(self, text: str | None) -> str | None:
        """The code ('PPKS-08') the text means, or None for blanks, placeholders and unknowns."""
        if text is None:
            return None
        if text not in self._cache:
            self._cache[text] = self._resolve(text)
        return self._cache[text]

    def _resolve(self, text: str) -> str | None:
        upper = re.sub(r"\s+", " ", text.upper()).strip()
        if m := _CODE.match(upper):
            code = f"PPKS-{int(m[1]):02d}"
            return code if code in self.codes else None
        upper = _NUMBERED.sub("", upper)
        key = compact(upper)
        if key in PLACEHOLDERS:
            return None
        return self.index.match(key, min_length=8)

    def resolve_sheet_name(self, name: str | None) -> str | None:
        """The category a PSM sheet name means ('Lansia', 'FM', 'Data Lansia').

        None for names that say nothing about a category: 'Sheet1', 'DATA', 'Rekap PPKS'.
        """
        if name is None:
            return None
        upper = _SHEET_LEAD.sub("", re.sub(r"\s+", " ", name.upper()).strip())
        if _SHEET_NOT_CATEGORY.match(upper):
            return None
        found = self.resolve(upper)
        if found is not None:
            return found
        # Excel cuts sheet names at 31 characters: accept a long unique prefix.
        key = compact(upper)
        if len(key) >= 15:
            hits = {code for spelled, codes in self.index.exact.items() for code in codes
                    if spelled.startswith(key)}  # fmt: skip
            if len(hits) == 1:
                return hits.pop()
        return None

    def resolve_series(self, text: pl.Series) -> pl.Series:
        """Vectorised `resolve`: a Utf8 Series named ppks_kode."""
        out = map_unique([text.cast(pl.Utf8)], lambda t: (self.resolve(t),), {"ppks_kode": pl.Utf8})
        return out.to_series()
