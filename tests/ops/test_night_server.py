"""The temporary server's app (ppks.ops.night_server): Prefect's, with only the API a flow
run uses. Real flows run against the server `ppks nightly` starts, in a process of their
own: a task retried after a failure, a task under a concurrency limit by tag, a log line,
an artifact, a flow that fails. Each is recorded in the server's database as Prefect
records it; the API no flow run calls is not served. (A whole night against it:
tests/ops/test_quiet_night_without_prefect.py, a night with a new file.)"""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from importlib.metadata import version

from ops_support import ROOT, base_env

from ppks.ops import night_server

FLOWS = """
import httpx
from ppks import settings
settings.quiet_prefect()
from ppks.ops import prefect_server
url = prefect_server.ensure_api()
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client

attempts = []

@task(retries=1, retry_delay_seconds=0)
def flaky():
    attempts.append(1)
    if len(attempts) == 1:
        raise RuntimeError("the first attempt fails")
    return len(attempts)

@task(tags=["one-at-a-time"])
def limited():
    return "limited"

@flow(name="served")
def served():
    get_run_logger().warning("a warning line for the server")
    create_markdown_artifact(key="served-summary", markdown="# the night")
    return flaky(), limited()

@flow(name="failing")
def failing():
    raise ValueError("this flow fails")

with get_client(sync_client=True) as client:
    client.create_concurrency_limit(tag="one-at-a-time", concurrency_limit=1)
print("served:", served())
try:
    failing()
except ValueError:
    print("failing: failed")
for path in ("/flow_runs/filter", "/deployments/filter", "/work_pools/filter"):
    print(path, httpx.post(url + path, json={}).status_code)
# One route of each router kept, whatever the order they are mounted in (a 422 for a
# missing parameter is the route answering).
for method, path in ROUTES_KEPT:
    print("kept", method, path, httpx.request(method, url + path, json={}).status_code)
"""
ROUTES_KEPT = [
    ("GET", "/admin/version"),
    ("GET", "/csrf-token"),
    ("POST", "/flows/filter"),
    ("POST", "/flow_runs/filter"),
    ("POST", "/events/filter"),
    ("POST", "/logs/filter"),
    ("POST", "/artifacts/filter"),
    ("POST", "/task_runs/filter"),
    ("GET", "/flow_run_states/"),
    ("GET", "/task_run_states/"),
    ("POST", "/concurrency_limits/filter"),
    ("POST", "/v2/concurrency_limits/filter"),
    ("POST", "/block_types/filter"),
    ("POST", "/block_documents/filter"),
    ("POST", "/block_schemas/filter"),
    ("GET", "/block_capabilities/"),
    ("GET", "/hello"),
]


def test_flow_runs_against_the_temporary_server_are_recorded_as_prefect_records_them(
    prefect_server, tmp_path
):
    home = prefect_server.used_home(tmp_path / "prefect-home")
    done = subprocess.run(
        [sys.executable, "-c", f"ROUTES_KEPT = {ROUTES_KEPT!r}\n{FLOWS}"],
        env=base_env(home),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "served: (2, 'limited')" in done.stdout
    assert "failing: failed" in done.stdout
    # The API no flow run calls is left out; the flow runs' is there.
    assert "/flow_runs/filter 200" in done.stdout
    assert "/deployments/filter 404" in done.stdout
    assert "/work_pools/filter 404" in done.stdout
    kept = [line.split() for line in done.stdout.splitlines() if line.startswith("kept ")]
    assert [(method, path) for _, method, path, _ in kept] == ROUTES_KEPT
    assert all(code != "404" for *_, code in kept), kept
    with sqlite3.connect(home / "prefect.db") as db:
        flows = dict(
            db.execute(
                "SELECT flow.name, flow_run.state_type FROM flow_run "
                "JOIN flow ON flow.id = flow_run.flow_id"
            ).fetchall()
        )
        tasks = {
            name.rsplit("-", 1)[0]: (state, runs)
            for name, state, runs in db.execute(
                "SELECT name, state_type, run_count FROM task_run"
            ).fetchall()
        }
        logs = [m for (m,) in db.execute("SELECT message FROM log").fetchall()]
        artifacts = [k for (k,) in db.execute("SELECT key FROM artifact").fetchall()]
    assert flows == {"served": "COMPLETED", "failing": "FAILED"}
    assert tasks["flaky"] == ("COMPLETED", 2)  # failed once, retried
    assert tasks["limited"][0] == "COMPLETED"
    assert "a warning line for the server" in logs
    assert any("this flow fails" in m for m in logs)
    assert "served-summary" in artifacts


BOOT = """
from ppks import settings
settings.quiet_prefect()
from ppks.ops import prefect_server
prefect_server.ensure_api()
"""


def _boot(home, **env) -> None:
    subprocess.run(
        [sys.executable, "-c", BOOT],
        env={**base_env(home), **env},
        cwd=ROOT,
        check=True,
        timeout=300,
    )


def test_a_server_skips_the_migration_check_only_on_the_revision_it_left(prefect_server, tmp_path):
    home = prefect_server.used_home(tmp_path / "prefect-home")
    memo = home / night_server.AT_HEAD_MEMO
    # The operator turned migrations off: no check ran, nothing is known.
    _boot(home, PREFECT_SERVER_DATABASE_MIGRATE_ON_START="false")
    assert not memo.exists()
    _boot(home)
    with sqlite3.connect(home / "prefect.db") as db:
        (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    entry = {
        "prefect": version("prefect"),
        "database": str(home / "prefect.db"),
        "revision": revision,
    }
    assert json.loads(memo.read_text()) == entry
    assert stat.S_IMODE(memo.stat().st_mode) == 0o600
    # Known at head: the next server runs no migration, and has nothing to write down.
    written = memo.stat().st_mtime_ns
    _boot(home)
    assert memo.stat().st_mtime_ns == written
    # Another revision written down (a database restored from an older copy, another
    # Prefect): the server migrates, then writes down what it left.
    for other in ({**entry, "revision": "an-older-one"}, {**entry, "prefect": "3.0.0"}):
        memo.write_text(json.dumps(other))
        _boot(home)
        assert json.loads(memo.read_text()) == entry
