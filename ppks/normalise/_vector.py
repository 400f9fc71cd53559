"""Run a scalar normaliser over Polars columns, once per distinct input.

A file set holds up to 600,000 rows. Low-cardinality columns (gender, category,
place) have only a few thousand distinct raw values, so the Python-level work
is done on the distinct keys and joined back; the join keeps the input order.
Names, NIKs and birth dates are distinct per person: their wrappers answer the
clean shapes with Polars expressions and pass only the rest to the scalar
function (`with_fallback`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import polars as pl


def as_series(value: pl.Series | Iterable[Any] | Any, length: int, dtype: pl.DataType) -> pl.Series:
    """A column of `length` rows: a Series as given (cast), or a scalar repeated.

    The Series is made one chunk: a column concatenated from thousands of sheets
    makes every vectorised step pay per chunk.
    """
    if isinstance(value, pl.Series):
        if value.len() != length:
            raise ValueError(f"column has {value.len()} rows, expected {length}")
        return value.cast(dtype).rechunk()
    if isinstance(value, (list, tuple)):
        return pl.Series(list(value), dtype=dtype)
    return pl.repeat(value, length, dtype=dtype, eager=True)


def map_distinct(keys: Sequence[pl.Series], compute: Callable[..., pl.DataFrame]) -> pl.DataFrame:
    """`compute(*distinct_keys)` -> one row per distinct key tuple; one output row per input row."""
    names = [f"__k{i}" for i in range(len(keys))]
    frame = pl.DataFrame({name: key for name, key in zip(names, keys, strict=True)})
    distinct = frame.unique(maintain_order=True)
    mapped = pl.concat([distinct, compute(*distinct.get_columns())], how="horizontal")
    joined = frame.join(mapped, on=names, how="left", nulls_equal=True, maintain_order="left")
    return joined.drop(names)


def map_unique(
    keys: Sequence[pl.Series],
    fn: Callable[..., Sequence[Any]],
    schema: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    """Apply `fn(*key_values)` to each distinct key tuple; one output row per input row.

    `fn` returns one value per column of `schema`; tuples in list columns are fine.
    """

    def compute(*columns: pl.Series) -> pl.DataFrame:
        results = [tuple(fn(*row)) for row in pl.DataFrame(columns).iter_rows()]
        return pl.DataFrame(results, schema=dict(schema), orient="row")

    return map_distinct(keys, compute)


def with_fallback(
    fast: pl.DataFrame,
    done: pl.Series,
    keys: Sequence[pl.Series],
    fn: Callable[..., Sequence[Any]],
    schema: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    """`fast` where `done` is True; the other rows through `map_unique(keys, fn, schema)`.

    The two parts are stacked and put back in input order with a gather: a
    when/then over List columns costs ten times as much.
    """
    done = done.fill_null(False)
    fast = fast.select(pl.col(name).cast(dtype) for name, dtype in schema.items())
    if done.all():
        return fast
    rest = map_unique([key.filter(~done) for key in keys], fn, schema)
    stacked = pl.concat([fast.filter(done), rest])
    position = pl.concat([done.arg_true(), (~done).arg_true()])
    return stacked.gather(position.arg_sort())


def flag_lists(conditions: pl.DataFrame) -> pl.Series:
    """Per row, a List(Utf8) of the names of the columns that are True, in column order.

    The list is gathered from a table of every combination: assembling List
    values row by row (concat_list, drop_nulls) costs ten times as much.
    """
    names = conditions.columns
    bits = (pl.col(n).fill_null(False).cast(pl.UInt32) * (1 << i) for i, n in enumerate(names))
    code = conditions.select(pl.sum_horizontal(bits)).to_series()
    combos = [[n for i, n in enumerate(names) if c >> i & 1] for c in range(1 << len(names))]
    return pl.Series("flags", combos, dtype=pl.List(pl.Utf8)).gather(code)


def days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    """Length of `month` (1-12) in the Gregorian `year`."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return (
        pl.when(month == 2)
        .then(28 + leap.cast(pl.Int32))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
