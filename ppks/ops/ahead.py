"""Work started while the command waits for its temporary Prefect server, taken later.

The readers' first batches (ppks.ingest.read_ahead) and the warehouse's copy
(ppks.warehouse.copy_ahead) are made on threads of their own while the server boots;
the night's stage takes the result, or does the work itself when there is none.
An in-place night's reports are written beside its checkpoint and analyst edition
(`Beside`, flows/night.py).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class Ahead(Generic[T]):
    """``work()`` on a daemon thread; `result` waits for it. A failure is logged and
    gives None: the stage that would take the result does the work itself."""

    def __init__(self, name: str, work: Callable[[], T], nice: int = 0):
        self._work = work
        self._nice = nice
        self._result: T | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        if self._nice:
            # Below the booting server, which the night waits for.
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self._nice)
        try:
            self._result = self._work()
        except Exception:
            log.warning("%s failed; the night does it itself", self._thread.name, exc_info=True)

    def result(self) -> T | None:
        self._thread.join()
        return self._result


class Beside(Generic[T]):
    """``work()`` on a thread of its own, in the caller's context (a Prefect task called
    there is a task run of the caller's flow run), while the caller goes on; `result`
    waits for it and raises what it raised. Not a daemon: a night that fails meanwhile
    still lets it finish (its files are written under a hidden name and renamed)."""

    def __init__(self, name: str, work: Callable[[], T]):
        self._result: T | None = None
        self._error: BaseException | None = None
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._run, work), name=name)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._result = work()
        except BaseException as exc:  # handed to whoever waits for it
            self._error = exc

    def result(self) -> T | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result
