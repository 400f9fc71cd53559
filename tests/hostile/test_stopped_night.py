"""A night told to stop (systemd's SIGTERM, an operator's Ctrl-C) publishes both files or neither.

Python runs a stop's handler in the main thread, where the night runs; inside a
DuckDB statement DuckDB's client turns it into RuntimeError("Query interrupted")
(seen once in the suite, at the analyst edition's `DETACH ed`, under load). Here
the stop is pressed at the points that matter, deterministically, and the night's
outcome is read from the files it left.
"""

from __future__ import annotations

import _thread
import hashlib
import signal
import sys
import threading
import types

import duckdb
import pytest
from ppks.flows.night import run_night

from ppks.ops import stops
from ppks.warehouse import analyst, build

HEADER = (
    "id_layanan;tanggal_layanan;nik;no_kk;nama;jenis_kelamin;tanggal_lahir;alamat;"
    "kode_wilayah;nama_desa;jenis_keluhan;kategori_ppks;program_rujukan;status_rujukan;petugas"
)
PEOPLE = [
    "3514130302240017;3514131212120003;DIMAS MAULANA;1;2024-02-03;DSN KRAJAN RT 001",
    "3514134406900004;3514131212120003;SRI WAHYUNI;2;1990-06-04;DSN KRAJAN RT 001",
]


def export(path, first: int) -> None:
    """An SLRT CSV export of two visits, numbered from ``first``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [HEADER] + [
        f"SLRT-3514-{first + k:06d};2026-08-0{k + 1};{who};3514132012;SUKOREJO;"
        "Tidak mampu berobat;PPKS-07;PKH;Diajukan;BUDI"
        for k, who in enumerate(PEOPLE)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def ctrl_c_raises():
    """Ctrl-C as an operator's terminal delivers it: Python's own handler, raising.

    A process started in the background by a shell without job control (``cmd &``
    in a script, as CI and nohup runs start the suite) inherits SIGINT ignored, and
    Python then installs no handler: a pressed Ctrl-C would do nothing at all."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def second_night(tmp_path, monkeypatch):
    """A warehouse and edition after one night, and a new file in the inbox for the next."""
    monkeypatch.delenv(analyst.KEY_ENV, raising=False)
    monkeypatch.delenv(analyst.KEY_FILE_ENV, raising=False)
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse" / "ppks.duckdb"
    export(inbox / "slrt" / "export_juli.csv", 1)
    run_night(inbox, warehouse)
    export(inbox / "slrt" / "export_agustus.csv", 101)
    return inbox, warehouse


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def runs(warehouse) -> tuple[list[str], str]:
    """(run_ids of the warehouse, run_id of the night its analyst edition was made from)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ids = [
            r for (r,) in con.execute("SELECT run_id FROM run_log ORDER BY started_at").fetchall()
        ]
    with duckdb.connect(str(analyst.analyst_path(warehouse)), read_only=True) as con:
        [(edition,)] = con.execute("SELECT run_id FROM edition_info").fetchall()
    return ids, edition


def leftovers(warehouse) -> list[str]:
    return sorted(p.name for p in warehouse.parent.iterdir() if ".building" in p.name)


def press_ctrl_c_inside(con, sql: str):
    """``con.execute(sql)`` with Ctrl-C pressed while DuckDB runs it.

    The helper thread waits on a lock without the GIL; with a long switch interval
    this thread keeps the GIL until DuckDB releases it to run the statement, so the
    helper's interrupt_main lands inside the statement, where DuckDB's client checks
    for signals between its steps. (Should the statement end before the helper wakes,
    the stop lands on the next line instead: the night is stopped either way.)"""
    gate = threading.Lock()
    gate.acquire()

    def press() -> None:
        with gate:
            _thread.interrupt_main()

    helper = threading.Thread(target=press)
    helper.start()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(60)
    try:
        gate.release()
        return con.execute(sql)
    finally:
        sys.setswitchinterval(interval)
        helper.join()


class StopAt:
    """A DuckDB connection whose ``statement`` is run with Ctrl-C pressed inside it."""

    def __init__(self, con, statement: str) -> None:
        self._con, self._statement = con, statement

    def execute(self, sql, *args):
        if sql == self._statement:
            return press_ctrl_c_inside(self._con, sql)
        return self._con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_a_stop_inside_the_editions_detach_fails_the_night_and_changes_nothing(
    second_night, monkeypatch
):
    inbox, warehouse = second_night
    edition = analyst.analyst_path(warehouse)
    before = digest(warehouse), digest(edition), runs(warehouse)
    connect = duckdb.connect
    monkeypatch.setattr(
        analyst,
        "duckdb",
        types.SimpleNamespace(
            connect=lambda *a, **k: StopAt(connect(*a, **k), "DETACH ed"), Error=duckdb.Error
        ),
    )
    with pytest.raises((RuntimeError, KeyboardInterrupt)) as stopped:
        run_night(inbox, warehouse)
    # DuckDB's client raised the stop as its own error, as in the suite's failure.
    assert isinstance(stopped.value, KeyboardInterrupt) or stops.is_interrupted(stopped.value)
    assert (digest(warehouse), digest(edition), runs(warehouse)) == before
    assert leftovers(warehouse) == []
    monkeypatch.undo()  # the next night, not stopped, loads the new file
    monkeypatch.delenv(analyst.KEY_ENV, raising=False)
    monkeypatch.delenv(analyst.KEY_FILE_ENV, raising=False)
    assert run_night(inbox, warehouse).counts["files_loaded"] == 1
    ids, made_from = runs(warehouse)
    assert len(ids) == 2 and made_from == ids[-1]


def test_a_stop_between_the_two_renames_waits_until_both_files_are_published(
    second_night, monkeypatch
):
    inbox, warehouse = second_night
    publish = build.publish

    def publish_then_stop(staging, target, *args, **kwargs):
        publish(staging, target, *args, **kwargs)
        signal.raise_signal(signal.SIGINT)  # Ctrl-C just after the full warehouse's rename

    monkeypatch.setattr(build, "publish", publish_then_stop)
    with pytest.raises(KeyboardInterrupt) as stopped:
        run_night(inbox, warehouse)
    ids, made_from = runs(warehouse)
    # Both files are the second night's: the edition is not the first night's any more.
    assert len(ids) == 2 and made_from == ids[-1]
    assert leftovers(warehouse) == []
    assert stops.PUBLISHED_NOTE in stopped.value.__notes__


def test_a_stop_held_while_publishing_is_raised_under_the_handler_in_place():
    class Stopped(Exception):
        pass

    def handler(signum, _frame):
        raise Stopped(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        done = []
        with pytest.raises(Stopped), stops.held_stops():
            signal.raise_signal(signal.SIGTERM)
            done.append("both renames")
        assert done == ["both renames"]
        assert signal.getsignal(signal.SIGTERM) is handler
    finally:
        signal.signal(signal.SIGTERM, previous)


def _published_stop() -> KeyboardInterrupt:
    stop = KeyboardInterrupt()
    stop.add_note(stops.PUBLISHED_NOTE)
    return stop


@pytest.mark.parametrize(
    ("stop", "says"),
    [
        (KeyboardInterrupt, "the warehouse was not changed"),
        (lambda: RuntimeError(stops.INTERRUPTED), "the warehouse was not changed"),
        (_published_stop, stops.PUBLISHED_NOTE),
    ],
    ids=["ctrl-c", "ctrl-c-inside-duckdb", "after-publishing"],
)
def test_the_command_says_it_was_interrupted_and_what_it_left(stop, says, capsys, monkeypatch):
    from ppks.cli import main, pipeline_commands

    def night(*_args, **_kwargs):
        raise stop()

    monkeypatch.setattr(pipeline_commands, "_nightly", night)
    assert main(["nightly", "--inbox", "in", "--warehouse", "w.duckdb", "--outbox", "out"]) == 130
    assert capsys.readouterr().err == f"ppks: interrupted; {says}\n"


def test_a_stage_stopped_inside_duckdb_is_not_retried():
    from ppks.flows import nightly
    from prefect.states import Failed

    for stage in (nightly.prepare_warehouse, nightly.read_files):
        assert stage.retries == 2
        retry = stage.retry_condition_fn
        assert not retry(stage, None, Failed(data=RuntimeError(stops.INTERRUPTED)))
        assert retry(stage, None, Failed(data=OSError("the disk was busy")))
