"""A small night written on the live warehouse in one transaction (flows/night.py,
ppks.warehouse.in_place): the same warehouse as on a copy; a failure in any stage, a
stop or a kill before the commit leaves the file's tables as they were; a reader or a
large night keeps the copy; the analyst edition, built after the commit, heals on the
next night when its build failed or was killed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import textwrap
import zipfile

import duckdb
import pytest
from helpers import (
    LATER,
    SAMPLES,
    assert_same_edition,
    edition_from_scratch,
    reader_holding,
    warehouse_tables,
)
from ppks.flows import night
from ppks.flows.night import PLAIN, run_night

from ppks.reporting.outbox import write_outbox
from ppks.warehouse import analyst, build, in_place
from ppks.warehouse.keyed_hash import default_key_file, load_key

ROOT = SAMPLES.parents[2]


@pytest.fixture(scope="module")
def first_night(tmp_path_factory):
    """The samples' first night without the files of LATER (a warehouse, its edition
    and key), kept as it was for each test to copy."""
    root = tmp_path_factory.mktemp("first_night")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES / "inbox", inbox)
    for relative in LATER:
        (inbox / relative).unlink()
    warehouse = root / "wh" / "ppks.duckdb"
    mp = pytest.MonkeyPatch()
    mp.delenv(analyst.KEY_ENV, raising=False)
    mp.delenv(analyst.KEY_FILE_ENV, raising=False)
    try:
        run_night(inbox, warehouse, root / "outbox")
    finally:
        mp.undo()
    return warehouse


@pytest.fixture
def second(first_night, tmp_path, monkeypatch):
    """A copy of the first night's files, and the whole sample inbox (LATER is new):
    (inbox, warehouse). Every night of these tests is small enough to go in place
    unless a test lowers the share."""
    monkeypatch.delenv(analyst.KEY_ENV, raising=False)
    monkeypatch.delenv(analyst.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv("PPKS_IN_PLACE_SHARE", "1")
    return copy_night(first_night, tmp_path / "a")


def copy_night(warehouse, folder):
    shutil.copytree(SAMPLES / "inbox", folder / "inbox")
    (folder / "wh").mkdir()
    for name in (warehouse.name, analyst.analyst_path(warehouse).name):
        shutil.copy2(warehouse.with_name(name), folder / "wh" / name)
    shutil.copy2(default_key_file(warehouse), folder / "wh" / default_key_file(warehouse).name)
    return folder / "inbox", folder / "wh" / warehouse.name


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(warehouse) -> list[str]:
    """A run's copies, spill, WAL, and the edition's copy made ahead of its build."""
    return sorted(
        p.name
        for p in warehouse.parent.iterdir()
        if ".building" in p.name or ".ahead-" in p.name or p.name.endswith(".wal")
    )


def edition_run(warehouse) -> str:
    with duckdb.connect(str(analyst.analyst_path(warehouse)), read_only=True) as con:
        return con.execute("SELECT run_id FROM edition_info").fetchall()[0][0]


def last_runs(warehouse) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT run_id, files_loaded, link_mode, stage_seconds FROM run_log ORDER BY started_at"
        ).fetchall()


def failing_after(stage: str):
    """The stage, run whole (its rows written in the night's transaction), then failing."""
    real = getattr(night, stage)

    def fails(*args, **kwargs):
        real(*args, **kwargs)
        raise OSError(f"disk gone after {stage}")

    return dataclasses.replace(PLAIN, **{stage: fails})


def test_a_small_night_in_place_gives_the_warehouse_a_night_on_a_copy_gives(
    second, first_night, tmp_path, monkeypatch
):
    inbox, warehouse = second
    inode = warehouse.stat().st_ino
    tables_before = set(warehouse_tables(warehouse))
    written = run_night(inbox, warehouse, tmp_path / "outbox")
    assert warehouse.stat().st_ino == inode  # written in place: no copy swapped in
    assert written.counts["files_loaded"] == len(LATER)
    assert written.link["mode"] == "incremental" and written.link["rows_new"] > 0
    assert leftovers(warehouse) == []  # checkpointed: no WAL, no spill folder

    monkeypatch.setenv("PPKS_IN_PLACE_SHARE", "0")  # the same night on a private copy
    other_inbox, copied = copy_night(first_night, tmp_path / "b")
    other_inode = copied.stat().st_ino
    run_night(other_inbox, copied, tmp_path / "outbox_b")
    assert copied.stat().st_ino != other_inode

    # What differs between any two runs of one night: the texts the edition's cache
    # scrubbed (the run's stage seconds, the inbox's path) and the fingerprint of a
    # file's rejected rows (it hashes the run that rejected them).
    differ = {r["object"] for r in compared(warehouse, copied) if not r.get("same")}
    assert differ <= {"edition_text", "quality_file_count"}, differ
    assert counts_of_files(warehouse) == counts_of_files(copied)
    # Nothing of linkage's scratch tables is left in the live file.
    assert set(warehouse_tables(warehouse)) == set(warehouse_tables(copied)) == tables_before
    edition = analyst.analyst_path(warehouse)
    assert edition_run(warehouse) == written.run_id
    key = load_key(warehouse)
    assert_same_edition(edition, edition_from_scratch(warehouse, tmp_path / "scratch", key))
    # The run's stages up to its record are in run_log; the next night adds the rest.
    run_id, files, mode, stages = last_runs(warehouse)[-1]
    assert (run_id, files, mode) == (written.run_id, len(LATER), "incremental")
    assert set(json.loads(stages)) == {"prepare", "read", "load", "link", "model"}
    run_night(inbox, warehouse, tmp_path / "outbox")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        stages, peak, published = con.execute(
            "SELECT stage_seconds, peak_memory_mb, published_at FROM run_log WHERE run_id = ?",
            [written.run_id],
        ).fetchall()[0]
    assert set(json.loads(stages)) >= {"record", "publish", "edition", "reports"}
    assert peak > 0 and published is not None


def outbox_files(folder) -> dict[str, object]:
    """Each file of a run's outbox: the report's text, a workbook's parts (less the
    time it was written)."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                out[name] = {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}
        else:
            out[name] = path.read_bytes()
    return out


def test_the_reports_written_beside_the_edition_are_those_of_the_finished_warehouse(
    second, tmp_path
):
    inbox, warehouse = second
    # Read on the night's connection after its commit, written while it checkpoints
    # and builds the edition (flows/night.py `_reports_beside`).
    written = run_night(inbox, warehouse, tmp_path / "outbox")
    beside = outbox_files(tmp_path / "outbox" / written.run_id)
    assert any(name.endswith(".xlsx") for name in beside)
    after = write_outbox(warehouse, written.run_id, tmp_path / "after")
    assert beside == outbox_files(after.folder)
    assert leftovers(warehouse) == []  # the edition took the copy made beside the checkpoint


def test_reports_that_fail_beside_the_edition_leave_the_night_completed(second, tmp_path, caplog):
    inbox, warehouse = second

    def fails(*args, **kwargs):
        raise OSError("outbox gone")

    written = run_night(
        inbox, warehouse, tmp_path / "outbox", run=dataclasses.replace(PLAIN, write_reports=fails)
    )
    assert last_runs(warehouse)[-1][0] == written.run_id
    assert edition_run(warehouse) == written.run_id
    assert "its reports could not be written" in caplog.text


def compared(a, b) -> list[dict]:
    """benchmarks/compare_warehouses.py's comparison of two warehouses."""
    import importlib.util

    script = ROOT / "benchmarks" / "compare_warehouses.py"
    spec = importlib.util.spec_from_file_location("compare_warehouses", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compare(str(a), str(b))


def counts_of_files(warehouse) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT * EXCLUDE (fingerprint) FROM quality_file_count ORDER BY ALL"
        ).fetchall()


@pytest.mark.parametrize("stage", ["load_rows", "link_persons", "build_model", "record_run"])
def test_a_stage_that_fails_in_place_leaves_the_file_as_it_was(second, tmp_path, stage):
    inbox, warehouse = second
    before = warehouse_tables(warehouse)
    edition = digest(analyst.analyst_path(warehouse))
    inode = warehouse.stat().st_ino
    with pytest.raises(OSError, match=f"disk gone after {stage}"):
        run_night(inbox, warehouse, tmp_path / "outbox", run=failing_after(stage))
    assert warehouse.stat().st_ino == inode  # it was written in place, and rolled back
    assert warehouse_tables(warehouse) == before
    assert digest(analyst.analyst_path(warehouse)) == edition
    assert leftovers(warehouse) == []
    # The next night loads the files, in place again.
    again = run_night(inbox, warehouse, tmp_path / "outbox")
    assert again.counts["files_loaded"] == len(LATER) and warehouse.stat().st_ino == inode


def test_a_reader_holding_the_file_sends_the_night_to_a_copy(second, tmp_path):
    inbox, warehouse = second
    inode = warehouse.stat().st_ino
    with reader_holding(warehouse) as reader:
        assert in_place.open_in_place(warehouse) is None
        written = run_night(inbox, warehouse, tmp_path / "outbox")
        assert reader.poll() is None  # never refused nor stopped
    assert warehouse.stat().st_ino != inode  # the copy, swapped in
    assert written.counts["files_loaded"] == len(LATER)
    assert edition_run(warehouse) == written.run_id


def test_a_large_night_takes_the_copy(second, tmp_path, monkeypatch):
    inbox, warehouse = second
    monkeypatch.delenv("PPKS_IN_PLACE_SHARE")  # the default share: LATER is about 12%
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (stored,) = con.execute(
            "SELECT sum(size_bytes) FROM ingest_file WHERE status = 'loaded'"
        ).fetchall()[0]
    new = sum((inbox / relative).stat().st_size for relative in LATER)
    assert new > 0.05 * stored
    inode = warehouse.stat().st_ino
    written = run_night(inbox, warehouse, tmp_path / "outbox")
    assert warehouse.stat().st_ino != inode
    assert written.counts["files_loaded"] == len(LATER)
    # And the quiet night after it is written in place.
    inode = warehouse.stat().st_ino
    quiet = run_night(inbox, warehouse, tmp_path / "outbox")
    assert quiet.link["mode"] == "none" and warehouse.stat().st_ino == inode


def test_a_failed_edition_build_completes_the_night_and_the_next_night_heals_it(
    second, tmp_path, caplog
):
    inbox, warehouse = second
    first_edition = edition_run(warehouse)

    def fails(*args, **kwargs):
        raise OSError("disk gone while writing the edition")

    written = run_night(
        inbox, warehouse, tmp_path / "outbox", run=dataclasses.replace(PLAIN, analyst_edition=fails)
    )
    assert written.counts["files_loaded"] == len(LATER)
    assert last_runs(warehouse)[-1][0] == written.run_id  # committed
    assert edition_run(warehouse) == first_edition  # the previous edition, still published
    assert "analyst edition could not be built" in caplog.text
    assert leftovers(warehouse) == []
    # The next night has nothing new, and builds the edition the warehouse is ahead of.
    quiet = run_night(inbox, warehouse, tmp_path / "outbox")
    assert quiet.link["mode"] == "none"
    assert edition_run(warehouse) == quiet.run_id
    key = load_key(warehouse)
    assert_same_edition(
        analyst.analyst_path(warehouse), edition_from_scratch(warehouse, tmp_path / "s", key)
    )
    runs = {run_id: stages for run_id, _, _, stages in last_runs(warehouse)}
    assert '"edition_failed"' in runs[written.run_id]  # written by the next night
    # And the night after that has nothing to build.
    third = run_night(inbox, warehouse, tmp_path / "outbox")
    assert edition_run(warehouse) == quiet.run_id and third.link["mode"] == "none"


def test_a_stop_inside_an_in_place_stage_rolls_the_night_back(second, tmp_path):
    inbox, warehouse = second
    before = warehouse_tables(warehouse)
    real = night.link_persons

    def stopped(*args, **kwargs):
        real(*args, **kwargs)
        signal.raise_signal(signal.SIGINT)  # Ctrl-C, the stage's rows written

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt) as stop:
            run_night(
                inbox,
                warehouse,
                tmp_path / "outbox",
                run=dataclasses.replace(PLAIN, link_persons=stopped),
            )
    finally:
        signal.signal(signal.SIGINT, previous)
    assert not getattr(stop.value, "__notes__", [])  # not published
    assert warehouse_tables(warehouse) == before
    assert leftovers(warehouse) == []


# The night in a process of its own, which kills itself (SIGKILL or SIGTERM with its
# default action, as systemd's stop of a process without a handler) at the start of
# one stage, or just after another wrote its rows in the night's transaction.
KILLED = """
import dataclasses, os, signal, sys
from pathlib import Path
from ppks.flows import night


def main():
    inbox, warehouse, stage, when, how = sys.argv[1:6]
    real = getattr(night, stage)

    def killed(*args, **kwargs):
        if when == "after":
            real(*args, **kwargs)
        os.kill(os.getpid(), getattr(signal, how))

    run = dataclasses.replace(night.PLAIN, **{stage: killed})
    night.run_night(Path(inbox), Path(warehouse), Path(warehouse).parent / "outbox", run=run)


if __name__ == "__main__":
    main()
"""


def killed_night(tmp_path, inbox, warehouse, stage, when, how) -> int:
    script = tmp_path / "killed_night.py"
    script.write_text(textwrap.dedent(KILLED))
    done = subprocess.run(
        [sys.executable, str(script), str(inbox), str(warehouse), stage, when, how],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode


@pytest.mark.parametrize(
    ("stage", "how"), [("link_persons", "SIGKILL"), ("build_model", "SIGTERM")]
)
def test_a_night_killed_before_its_commit_changes_nothing(second, tmp_path, stage, how):
    inbox, warehouse = second
    before = warehouse_tables(warehouse)
    edition = digest(analyst.analyst_path(warehouse))
    code = killed_night(tmp_path, inbox, warehouse, stage, "after", how)
    assert code == -getattr(signal, how)
    assert warehouse_tables(warehouse) == before
    assert digest(analyst.analyst_path(warehouse)) == edition
    assert not build.wal_path(warehouse).exists()
    # The next night loads the files (it tidies whatever the killed one left first).
    again = run_night(inbox, warehouse, tmp_path / "outbox")
    assert again.counts["files_loaded"] == len(LATER)
    assert leftovers(warehouse) == []
    assert edition_run(warehouse) == again.run_id


def test_a_night_killed_between_its_commit_and_its_edition_heals_the_next_night(second, tmp_path):
    inbox, warehouse = second
    first_edition = edition_run(warehouse)
    code = killed_night(tmp_path, inbox, warehouse, "analyst_edition", "before", "SIGKILL")
    assert code == -signal.SIGKILL
    runs = last_runs(warehouse)
    assert runs[-1][1] == len(LATER)  # committed, and checkpointed before the edition
    assert not build.wal_path(warehouse).exists()
    assert edition_run(warehouse) == first_edition
    quiet = run_night(inbox, warehouse, tmp_path / "outbox")
    assert quiet.counts["files_loaded"] == 0 and quiet.link["mode"] == "none"
    assert edition_run(warehouse) == quiet.run_id
    key = load_key(warehouse)
    assert_same_edition(
        analyst.analyst_path(warehouse), edition_from_scratch(warehouse, tmp_path / "s", key)
    )


def test_only_a_night_small_against_what_is_stored_is_small(second):
    from ppks.ingest.classify import plan as plan_files
    from ppks.ingest.inbox import discover

    inbox, warehouse = second
    files, _ = discover(inbox)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        from ppks.warehouse import tables

        plan = plan_files(files, tables.known_files(con))
        new = sum(f.size for f in plan.to_read)
        (stored,) = con.execute(
            "SELECT sum(size_bytes) FROM ingest_file WHERE status = 'loaded'"
        ).fetchall()[0]
        assert in_place.small_enough(con, plan, new / stored)
        assert not in_place.small_enough(con, plan, new / stored * 0.99)
        nothing = dataclasses.replace(plan, to_read=[])
        assert in_place.small_enough(con, nothing, 0.0)


def test_the_look_finds_a_night_small_only_when_it_can_be_written_in_place(second):
    """The command copies the warehouse ahead of a night its look finds not small."""
    from ppks.warehouse import quiet, schema

    inbox, warehouse = second
    found = quiet.look(inbox, warehouse, None)
    assert found.small and not found.quiet
    with duckdb.connect(str(warehouse)) as con:  # as after an upgrade of the table files
        con.execute(f"DROP MACRO {schema.APPLIED_MACRO}")
    assert not quiet.look(inbox, warehouse, None).small
