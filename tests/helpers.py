"""Helpers shared by the tests: the sample inbox, and real workbooks written with xlsxwriter."""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter

SAMPLES = Path(__file__).parent / "fixtures" / "samples"

# Sample files a first night goes without, for the next night to bring.
LATER = [
    "tksk/LAPORAN OKTOBER KEC PUSPO.xlsx",
    "psm/DATA PMKS Puspo.xlsx",
    "slrt/data_layanan_slrt.xlsx",
]
# A TKSK sample file, and the name its correction is sent under.
ORIGINAL = "LAP_BULANAN_TKSK_PUSPO_09_2026.xlsx"
CORRECTED = "LAP_BULANAN_TKSK_PUSPO_09_2026 revisi.xlsx"


def send_correction(inbox: Path) -> None:
    """The TKSK file sent again as a correction that drops its last row."""
    import openpyxl

    corrected = openpyxl.load_workbook(inbox / "tksk" / ORIGINAL)
    sheet = corrected.worksheets[0]
    sheet.delete_rows(sheet.max_row)
    corrected.save(inbox / "tksk" / CORRECTED)


class Num(float):
    """A number cell (as Excel stores a NIK typed without an apostrophe)."""


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write each sheet's rows; str → text cell, Num/int/float → number, date → date cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(i, j, dt.datetime.combine(value, dt.time()), date_format)
                elif isinstance(value, int | float):
                    sheet.write_number(i, j, float(value))
                else:
                    sheet.write_string(i, j, str(value))
    workbook.close()
    return path


def edition_content(path: Path) -> dict[str, tuple]:
    """Every table of an analyst edition: its comment, its columns with their types and
    comments, and its rows in order (edition_info without the build time)."""
    import duckdb

    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'"
        ).fetchall()
        for name, comment in tables:
            columns = con.execute(
                "SELECT column_name, data_type, comment FROM duckdb_columns() "
                "WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index",
                [name],
            ).fetchall()
            skip = " EXCLUDE (built_at)" if name == "edition_info" else ""
            rows = con.execute(f'SELECT *{skip} FROM "{name}" ORDER BY ALL').fetchall()
            out[name] = (comment, columns, rows)
    return out


def _without_cache(warehouse: Path, copy: Path) -> Path:
    """A copy of ``warehouse`` with the edition's cache tables emptied."""
    import shutil

    import duckdb

    from ppks.warehouse import edition_cache

    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        for table in edition_cache.TABLES:
            con.execute(f"DELETE FROM {table}")
    return copy


def edition_from_scratch(warehouse: Path, folder: Path, key: bytes) -> Path:
    """The analyst edition of a copy of ``warehouse`` built with nothing kept from
    earlier nights (the edition's cache tables emptied)."""
    from ppks.warehouse import analyst

    copy = _without_cache(warehouse, folder / "scratch.duckdb")
    return analyst.build_edition(copy, copy, key=key)


def edition_cache_content(warehouse: Path) -> dict[str, list]:
    """The edition's cache tables of a warehouse, each as its sorted rows."""
    import duckdb

    from ppks.warehouse import edition_cache

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in edition_cache.TABLES
        }


def assert_cache_as_from_scratch(warehouse: Path, folder: Path, key: bytes) -> None:
    """The cache a night kept is the one a build with nothing kept saves."""
    from ppks.warehouse import analyst

    copy = _without_cache(warehouse, folder / "cache.duckdb")
    analyst.build_edition(copy, copy, key=key, keep_cache=True)
    got, want = edition_cache_content(warehouse), edition_cache_content(copy)
    for table, rows in want.items():
        assert got[table] == rows, f"{table} differs from the cache built from scratch"


def assert_same_edition(edition: Path, expected: Path) -> None:
    got, want = edition_content(edition), edition_content(expected)
    assert sorted(got) == sorted(want)
    for name, content in want.items():
        assert got[name] == content, f"{name} differs from the edition built from scratch"


# Everything a night with nothing new may write: its own run (and the previous run's end).
QUIET_NIGHT_TABLES = {"run_log", "link_run"}


def warehouse_tables(path: Path) -> dict[str, list]:
    """Every table of a warehouse, each as its sorted rows: to compare two nights."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            n
            for (n,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
            ).fetchall()
        ]
        return {n: con.execute(f"SELECT * FROM {n} ORDER BY ALL").fetchall() for n in names}


# Another process reading the warehouse (an analyst's DuckDB session), until killed.
READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SELECT count(*) FROM run_log").fetchall()
print("open", flush=True)
time.sleep(600)
"""


@contextlib.contextmanager
def reader_holding(path: Path) -> Iterator[subprocess.Popen]:
    """A read-only DuckDB session of another process holding ``path`` open for the block."""
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        yield reader
    finally:
        reader.kill()
        reader.wait()
