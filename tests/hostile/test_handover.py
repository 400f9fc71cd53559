"""A batch's frames come back from its worker as Arrow IPC files: the same frames, no file left."""

from __future__ import annotations

import tempfile

import polars as pl
from workbooks import item, tksk_rows, write_tksk

from ppks.ingest.isolate import HandedOver, Limits, hand_over, read_batches
from ppks.ingest.outcomes import BatchResult
from ppks.pipeline import process_batch

LIMITS = Limits(memory_bytes=2 << 30, file_seconds=60)


def test_frames_from_the_workers_are_the_frames_read_in_process_and_no_file_is_left(
    tmp_path, monkeypatch
):
    handovers = tmp_path / "tmp"
    handovers.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(handovers))
    rows = tksk_rows(30)
    rows[3][3] = "123"  # a name without letters: that row is rejected, the rest loaded
    files = [write_tksk(tmp_path / f"f{k}.xlsx", rows) for k in range(3)]
    groups = [[item(files[0]), item(files[1])], [item(files[2])]]
    results = read_batches(groups, limits=LIMITS)
    for group, result in zip(groups, results, strict=True):
        alone = process_batch(group)
        assert [f.height for f in result.loaded] == [f.height for f in alone.loaded]
        assert all(isinstance(f, pl.DataFrame) for f in result.loaded + result.rejected)
        for got, want in zip(
            result.loaded + result.rejected, alone.loaded + alone.rejected, strict=True
        ):
            assert got.equals(want)
    assert sum(f.height for r in results for f in r.rejected) == 3
    # (the forkserver may keep its socket's folder, pymp-*, there)
    assert list(handovers.glob("ppks-read-*")) == []


def test_a_frame_that_cannot_be_written_is_sent_whole(tmp_path):
    frame = pl.DataFrame({"nik": ["3514034705750018"]})
    result = hand_over(BatchResult(loaded=[frame]), str(tmp_path / "gone"))
    assert result.loaded[0] is frame
    written = hand_over(BatchResult(loaded=[frame]), str(tmp_path))
    assert isinstance(written.loaded[0], HandedOver)
    assert (tmp_path / written.loaded[0].path).stat().st_mode & 0o077 == 0


def test_readers_started_early_are_the_readers_the_batches_use(tmp_path):
    from multiprocessing import forkserver

    from ppks.ingest.isolate import start_readers

    start_readers()
    server = forkserver._forkserver._forkserver_pid
    assert server is not None
    files = [write_tksk(tmp_path / f"f{k}.xlsx", tksk_rows(5)) for k in range(2)]
    results = read_batches([[item(f)] for f in files], limits=LIMITS)
    assert [f.height for r in results for f in r.loaded] == [5, 5]
    assert forkserver._forkserver._forkserver_pid == server
