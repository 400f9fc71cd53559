"""A night with nothing new, told from the live warehouse before the night starts
(ppks.warehouse.quiet), and the night's stages run without Prefect (flows/night.py):
it records its run and changes no data, and when it fails it changes nothing."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest
from helpers import QUIET_NIGHT_TABLES, reader_holding, warehouse_tables
from ppks.flows.night import PLAIN, Stages, run_night
from ppks.flows.nightly import nightly

from ppks import settings
from ppks.link import Decision, append_decisions
from ppks.warehouse import build, write_steps
from ppks.warehouse.quiet import nothing_new


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def first_night(samples_first_night):
    """The sample inbox's first night (a copy of the inbox, the outbox beside)."""
    return samples_first_night.inbox, samples_first_night.warehouse


@pytest.fixture
def night(first_night, tmp_path):
    """A private copy of the first night's inbox and warehouse, for a test to change."""
    inbox, warehouse = first_night
    shutil.copytree(inbox, tmp_path / "inbox")
    shutil.copyfile(warehouse, tmp_path / "ppks.duckdb")
    return tmp_path / "inbox", tmp_path / "ppks.duckdb"


def decisions_of(warehouse):
    return settings.review_decisions_path(warehouse)


def test_after_a_night_nothing_is_new_and_the_inbox_is_handed_on(night):
    inbox, warehouse = night
    found = nothing_new(inbox, warehouse, decisions_of(warehouse))
    assert found is not None
    files, _ignored = found
    assert sorted(f.inbox_path for f in files) == sorted(
        str(p.relative_to(inbox)) for p in inbox.rglob("*") if p.is_file()
    )


def test_a_new_file_a_copy_under_another_name_or_a_retrain_is_something_new(night):
    inbox, warehouse = night
    assert nothing_new(inbox, warehouse, None, retrain=True) is None
    original = next((inbox / "tksk").glob("*.xlsx"))
    shutil.copyfile(original, inbox / "tksk" / f"{original.stem} (1).xlsx")  # a duplicate
    assert nothing_new(inbox, warehouse, None) is None


def test_no_warehouse_a_wal_or_waiting_subject_requests_go_to_the_full_night(night):
    inbox, warehouse = night
    assert nothing_new(inbox, warehouse.with_name("none.duckdb"), None) is None
    wal = build.wal_path(warehouse)
    wal.write_bytes(b"")  # as a crashed session leaves it: the night copies and replays it
    try:
        assert nothing_new(inbox, warehouse, None) is None
    finally:
        wal.unlink()
    assert nothing_new(inbox, warehouse, None) is not None


def test_a_decision_is_new_until_a_night_has_read_it(night):
    inbox, warehouse = night
    with duckdb.connect(str(warehouse), read_only=True) as con:
        a, b = con.execute(
            "SELECT source_file, coalesce(sheet, ''), row_number FROM source_record "
            "ORDER BY record_id LIMIT 2"
        ).fetchall()
    append_decisions(
        settings.review_decisions_file(warehouse),
        [Decision(a, b, "different", reviewer="Sri", decided_at="2026-11-02T09:00:00")],
    )
    assert nothing_new(inbox, warehouse, decisions_of(warehouse)) is None
    applied = nightly(inbox=inbox, warehouse=warehouse, outbox=warehouse.parent / "outbox")
    assert applied.link["mode"] == "incremental"
    assert nothing_new(inbox, warehouse, decisions_of(warehouse)) is not None


@pytest.mark.parametrize(
    "change",
    [
        # A row loaded and never linked.
        "DELETE FROM link_feature WHERE unique_id = (SELECT max(unique_id) FROM link_feature)",
        # As many features as rows, one of them of a row that is gone.
        "UPDATE link_feature SET unique_id = unique_id + 1000000 "
        "WHERE unique_id = (SELECT min(unique_id) FROM link_feature)",
    ],
)
def test_a_row_without_its_features_is_something_new(night, change):
    inbox, warehouse = night
    with duckdb.connect(str(warehouse)) as con:
        con.execute(change)
    assert nothing_new(inbox, warehouse, decisions_of(warehouse)) is None


def test_the_night_without_prefect_records_its_run_and_changes_no_data(night):
    inbox, warehouse = night
    before = warehouse_tables(warehouse)
    found = nothing_new(inbox, warehouse, decisions_of(warehouse))
    quiet = run_night(inbox, warehouse, warehouse.parent / "outbox", discovered=found)
    assert quiet.link["mode"] == "none" and quiet.counts["files_skipped"] == len(found[0])
    after = warehouse_tables(warehouse)
    for name, rows in before.items():
        if name not in QUIET_NIGHT_TABLES:
            assert after[name] == rows, f"a quiet night changed {name}"
    assert len(after["run_log"]) == len(before["run_log"]) + 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mode, stages = con.execute(
            "SELECT link_mode, stage_seconds FROM run_log WHERE run_id = ?", [quiet.run_id]
        ).fetchall()[0]
        (link_mode,) = con.execute(
            "SELECT mode FROM link_run WHERE run_id = ?", [quiet.run_id]
        ).fetchall()[0]
    assert mode == link_mode == "none"
    assert '"model"' not in stages and '"edition"' not in stages
    assert (warehouse.parent / "outbox" / quiet.run_id / "laporan_mutu.html").exists()
    assert not list(warehouse.parent.glob(f".{warehouse.name}.*.building*"))


def test_a_night_without_prefect_that_fails_changes_nothing(night):
    inbox, warehouse = night
    before = digest(warehouse)

    def fails(*args, **kwargs):
        raise OSError("disk gone while recording the run")

    with pytest.raises(OSError, match="disk gone"):
        run_night(inbox, warehouse, warehouse.parent / "outbox", run=Stages(record_run=fails))
    assert digest(warehouse) == before
    assert not list(warehouse.parent.glob(f".{warehouse.name}.*.building*"))
    assert not build.wal_path(warehouse).exists()
    # And the next night is quiet again, from the same warehouse.
    again = run_night(inbox, warehouse, warehouse.parent / "outbox", run=PLAIN)
    assert again.link["mode"] == "none"


def test_a_quiet_night_records_its_run_in_place_without_copying(night):
    inbox, warehouse = night
    inode = warehouse.stat().st_ino
    found = nothing_new(inbox, warehouse, decisions_of(warehouse))
    quiet = run_night(inbox, warehouse, warehouse.parent / "outbox", discovered=found)
    assert warehouse.stat().st_ino == inode  # no copy swapped in
    assert quiet.link["mode"] == "none"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (stages,) = con.execute(
            "SELECT stage_seconds FROM run_log WHERE run_id = ?", [quiet.run_id]
        ).fetchall()[0]
    assert '"link"' in stages and '"model"' not in stages
    assert not build.wal_path(warehouse).exists()


def test_a_quiet_night_that_fails_in_place_changes_nothing(night, monkeypatch):
    inbox, warehouse = night
    before = warehouse_tables(warehouse)
    found = nothing_new(inbox, warehouse, decisions_of(warehouse))

    def fails(*args, **kwargs):
        raise OSError("disk gone while recording the run")

    monkeypatch.setattr(write_steps, "record_run", fails)
    with pytest.raises(OSError, match="disk gone"):
        run_night(inbox, warehouse, warehouse.parent / "outbox", discovered=found)
    monkeypatch.undo()
    assert warehouse_tables(warehouse) == before  # not even the link_run row
    assert not build.wal_path(warehouse).exists()
    again = run_night(inbox, warehouse, warehouse.parent / "outbox", discovered=found)
    assert again.link["mode"] == "none"


def test_a_quiet_night_leaves_an_open_reader_alone_and_works_on_a_copy(night):
    inbox, warehouse = night
    inode = warehouse.stat().st_ino
    with reader_holding(warehouse) as reader:
        found = nothing_new(inbox, warehouse, decisions_of(warehouse))
        quiet = run_night(inbox, warehouse, warehouse.parent / "outbox", discovered=found)
        assert quiet.link["mode"] == "none"
        assert warehouse.stat().st_ino != inode  # the usual copy, swapped in
        assert reader.poll() is None  # the reader was never refused nor stopped
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("SELECT count(*) FROM run_log WHERE run_id = ?", [quiet.run_id])
        assert runs.fetchall()[0][0] == 1
