"""Batches read ahead of the night (while its Prefect server boots) are the night's read:
taken when they hold exactly tonight's files, once; any other batch is read then."""

from __future__ import annotations

import polars as pl
import pytest
from hostile.workbooks import item, tksk_rows, without_dimension, write_tksk
from ppks.flows import night

from ppks.ingest import read_ahead
from ppks.ingest.isolate import Limits, read_batches

LIMITS = Limits(memory_bytes=2 << 30, file_seconds=60)


@pytest.fixture
def files(tmp_path):
    paths = [
        write_tksk(tmp_path / f"LAPORAN {k} KEC PUSPO.xlsx", tksk_rows(3 + k)) for k in range(5)
    ]
    return [item(p) for p in paths]


@pytest.fixture(autouse=True)
def nothing_pending():
    read_ahead.take([])  # what an earlier test left, if anything
    yield
    read_ahead.take([])


def rows(results) -> pl.DataFrame:
    loaded = [frame for r in results for frame in r.loaded]
    return pl.concat(loaded).sort("source_file", "row_number")


def summary(results) -> list[tuple]:
    return [(o.item.name, o.status, o.rows_loaded) for r in results for o in r.outcomes]


def test_the_night_takes_the_batches_read_ahead_and_reads_them_as_it_would(files):
    plain = read_batches(night.batches(files), limits=LIMITS)
    read_ahead.start(night.batches(files), LIMITS)
    seen = []
    got = night.read_files(files, on_batch=seen.append)
    assert summary(got) == summary(plain)
    assert rows(got).equals(rows(plain))
    assert len(seen) == len(got) == 2  # every batch reported to the progress, once
    assert read_ahead.take(night.batches(files)) == {}  # taken once


def test_a_plan_that_changed_is_read_by_the_night(files, tmp_path):
    read_ahead.start(night.batches(files[:4]), LIMITS)
    # Tonight's plan has a file more, and another version of the first one.
    changed = write_tksk(tmp_path / files[0].name, tksk_rows(7))
    tonight = [item(changed), *files[1:]]
    got = night.read_files(tonight)
    assert summary(got) == [(f.name, "loaded", 7 if k == 0 else 3 + k) for k, f in enumerate(files)]
    assert read_ahead.take(night.batches(tonight)) == {}


def test_the_night_reads_the_batches_not_read_ahead(files):
    groups = night.batches(files)
    read_ahead.start(groups[:1], LIMITS)
    taken = read_ahead.take(groups)
    assert list(taken) == [0]
    assert summary([taken[0]]) == [(f.name, "loaded", 3 + k) for k, f in enumerate(groups[0])]
    read_ahead.start(groups[:1], LIMITS)
    got = night.read_files(files)
    assert summary(got) == [(f.name, "loaded", 3 + k) for k, f in enumerate(files)]


def test_a_file_that_kills_its_reader_ahead_of_the_night_costs_that_file(files, tmp_path):
    # Without a <dimension> element the stray cell is only met inside calamine, which
    # asks for a grid of 16 billion cells and aborts its process.
    bomb = without_dimension(
        write_tksk(tmp_path / "bomb.xlsx", tksk_rows(3), far_cell=(999_998, 16_383))
    )
    tonight = [files[0], item(bomb), *files[1:]]
    read_ahead.start(night.batches(tonight), LIMITS)
    got = night.read_files(tonight)
    status = {name: (state, rows) for name, state, rows in summary(got)}
    assert status.pop("bomb.xlsx") == ("rejected", 0)
    assert status == {f.name: ("loaded", 3 + k) for k, f in enumerate(files)}
    reasons = {o.item.name: o.reason_code for r in got for o in r.outcomes}
    assert reasons["bomb.xlsx"] == "reader_crashed"
