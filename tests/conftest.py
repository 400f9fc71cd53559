"""Shared fixtures: real workbooks written with xlsxwriter, the sample inbox."""

from __future__ import annotations

import os

# Before Prefect is imported: no telemetry, and no INFO lines written to the
# console after pytest has closed it (the temporary server stops at exit).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DO_NOT_TRACK", "1")
# Prefect's own temporary server (a flow called with no server configured) gets 20 s to
# boot; under a load of 6-8 on two cores it took longer, 4 of 4 runs of a file failing there.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from helpers import SAMPLES, write_xlsx
from ops_support import Server, base_env, free_port, snapshot_prefect_db, stop_group


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


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real Prefect server on a free loopback port, with its own PREFECT_HOME, for the
    session (the ops tests, and the homes of temporary servers); stopped at the end."""
    home = tmp_path_factory.mktemp("prefect_home")
    port = free_port()
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=base_env(home),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(home / 'server.log').read_text()}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("prefect server did not start within 120 s")
            time.sleep(0.1)
        # Its database as migrated, before any test: for the homes of temporary servers.
        db = snapshot_prefect_db(home, tmp_path_factory.mktemp("prefect_db") / "prefect.db")
        yield Server(url, home, process, db)
    finally:
        stop_group(process)
        log.close()
