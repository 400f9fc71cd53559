"""The fast reading paths give what the cell-by-cell paths they replaced gave.

Sheets are walked column by column (``readers._add_block``), the table's end is
found by joining each row's text (``readers._blank``) and a sheet's declared
extent is read straight from the zip records (``extent._plain_zip_heads``). The
paths they replaced stay: ``_add_rows`` reads ragged CSV rows, and zipfile
reads any zip that is not plain. Here the old paths are forced on the same
files, and every loaded and rejected row, every value, reason, file outcome and
sheet header must come out the same.
"""

from __future__ import annotations

import dataclasses
import shutil
import zipfile

import polars as pl
import pytest
from helpers import SAMPLES
from polars.testing import assert_frame_equal
from ppks.flows.nightly import batches

from ppks.ingest import extent, readers
from ppks.ingest.classify import Known, plan
from ppks.ingest.grid import cell_text
from ppks.ingest.inbox import discover
from ppks.pipeline import process_batch
from ppks_generator import generate_inbox

KEY = ["source_file", "file_sha256", "sheet", "row_number"]


def _old_blank(row: list) -> bool:
    """The test the row walk made before: each cell's text, stripped."""
    return not any((c if type(c) is str else (cell_text(c) or "")).strip() for c in row)


def read_stage(inbox) -> dict:
    files, _ = discover(inbox)
    results = [process_batch(g) for g in batches(plan(files, Known(frozenset(), {})).to_read)]
    out = {}
    for kind in ("loaded", "rejected"):
        frames = [f for r in results for f in getattr(r, kind)]
        out[kind] = pl.concat(frames, how="diagonal_relaxed").sort(KEY)
    out["outcomes"] = sorted(
        (o.item.inbox_path, *(str(v) for k, v in dataclasses.asdict(o).items() if k != "item"))
        for r in results
        for o in r.outcomes
    )
    out["sheets"] = sorted(
        (s["source_file"], s["file_sha256"], s["sheet"], s["header_row"], tuple(s["headers"]))
        for r in results
        for s in r.sheets
    )
    return out


def assert_same(new: dict, old: dict) -> None:
    for kind in ("loaded", "rejected"):
        assert new[kind].height > 0
        assert_frame_equal(new[kind], old[kind])
    assert new["outcomes"] == old["outcomes"]
    assert new["sheets"] == old["sheets"]


def old_paths(monkeypatch) -> None:
    monkeypatch.setattr(readers, "_add_block", lambda block, mapping, out: False)
    monkeypatch.setattr(readers, "_blank", _old_blank)
    monkeypatch.setattr(extent, "_plain_zip_heads", lambda path: None)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    generate_inbox(root, persons=400, seed=3, profile_name="hard")
    return root / "inbox"


@pytest.mark.parametrize("inbox", ["samples", "generated"])
def test_fast_and_old_paths_read_the_same(inbox, generated, monkeypatch):
    path = SAMPLES / "inbox" if inbox == "samples" else generated
    new = read_stage(path)
    with monkeypatch.context() as m:
        old_paths(m)
        old = read_stage(path)
    assert_same(new, old)


def test_extents_from_the_zip_records_are_zipfiles(generated, tmp_path):
    workbooks = sorted(generated.rglob("*.xlsx")) + sorted(SAMPLES.rglob("*.xlsx"))
    fast = 0
    for path in workbooks:
        try:
            expected = extent._extents_by_zipfile(path)
        except Exception as exc:  # a corrupt file: the fast path must fail alike
            with pytest.raises(type(exc)):
                extent.declared_extents(path)
            continue
        assert extent.declared_extents(path) == expected, path
        fast += extent._plain_zip_heads(path) is not None
    assert fast > len(workbooks) // 2
    # A zip with a comment is not plain: zipfile reads it, to the same answer.
    plain = next(p for p in workbooks if extent._plain_zip_heads(p))
    commented = shutil.copy(plain, tmp_path / "commented.xlsx")
    with zipfile.ZipFile(commented, "a") as archive:
        archive.comment = b"saved by hand"
    assert extent._plain_zip_heads(commented) is None
    assert extent.declared_extents(commented) == extent.declared_extents(plain)
