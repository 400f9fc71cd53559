"""The night's first batches, read while the command waits for the temporary Prefect
server's boot.

Without a configured server, ``ppks nightly`` boots one and waits for it: seconds of
one core, during which the other core had nothing to do but the command's imports.
The look at the inbox before it (ppks.warehouse.quiet) already knows which files the
night will read, so the first batches (one per worker) are read meanwhile, by reader
processes of lower priority (``os.nice``): they take the core the command leaves idle,
not the server's. The night's read stage takes the batches that hold exactly the files
it planned, and reads the others itself (any batch, when the plan changed in between:
a file arrived, or another night ran). Read ahead or not, a batch is read by the same
isolated readers (ppks.ingest.isolate), with the same limits.

One batch per worker, never more: a night that stops before its read stage (the
server failed to boot, a stop signal) waits at exit for the batches in flight, and
those are a few seconds at most.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence

from ppks.ingest.inbox import InboxFile
from ppks.ingest.isolate import WORKERS, Limits, read_batches
from ppks.ops.ahead import Ahead

# Readers ahead of the night yield to the booting server, which the night waits for.
NICE = 10

_lock = threading.Lock()
_pending: ReadAhead | None = None


def _keys(groups: Sequence[list[InboxFile]]) -> list[tuple]:
    return [tuple((item.inbox_path, item.sha256) for item in group) for group in groups]


class ReadAhead:
    """Groups read on a thread of their own; their results are taken once."""

    def __init__(self, groups: Sequence[list[InboxFile]], limits: Limits | None = None):
        self.groups = list(groups)
        limits = dataclasses.replace(limits or Limits.from_env(), nice=NICE)
        self._reading = Ahead(
            "reading ahead of the night",
            lambda: read_batches(self.groups, limits=limits, workers=WORKERS),
        )

    def results(self) -> list | None:
        """Each group's BatchResult, once reading is done; None if it failed."""
        return self._reading.result()


def start(groups: Sequence[list[InboxFile]], limits: Limits | None = None) -> None:
    """Read the first groups (one per worker) in the background."""
    global _pending
    first = [group for group in groups if group][:WORKERS]
    if not first:
        return
    with _lock:
        if _pending is None:
            _pending = ReadAhead(first, limits)


def take(groups: Sequence[list[InboxFile]]) -> dict[int, object]:
    """{index in ``groups``: its BatchResult} for the groups read ahead with exactly the
    same files; waits for the reading ahead to end. Taken once: a retried read stage,
    or a later night in the same process, reads for itself."""
    global _pending
    with _lock:
        pending, _pending = _pending, None
    if pending is None:
        return {}
    results = pending.results()
    if results is None:
        return {}
    ahead = dict(zip(_keys(pending.groups), results, strict=True))
    return {i: ahead[key] for i, key in enumerate(_keys(groups)) if key in ahead}
