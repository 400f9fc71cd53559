"""Read the title above the header: a TKSK title block (Kecamatan, Kabupaten/Kota, Bulan)
or the title of a PSM list (`DATA PPKS DESA X`, `KECAMATAN Y KABUPATEN Z`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_LABEL = re.compile(
    r"^\s*(kecamatan|kec|kabupaten|kab|kota|bulan|periode)\b\.?\s*[:：]?\s*(.*)$", re.I
)


@dataclass(frozen=True)
class TitleBlock:
    kecamatan: str | None = None
    kabupaten: str | None = None
    bulan: str | None = None
    desa: str | None = None


# A place word inside a title line; a letter on neither side, so KELURAHAN is not KEL.
_PLACE_LABEL = re.compile(
    r"(?<![^\W\d_])(desa|kelurahan|kel|ds|kecamatan|kec|kabupaten|kab|kota)(?![^\W\d_])"
    r"\.?\s*[:：]?\s*",
    re.I,
)
_YEAR_TAIL = re.compile(r"\s*\b(?:tahun\s*)?(?:19|20)\d\d\b.*$", re.I)
_PLACE_KEY = {"kelurahan": "desa", "kel": "desa", "ds": "desa", "kec": "kecamatan",
              "kab": "kabupaten"}  # fmt: skip


def read_list_title(rows: list[tuple]) -> TitleBlock:
    """The place a PSM list's title names (SOURCES.md: "below a one- or two-line title")."""
    # Remembered by the rows' text: a PSM workbook repeats its title on every sheet.
    return _list_title(tuple(rows))


@lru_cache(maxsize=4_096)
def _list_title(rows: tuple[tuple, ...]) -> TitleBlock:
    """The title is free text: `DATA PPKS DESA KARANGREJO` then `KECAMATAN PURWOSARI
    KABUPATEN PASURUAN`, or `Desa : Kemiri`. Each place word starts a value that
    runs to the next place word (or a year): the first of each kind is kept.
    """
    found: dict[str, str] = {}
    for row in rows:
        text = " ".join(c.strip() for c in row if c is not None and c.strip())
        marks = list(_PLACE_LABEL.finditer(text))
        for mark, after in zip(marks, [*marks[1:], None], strict=False):
            value = text[mark.end() : after.start() if after else len(text)]
            value = _YEAR_TAIL.sub("", value).strip(" ,;:-")
            label = mark.group(1).lower()
            key = _PLACE_KEY.get(label, label)
            if key == "kota":
                key, value = "kabupaten", f"Kota {value}"
            if value:
                found.setdefault(key, value)
    return TitleBlock(found.get("kecamatan"), found.get("kabupaten"), None, found.get("desa"))


def read_title_block(rows: list[tuple]) -> TitleBlock:
    """``rows`` are the grid rows above the header.

    The value follows the label after a colon in the same cell, or sits in
    the next non-empty cell of the row. A ``Kota`` label keeps the word, so
    the place resolver can tell Kota Pasuruan from Kabupaten Pasuruan.
    """
    found: dict[str, str] = {}
    for row in rows:
        cells = [c.strip() for c in row if c is not None and c.strip()]
        if not cells:
            continue
        match = _LABEL.match(cells[0])
        if not match:
            continue
        label = match.group(1).lower()
        value = match.group(2).strip() or (cells[1] if len(cells) > 1 else "")
        value = value.lstrip(":： ").strip()
        if not value:
            continue
        key = {"kec": "kecamatan", "kab": "kabupaten", "periode": "bulan"}.get(label, label)
        if key == "kota":
            key = "kabupaten"
            if not value.lower().startswith("kota"):
                value = f"Kota {value}"
        found.setdefault(key, value)
    return TitleBlock(found.get("kecamatan"), found.get("kabupaten"), found.get("bulan"))
