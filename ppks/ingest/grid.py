"""Read a workbook's sheets or a CSV file into rows of cells, keeping each cell's type.

Workbooks are read with python-calamine (the calamine engine that fastexcel
also wraps), because its cells come back typed: a NIK stored as a *number*
has lost its 16th digit, and only the cell type tells it from a NIK typed
as text. One parse gives both the value and the type, where fastexcel would
need a second pass over the sheet; on the many small sheets of a night it is
also faster than a bare fastexcel read (docs/PERFORMANCE.md).

Rows start at Excel row 1 and column A; an empty cell is ``''``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from ppks.ingest.extent import too_large
from ppks.ingest.sniff import FileRejected, check_size, check_workbook_bytes

MAX_SHEET_ROWS = 1_000_000


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]


def read_xlsx(path: Path) -> list[Sheet]:
    check_workbook_bytes(path)
    # Before calamine sees it: calamine builds a sheet's whole declared grid at once.
    oversize = too_large(path)
    if oversize:
        raise FileRejected("too_large", oversize)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's errors name the broken part, not the cause
        raise FileRejected("corrupt", f"the workbook cannot be opened ({exc})") from exc
    sheets = []
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.total_height > MAX_SHEET_ROWS:
                raise FileRejected(
                    "too_large",
                    f"sheet '{name}' has {sheet.total_height:,} rows, "
                    f"more than the {MAX_SHEET_ROWS:,} allowed",
                )
            sheets.append(Sheet(name, sheet.to_python(skip_empty_area=False)))
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("corrupt", f"a sheet cannot be read ({exc})") from exc
    finally:
        workbook.close()
    return sheets


def read_csv(path: Path) -> Sheet:
    check_size(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise FileRejected("empty_file", "the CSV file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            "csv_not_utf8",
            f"the CSV file is not UTF-8 (byte {exc.start}): export it again as UTF-8",
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return Sheet("", list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell_text(value: object) -> str | None:
    """The text a cell holds, as a person would read it; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Whole numbers (NIKs, years, serial dates) without a trailing '.0'.
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
