"""Shared fixtures: real workbooks written with xlsxwriter, the sample inbox."""

from __future__ import annotations

import os

# Before Prefect is imported: no telemetry, and no INFO lines written to the
# console after pytest has closed it (the temporary server stops at exit).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DO_NOT_TRACK", "1")

import shutil
from dataclasses import dataclass
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


@dataclass
class SamplesNight:
    result: object  # the flow's result
    inbox: Path
    warehouse: Path


@pytest.fixture(scope="session")
def samples_first_night(tmp_path_factory) -> SamplesNight:
    """The nightly flow, in this process, over a copy of the sample inbox (outbox beside
    the warehouse): a night costs seconds, and several modules start from this one.
    Read it only: a test that writes works on a copy of the files it changes."""
    from ppks.flows.nightly import nightly

    from ppks.warehouse import analyst

    root = tmp_path_factory.mktemp("samples_night")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES / "inbox", inbox)
    warehouse = root / "ppks.duckdb"
    mp = pytest.MonkeyPatch()  # the key made beside the warehouse, whatever the shell has
    mp.delenv(analyst.KEY_ENV, raising=False)
    mp.delenv(analyst.KEY_FILE_ENV, raising=False)
    try:
        result = nightly(inbox=inbox, warehouse=warehouse, outbox=root / "outbox")
    finally:
        mp.undo()
    return SamplesNight(result, inbox, warehouse)
