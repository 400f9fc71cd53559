"""SOURCES.md's rules for a row: only three reasons reject, every one that applies is named."""

import polars as pl
import pytest

from ppks.validate import split_rows
from ppks.validate.rules import SchemaBug


def records(rows: list[dict]) -> pl.DataFrame:
    base = {
        "source": "tksk",
        "source_file": "a.xlsx",
        "sheet": "Laporan",
        "nama": "SITI AMINAH",
        "nik": None,
        "kk": None,
        "jenis_kelamin": None,
        "tanggal_lahir": None,
        "tahun_lahir": None,
        "kode_kecamatan": "35.14.03",
        "kode_desa": None,
        "ppks_kode": "PPKS-08",
    }
    frame = pl.DataFrame(
        [base | {"row_number": i + 7} | row for i, row in enumerate(rows)],
        schema_overrides={
            "row_number": pl.Int32,
            "tanggal_lahir": pl.Date,
            "tahun_lahir": pl.Int32,
        },
    )
    return frame.with_columns(
        pl.col(c).cast(pl.Utf8) for c in ("nik", "kk", "jenis_kelamin", "kode_desa")
    )


def test_rows_without_problems_are_loaded_and_nothing_is_lost():
    frame = records([{}, {"nik": None, "jenis_kelamin": None}, {"nama": "?"}])
    loaded, rejected = split_rows(frame)
    assert loaded.height + rejected.height == frame.height
    assert loaded.get_column("row_number").to_list() == [7, 8]


@pytest.mark.parametrize(
    "row,reasons",
    [
        ({"nama": None}, ["no_name"]),
        ({"nama": "123"}, ["no_name"]),
        ({"ppks_kode": None}, ["category_unresolved"]),
        ({"kode_kecamatan": None}, ["place_unresolved"]),
        ({"kode_kecamatan": "35.99.99"}, ["place_unresolved"]),
        (
            {"nama": "-", "ppks_kode": None, "kode_kecamatan": None},
            ["no_name", "category_unresolved", "place_unresolved"],
        ),
    ],
)
def test_each_reason_and_every_reason_that_applies(row, reasons):
    loaded, rejected = split_rows(records([{}, row]))
    assert loaded.height == 1
    assert rejected.get_column("reasons").to_list() == [reasons]
    assert rejected.get_column("reason_text").item().count(";") == len(reasons) - 1


def test_a_value_the_normaliser_should_never_produce_stops_the_batch():
    with pytest.raises(SchemaBug):
        split_rows(records([{"nik": "12345"}]))
