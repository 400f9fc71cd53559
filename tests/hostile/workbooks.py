"""Hostile files, written by the tests themselves: valid reports with one thing wrong."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import xlsxwriter
from ingest.test_readers import TKSK_HEADER
from ingest.test_readers import tksk_row as readers_row

from ppks.ingest.inbox import InboxFile, sha256_of

TITLE = [
    ["LAPORAN BULANAN TENAGA KESEJAHTERAAN SOSIAL KECAMATAN"],
    ["Kecamatan : Puspo"],
    ["Kabupaten", ": Kab. Pasuruan"],
    ["Bulan", "Agustus 2026"],
    [],
]


def tksk_row(no: int, nama: str = "SUKARTI", nik: str = "3514034705750018") -> list:
    return readers_row(no, nik, nama)


def tksk_rows(n: int, start: int = 1) -> list[list]:
    return [tksk_row(k, f"WARGA NOMOR {chr(65 + k % 26)}{k}") for k in range(start, start + n)]


def write_tksk(
    path: Path,
    rows: list[list],
    far_cell: tuple[int, int] | None = None,
    kecamatan: str = "Puspo",
) -> Path:
    """A TKSK report; ``far_cell`` (row, column), 0-based, adds one stray text cell there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet("Laporan")
    title = [[f"Kecamatan : {kecamatan}"] if r == TITLE[1] else r for r in TITLE]
    for i, row in enumerate([*title, TKSK_HEADER, *rows]):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(i, j, dt.datetime.combine(value, dt.time()), dates)
            elif isinstance(value, int | float):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, str(value))
    if far_cell is not None:
        sheet.write_string(*far_cell, "x")
    workbook.close()
    return path


def without_dimension(path: Path) -> Path:
    """The same workbook with the sheets' <dimension> elements removed (some writers omit it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                start = data.find(b"<dimension")
                if start >= 0:
                    data = data[:start] + data[data.index(b"/>", start) + 2 :]
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path


def inflated(path, megabytes: int):
    """The same workbook with its sheet padded by XML whitespace: a few KB that unzip to MBs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes << 20), 1)
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path


def item(path: Path, source: str = "tksk") -> InboxFile:
    return InboxFile(path, source, path.name, sha256_of(path), path.stat().st_size)
