"""Read a workbook sheet or a CSV file into a grid of text cells.

Every cell is read as text (``dtypes="string"``) so that nothing is guessed
per column; whether a cell was a *number* is asked separately, and only for
the columns where it matters (NIK and KK: a number cell has lost its 16th
digit). Frame row ``i`` is Excel row ``first_row + i``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from ppks.ingest.sniff import FileRejected, check_workbook_bytes

MAX_SHEET_ROWS = 1_000_000


@dataclass
class Grid:
    sheet: str
    cells: pl.DataFrame
    first_row: int = 1
    _reader: fastexcel.ExcelReader | None = field(default=None, repr=False)
    _numeric: pl.DataFrame | None = field(default=None, repr=False)

    def numeric(self, column: int) -> pl.Series:
        """True where the cell of ``column`` was a number cell (always False for CSV)."""
        if self._reader is None:
            return pl.Series([False] * self.cells.height, dtype=pl.Boolean)
        if self._numeric is None:
            # Text cells come back null from a boolean read; numbers come back true/false.
            sheet = self._reader.load_sheet(
                self.sheet, header_row=None, skip_rows=0, dtypes="boolean"
            )
            self._numeric = sheet.to_polars()
        col = self._numeric.get_column(self._numeric.columns[column])
        return col.is_not_null()


def read_xlsx(path: Path) -> Iterator[Grid]:
    check_workbook_bytes(path)
    try:
        reader = fastexcel.read_excel(path)
        names = reader.sheet_names
    except Exception as exc:  # calamine's errors name the broken part, not the cause
        raise FileRejected("corrupt", f"the workbook cannot be opened ({exc})") from exc
    for name in names:
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            if sheet.total_height > MAX_SHEET_ROWS:
                raise FileRejected("too_large", f"sheet '{name}' has {sheet.total_height:,} rows")
            cells = sheet.to_polars()
        except FileRejected:
            raise
        except Exception as exc:
            raise FileRejected("corrupt", f"sheet '{name}' cannot be read ({exc})") from exc
        yield Grid(sheet=name, cells=_as_text(cells), _reader=reader)


def read_csv(path: Path) -> Grid:
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
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    columns = {
        f"c{j}": [(r[j] if j < len(r) and r[j] != "" else None) for r in rows] for j in range(width)
    }
    return Grid(sheet="", cells=pl.DataFrame(columns, schema={c: pl.Utf8 for c in columns}))


def _as_text(cells: pl.DataFrame) -> pl.DataFrame:
    cells.columns = [f"c{j}" for j in range(cells.width)]
    if any(dtype != pl.Utf8 for dtype in cells.dtypes):  # an all-empty column comes back Null
        cells = cells.with_columns(pl.all().cast(pl.Utf8))
    return cells
