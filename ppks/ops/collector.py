"""Python's cyclic garbage collector, kept off what a command's start builds to keep.

A night's command imports Prefect, Polars, DuckDB and Splink before its first stage:
millions of objects (modules, classes, Pydantic's schemas) that live as long as the
process. Each time allocations pass the collector's threshold it traces the objects
of the generations due, and while the imports run that is those same objects, over
and over, none of them garbage; later, each full collection of the night traces them
all again (a second and more of a 1%-new night went to collections). `paused` holds
the collector while such a start runs, then sets what it built aside for good
(gc.freeze): later collections trace only the night's own objects.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection while the block runs; what it leaves alive is never traced again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
