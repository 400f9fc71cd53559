"""Split canonical records into loaded and rejected rows, by the Pandera model.

Pandera collects every failure of every row (lazy validation); the rows are
split here by row index, because Pandera's own ``drop_invalid_rows`` would
discard them and nothing may be discarded.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from ppks.reporting.labels import REASON_TEXT
from ppks.schemas.canonical_record import REJECT_CHECKS, CanonicalRecord


class SchemaBug(RuntimeError):
    """The normaliser produced a value its own schema forbids: a bug, not bad input."""


def split_rows(records: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(loaded rows, rejected rows with ``reasons`` and ``reason_text``)."""
    reasons = _reasons_by_row(records)
    indexed = records.with_row_index("_i")
    rejected = (
        indexed.join(reasons, on="_i", how="inner")
        .with_columns(
            reason_text=pl.col("reasons")
            .list.eval(pl.element().replace_strict(REASON_TEXT, default=pl.element()))
            .list.join("; ")
        )
        .drop("_i")
    )
    loaded = indexed.join(reasons, on="_i", how="anti").drop("_i")
    return loaded, rejected


def _reasons_by_row(records: pl.DataFrame) -> pl.DataFrame:
    empty = pl.DataFrame(schema={"_i": pl.UInt32, "reasons": pl.List(pl.Utf8)})
    try:
        CanonicalRecord.validate(records, lazy=True)
        return empty
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    unexpected = failures.filter(~pl.col("check").is_in(list(REJECT_CHECKS)))
    if unexpected.height:
        raise SchemaBug(f"canonical records broke their schema:\n{unexpected.head(10)}")
    order = list(REJECT_CHECKS.values())
    return (
        failures.select(
            pl.col("index").cast(pl.UInt32).alias("_i"),
            pl.col("check").replace_strict(REJECT_CHECKS).alias("reason"),
        )
        .unique()
        .with_columns(
            pl.col("reason")
            .replace_strict({r: k for k, r in enumerate(order)}, return_dtype=pl.Int8)
            .alias("_o")
        )
        .sort("_i", "_o")
        .group_by("_i", maintain_order=True)
        .agg(pl.col("reason").alias("reasons"))
    )
