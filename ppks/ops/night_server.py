"""The temporary Prefect server's app: Prefect's own, with only the API a flow run uses.

The server `ppks nightly` starts for itself (ppks.ops.prefect_server) serves one flow
run and dies with it. FastAPI builds the state of every route of the app at its first
request (their dependencies and body models), whatever that request is: for Prefect's
191 routes that was 0.25-0.45 s of the server's CPU after its boot, which the night
waited for before its flow run could start (docs/PERFORMANCE.md, boot28 and boot29).
The routes of deployments, work pools and queues, automations, saved searches and the
UI serve no flow run started by the command itself, and the UI is off: this app is
Prefect's `create_app` (same database, lifespan, services and middleware) with the
routers below only.

Kept: every router a flow run and its tasks call (flows, flow runs and their states,
task runs and their states, logs, artifacts, events, the CSRF token, admin), and those
Prefect's client may call on a run's behalf (concurrency limits by tag, blocks for a
result storage an operator configures). tests/ops/test_night_server.py runs flows
against it: a retried task, a limit by tag, logs, an artifact, a failed flow.
"""

from __future__ import annotations

KEPT_ROUTERS = (
    "flows",
    "flow_runs",
    "task_runs",
    "flow_run_states",
    "task_run_states",
    "logs",
    "artifacts",
    "events",
    "csrf_token",
    "admin",
    "root",
    "concurrency_limits",
    "concurrency_limits_v2",
    "block_types",
    "block_documents",
    "block_schemas",
    "block_capabilities",
)


def create_app():
    """uvicorn's ``--factory``: Prefect's app, with the routers above."""
    from prefect.server import api
    from prefect.server.api import server
    from prefect.settings import Settings

    kept = {id(getattr(api, name).router) for name in KEPT_ROUTERS}
    routers, hash_key = server.API_ROUTERS, Settings.hash_key
    # Prefect's create_api_app includes each router of this module-level tuple, in its
    # order. Its create_app and create_api_app key a cache of apps by a hash of every
    # setting (0.12 s of the boot's CPU for the two); this process builds one app, and the
    # key only has to differ from that of an app of Prefect's own.
    server.API_ROUTERS = tuple(r for r in routers if id(r) in kept)
    Settings.hash_key = _one_app
    try:
        return server.create_app()
    finally:
        server.API_ROUTERS, Settings.hash_key = routers, hash_key


def _one_app(_settings) -> str:
    return "ppks.ops.night_server"
