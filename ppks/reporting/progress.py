"""Progress of a long run on the terminal (rich): stage, files read, rows.

    progress = RunProgress(total_files=len(plan.to_read))   # in the flow, after planning
    progress.stage("reading")                                # any stage name
    progress.files_done(len(batch_items), rows=n)            # as each batch result arrives
    progress.stage("loading"); ...; progress.close()

On a terminal it draws a live bar; otherwise (cron, systemd, pytest) it
writes one plain line per stage and per 10% of the files, so logs stay short.
``PPKS_PROGRESS=0`` turns it off.
"""

from __future__ import annotations

import os
import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RunProgress:
    def __init__(self, total_files: int, console: Console | None = None) -> None:
        self.total = total_files
        self.files = 0
        self.rows = 0
        self.enabled = os.environ.get("PPKS_PROGRESS", "1") != "0"
        self.console = console or Console(file=sys.stderr)
        self.live = self.enabled and self.console.is_terminal
        self._last_decile = -1
        self._started = time.monotonic()
        self._bar = None
        if self.live:
            self._bar = Progress(
                TextColumn("[bold]{task.fields[stage]}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files · {task.fields[rows]} rows"),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
            )
            self._task = self._bar.add_task("run", total=max(total_files, 1), stage="start", rows=0)
            self._bar.start()

    def stage(self, name: str) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, stage=name)
        else:
            self._line(f"stage {name}")

    def files_done(self, n: int, rows: int = 0) -> None:
        self.files += n
        self.rows += rows
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, completed=self.files, rows=self.rows)
            return
        decile = (10 * self.files // self.total) if self.total else 10
        if decile != self._last_decile:
            self._last_decile = decile
            self._line(f"read {self.files}/{self.total} files, {self.rows} rows")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _line(self, text: str) -> None:
        elapsed = time.monotonic() - self._started
        self.console.print(f"[ppks {elapsed:6.1f}s] {text}", highlight=False, soft_wrap=True)
