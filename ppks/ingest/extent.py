"""How large each sheet of a workbook says it is, read from the zip before any grid is built.

calamine builds a sheet as one dense grid from A1 to its farthest cell: a
single stray cell at ``XFD999999`` asks for 16 billion cells (hundreds of GB)
and aborts the process. Every worksheet part of an .xlsx starts with a
``<dimension ref="A1:XFD999999"/>`` element (Excel, LibreOffice and
xlsxwriter all write it), so its first few kilobytes tell the extent cheaply.

A sheet whose declared extent is absurd is rejected whole as ``too_large``
rather than read as far as its used range: the reporter can see and delete
the stray cell, while guessing which cells are "the table" would load a file
that is not what was sent. A workbook without a dimension element is read
normally; its worker's memory limit (ppks.ingest.isolate) catches a lie.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

# Far above any real report (a few thousand rows by a few dozen columns),
# far below what one worker's memory can hold as Python cells.
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_CELLS = 10_000_000
HEAD_BYTES = 4096

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z]+)?(\d+)?(?::([A-Za-z]+)(\d+))?"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def declared_extents(path: Path) -> dict[str, tuple[int, int, str]]:
    """Worksheet part → (rows, columns, last cell) as declared; a part without one is absent."""
    out: dict[str, tuple[int, int, str]] = {}
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                continue
            try:
                with archive.open(part) as fh:
                    head = fh.read(HEAD_BYTES)
            except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
                continue  # calamine will say what is wrong with it
            match = _DIMENSION.search(head)
            if not match:
                continue
            letters = (match.group(3) or match.group(1) or b"A").decode()
            rows = int(match.group(4) or match.group(2) or b"1")
            out[part] = (rows, column_number(letters), f"{letters.upper()}{rows}")
    return out


def too_large(path: Path) -> str | None:
    """A plain sentence when a sheet declares an extent no report has; None otherwise."""
    try:
        extents = declared_extents(path)
        for part, (rows, cols, cell) in extents.items():
            if rows > MAX_SHEET_ROWS or rows * cols > MAX_SHEET_CELLS:
                # Only now is the sheet's name worth looking up.
                with zipfile.ZipFile(path) as archive:
                    names = {v: k for k, v in _sheet_parts(archive).items()}
                where = f"sheet '{names[part]}'" if part in names else "a sheet"
                return (
                    f"{where} reaches cell {cell} ({rows:,} rows by {cols:,} columns), "
                    "far beyond any report: delete the cells outside the table and send it again"
                )
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        return None  # not readable as a zip: the reader rejects it as corrupt
    return None


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its worksheet, through workbook.xml and its relationships."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _REL.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode()
            targets[attrs[b"Id"]] = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
    parts = {}
    for tag in _SHEET.findall(workbook):
        attrs = dict(_ATTR.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), None)
        if b"name" in attrs and rid in targets:
            parts[_unescape(attrs[b"name"].decode("utf-8", "replace"))] = targets[rid]
    return parts


def _unescape(text: str) -> str:
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")
