"""The sample truth (tests/fixtures/samples/rows.csv) as an oracle for the normaliser tests."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import polars as pl

ROWS_CSV = Path(
    os.environ.get(
        "PPKS_SAMPLE_ROWS", Path(__file__).resolve().parents[1] / "fixtures/samples/rows.csv"
    )
)


@cache
def _rows() -> pl.DataFrame:
    return pl.read_csv(ROWS_CSV, infer_schema=False).with_columns(
        pl.col("noise").fill_null("").str.split("|")
    )


def sample_rows() -> pl.DataFrame:
    """Every data row of the sample inbox, all columns as text; noise as a list."""
    assert ROWS_CSV.exists(), f"sample truth not found at {ROWS_CSV}"
    return _rows()


def has_noise(*kinds: str) -> pl.Expr:
    """True where the row's noise contains any of `kinds`."""
    return pl.any_horizontal(pl.col("noise").list.contains(kind) for kind in kinds)
