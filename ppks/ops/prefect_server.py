"""A temporary Prefect server that dies with the command that started it.

Without a configured server (PREFECT_API_URL, or a Prefect profile), Prefect
starts a temporary one itself: a ``uvicorn`` child process that it stops at
exit. A run killed with SIGKILL (or aborted by a crashing reader) never
reaches that exit, and the uvicorn child lives on as an orphan, holding its
port and its SQLite database.

So the ``ppks`` command starts that server itself, with the same command and
settings Prefect uses (``prefect.server.api.server.SubprocessASGIServer``),
but with the kernel told to kill it when its parent dies (``PR_SET_PDEATHSIG``
through prctl): however the command ends, the server ends with it. Prefect then
sees a configured API and starts nothing of its own. Its app is Prefect's with only
the API a flow run uses (ppks.ops.night_server): FastAPI builds the state of every
route at the first request, and the night waits for that request.

A night with nothing new needs no server at all (ppks.warehouse.quiet): whether
one is configured is read without importing Prefect (`api_configured`), as
importing Prefect alone costs a second of such a night. The command boots the
server (`start_server`) before it knows: the boot takes seconds on the other core,
and the quiet check runs beside it; a quiet night stops it unused, and every other
night waits only for what is left of its boot.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

PR_SET_PDEATHSIG = 1
STARTUP_SECONDS = 60
# The server's start is its imports (Prefect's API, SQLAlchemy's models, Pydantic's
# schemas: seconds of one core, and what a night waits for). Python's cyclic garbage
# collector ran over and over during them, tracing the millions of objects they make,
# none of them garbage: paused while they run, then those objects are set aside
# (gc.freeze) so that the collections of the night's requests do not trace them
# either. Then uvicorn's command line as `python -m uvicorn` runs it, with the same
# arguments, and a server that stops as soon as it is told (ppks.ops.night_server).
# uvicorn is named in the command line, where `ps` and the operator look for it.
SERVER_BOOT = (
    "import gc, sys; gc.disable(); import prefect.server.api.server; gc.freeze(); "
    "gc.enable(); import uvicorn; from ppks.ops.night_server import serve; sys.exit(serve())"
)
# How often the command looks whether the server listens yet. uvicorn opens its port
# only once the app's lifespan has started, so a refused connection is the whole
# answer until then, and costs microseconds: the night learns of the server's start
# within 10 ms rather than within the 0.1 s of an HTTP poll.
POLL_SECONDS = 0.01

# What a temporary server does for no one: it serves the one flow run of the command
# that started it and dies with it, so no automation can be defined on it (its
# triggers and actions services) and nothing subscribes to its event and log streams
# (the UI is off; only a runner's cancellation watch and `prefect events stream`
# would). Those services took a few tenths of a second of its boot and of its CPU
# beside the night, on two cores. Task runs are still recorded and events still
# persisted: a Prefect UI opened later on the same PREFECT_HOME shows the night.
# An operator's own setting of any of them wins.
QUIET_SERVER = {
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
    "PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "false",
}

_started: list = []  # (process, settings context) of the server this process started


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: SIGKILL when the parent dies (also if it died already)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def api_configured() -> bool:
    """Whether Prefect talks to a server of the operator's: PREFECT_API_URL in the
    environment, or in the active Prefect profile (``prefect profile use``,
    ``prefect config set``), as Prefect itself reads them."""
    if os.environ.get("PREFECT_API_URL") or _api_in_working_folder(Path.cwd()):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    profile = profiles.get("profiles", {}).get(active, {})
    return isinstance(profile, dict) and bool(profile.get("PREFECT_API_URL"))


def _api_in_working_folder(folder: Path) -> bool:
    """Prefect also reads ``.env``, ``prefect.toml`` and ``pyproject.toml``'s
    ``[tool.prefect]`` in the working folder. Any mention of an API URL there counts
    as configured: a wrong yes only costs a quiet night its shortcut, a wrong no
    would leave the operator's server without the night's flow run."""
    for name, needle in ((".env", "PREFECT_API_URL"), ("prefect.toml", "url")):
        try:
            text = (folder / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if needle in text:
            return True
    try:
        pyproject = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    prefect = pyproject.get("tool", {}).get("prefect", {})
    return isinstance(prefect, dict) and "url" in str(prefect.get("api", ""))


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, int]:
    """Boot a temporary server tied to this process, without importing Prefect here.

    The command starts it before it knows whether the night has anything new: booting
    takes seconds on its own core, so the quiet check and the flow's imports run beside
    it rather than before it. The server reads Prefect's settings as this process would
    (same environment, profile and working folder), with the flags Prefect's own
    temporary server sets (prefect.server.api.server.SubprocessASGIServer). Call it
    from the main thread: the death signal follows the thread that started the child.
    """
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    app_dir = Path(next(iter(spec.submodule_search_locations))).parent
    port = _free_port()
    env = {
        **QUIET_SERVER,
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    parent = os.getpid()
    process = subprocess.Popen(
        [
            sys.executable, "-c", SERVER_BOOT,
            "--app-dir", str(app_dir),
            "--factory", "ppks.ops.night_server:create_app",
            "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on",
        ],
        env=env,
        preexec_fn=lambda: _die_with_parent(parent),
    )  # fmt: skip
    atexit.register(_stop, process)
    return process, port


def ensure_api(
    while_starting: Callable[[], object] | None = None,
    booting: tuple[subprocess.Popen, int] | None = None,
) -> str | None:
    """Start a temporary server tied to this process unless a Prefect API is configured.

    Returns the URL of the server started, or None when one was configured already.
    Call it from the main thread (the death signal follows the thread that started
    the child) and before the first flow runs. ``while_starting`` runs while the
    server boots (a command's own imports: the two take seconds each, on two cores).
    ``booting``: the server `start_server` started already, to wait for.
    """
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    if get_current_settings().api.url or _started:
        if booting is not None:
            _stop(booting[0])
        return None
    process, port = booting or start_server()
    if while_starting is not None:
        while_starting()
    url = f"http://127.0.0.1:{port}/api"
    # Entered for the rest of the process: Prefect's log and event workers send
    # what they hold at exit, and must still find this server then (it stops last).
    # No heartbeats: they let a lasting server mark a vanished run as crashed, and
    # this one dies with the run; the heartbeat thread wakes once a second, so the
    # flow's end waited half a second on average to join it. Entered before the wait:
    # Prefect validates a copy of every setting (0.03 s of CPU), which the server's
    # boot leaves time for, and the flow's start would wait for.
    context = temporary_settings(
        updates={PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    )
    context.__enter__()
    try:
        _wait_for_health(process, port, url)
    except BaseException:
        context.__exit__(*sys.exc_info())
        raise
    _started.append((process, context))
    return url


def _wait_for_health(process: subprocess.Popen, port: int, url: str) -> None:
    import httpx

    deadline = time.monotonic() + STARTUP_SECONDS
    # One client for every poll: a new one per poll builds an SSL context each time,
    # a second of CPU taken from the booting server over its start on two cores.
    with httpx.Client(timeout=2) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the temporary Prefect server exited (code {process.returncode})"
                )
            if _listening(port):
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{url}/health").status_code == 200:
                        return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the temporary Prefect server did not start in {STARTUP_SECONDS} s"
                )
            time.sleep(POLL_SECONDS)


def stop_server(booting: tuple[subprocess.Popen, int]) -> None:
    """The server `start_server` booted, not needed after all (a night with nothing new)."""
    _stop(booting[0])


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
