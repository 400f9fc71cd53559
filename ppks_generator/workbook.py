"""Writing sheets to .xlsx (xlsxwriter), .xls (xlwt) and CSV, byte-for-byte reproducibly.

A sheet is a list of rows; row ``i`` is Excel row ``i + 1`` and ``[]`` is an
empty row. A cell is ``None`` (nothing written), ``str`` (always a text
cell, even when it starts with ``=``), ``int``/``float`` (a numeric cell) or
``date`` (a real date cell).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
import xlwt

# Above this many rows a workbook is streamed row by row (constant_memory);
# below it, building it in memory is about twice as fast per file.
STREAM_ROWS = 2000


@dataclass(slots=True)
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)
    date_format: str = "dd-mm-yyyy"


def _fill(wb: xlsxwriter.Workbook, sheets: list[Sheet]) -> None:
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        date_fmt = wb.add_format({"num_format": sheet.date_format})
        write_string, write_number, write_datetime = (
            ws.write_string,
            ws.write_number,
            ws.write_datetime,
        )
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                t = type(v)
                if t is str:
                    write_string(r, c, v)
                elif t is int or t is float:
                    write_number(r, c, v)
                else:
                    write_datetime(r, c, v, date_fmt)


def _options(sheets: list[Sheet], in_memory: bool) -> dict:
    big = sum(len(s.rows) for s in sheets) > STREAM_ROWS
    opts = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    opts |= {"constant_memory": True} if big and not in_memory else {"in_memory": True}
    return opts


def write_xlsx(target: Path | io.BytesIO, sheets: list[Sheet], created: datetime) -> None:
    """Write ``sheets``; the fixed ``created`` date makes the file bytes reproducible."""
    wb = xlsxwriter.Workbook(target, _options(sheets, isinstance(target, io.BytesIO)))
    wb.set_properties({"created": created, "author": "Dinas Sosial"})
    _fill(wb, sheets)
    wb.close()


def xlsx_bytes(sheets: list[Sheet], created: datetime) -> bytes:
    buf = io.BytesIO()
    write_xlsx(buf, sheets, created)
    return buf.getvalue()


def write_xls(path: Path, sheets: list[Sheet]) -> None:
    """A real Excel 97-2003 workbook (the pipeline rejects these)."""
    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    for sheet in sheets:
        ws = wb.add_sheet(sheet.name)
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, date):
                    ws.write(r, c, v, date_style)
                else:
                    ws.write(r, c, v)
    wb.save(str(path))


def write_csv(
    path: Path,
    rows: list[list],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> None:
    """CSV as exported by an application: dates and numbers already rendered as text."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
