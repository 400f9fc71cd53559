"""`prefect_server` (tests/conftest.py): a real Prefect server on a free loopback port,
started once per test session and shared by the serve test and the kill tests (each
`ppks nightly` subprocess then skips starting its own temporary server).

`sample_night`: the first night of the samples inbox, run once per session as cron
runs it; each test gets a copy of its warehouse folder to write to.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SAMPLES
from ops_support import ROOT


@pytest.fixture(scope="session")
def _sample_night(prefect_server, tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("sample_night") / "wh" / "ppks.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "ppks.cli", "nightly", "--inbox", str(SAMPLES / "inbox"),
         "--warehouse", str(warehouse), "--outbox", str(warehouse.parent / "outbox")],
        env=prefect_server.env(), cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return warehouse


@pytest.fixture
def sample_night(_sample_night, tmp_path) -> Path:
    """The warehouse of a first `ppks nightly` over the samples inbox (on the shared
    server, outbox in the warehouse folder), in a folder of the test's own: the whole
    folder copied with its modes and times (key, lock, edition, last-run note, outbox).
    A night costs seconds; several tests start from this one."""
    target = tmp_path / "wh"
    shutil.copytree(_sample_night.parent, target)
    return target / _sample_night.name
