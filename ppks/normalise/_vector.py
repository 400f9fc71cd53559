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


def with_fallback(
    fast: pl.DataFrame,
    done: pl.Series,
    keys: Sequence[pl.Series],
    fn: Callable[..., Sequence[Any]],
    schema: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    """`fast` where `done` is True, else `map_unique(keys, fn, schema)`.

    The keys of done rows are masked to null so that `fn` runs once on them (on
    all-None arguments, whose answer is discarded) and once per distinct rest.
    """
    done = done.fill_null(False)
    names = list(schema)
    fast = fast.select(pl.col(name).cast(dtype) for name, dtype in schema.items())
    if done.all():
        return fast
    masked = [pl.select(pl.when(done).then(None).otherwise(key)).to_series() for key in keys]
    rest = map_unique(masked, fn, schema)
    return pl.select(
        pl.when(done).then(fast.get_column(name)).otherwise(rest.get_column(name)).alias(name)
        for name in names
    )


def flag_list(*flags: tuple[pl.Expr, str]) -> pl.Expr:
    """A List(Utf8) of the flags whose condition holds, in the order given."""
    return pl.concat_list(
        pl.when(condition.fill_null(False)).then(pl.lit(flag)) for condition, flag in flags
    ).list.drop_nulls()


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
