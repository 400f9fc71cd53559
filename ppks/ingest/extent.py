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
import struct
import zipfile
import zlib
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
    heads = _plain_zip_heads(path)
    if heads is None:
        return _extents_by_zipfile(path)
    out: dict[str, tuple[int, int, str]] = {}
    for part, head in heads.items():
        extent = _extent(head)
        if extent is not None:
            out[part] = extent
    return out


def _extent(head: bytes) -> tuple[int, int, str] | None:
    match = _DIMENSION.search(head)
    if not match:
        return None
    letters = (match.group(3) or match.group(1) or b"A").decode()
    rows = int(match.group(4) or match.group(2) or b"1")
    return rows, column_number(letters), f"{letters.upper()}{rows}"


# The zip records read below (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
_EOCD = struct.Struct("<4s4H2LH")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_UTF8_NAME = 0x800
_DATA_DESCRIPTOR = 0x8


def _plain_zip_heads(path: Path) -> dict[str, bytes] | None:
    try:
        return _read_plain_zip_heads(path)
    except (struct.error, ValueError, OSError):
        return None  # zipfile says what is wrong, as it always did


def _read_plain_zip_heads(path: Path) -> dict[str, bytes] | None:
    """The first HEAD_BYTES of every worksheet part, read straight from the zip records;
    None for anything but a plain zip (a comment, zip64, encryption, data before the
    archive, a method other than stored or deflated), which ``zipfile`` reads instead.

    zipfile builds an object per member and a file object per part: on a night of
    thousands of small workbooks that was a fifth of the time calamine takes to read them.
    """
    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        if size < _EOCD.size + 20:
            return None
        fh.seek(size - _EOCD.size - 20)
        tail = fh.read()
        if tail[:4] == b"PK\x06\x07":  # a zip64 locator precedes the end record
            return None
        sig, disk, cd_disk, _, entries, cd_size, cd_offset, comment = _EOCD.unpack(tail[20:])
        if sig != b"PK\x05\x06" or comment or disk or cd_disk:
            return None
        if cd_offset + cd_size != size - _EOCD.size:
            return None  # data before the archive, or a zip64 archive
        fh.seek(cd_offset)
        directory = fh.read(cd_size)
        members: dict[str, tuple[int, int, int]] = {}
        at = 0
        for _ in range(entries):
            fields = _CENTRAL.unpack_from(directory, at)
            if fields[0] != b"PK\x01\x02":
                return None
            flags, method, csize, name_len = fields[3], fields[4], fields[8], fields[10]
            raw_name = directory[at + _CENTRAL.size : at + _CENTRAL.size + name_len]
            at += _CENTRAL.size + name_len + fields[11] + fields[12]
            name = raw_name.decode("utf-8" if flags & _UTF8_NAME else "cp437")
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            if flags & ~(_UTF8_NAME | _DATA_DESCRIPTOR) or method not in (0, 8):
                return None
            if "\x00" in name or 0xFFFFFFFF in (csize, fields[16]):
                return None
            members[name] = (fields[16], method, csize, raw_name)  # the last of a name, as zipfile
        heads = {}
        for name, (offset, method, csize, raw_name) in members.items():
            fh.seek(offset)
            local = _LOCAL.unpack(fh.read(_LOCAL.size))
            if local[0] != b"PK\x03\x04" or fh.read(local[9]) != raw_name:
                return None
            fh.seek(offset + _LOCAL.size + local[9] + local[10])
            heads[name] = _head(fh, method, csize)
            if heads[name] is None:
                return None
    return heads


def _head(fh, method: int, csize: int) -> bytes | None:
    if method == 0:
        return fh.read(min(csize, HEAD_BYTES))
    inflate = zlib.decompressobj(-15)
    head = b""
    left = csize
    while len(head) < HEAD_BYTES and left > 0:
        chunk = fh.read(min(left, 16 * 1024))
        if not chunk:
            return None
        left -= len(chunk)
        try:
            head += inflate.decompress(chunk, HEAD_BYTES - len(head))
        except zlib.error:
            return None
        if inflate.unconsumed_tail:
            break  # HEAD_BYTES reached
    return head


def _extents_by_zipfile(path: Path) -> dict[str, tuple[int, int, str]]:
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
            extent = _extent(head)
            if extent is not None:
                out[part] = extent
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
