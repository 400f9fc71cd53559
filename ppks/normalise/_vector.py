"""Run a scalar normaliser over Polars columns, once per distinct input.

A file set holds up to 600,000 rows but only a few thousand distinct raw
values per column, so the Python-level work is done on the distinct keys and
joined back; the join keeps the input order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import polars as pl


def as_series(value: pl.Series | Iterable[Any] | Any, length: int, dtype: pl.DataType) -> pl.Series:
    """A column of `length` rows: a Series as given (cast), or a scalar repeated."""
    if isinstance(value, pl.Series):
        if value.len() != length:
            raise ValueError(f"column has {value.len()} rows, expected {length}")
        return value.cast(dtype)
    if isinstance(value, (list, tuple)):
        return pl.Series(list(value), dtype=dtype)
    return pl.repeat(value, length, dtype=dtype, eager=True)


def map_unique(
    keys: Sequence[pl.Series],
    fn: Callable[..., Sequence[Any]],
    schema: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    """Apply `fn(*key_values)` to each distinct key tuple; one output row per input row.

    `fn` returns one value per column of `schema`; tuples in list columns are fine.
    """
    names = [f"__k{i}" for i in range(len(keys))]
    frame = pl.DataFrame({name: key for name, key in zip(names, keys, strict=True)})
    distinct = frame.unique(maintain_order=True)
    results = [tuple(fn(*row)) for row in distinct.iter_rows()]
    mapped = pl.DataFrame(results, schema=dict(schema), orient="row")
    mapped = pl.concat([distinct, mapped], how="horizontal")
    joined = frame.join(mapped, on=names, how="left", nulls_equal=True, maintain_order="left")
    return joined.drop(names)
