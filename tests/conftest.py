"""Shared fixtures: real workbooks written with xlsxwriter, the sample inbox."""

from __future__ import annotations

import os

# Before Prefect is imported: no telemetry, and no INFO lines written to the
# console after pytest has closed it (the temporary server stops at exit).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DO_NOT_TRACK", "1")

import shutil
from pathlib import Path

import pytest
from helpers import SAMPLES, write_xlsx


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
