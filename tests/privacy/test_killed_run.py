"""A run killed with SIGKILL leaves no readable copy and no Prefect server behind.

A real ``ppks nightly`` process with no Prefect server configured (so the
command starts its temporary one), its files watched while it runs, then
killed; the next run cleans up and publishes private files.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from helpers import SAMPLES

ROOT = Path(__file__).resolve().parents[2]


def env(prefect_home: Path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PPKS_"))}
    out.update(
        PREFECT_HOME=str(prefect_home),
        DO_NOT_TRACK="1",
        PREFECT_LOGGING_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return out


def nightly(inbox: Path, warehouse: Path, prefect_home: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ppks.cli", "nightly", "--inbox", str(inbox),
         "--warehouse", str(warehouse), "--outbox", str(warehouse.parent.parent / "outbox")],
        env=env(prefect_home),
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def children(pid: int) -> dict[int, str]:
    """pid -> command line of the live children of ``pid``."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out[int(entry.name)] = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                )
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_killed_run_leaves_no_readable_copy_and_no_server(prefect_server, tmp_path):
    warehouse = tmp_path / "private" / "wh" / "ppks.duckdb"
    # No server configured: the command starts its own, in a home of the test's own
    # (its database migrated, as after a first night; the session's server is not used).
    prefect_home = prefect_server.used_home(tmp_path / "prefect")
    run = nightly(SAMPLES / "inbox", warehouse, prefect_home, tmp_path / "killed.log")
    seen: dict[str, int] = {}  # file name -> mode, for every file of the run seen while it ran
    server: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and run.poll() is None:
            server.update({p: c for p, c in children(run.pid).items() if "uvicorn" in c})
            if warehouse.parent.is_dir():
                for path in warehouse.parent.iterdir():
                    with contextlib.suppress(FileNotFoundError):
                        seen.setdefault(path.name, mode(path))
            if any(n.endswith(".building.wal") for n in seen) and server:
                break  # killed while DuckDB writes the copy: the copy and its .wal exist
            time.sleep(0.01)
        assert run.poll() is None, (tmp_path / "killed.log").read_text()
        os.kill(run.pid, signal.SIGKILL)  # the command only: its children are on their own
        run.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in server) and time.monotonic() < deadline:
            time.sleep(0.1)
        orphans = {p: c for p, c in server.items() if alive(p)}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
    assert server, "the command started no Prefect server of its own"
    assert not orphans, orphans
    building = {n: m for n, m in seen.items() if ".building" in n}
    assert any(n.endswith(".building.wal") for n in building), seen
    assert set(building.values()) == {0o600}, seen
    assert mode(warehouse.parent) == 0o700
    assert mode(warehouse.parent.parent) == 0o700  # created by the run too
    left = list(warehouse.parent.glob(".*.building*"))
    assert all(mode(p) == 0o600 for p in left), left

    last = nightly(SAMPLES / "inbox", warehouse, prefect_home, tmp_path / "last.log")
    assert last.wait(timeout=300) == 0, (tmp_path / "last.log").read_text()
    names = {p.name: mode(p) for p in warehouse.parent.iterdir()}
    assert names == {
        "ppks.duckdb": 0o600,
        "ppks.duckdb.lock": 0o600,
        "ppks.key": 0o600,
        "ppks_analyst.duckdb": 0o640,
        ".ppks.duckdb.last-run.json": 0o600,  # stages after the swap, for the next night
        ".ppks.duckdb.inbox-hashes.json": 0o600,  # the sample files are older than the run
    }, names
    outbox = tmp_path / "private" / "outbox"
    assert mode(outbox) == 0o700
    assert all(mode(p) & 0o077 == 0 for p in outbox.rglob("*")), list(outbox.rglob("*"))
