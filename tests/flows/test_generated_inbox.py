"""A generated inbox with every variant and whole-file case, through the flow, against truth."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from ppks.flows.nightly import nightly

from ppks_generator import generate_inbox

KEY = ["source_file", "sheet", "row_number"]
REASON = {"no_name": "no_name", "category": "category_unresolved", "place": "place_unresolved"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    # 500 persons is the smallest size (in steps of 50) at which seed 11 still writes
    # every row noise kind and every whole-file case that 600 wrote (truth rows' `noise`,
    # files' `note`); the night costs about its rows.
    generate_inbox(root, persons=500, seed=11)
    warehouse = root / "ppks.duckdb"
    result = nightly(inbox=root / "inbox", warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            name: con.sql(f"SELECT * FROM {name}").pl()
            for name in ("ingest_file", "source_record", "rejected_row")
        }
        # Rows of a file replaced by its correction live on in history.
        for name in ("source_record", "rejected_row"):
            history = con.sql(f"SELECT * FROM {name}_history").pl()
            tables[name] = pl.concat([tables[name], history], how="diagonal_relaxed")
    return root, result, tables


def test_no_data_row_is_missing_or_doubled(generated):
    root, _, tables = generated
    truth = pl.read_csv(root / "truth" / "rows.csv", infer_schema=False).with_columns(
        pl.col("row_number").cast(pl.Int32), pl.col("sheet").fill_null("")
    )
    got = pl.concat(
        [
            tables["source_record"].select(KEY).with_columns(status=pl.lit("load")),
            tables["rejected_row"].select(KEY).with_columns(status=pl.lit("reject")),
        ]
    )
    assert got.select(KEY).is_duplicated().sum() == 0
    joined = truth.join(got, on=KEY, how="full", coalesce=True)
    assert joined.filter(pl.col("status").is_null()).height == 0, "rows missing"
    assert joined.filter(pl.col("expected").is_null()).height == 0, "rows not in the truth"


def test_rows_are_rejected_exactly_when_the_truth_says_with_its_reason(generated):
    root, _, tables = generated
    truth = pl.read_csv(root / "truth" / "rows.csv", infer_schema=False).with_columns(
        pl.col("row_number").cast(pl.Int32), pl.col("sheet").fill_null("")
    )
    rejected = tables["rejected_row"].select([*KEY, "reasons"])
    must = truth.filter(pl.col("expected") == "reject")
    assert must.height > 0
    joined = must.join(rejected, on=KEY, how="left")
    assert joined.get_column("reasons").null_count() == 0, "a must-reject row was loaded"
    for row in joined.iter_rows(named=True):
        for kind in row["reject_kind"].split("|"):
            assert REASON[kind] in row["reasons"], row
    wrongly = rejected.join(truth.filter(pl.col("expected") == "load"), on=KEY, how="semi")
    assert wrongly.height == 0, wrongly


def test_every_whole_file_case_lands_in_its_status(generated):
    root, _, tables = generated
    files = pl.read_csv(root / "truth" / "files.csv", infer_schema=False)
    replaced = set(files.get_column("supersedes").drop_nulls().to_list())
    assert replaced, "the generator wrote no correction"
    got = tables["ingest_file"].select("source_file", "status", "reason_code", "duplicate_of")
    joined = files.join(got, on="source_file", how="left")
    assert joined.get_column("status").null_count() == 0, "a file was not recorded"
    notes = set()
    for row in joined.iter_rows(named=True):
        expected = row["expected"]
        if expected.startswith("duplicate_of:"):
            assert row["status"] == "duplicate", row
            assert row["duplicate_of"] == expected.split(":", 1)[1]
        elif row["source_file"] in replaced:
            assert row["status"] == "superseded", row
        else:
            assert row["status"] == {"load": "loaded", "reject": "rejected"}[expected], row
        if expected == "reject":
            notes.add(row["note"])
    assert {"empty_workbook", "wrong_template", "corrupt", "password_protected", "xls"} <= notes


def test_counts_in_the_run_agree_with_the_tables(generated):
    _, result, tables = generated
    assert result.counts["rows_loaded"] == tables["source_record"].height
    assert result.counts["rows_rejected"] == tables["rejected_row"].height
    by_status = dict(tables["ingest_file"].group_by("status").len().iter_rows())
    assert result.counts["files_loaded"] == by_status.get("loaded", 0) + by_status.get(
        "superseded", 0
    )
    assert result.counts["files_superseded"] == by_status.get("superseded", 0) > 0


def test_overlapping_slrt_exports_keep_every_repeat_loaded(generated):
    """The generator's re-exports repeat events unchanged: a repeat is no correction."""
    _, _, tables = generated
    records = tables["source_record"]
    repeats = records.filter(pl.col("source") == "slrt").get_column("id_layanan").is_duplicated()
    assert repeats.sum() > 0, "the generator wrote no overlapping export"
    assert records.get_column("superseded_by_record_id").null_count() == records.height
