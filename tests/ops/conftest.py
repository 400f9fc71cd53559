"""A real Prefect server on a free loopback port, with its own PREFECT_HOME, for the module.

The server is started once per test session and shared by the serve test and
the kill tests (each `ppks nightly` subprocess then skips starting its own
temporary server); it is stopped at the end.
"""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from ops_support import Server, base_env, free_port, stop_group


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
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
            time.sleep(0.5)
        yield Server(url, home, process)
    finally:
        stop_group(process)
        log.close()
