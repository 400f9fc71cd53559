"""Helpers of the tests that run `ppks` as a process: a loopback Prefect server, process groups."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "PPKS_")) and k != "PYTEST_CURRENT_TEST"
    }
    env.update(
        PREFECT_HOME=str(home),
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def snapshot_prefect_db(home: Path, target: Path) -> Path:
    """A consistent copy of the SQLite database of the Prefect server serving from
    ``home`` (SQLite's online backup: safe while that server writes)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(home / "prefect.db")
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target


class Server:
    def __init__(self, url: str, home: Path, process: subprocess.Popen, db: Path) -> None:
        self.url, self.home, self.process = url, home, process
        self.db = db  # this server's database as it was once migrated, before any test

    def used_home(self, home: Path) -> Path:
        """A PREFECT_HOME of its own for a command that starts its temporary server
        there, as an operator's home is after its first night: the database already
        migrated (a copy of this server's, taken before any test ran on it). A fresh
        home costs each such server its migrations: seconds of SQLite writes."""
        home.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.db, home / "prefect.db")
        return home

    def env(self, **extra: str) -> dict[str, str]:
        env = base_env(self.home)
        env["PREFECT_API_URL"] = self.url
        env.update(extra)
        return env


def stop_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a process started with start_new_session=True, and its children."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
