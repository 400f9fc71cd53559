"""`ppks serve` against a real Prefect server: the schedule through the API, one real run."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import duckdb
import httpx
from helpers import SAMPLES
from ops_support import ROOT, stop_group


def wait_for(what, check, timeout: float, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the serve process exited with {process.returncode}")
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_registers_the_schedule_and_runs_the_flow(prefect_server, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "inbox" / "psm", inbox / "psm")
    warehouse = tmp_path / "wh" / "ppks.duckdb"
    config = tmp_path / "ppks.toml"
    config.write_text(
        'schedule = "30 1 * * *"\n'
        'timezone = "Asia/Jakarta"\n'
        'deployment = "ppks-test"\n'
        'inbox = "inbox"\n'
        'outbox = "outbox"\n',
        encoding="utf-8",
    )
    # The runner asks the server for due runs every PREFECT_RUNNER_POLL_FREQUENCY seconds
    # (default 10): the run created below waits for that poll. One second here is the same
    # runner and the same run, picked up sooner (up to nine seconds less waiting).
    env = prefect_server.env(
        PPKS_CONFIG=str(config), PPKS_WAREHOUSE=str(warehouse), PREFECT_RUNNER_POLL_FREQUENCY="1"
    )

    shown = subprocess.run(
        [sys.executable, "-m", "ppks.cli", "config"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "30 1 * * *" in shown and f"file {config}" in shown
    assert str(inbox) in shown and f"{warehouse}    [environment PPKS_WAREHOUSE]" in shown

    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "ppks.cli", "serve"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = httpx.Client(base_url=prefect_server.url, timeout=10)
    try:

        def deployment():
            found = api.post(
                "/deployments/filter", json={"deployments": {"name": {"any_": ["ppks-test"]}}}
            ).json()
            return found[0] if found else None

        dep = wait_for("the deployment", deployment, 90, serve)
        flow = api.get(f"/flows/{dep['flow_id']}").json()
        assert flow["name"] == "nightly"
        [schedule] = dep["schedules"]
        assert schedule["active"]
        assert schedule["schedule"]["cron"] == "30 1 * * *"
        assert schedule["schedule"]["timezone"] == "Asia/Jakarta"
        assert dep["parameters"] == {"inbox": str(inbox), "warehouse": str(warehouse)}

        # Prefect's own client retries a 503 (its SQLite database busy with the serving
        # process's writes); so does this one, for up to half a minute.
        for _ in range(30):
            response = api.post(f"/deployments/{dep['id']}/create_flow_run", json={})
            if response.status_code not in (429, 502, 503):
                break
            time.sleep(1)
        assert response.status_code < 300, response.text
        run = response.json()

        def finished():
            state = api.get(f"/flow_runs/{run['id']}").json()["state"]
            return state if state and state["type"] in {"COMPLETED", "FAILED", "CRASHED"} else None

        state = wait_for("the flow run", finished, 150, serve)
        assert state["type"] == "COMPLETED", (state, (tmp_path / "serve.log").read_text())
    finally:
        api.close()
        stop_group(serve)
        log.close()

    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM run_log").fetchone()[0] == 1
        loaded = con.execute("SELECT count(*) FROM ingest_file WHERE status = 'loaded'")
        assert loaded.fetchone()[0] > 0
