"""Stop signals held back while a night makes its work visible.

A night is stopped by SIGTERM (systemd's stop, a shutdown) or SIGINT (Ctrl-C).
Python runs their handlers in the main thread, where the night runs, at the next
bytecode, or inside a DuckDB statement: DuckDB's Python client checks for
signals between the steps of a statement and then fails it with
``RuntimeError("Query interrupted")`` in place of the handler's exception.

Before publishing, a stop anywhere fails the night and the private copy is
discarded: nothing changed. Publishing is two renames (the full warehouse, then
the analyst edition) and a stop between them used to leave the new warehouse
beside the old edition, with the night reported as failed. Within `held_stops`
a stop is recorded instead, and acted on, under the handler that was in place,
as soon as the block is left: the night publishes both files or neither.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Added to the exception of a stop held through publishing: the night's files are in place.
PUBLISHED_NOTE = "the night had published its warehouse when the stop took effect"
# What DuckDB's Python client raises when a signal handler raised during a statement.
INTERRUPTED = "Query interrupted"


def is_interrupted(exc: BaseException) -> bool:
    """A DuckDB statement failed because a stop signal arrived while it ran."""
    return isinstance(exc, RuntimeError) and str(exc) == INTERRUPTED


@contextlib.contextmanager
def held_stops() -> Iterator[None]:
    """SIGINT and SIGTERM recorded, not acted on, within the block; raised again on leaving.

    Only the main thread may set handlers, and only it runs them: elsewhere the block
    holds nothing (a stop then reaches the main thread, not this code)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def record(signum, _frame) -> None:
        caught.append(signum)

    previous = {}
    for sig in STOP_SIGNALS:
        handler = signal.getsignal(sig)
        if handler is None:  # set outside Python: it cannot be put back, so it is left alone
            continue
        previous[sig] = signal.signal(sig, record)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(caught):
            signal.raise_signal(sig)
