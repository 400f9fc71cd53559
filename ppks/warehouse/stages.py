"""A night's stages: their wall time, the run's peak memory, and the note the next
night writes into run_log (what a run knows only after its swap)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path


class StageClock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(
                self.seconds.get(stage, 0.0) + time.perf_counter() - started, 2
            )


def peak_memory_mb() -> dict[str, float]:
    """Peak resident set of this process and of its largest finished child (Linux: KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"process": round(own, 1), "largest_child": round(children, 1)}


def _note_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.last-run.json")


def leave_last_run_note(warehouse: Path, run_id: str, stage_seconds: dict[str, float]) -> None:
    note = {
        "run_id": run_id,
        "published_at": dt.datetime.now().isoformat(timespec="seconds"),
        "stage_seconds": stage_seconds,
        "peak_memory_mb": peak_memory_mb()["process"],
    }
    path = _note_path(warehouse)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(note, fh)


def take_last_run_note(warehouse: Path) -> dict | None:
    """The previous run's note, if any (removed once its copy is published)."""
    path = _note_path(warehouse)
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) and "run_id" in note else None
