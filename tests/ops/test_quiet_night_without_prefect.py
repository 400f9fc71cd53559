"""`ppks nightly` as cron starts it, on a night with nothing new: without a configured
Prefect server it waits for none and imports no Prefect (a temporary server costs more
than the night; the one it boots beside its look at the inbox is stopped, and none is
left running), records its run and changes no data; with a configured server the night is
a flow run there as every other night. Whether a server is configured is read as
Prefect reads it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from helpers import SAMPLES
from hostile.workbooks import tksk_rows, write_tksk
from ops_support import ROOT, base_env
from test_publish import end, hold

# The command, and then whether it imported Prefect, and which of the libraries that
# only a night with something new needs (seconds of imports against a one-second night).
RUN = """
import sys
from ppks.cli import main
code = main(sys.argv[1:])
print("prefect imported:", "prefect" in sys.modules)
heavy = ("splink", "sqlglot", "pandas", "pandera", "fastexcel", "xlsxwriter", "pyarrow")
print("heavy imported:", [m for m in heavy if m in sys.modules])
sys.exit(code)
"""


def nightly(env: dict, inbox: Path, warehouse: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", RUN, "nightly", "--inbox", str(inbox), "--warehouse",
         str(warehouse), "--outbox", str(warehouse.parent / "outbox")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def runs(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT run_id, files_loaded, link_mode FROM run_log ORDER BY started_at"
        ).fetchall()


@pytest.fixture
def first_night(sample_night) -> Path:
    return sample_night  # `nightly` above over the samples inbox, on the shared server


def servers_of(home: Path) -> list[int]:
    """Pids of the Prefect servers running with ``home`` as their PREFECT_HOME."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"uvicorn" in command and f"PREFECT_HOME={home}".encode() in environ:
            found.append(int(entry.name))
    return found


def test_a_quiet_night_waits_for_no_prefect_server_and_records_its_run(first_night, tmp_path):
    warehouse = first_night
    home = tmp_path / "prefect-home"  # no profile: no server configured anywhere
    home.mkdir()
    reader = hold(warehouse, "ro")  # an analyst reading: never in the way
    try:
        quiet = nightly(base_env(home), SAMPLES / "inbox", warehouse)
    finally:
        end(reader)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "prefect imported: False" in quiet.stdout
    assert "heavy imported: []" in quiet.stdout
    assert "the night runs without a Prefect server" in quiet.stderr
    assert servers_of(home) == []
    assert "linkage: nothing new to link" in quiet.stdout
    (first, _, _), (run_id, loaded, mode) = runs(warehouse)
    assert (loaded, mode) == (0, "none")
    assert (warehouse.parent / "outbox" / run_id / "laporan_mutu.html").exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # The first night's end, known only after its swap, was filled in by the quiet one.
        (published,) = con.execute(
            "SELECT published_at FROM run_log WHERE run_id = ?", [first]
        ).fetchall()[0]
        assert published is not None
        assert (
            con.execute(
                "SELECT count(*) FROM link_run WHERE run_id = ? AND mode = 'none'", [run_id]
            ).fetchall()[0][0]
            == 1
        )


def test_with_a_configured_server_a_quiet_night_is_a_flow_run_there(prefect_server, first_night):
    quiet = nightly(prefect_server.env(), SAMPLES / "inbox", first_night)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "prefect imported: True" in quiet.stdout
    assert [mode for _, _, mode in runs(first_night)] == ["full", "none"]


def test_a_night_with_a_new_file_runs_in_prefect(prefect_server, first_night, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "inbox", inbox)  # the first night's inbox, times kept
    write_tksk(inbox / "tksk" / "LAPORAN AGUSTUS KEC PRIGEN.xlsx", tksk_rows(3), kecamatan="Prigen")
    # No server configured (the session's server only lends its migrated database).
    home = prefect_server.used_home(tmp_path / "prefect-home")
    inode = first_night.stat().st_ino
    second = nightly(base_env(home), inbox, first_night)  # a temporary server, as before
    assert second.returncode == 0, second.stdout + second.stderr
    # A small night: written on the live file, in one transaction (no copy swapped in).
    assert first_night.stat().st_ino == inode
    assert "prefect imported: True" in second.stdout
    assert runs(first_night)[-1][1] == 1
    # The temporary server runs without the services no one uses on it (QUIET_SERVER):
    # the flow run and every stage's task run are still recorded, completed.
    with sqlite3.connect(home / "prefect.db") as db:
        (flow_run, state), *_ = db.execute(
            "SELECT id, state_type FROM flow_run ORDER BY created DESC"
        ).fetchall()
        tasks = db.execute(
            "SELECT name, state_type FROM task_run WHERE flow_run_id = ?", [flow_run]
        ).fetchall()
    assert state == "COMPLETED"
    stages = {name.rsplit("-", 1)[0]: task_state for name, task_state in tasks}
    assert {
        "prepare-in-place", "read-files", "load-rows", "link-persons", "build-model",
        "record-run", "analyst-edition", "write-reports",
    } <= set(stages)  # fmt: skip
    assert "prepare-warehouse" not in stages
    assert set(stages.values()) == {"COMPLETED"}, tasks


PROFILES = """
active = "{active}"

[profiles.office]
PREFECT_API_URL = "http://127.0.0.1:4200/api"

[profiles.laptop]
PREFECT_LOGGING_LEVEL = "INFO"
"""

ASK = """
from ppks.ops.prefect_server import api_configured
from prefect.settings import get_current_settings
print(api_configured(), bool(get_current_settings().api.url))
"""


SERVER_CASES = [
    (None, {}, False),  # no profiles file
    ("office", {}, True),
    ("laptop", {}, False),
    ("laptop", {"PREFECT_PROFILE": "office"}, True),
    ("office", {"PREFECT_PROFILE": "laptop"}, False),
    ("laptop", {"PREFECT_API_URL": "http://127.0.0.1:4200/api"}, True),
]
FOLDER_CASES = [
    (".env", "PREFECT_API_URL=http://127.0.0.1:4200/api\n"),
    ("prefect.toml", '[api]\nurl = "http://127.0.0.1:4200/api"\n'),
    ("pyproject.toml", '[tool.prefect.api]\nurl = "http://127.0.0.1:4200/api"\n'),
]


@pytest.fixture(scope="module")
def asked(tmp_path_factory) -> dict:
    """Each case's answer, a process of its own in a folder and a Prefect home of its own
    (Prefect reads its settings once per process). The nine processes are started at once
    and share the two cores: each one spends its two seconds importing Prefect."""
    started = {}
    for i, (active, extra, _) in enumerate(SERVER_CASES):
        folder = tmp_path_factory.mktemp("profiles")
        home = folder / "prefect-home"
        home.mkdir()
        if active:
            (home / "profiles.toml").write_text(PROFILES.format(active=active), encoding="utf-8")
        started["profiles", i] = _ask({**base_env(home), **extra}, folder)
    for i, (name, text) in enumerate(FOLDER_CASES):
        folder = tmp_path_factory.mktemp("folder")
        home = folder / "prefect-home"
        home.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        started["folder", i] = _ask(base_env(home), folder)
    answers = {}
    for key, process in started.items():
        out, err = process.communicate(timeout=300)
        answers[key] = (process.returncode, out, err)
    return answers


def _ask(env: dict, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", ASK],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(("active", "extra", "configured"), SERVER_CASES)
def test_a_configured_server_is_read_as_prefect_reads_it(asked, active, extra, configured):
    code, out, err = asked["profiles", SERVER_CASES.index((active, extra, configured))]
    assert code == 0, err
    assert out.split() == [str(configured), str(configured)]


@pytest.mark.parametrize(("name", "text"), FOLDER_CASES)
def test_a_server_configured_in_the_working_folder_counts(asked, name, text):
    code, out, err = asked["folder", FOLDER_CASES.index((name, text))]
    assert code == 0, err
    assert out.split() == ["True", "True"]


def test_the_temporary_server_s_settings_are_prefect_s_own_and_send_no_telemetry(monkeypatch):
    """Each name in QUIET_SERVER is a setting Prefect reads (a misspelt one would be
    ignored silently), and the server, which inherits the command's environment after
    settings.quiet_prefect, sends no usage telemetry (DO_NOT_TRACK alone does not stop
    the server's)."""
    from prefect.settings import Settings

    from ppks import settings
    from ppks.ops import prefect_server

    opposite = {"false": "true", "true": "false"}
    for name, value in prefect_server.QUIET_SERVER.items():
        with monkeypatch.context() as env:
            env.setenv(name, value)
            ours = Settings().model_dump()
            env.setenv(name, opposite[value])
            assert Settings().model_dump() != ours, f"{name} is not a setting Prefect reads"
    monkeypatch.delenv("PREFECT_SERVER_ANALYTICS_ENABLED", raising=False)
    assert Settings().server.analytics_enabled is True  # Prefect's default
    settings.quiet_prefect()
    assert Settings().server.analytics_enabled is False
