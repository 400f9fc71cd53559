"""Turn one inbox file into raw rows: one row per data row, every value as text.

The data rows of a sheet are the non-empty rows below the header up to the
first completely empty row (SOURCES.md); what follows (signatures, notes)
is not data. Each row keeps its identity: file name, sheet, Excel row number.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ppks.ingest.grid import Grid, read_csv, read_xlsx
from ppks.ingest.headers import find_header
from ppks.ingest.inbox import InboxFile
from ppks.ingest.sniff import FileRejected
from ppks.ingest.templates import TEMPLATES, Template
from ppks.ingest.title_block import read_title_block
from schemas.raw import RAW_FIELDS

CONTEXT_FIELDS = ("ctx_kecamatan", "ctx_kabupaten", "ctx_bulan", "ctx_sheet")
# A NIK or KK that came out as a long run of digits may have been a number cell.
_MAYBE_NUMERIC = r"^\d{12,}(\.0)?$"


@dataclass
class FileRead:
    raw: pl.DataFrame
    sheets: int
    empty_sheets: int


def read_file(item: InboxFile) -> FileRead:
    """Raw rows of ``item``; raises FileRejected when the file cannot be loaded at all."""
    template = TEMPLATES[item.source]
    if item.source == "slrt" and item.name.lower().endswith(".csv"):
        grids = [read_csv(item.path)]
    elif item.name.lower().endswith((".xlsx", ".xlsm")):
        grids = list(read_xlsx(item.path))
    elif item.name.lower().endswith(".xls"):
        raise FileRejected(
            "xls", "old Excel 97-2003 workbook (.xls): save it as .xlsx and send it again"
        )
    else:
        raise FileRejected(
            "unsupported_type",
            f"'{item.name}' is not an .xlsx workbook"
            + (" or a .csv export" if item.source == "slrt" else ""),
        )
    frames, empty = [], 0
    for grid in grids:
        frame = _read_grid(grid, template, item.name)
        if frame is None:
            empty += 1
        else:
            frames.append(frame)
    if empty == len(grids):
        raise FileRejected("empty_workbook", "the workbook holds no table: every sheet is empty")
    raw = pl.concat(frames, how="vertical") if frames else _empty_raw()
    return FileRead(raw=raw, sheets=len(grids), empty_sheets=empty)


def _read_grid(grid: Grid, template: Template, file_name: str) -> pl.DataFrame | None:
    cells = grid.cells
    blank = _blank_rows(cells)
    if cells.width == 0 or blank.all():
        return None
    header_at, mapping = find_header(cells, template.must_have)
    where = f"sheet '{grid.sheet}'" if grid.sheet else "the file"
    missing = sorted(template.must_have - mapping.keys())
    if missing or not all(group & mapping.keys() for group in template.one_of):
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
        title = read_title_block(cells.head(header_at))
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
    after = blank.slice(header_at + 1)
    first_empty = after.arg_true()
    n_rows = int(first_empty[0]) if first_empty.len() else after.len()
    if n_rows == 0:
        return None
    data = cells.slice(header_at + 1, n_rows)
    first_row = grid.first_row + header_at + 1
    columns = {
        "source_file": pl.lit(file_name),
        "sheet": pl.lit(grid.sheet),
        "row_number": pl.int_range(first_row, first_row + n_rows, dtype=pl.Int32),
    }
    for field in RAW_FIELDS:
        j = mapping.get(field)
        columns[field] = pl.col(f"c{j}") if j is not None else pl.lit(None, dtype=pl.Utf8)
    for field in CONTEXT_FIELDS:
        columns[field] = pl.lit(context.get(field), dtype=pl.Utf8)
    frame = data.select(
        **columns,
        raw_json=_row_json(cells.row(header_at), data.columns),
    )
    return frame.with_columns(
        nik_numeric=_numeric(grid, frame, mapping, "nik", header_at, n_rows),
        kk_numeric=_numeric(grid, frame, mapping, "kk", header_at, n_rows),
    )


def _numeric(grid: Grid, frame: pl.DataFrame, mapping: dict, field: str, at: int, n: int):
    j = mapping.get(field)
    if j is None or not frame.get_column(field).str.contains(_MAYBE_NUMERIC).any():
        return pl.lit(False)
    return grid.numeric(j).slice(at + 1, n)


def _row_json(header: tuple, columns: list[str]) -> pl.Expr:
    """The original row under its original header, kept for rejected rows and feedback."""
    names, seen = [], set()
    for j, text in enumerate(header):
        name = (text or "").strip() or f"kolom_{j + 1}"
        while name in seen:
            name += "_"
        seen.add(name)
        names.append(name)
    return pl.struct(
        [pl.col(c).alias(n) for c, n in zip(columns, names, strict=True)]
    ).struct.json_encode()


def _blank_rows(cells: pl.DataFrame) -> pl.Series:
    if cells.width == 0:
        return pl.Series([], dtype=pl.Boolean)
    return cells.select(
        pl.all_horizontal(pl.all().str.strip_chars().fill_null("") == "")
    ).to_series()


def _empty_raw() -> pl.DataFrame:
    schema = {"source_file": pl.Utf8, "sheet": pl.Utf8, "row_number": pl.Int32}
    schema |= dict.fromkeys(RAW_FIELDS + CONTEXT_FIELDS + ("raw_json",), pl.Utf8)
    schema |= {"nik_numeric": pl.Boolean, "kk_numeric": pl.Boolean}
    return pl.DataFrame(schema=schema)
