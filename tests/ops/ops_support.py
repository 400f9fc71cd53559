"""Helpers of the operations tests: a loopback Prefect server, process groups."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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


class Server:
    def __init__(self, url: str, home: Path, process: subprocess.Popen) -> None:
        self.url, self.home, self.process = url, home, process

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
