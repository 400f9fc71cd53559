"""Shared fixtures: real workbooks written with xlsxwriter, the sample inbox."""

from __future__ import annotations

import os

# Before Prefect is imported: no telemetry, and no INFO lines written to the
# console after pytest has closed it (the temporary server stops at exit).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DO_NOT_TRACK", "1")

import datetime as dt
import shutil
from pathlib import Path

import pytest
import xlsxwriter

SAMPLES = Path(__file__).parent / "fixtures" / "samples"


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


@pytest.fixture
def xlsx(tmp_path):
    def make(relative: str, sheets: dict[str, list[list[object]]]) -> Path:
        return write_xlsx(tmp_path / relative, sheets)

    return make


@pytest.fixture
def sample_inbox(tmp_path) -> Path:
    """A private copy of the sample inbox shipped in tests/fixtures."""
    target = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "inbox", target)
    return target
