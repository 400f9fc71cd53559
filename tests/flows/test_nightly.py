"""The nightly flow end to end, with a real Prefect run and a real DuckDB file."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap

import duckdb
import polars as pl
import pytest
from helpers import SAMPLES
from ppks.flows.nightly import nightly

from ppks.warehouse import write_steps as warehouse_run

KEY = ["source_file", "sheet", "row_number"]
DATA_TABLES = ["ingest_file", "source_record", "rejected_row", "person"]


def table(path, sql) -> pl.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.sql(sql).pl()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(path) -> dict[str, pl.DataFrame]:
    return {
        t: table(path, f"SELECT * EXCLUDE (run_id) FROM {t} ORDER BY ALL")
        if t != "person"
        else table(path, "SELECT * FROM person ORDER BY ALL")
        for t in DATA_TABLES
    }


@pytest.fixture(scope="module")
def sample_run(samples_first_night, tmp_path_factory):
    """The sample inbox's first night, in a folder of this module's own (its tests run
    further nights on it)."""
    root = tmp_path_factory.mktemp("samples")
    for path in samples_first_night.warehouse.parent.iterdir():
        if path.is_file():  # the warehouse, its key, edition and notes; not inbox, outbox
            shutil.copy2(path, root / path.name)
    return samples_first_night.result, root / samples_first_night.warehouse.name


def test_every_sample_row_is_loaded_or_rejected_as_the_truth_says(sample_run):
    _, warehouse = sample_run
    truth = pl.read_csv(SAMPLES / "rows.csv", infer_schema=False).with_columns(
        pl.col("row_number").cast(pl.Int32), pl.col("sheet").fill_null("")
    )
    loaded = table(warehouse, "SELECT source_file, sheet, row_number FROM source_record")
    rejected = table(warehouse, "SELECT source_file, sheet, row_number, reasons FROM rejected_row")
    got = pl.concat(
        [
            loaded.with_columns(status=pl.lit("load")),
            rejected.drop("reasons").with_columns(status=pl.lit("reject")),
        ]
    )
    assert got.select(KEY).is_duplicated().sum() == 0, "a row was loaded twice"
    joined = truth.join(got, on=KEY, how="full", coalesce=True)
    assert joined.filter(pl.col("status").is_null()).height == 0, "a truth row is missing"
    assert joined.filter(pl.col("expected").is_null()).height == 0, "a row not in the truth"
    wrong = joined.filter(pl.col("expected") != pl.col("status"))
    assert wrong.height == 0, wrong
    kinds = {"no_name": "no_name", "category": "category_unresolved", "place": "place_unresolved"}
    for row in (
        truth.filter(pl.col("expected") == "reject").join(rejected, on=KEY).iter_rows(named=True)
    ):
        assert kinds[row["reject_kind"]] in row["reasons"], row


def test_every_sample_file_lands_in_its_status(sample_run):
    _, warehouse = sample_run
    files = pl.read_csv(SAMPLES / "files.csv")
    got = table(warehouse, "SELECT source_file, status, duplicate_of FROM ingest_file")
    joined = files.join(got, on="source_file", how="left")
    assert joined.get_column("status").null_count() == 0
    for row in joined.iter_rows(named=True):
        if row["expected"].startswith("duplicate_of:"):
            assert row["status"] == "duplicate"
            assert row["duplicate_of"] == row["expected"].split(":", 1)[1]
        else:
            assert row["status"] == {"load": "loaded", "reject": "rejected"}[row["expected"]]


def test_second_run_over_the_same_inbox_changes_no_data(sample_run):
    result, warehouse = sample_run
    before = snapshot(warehouse)
    again = nightly(inbox=SAMPLES / "inbox", warehouse=warehouse)
    assert again.counts["files_skipped"] == result.counts["files_seen"]
    assert again.counts["rows_loaded"] == 0
    after = snapshot(warehouse)
    for name in DATA_TABLES:
        assert before[name].equals(after[name]), name


def test_failed_run_leaves_the_warehouse_byte_for_byte(sample_run, tmp_path, monkeypatch):
    _, warehouse = sample_run
    before = digest(warehouse)
    inbox = tmp_path / "inbox"
    (inbox / "tksk").mkdir(parents=True)
    (inbox / "tksk" / "new.xlsx").write_bytes(
        (SAMPLES / "inbox" / "tksk" / "TKSK_Purwosari_202608.xlsx").read_bytes() + b"\0"
    )

    def boom(con, *args):
        raise RuntimeError("simulated failure while building the marts")

    # Late in the load: rows inserted, persons linked, then the failure.
    monkeypatch.setattr(warehouse_run, "apply_model", boom)
    with pytest.raises(RuntimeError, match="simulated failure"):
        nightly(inbox=inbox, warehouse=warehouse)
    assert digest(warehouse) == before
    assert not list(warehouse.parent.glob(".*.building*")), "staging copy left behind"


def test_a_reader_holding_the_warehouse_open_does_not_block_the_run(tmp_path):
    warehouse = tmp_path / "ppks.duckdb"
    first = tmp_path / "inbox1"
    (first / "slrt").mkdir(parents=True)
    sample = SAMPLES / "inbox" / "slrt" / "export_layanan_pasuruan_202608-09.csv"
    (first / "slrt" / sample.name).write_bytes(sample.read_bytes())
    nightly(inbox=first, warehouse=warehouse)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(warehouse)!r}, read_only=True)
            print(con.execute("SELECT count(*) FROM source_record").fetchone()[0], flush=True)
            sys.stdin.readline()
            print(con.execute("SELECT count(*) FROM source_record").fetchone()[0], flush=True)
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        held = int(reader.stdout.readline())
        nightly(inbox=SAMPLES / "inbox", warehouse=warehouse)
        reader.stdin.write("\n")
        reader.stdin.flush()
        still = int(reader.stdout.readline())
    finally:
        reader.kill()
    assert held == still == 80
    now = table(warehouse, "SELECT count(*) AS n FROM source_record").item()
    assert now > held
