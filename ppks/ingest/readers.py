"""Turn one inbox file into raw rows: one row per data row, every value as text.

The data rows of a sheet are the non-empty rows below the header up to the
first completely empty row (SOURCES.md); what follows (signatures, notes)
is not data. Each row keeps its identity: file name, sheet, Excel row number,
and its original cells (``raw_values``, in the sheet's column order; the
header texts are in ``FileRead.sheets``).

Per sheet only the header is looked for (in Python, on the top rows); the
rest is done once per file, because a night has thousands of small sheets
and every frame operation has a fixed cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import polars as pl

from ppks.ingest.grid import Grid, read_csv, read_xlsx
from ppks.ingest.headers import HEADER_SCAN_ROWS, find_header
from ppks.ingest.inbox import InboxFile
from ppks.ingest.sniff import FileRejected
from ppks.ingest.templates import TEMPLATES, Template
from ppks.ingest.title_block import read_title_block
from schemas.raw import RAW_FIELDS

CONTEXT_FIELDS = ("ctx_kecamatan", "ctx_kabupaten", "ctx_bulan", "ctx_sheet")
# A NIK or KK that came out as a long run of digits may have been a number cell.
_MAYBE_NUMERIC = r"^\d{12,}(\.0)?$"


@dataclass(frozen=True)
class SheetHeader:
    sheet: str
    header_row: int
    headers: tuple[str, ...]


@dataclass
class FileRead:
    raw: pl.DataFrame
    sheets: int
    empty_sheets: int
    headers: list[SheetHeader] = field(default_factory=list)


def read_file(item: InboxFile) -> FileRead:
    """Raw rows of ``item``; raises FileRejected when the file cannot be loaded at all."""
    template = TEMPLATES[item.source]
    name = item.name.lower()
    if item.source == "slrt" and name.endswith(".csv"):
        grids = [read_csv(item.path)]
    elif name.endswith((".xlsx", ".xlsm")):
        grids = list(read_xlsx(item.path))
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
    frames, headers = [], []
    for grid in grids:
        read = _read_grid(grid, template, item.name)
        if read is not None:
            frames.append(read[0])
            headers.append(read[1])
    raw = _data_rows(pl.concat(frames, how="diagonal")) if frames else _empty_raw()
    if raw.is_empty():
        raise FileRejected("empty_workbook", "the file holds no data rows: every sheet is empty")
    present = set(raw.get_column("sheet").unique().to_list())
    return FileRead(
        raw=raw,
        sheets=len(grids),
        empty_sheets=len(grids) - len(present),
        headers=[h for h in headers if h.sheet in present],
    )


def _read_grid(
    grid: Grid, template: Template, file_name: str
) -> tuple[pl.DataFrame, SheetHeader] | None:
    cells = grid.cells
    if cells.width == 0 or cells.height == 0:
        return None
    top = cells.head(HEADER_SCAN_ROWS).rows()
    header_at, mapping = find_header(top, template.must_have)
    where = f"sheet '{grid.sheet}'" if grid.sheet else "the file"
    missing = sorted(template.must_have - mapping.keys())
    if missing or not all(group & mapping.keys() for group in template.one_of):
        if _blank_rows(cells).all():
            return None
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
    context = {"ctx_sheet": grid.sheet}
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
    n_rows = cells.height - header_at - 1
    if n_rows <= 0:
        return None
    first_row = grid.first_row + header_at + 1
    columns: dict[str, pl.Expr | pl.Series] = {
        "source_file": pl.lit(file_name),
        "sheet": pl.lit(grid.sheet),
        "row_number": pl.int_range(first_row, first_row + n_rows, dtype=pl.Int32),
    }
    for name, j in mapping.items():
        if name in RAW_FIELDS:
            columns[name] = pl.col(f"c{j}")
    for name in CONTEXT_FIELDS:
        columns[name] = pl.lit(context.get(name), dtype=pl.Utf8)
    columns["raw_values"] = pl.concat_list(pl.all())
    for name in ("nik", "kk"):
        columns[f"{name}_numeric"] = _numeric(grid, mapping.get(name), header_at)
    frame = cells.slice(header_at + 1).select(**columns)
    headers = tuple(
        (text or "").strip() or f"kolom_{j + 1}" for j, text in enumerate(top[header_at])
    )
    return frame, SheetHeader(grid.sheet, first_row - 1, headers)


def _numeric(grid: Grid, column: int | None, header_at: int) -> pl.Expr | pl.Series:
    if column is None:
        return pl.lit(False)
    digits = grid.cells.get_column(f"c{column}").slice(header_at + 1)
    if not digits.str.contains(_MAYBE_NUMERIC).any():
        return pl.lit(False)
    return grid.numeric(column).slice(header_at + 1)


def _data_rows(raw: pl.DataFrame) -> pl.DataFrame:
    """Keep each sheet's rows up to its first completely empty row, in every column order."""
    joined = pl.col("raw_values").list.join("", ignore_nulls=True).str.strip_chars()
    blank = (joined == "").fill_null(True)
    kept = raw.filter(~blank.cum_max().over("sheet"))
    return kept.select(
        pl.col(c) if c in kept.columns else pl.lit(None, dtype=dtype).alias(c)
        for c, dtype in _empty_raw().schema.items()
    )


def _blank_rows(cells: pl.DataFrame) -> pl.Series:
    joined = pl.concat_str(pl.all(), ignore_nulls=True).str.strip_chars()
    return cells.select((joined == "").fill_null(True)).to_series()


@cache
def _empty_raw() -> pl.DataFrame:
    schema = {"source_file": pl.Utf8, "sheet": pl.Utf8, "row_number": pl.Int32}
    schema |= dict.fromkeys(RAW_FIELDS + CONTEXT_FIELDS, pl.Utf8)
    schema |= {
        "raw_values": pl.List(pl.Utf8),
        "nik_numeric": pl.Boolean,
        "kk_numeric": pl.Boolean,
    }
    return pl.DataFrame(schema=schema)
