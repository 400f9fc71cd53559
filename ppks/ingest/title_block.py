"""Read the TKSK title block: Kecamatan, Kabupaten/Kota and Bulan above the header."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABEL = re.compile(
    r"^\s*(kecamatan|kec|kabupaten|kab|kota|bulan|periode)\b\.?\s*[:：]?\s*(.*)$", re.I
)


@dataclass(frozen=True)
class TitleBlock:
    kecamatan: str | None = None
    kabupaten: str | None = None
    bulan: str | None = None


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
