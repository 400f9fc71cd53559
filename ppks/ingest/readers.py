"""Turn one inbox file into raw rows: one row per data row, every value as text.

The data rows of a sheet are the non-empty rows below the header up to the
first completely empty row (SOURCES.md); what follows (signatures, notes)
is not data. Each row keeps its identity (file name, sheet, Excel row
number) and its original cells (``raw_values``, in the sheet's column order;
the header texts are in ``FileRead.headers``).

Sheets are walked as Python rows and the file becomes one frame at the end:
a night has thousands of small sheets, and every frame operation has a
fixed cost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import repeat

import polars as pl

from ppks.ingest.grid import Sheet, cell_text, is_number, read_csv, read_xlsx
from ppks.ingest.headers import HEADER_SCAN_ROWS, find_header
from ppks.ingest.inbox import InboxFile
from ppks.ingest.sniff import FileRejected
from ppks.ingest.templates import TEMPLATES, Template
from ppks.ingest.title_block import read_list_title, read_title_block
from ppks.schemas.raw import RAW_FIELDS

CONTEXT_FIELDS = ("ctx_kecamatan", "ctx_kabupaten", "ctx_bulan", "ctx_sheet", "ctx_desa")
# Fields whose cell type is kept: a number cell there means something.
TYPED_FIELDS = ("nik", "kk", "tanggal_lahir")
_SEP = "\x1f"  # ASCII unit separator: never typed into a cell


@dataclass(frozen=True)
class SheetHeader:
    sheet: str
    header_row: int
    headers: tuple[str, ...]


# SOURCES.md: below the empty row a row "looks like data" when it has a name
# with a NIK, a date or a category in the header's columns.
DATE_FIELDS = ("tanggal_lahir", "tanggal_penanganan", "tanggal_layanan", "ttl")
_LETTER = re.compile(r"[^\W\d_]")
_NIK_LIKE = re.compile(r"\d{8}")


def count_data_like(rows: list[list], mapping: dict[str, int]) -> int:
    """Rows with a name in the name column and a NIK, a date or a PPKS category beside it."""

    def cell(row: list, field: str) -> str:
        j = mapping.get(field)
        return (cell_text(row[j]) or "").strip() if j is not None and j < len(row) else ""

    count = 0
    for row in rows:
        if not _LETTER.search(cell(row, "nama")):
            continue
        nik = _NIK_LIKE.search(cell(row, "nik").replace(" ", ""))
        if nik or cell(row, "jenis_ppks") or any(cell(row, f) for f in DATE_FIELDS):
            count += 1
    return count


@dataclass
class FileRead:
    columns: _Columns
    sheets: int
    empty_sheets: int
    headers: list[SheetHeader] = field(default_factory=list)
    note: tuple[str, str] | None = None  # (code, words) of a file loaded with a remark

    @property
    def raw(self) -> pl.DataFrame:
        return raw_frame([self.columns])

    @property
    def rows_below_blank(self) -> int:
        return self.columns.below_blank


def read_file(item: InboxFile) -> FileRead:
    """Raw rows of ``item``; raises FileRejected when the file cannot be loaded at all."""
    template = TEMPLATES[item.source]
    name = item.name.lower()
    if item.source == "slrt" and name.endswith(".csv"):
        sheets = [read_csv(item.path)]
    elif name.endswith((".xlsx", ".xlsm")):
        sheets = read_xlsx(item.path)
    elif name.endswith(".xls"):
        raise FileRejected(
            "xls", "old Excel 97-2003 workbook (.xls): save it as .xlsx and send it again"
        )
    else:
        raise FileRejected(
            "unsupported_type",
            f"'{item.name}' is not an .xlsx workbook"
            + (" or a .csv export" if item.source == "slrt" else ""),
        )
    columns = _Columns()
    headers = []
    for sheet in sheets:
        header = _read_sheet(sheet, template, item.name, columns)
        if header is not None:
            headers.append(header)
    if not headers:
        raise FileRejected("empty_workbook", "the file holds no data rows: every sheet is empty")
    return FileRead(
        columns=columns,
        sheets=len(sheets),
        empty_sheets=len(sheets) - len(headers),
        headers=headers,
        note=next((s.note for s in sheets if s.note), None),
    )


class _Columns:
    """Raw rows of a file, gathered column by column as Python lists.

    A column is made when a sheet first has it, and is None for the rows before: a
    template leaves most of the raw fields out, and extending each of them with None
    for every sheet of a night (55,000 sheets) cost more than the cells themselves.
    """

    def __init__(self) -> None:
        self.data: dict[str, list] = {}
        self.rows = 0
        self.below_blank = 0  # rows below a sheet's first empty row that look like data

    def __len__(self) -> int:
        return self.rows

    def column(self, name: str) -> list:
        """The column ``name`` as long as the rows so far (None where it was absent)."""
        values = self.data.get(name)
        if values is None:
            values = self.data[name] = [None] * self.rows
        elif len(values) < self.rows:
            values.extend([None] * (self.rows - len(values)))
        return values

    def add_column(self, name: str, value: object) -> None:
        self.data[name] = [value] * len(self)


def raw_frame(files: list[_Columns]) -> pl.DataFrame:
    """One frame from the rows of many files: building a frame has a fixed cost per column."""
    data = {name: _values(files, name) for name in _empty_raw().columns}
    frame = pl.DataFrame(data, schema=_empty_raw().schema | {"raw_values": pl.Utf8})
    # Joined in Python, split in Polars: building a list column from Python is slow. An
    # empty cell of a field is null; its text was kept as '' in Python, as raw_values
    # keeps it, and made null here in one pass rather than cell by cell.
    return frame.with_columns(
        pl.col("raw_values").str.split(_SEP),
        *(pl.when(pl.col(name) != "").then(pl.col(name)).alias(name) for name in RAW_FIELDS),
    )


def _values(files: list[_Columns], name: str) -> list:
    """The column ``name`` of many files, None where a file lacks it: one list, without a
    padded list per file first (a batch's files lack about half of the raw columns)."""
    parts = [f.data.get(name) for f in files]
    if all(part is None for part in parts):
        return [None] * sum(f.rows for f in files)
    out: list = []
    for f, part in zip(files, parts, strict=True):
        if part is not None:
            out += part
        out += repeat(None, f.rows - (len(part) if part is not None else 0))
    return out


def _read_sheet(
    sheet: Sheet, template: Template, file_name: str, out: _Columns
) -> SheetHeader | None:
    rows = sheet.rows
    top: list[tuple] = []  # the rows as text, converted only as far as the header search reads

    def as_text():
        for row in rows[:HEADER_SCAN_ROWS]:
            top.append(tuple(c if type(c) is str else cell_text(c) for c in row))
            yield top[-1]

    header_at, mapping = find_header(as_text(), template.must_have)
    where = f"sheet '{sheet.name}'" if sheet.name else "the file"
    missing = sorted(template.must_have - mapping.keys())
    if missing or not all(group & mapping.keys() for group in template.one_of):
        if not any((cell_text(c) or "").strip() for row in rows for c in row):
            return None  # an empty sheet, not a wrong one
        wanted = missing + [
            " or ".join(sorted(g)) for g in template.one_of if not g & mapping.keys()
        ]
        raise FileRejected(
            "wrong_template",
            f"{where}: no header of the {template.label} template (missing: {', '.join(wanted)})",
        )
    foreign = sorted(template.foreign & mapping.keys())
    if foreign:
        raise FileRejected(
            "wrong_template",
            f"{where}: the header has {', '.join(foreign)}, which the "
            f"{template.label} template does not have: is it in the right folder?",
        )
    context = {"ctx_sheet": sheet.name}
    if template.source == "tksk":
        title = read_title_block(top[:header_at])
        if not title.kecamatan or not title.kabupaten:
            raise FileRejected(
                "wrong_template",
                f"{where}: the title block above the header has no Kecamatan "
                "or Kabupaten/Kota line",
            )
        context |= {
            "ctx_kecamatan": title.kecamatan,
            "ctx_kabupaten": title.kabupaten,
            "ctx_bulan": title.bulan,
        }
    elif template.source == "psm":
        # The list's place when its rows do not say it (normalise.place.resolve_list_frame).
        title = read_list_title(top[:header_at])
        context |= {
            "ctx_kecamatan": title.kecamatan,
            "ctx_kabupaten": title.kabupaten,
            "ctx_desa": title.desa,
        }
    first = header_at + 1
    block, below = _data_block(rows, first)
    if below is not None:
        out.below_blank += count_data_like(rows[below:], mapping)
    if not block:
        return None
    if not _add_block(block, mapping, out):
        _add_rows(block, mapping, out)
    count = len(block)
    end = first + count
    out.column("source_file").extend([file_name] * count)
    out.column("sheet").extend([sheet.name] * count)
    out.column("row_number").extend(range(first + 1, end + 1))
    for name in CONTEXT_FIELDS:
        if context.get(name) is not None:
            out.column(name).extend([context[name]] * count)
    out.rows += count
    headers = tuple(
        (text or "").strip() or f"kolom_{j + 1}" for j, text in enumerate(top[header_at])
    )
    return SheetHeader(sheet.name, header_at + 1, headers)


def _data_block(rows: list[list], first: int) -> tuple[list[list], int | None]:
    """The rows from ``first`` up to the first completely empty one, and where the rows
    after that empty row start (None when no empty row ends the table)."""
    for i in range(first, len(rows)):
        if _blank(rows[i]):
            return rows[first:i], i + 1
    return rows[first:], None


def _blank(row: list) -> bool:
    """Every cell empty or whitespace; a cell that is not text (a number, a date) as
    people would read it. Cell by cell, stopping at the first that holds something: a
    data row's first cell (its No) usually does, and every data row is asked. A number,
    a date or a truth value always reads as something (cell_text), so only a cell of
    another type is read as text to tell."""
    for c in row:
        if type(c) is str:
            if c and not c.isspace():
                return False
        elif c is not None and (type(c) in _CELL_TYPES or (cell_text(c) or "").strip()):
            return False
    return True


def _add_block(block: list[list], mapping: dict[str, int], out: _Columns) -> bool:
    """The rows of ``block`` into ``out``, column by column; False (nothing added) when
    the rows are not all of one width (a ragged CSV), which ``_add_rows`` handles.

    Column by column, the work runs in C (zip, map, join) except for the cells that are
    not text, which are few: the numbers of the No column, date cells, a NIK typed as a
    number. A row of the block is never empty, so the width is at least 1.
    """
    width = len(block[0])
    if any(len(row) != width for row in block):
        return False
    cells = list(zip(*block, strict=True))
    kinds = [set(map(type, column)) for column in cells]
    texts = [
        column if kind == _TEXT else _texts(column, kind)
        for column, kind in zip(cells, kinds, strict=True)
    ]
    count = len(block)
    for name, j in mapping.items():
        if name in RAW_FIELDS and j < width:
            out.column(name).extend(texts[j])  # '' for an empty cell: raw_frame nulls it
    for name in TYPED_FIELDS:
        j = mapping.get(name)
        if j is None or j >= width or kinds[j] == _TEXT:
            numeric = [False] * count
        elif kinds[j] <= _CELL_TYPES:
            # By the cell's type alone (calamine's types are exact: a bool is never a
            # number): in C, where is_number cell by cell was a tenth of the walk.
            numeric = list(map(_NUMBER_TYPES.__contains__, map(type, cells[j])))
        else:
            numeric = [is_number(c) for c in cells[j]]
        out.column(f"{name}_numeric").extend(numeric)
    out.column("raw_values").extend(map(_SEP.join, zip(*texts, strict=True)))
    return True


_TEXT = {str}


# The cell types calamine gives, all hashable, so their text can be remembered: a
# night's number and date cells (row numbers, birth and service dates) repeat.
_CELL_TYPES = frozenset({str, float, int, bool, dt.datetime, dt.date, dt.time, dt.timedelta})
# typed: True, 1 and 1.0 are equal keys, and read "TRUE", "1" and "1".
_cached_text = lru_cache(maxsize=65_536, typed=True)(cell_text)
_NUMBER_TYPES = frozenset({int, float})


@lru_cache(maxsize=65_536, typed=True)
def _cached_blank_text(value: object) -> str:
    return cell_text(value) or ""


def _texts(column: tuple, kinds: set[type]) -> list[str]:
    """The text of each cell of a column that holds other cells than text (of ``kinds``)."""
    if str not in kinds and kinds <= _CELL_TYPES:
        # A column without text (the No column, a column of dates): every cell's text
        # is remembered, so the column maps in C.
        return list(map(_cached_blank_text, column))
    text = _cached_text if kinds <= _CELL_TYPES else cell_text
    return [c if type(c) is str else (text(c) or "") for c in column]


def _add_rows(block: list[list], mapping: dict[str, int], out: _Columns) -> None:
    """The rows of ``block`` into ``out``, one at a time: rows of different widths."""
    fields = [(out.column(name), j) for name, j in mapping.items() if name in RAW_FIELDS]
    typed = [(out.column(f"{name}_numeric"), mapping.get(name)) for name in TYPED_FIELDS]
    raw_values = out.column("raw_values")
    for row in block:
        texts = [c if type(c) is str else (cell_text(c) or "") for c in row]
        width = len(texts)
        for column, j in fields:
            column.append(texts[j] if j < width else None)
        for column, j in typed:
            column.append(j is not None and j < width and is_number(row[j]))
        raw_values.append(_SEP.join(texts))


@cache
def _empty_raw() -> pl.DataFrame:
    schema = {"source_file": pl.Utf8, "sheet": pl.Utf8, "row_number": pl.Int32}
    schema |= dict.fromkeys(RAW_FIELDS + CONTEXT_FIELDS, pl.Utf8)
    schema |= {"raw_values": pl.List(pl.Utf8)}
    schema |= {f"{f}_numeric": pl.Boolean for f in TYPED_FIELDS}
    schema |= {"file_sha256": pl.Utf8}
    return pl.DataFrame(schema=schema)
