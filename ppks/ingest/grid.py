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

import codecs
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
    # A CSV read in another encoding than UTF-8: (code, plain words), noted on the file.
    note: tuple[str, str] | None = None


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


# What Excel on an office PC writes: "CSV UTF-8" (with BOM), "CSV" (Windows-1252
# on an Indonesian or English Windows), "Unicode Text" (UTF-16 LE with BOM, tabs).
NOTES = {
    "cp1252": (
        "csv_encoding_cp1252",
        "the CSV file is not UTF-8: read as Windows-1252 (check letters such as ’ or é)",
    ),
    "utf-16": ("csv_encoding_utf16", "the CSV file is UTF-16 (Excel 'Unicode Text'): read as such"),
}


def decode_csv(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in.

    An explicit list, not a guesser: a byte-order mark says UTF-8 or UTF-16;
    else valid UTF-8 is UTF-8; else text with a zero byte in every other
    place is UTF-16 without a mark; else Windows-1252 when every byte is
    defined there. Anything else (zero bytes, bytes Windows-1252 does not
    define) cannot be told and the file is rejected.
    """
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"))
    candidates = [
        enc for bom, enc in (*boms, (codecs.BOM_UTF16_BE, "utf-16")) if raw.startswith(bom)
    ]
    if not candidates:
        candidates = ["utf-8"]
        pairs = raw[: 4096 - 4096 % 2]
        if pairs and pairs[1::2].count(0) > len(pairs) // 4:
            candidates.append("utf-16-le")
        elif pairs and pairs[0::2].count(0) > len(pairs) // 4:
            candidates.append("utf-16-be")
        elif 0 not in raw:
            candidates.append("cp1252")
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileRejected(
        "csv_encoding_unknown",
        "the CSV file's encoding cannot be told (not UTF-8, UTF-16 or Windows-1252): "
        "open it in Excel and save it again as 'CSV UTF-8'",
    )


def read_csv(path: Path) -> Sheet:
    check_size(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise FileRejected("empty_file", "the CSV file is empty")
    text, encoding = decode_csv(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    note = NOTES.get("utf-16" if encoding.startswith("utf-16") else encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return Sheet("", rows, note)


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
