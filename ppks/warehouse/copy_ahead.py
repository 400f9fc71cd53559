"""The night's copy of the warehouse, made while the command waits for the temporary
Prefect server's boot.

Every night with something new works on a private copy of the warehouse
(ppks.warehouse.build): its prepare stage copied the whole file before anything
else, a second of a six-month provincial night when the file was not in the page
cache, and more the longer the history. The look at the inbox (ppks.warehouse.quiet)
already knows that the night will need it, so the command copies while the server
boots, on a thread of lower priority (copy_file_range: in the kernel, without the
interpreter's lock). The prepare stage takes that copy if the live file and its
``.wal`` are still the ones copied, and copies again otherwise (someone wrote in
between); a copy nobody took is removed when the command exits.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

from ppks.ops.ahead import Ahead
from ppks.warehouse import build

# Below the booting server, which the night waits for (as the readers ahead are).
NICE = 10

_lock = threading.Lock()
_pending: dict[Path, Ahead[Path | None]] = {}


def start(warehouse: Path) -> None:
    """Copy ``warehouse`` in the background, for the night's prepare stage to take."""
    warehouse = Path(warehouse).resolve()
    with _lock:
        if warehouse not in _pending:
            _pending[warehouse] = Ahead(
                "copying the warehouse ahead of the night",
                lambda: build.copy_ahead(warehouse),
                nice=NICE,
            )


def take(warehouse: Path) -> Path | None:
    """The copy made ahead of ``warehouse`` (waiting for it), once; None if there is none."""
    with _lock:
        pending = _pending.pop(Path(warehouse).resolve(), None)
    return None if pending is None else pending.result()


@atexit.register
def _discard_untaken() -> None:
    """A night that stopped before its prepare stage leaves no copy of private data."""
    with _lock:
        pending = list(_pending.values())
        _pending.clear()
    for copy in pending:
        path = copy.result()
        if path is not None:
            build.discard(path)
