"""Arrow columns from Python lists, built without ``pyarrow.array``.

``pyarrow.array`` on a Python list imports pandas the first time it is called (to
ask whether the list is a pandas object): 0.35 s of a small night's edition on a
quiet machine, and nothing else in the night uses pandas. Polars builds the flat
string and integer columns, and a list column is its flat values and their offsets.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
import pyarrow as pa


def strings(values: Sequence[str | None]) -> pa.Array:
    return pl.Series(values, dtype=pl.String).to_arrow().cast(pa.string())


def integers(values: Sequence[int | None]) -> pa.Array:
    return pl.Series(values, dtype=pl.Int64).to_arrow()


def string_lists(values: Sequence[Sequence[str | None] | None]) -> pa.Array:
    """A ``list<string>`` column: None stays a null list, [] an empty one."""
    sizes = np.fromiter((0 if v is None else len(v) for v in values), np.int32, len(values))
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum(sizes, out=offsets[1:])
    flat = strings([word for v in values if v for word in v])
    nulls = pl.Series([v is None for v in values], dtype=pl.Boolean).to_arrow()
    starts = pa.Array.from_buffers(pa.int32(), len(offsets), [None, pa.py_buffer(offsets)])
    return pa.ListArray.from_arrays(starts, flat, mask=nulls)
