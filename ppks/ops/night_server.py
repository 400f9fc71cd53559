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

Two more things the night waited for (boot30):
- The routers are mounted in the order a night first calls them. FastAPI builds a
  router's routes when a request is first matched against it, trying the routers in
  their order: with Prefect's order, the first request (`GET /admin/version`) built
  nearly all 110 routes; in this order a night builds the 50 of the routers it calls,
  and those it never calls are built only if a request reaches them. Each router has a
  prefix of its own, so the order decides no match.
- Alembic's check that the database is at head reads Prefect's 115 migration scripts
  at every boot. A server that migrated its database writes down the revision it left
  (`AT_HEAD_MEMO`, beside Prefect's own memo in PREFECT_HOME); the next server of the
  same Prefect version on the same database, finding that revision there, skips the
  check. Any other revision (a database restored from a copy, a Prefect upgrade) is
  migrated as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import time
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn

# In the order a night first calls them: its client's version check (admin), the CSRF
# token when the server asks for one, the flow and its run, the task runs' state events
# (the events websocket), warning lines, the night's artifacts; then the rest.
KEPT_ROUTERS = (
    "admin",
    "csrf_token",
    "flows",
    "flow_runs",
    "events",
    "logs",
    "artifacts",
    "task_runs",
    "flow_run_states",
    "task_run_states",
    "concurrency_limits",
    "concurrency_limits_v2",
    "block_types",
    "block_documents",
    "block_schemas",
    "block_capabilities",
    "root",
)

AT_HEAD_MEMO = "ppks_database_at_head.json"


def create_app():
    """uvicorn's ``--factory``: Prefect's app, with the routers above."""
    from prefect.server import api
    from prefect.server.api import server
    from prefect.settings import Settings, get_current_settings

    database = _sqlite_database()
    # Only a check Prefect runs proves the revision is its head: none, when the
    # operator turned migrations off.
    checks = database is not None and get_current_settings().server.database.migrate_on_start
    skipped = checks and _known_at_head(database)
    if skipped:
        _skip_migrations()
    order = {id(getattr(api, name).router): i for i, name in enumerate(KEPT_ROUTERS)}
    routers, hash_key = server.API_ROUTERS, Settings.hash_key
    # Prefect's create_api_app includes each router of this module-level tuple, in its
    # order. Its create_app and create_api_app key a cache of apps by a hash of every
    # setting (0.12 s of the boot's CPU for the two); this process builds one app, and the
    # key only has to differ from that of an app of Prefect's own.
    server.API_ROUTERS = tuple(
        sorted((r for r in routers if id(r) in order), key=lambda r: order[id(r)])
    )
    Settings.hash_key = _one_app
    try:
        app = server.create_app()
    finally:
        server.API_ROUTERS, Settings.hash_key = routers, hash_key
    if checks and not skipped:
        app.router.lifespan_context = _remembering_head(app.router.lifespan_context, database)
    return app


def _one_app(_settings) -> str:
    return "ppks.ops.night_server"


def _sqlite_database() -> Path | None:
    """The server's SQLite file (Prefect's default), or None for any other database."""
    from prefect.settings import get_current_settings
    from sqlalchemy.engine import make_url

    url = make_url(get_current_settings().server.database.connection_url.get_secret_value())
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _revision(database: Path) -> str | None:
    """The alembic revision the database is at, read without writing to it."""
    if not database.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _memo_path() -> Path:
    from prefect.settings import get_current_settings

    return Path(get_current_settings().home) / AT_HEAD_MEMO


def _memo_entry(database: Path, revision: str) -> dict:
    import prefect

    return {"prefect": prefect.__version__, "database": str(database), "revision": revision}


def _known_at_head(database: Path) -> bool:
    revision = _revision(database)
    if revision is None:
        return False
    try:
        memo = json.loads(_memo_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return memo == _memo_entry(database, revision)


def _skip_migrations() -> None:
    """For the rest of this process: Prefect's lifespan runs no alembic upgrade."""
    from prefect.settings import get_current_settings

    # The settings this process was started with, changed in place: Prefect's
    # temporary_settings would validate a copy of every setting (0.03 s of the boot).
    get_current_settings().server.database.migrate_on_start = False


def _remembering_head(lifespan, database: Path):
    """Prefect's lifespan, then the revision its migrations left, written down."""

    @asynccontextmanager
    async def remembering(app):
        async with lifespan(app) as state:
            revision = _revision(database)
            if revision is not None:
                from ppks.ops.private import write_private

                entry = json.dumps(_memo_entry(database, revision)).encode("utf-8")
                with contextlib.suppress(OSError):  # only saves the next boot's check
                    write_private(_memo_path(), entry)
            yield state

    return remembering


class QuickStop(uvicorn.Server):
    """uvicorn's server, stopping as soon as it is told to.

    The command waits for its temporary server to stop (the server writes the night's
    last events in its shutdown). uvicorn looks at its exit flag every 0.1 s, then
    sleeps a fixed 0.1 s after asking its connections to close, though a night's
    client has closed them all by then: up to 0.2 s on every night. Here the signal
    wakes the main loop, and the shutdown waits for open connections only while there
    are some (uvicorn.Server.shutdown, 0.55, otherwise as it is).
    """

    _woken: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    def handle_exit(self, sig, frame) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None and self._woken is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed already
                self._loop.call_soon_threadsafe(self._woken.set)

    async def main_loop(self) -> None:
        self._loop, self._woken = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets=None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        deadline = time.monotonic() + 0.1
        while self.server_state.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        try:
            async with asyncio.timeout(self.config.timeout_graceful_shutdown):
                await self._wait_tasks_to_complete()
        except TimeoutError:
            for task in self.server_state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        if not self.force_exit:
            await self.lifespan.shutdown()


def serve() -> int:
    """``uvicorn``'s command line, with `QuickStop` as its server."""
    import sys

    sys.modules["uvicorn.main"].Server = QuickStop
    return uvicorn.main()
