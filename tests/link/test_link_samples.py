"""Linkage on the sample inbox: truth, determinism, stable ids, the review round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ppks.link import export_review_workbook, import_review_workbook, link_persons, read_decisions
from ppks.link.evaluate import scores
from ppks.link.persons import apply_views

KEY = ["source_file", "sheet", "row_number"]
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


@pytest.fixture(scope="module")
def sample_warehouse(samples_first_night):
    """The sample inbox loaded by the nightly flow (which links with ppks.link); read only."""
    return samples_first_night.warehouse


def truth() -> pl.DataFrame:
    return (
        pl.read_csv(SAMPLES / "rows.csv", infer_schema_length=0)
        .with_columns(pl.col("sheet").fill_null(""), pl.col("row_number").cast(pl.Int32))
        .select(*KEY, pl.col("person_id").alias("truth"))
    )


def assignment(con) -> pl.DataFrame:
    return con.sql(
        "SELECT record_id, source_file, sheet, row_number, person_id FROM source_record"
    ).pl()


def test_sample_persons_match_the_truth(sample_warehouse):
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        rows = assignment(con).join(truth(), on=KEY)
        result = scores(
            dict(zip(rows["record_id"], rows["person_id"], strict=True)),
            dict(zip(rows["record_id"], rows["truth"], strict=True)),
        )
        assert result["items"] == con.execute("SELECT count(*) FROM source_record").fetchall()[0][0]
        assert result["precision"] == 1.0 and result["recall"] == 1.0
        persons = con.execute("SELECT count(*) FROM person").fetchall()[0][0]
        assert persons == result["true_clusters"]


def test_linking_again_is_deterministic_and_keeps_ids(sample_warehouse, tmp_path):
    copies = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.duckdb"
        shutil.copyfile(sample_warehouse, path)
        with duckdb.connect(str(path)) as con:
            con.execute("UPDATE source_record SET person_id = NULL")  # from scratch
            con.execute("DELETE FROM person_identity")
            link_persons(con, run_id="again", retrain=True)
            copies.append(assignment(con).sort("record_id"))
    assert copies[0].equals(copies[1])
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        assert assignment(con).sort("record_id").equals(copies[0])


def test_review_round_trip(sample_warehouse, tmp_path):
    path = tmp_path / "w.duckdb"
    shutil.copyfile(sample_warehouse, path)
    decisions = tmp_path / "decisions.csv"
    workbook = tmp_path / "review.xlsx"
    with duckdb.connect(str(path)) as con:
        # A wider band than the nightly's, so that the samples have pairs to review.
        link_persons(con, run_id="wide", review_weight=0.0)
        apply_views(con)
        queued = con.execute("SELECT record_id_l, record_id_r FROM review_queue").fetchall()
        assert export_review_workbook(con, workbook) == len(queued)
    assert queued
    frame = pl.read_excel(workbook, sheet_name="Review", infer_schema_length=0)
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("SAMA")).otherwise(None).alias("keputusan")
    )
    import xlsxwriter

    book = xlsxwriter.Workbook(str(workbook))
    sheet = book.add_worksheet("Review")
    for j, column in enumerate(frame.columns):
        sheet.write_string(0, j, column)
        for i, value in enumerate(frame[column].to_list(), start=1):
            if value is not None:
                sheet.write_string(i, j, value)
    book.close()
    assert import_review_workbook(workbook, decisions, reviewer="rina") == 1
    (decision,) = read_decisions(decisions)
    assert decision.decision == "same" and decision.reviewer == "rina"
    with duckdb.connect(str(path)) as con:
        link_persons(con, run_id="reviewed", decisions_path=decisions, review_weight=0.0)
        a, b = queued[0]
        ids = dict(
            con.execute(
                "SELECT record_id, person_id FROM source_record WHERE record_id IN (?, ?)", [a, b]
            ).fetchall()
        )
        assert ids[a] == ids[b]
