"""Progress of a long run on the terminal (rich): every stage, its steps, files and rows.

The flow creates one ``RunProgress`` per run; any code of the run (the linkage,
the marts) reports through the module functions, which do nothing when no run
is showing progress::

    progress = RunProgress(total_files=len(plan.to_read))   # in the flow, after planning
    progress.stage("reading")                                # a new stage, with its own clock
    progress.files_done(len(batch_items), rows=n)            # as each batch result arrives
    from ppks.reporting import progress as run_progress
    run_progress.stage("linking"); run_progress.step("scoring pairs")   # from anywhere
    progress.close()

On a terminal it draws one line per stage: a spinner and a clock that keep
moving while the stage works (a bar with files for reading), the current step,
and each finished stage with its time. Log lines of Prefect and of the project
are printed above those lines rather than into them while the display is live.
Otherwise (cron, systemd, pytest) it writes plain lines, ``[ppks   12.3s] ...``,
one per stage and step and per 10% of the files. ``PPKS_PROGRESS=0`` turns it off.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

_current: RunProgress | None = None


def stage(name: str) -> None:
    """Start a stage of the run showing progress (no-op when none is)."""
    if _current is not None:
        _current.stage(name)


def step(text: str) -> None:
    """Say what the current stage is doing now (no-op when no run shows progress)."""
    if _current is not None:
        _current.step(text)


class RunProgress:
    def __init__(self, total_files: int, console: Console | None = None) -> None:
        global _current
        self.total = total_files
        self.files = 0
        self.rows = 0
        self.enabled = os.environ.get("PPKS_PROGRESS", "1") != "0"
        # markup=False: text such as "[ppks 3.0s]" or a file name in brackets is printed as is.
        self.console = console or Console(file=sys.stderr, markup=False, highlight=False)
        self.live = self.enabled and self.console.is_terminal
        self._last_decile = -1
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._stage = ""
        self._swapped: list[tuple[object, str, object]] = []
        if self.live:
            self._bar = Progress(
                SpinnerColumn(finished_text="✓"),
                TextColumn("[bold]{task.fields[stage]:<15}"),
                BarColumn(bar_width=30),
                TextColumn("{task.fields[detail]}", markup=False),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
                redirect_stdout=True,
                redirect_stderr=True,
            )
            self._route_logs()  # before start(): it replaces sys.stderr with its own proxy
            self._bar.start()
        _current = self

    # --- what the run reports -------------------------------------------------

    def stage(self, name: str) -> None:
        if not self.enabled:
            return
        self._stage = name
        if self._bar is not None:
            self._finish_task()
            self._task = self._bar.add_task(name, total=None, stage=name, detail="")
        else:
            self._line(f"stage {name}")

    def step(self, text: str) -> None:
        if not self.enabled:
            return
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, detail=text)
        elif self._bar is None:
            self._line(f"{self._stage}: {text}" if self._stage else text)

    def files_done(self, n: int, rows: int = 0) -> None:
        self.files += n
        self.rows += rows
        if not self.enabled:
            return
        if self._bar is not None:
            if self._task is None:
                self.stage("reading")
            self._bar.update(
                self._task,
                total=max(self.total, 1),
                completed=self.files,
                detail=f"{self.files}/{self.total} files · {self.rows:,} rows",
            )
            return
        decile = (10 * self.files // self.total) if self.total else 10
        if decile != self._last_decile:
            self._last_decile = decile
            self._line(f"read {self.files}/{self.total} files, {self.rows} rows")

    def close(self) -> None:
        global _current
        if self._bar is not None:
            self._finish_task()
            self._bar.stop()
            self._bar = None
        self._restore_logs()
        if _current is self:
            _current = None

    # --- inside ---------------------------------------------------------------

    def _finish_task(self) -> None:
        """A finished stage keeps its line, with its own time, and its clock stops."""
        if self._bar is None or self._task is None:
            return
        task = next(t for t in self._bar.tasks if t.id == self._task)
        total = task.total if task.total is not None else 1
        self._bar.update(self._task, total=total, completed=total)
        self._bar.stop_task(self._task)
        self._task = None

    def _line(self, text: str) -> None:
        elapsed = time.monotonic() - self._started
        self.console.print(
            f"[ppks {elapsed:6.1f}s] {text}", markup=False, highlight=False, soft_wrap=True
        )

    def _route_logs(self) -> None:
        """Terminal log handlers (Prefect's included) print through the live console, above
        the progress lines, instead of writing into them."""
        loggers = [logging.getLogger()] + [
            logger
            for logger in logging.Logger.manager.loggerDict.values()
            if isinstance(logger, logging.Logger)
        ]
        streams = {sys.__stderr__, sys.__stdout__, sys.stderr, sys.stdout}
        proxy = _ConsoleWriter(self.console)
        for logger in loggers:
            for handler in logger.handlers:
                if not isinstance(handler, logging.StreamHandler) or handler.stream not in streams:
                    continue
                if hasattr(handler, "console") and isinstance(handler.console, Console):
                    # Prefect's console handler prints through its own rich Console.
                    self._swapped.append((handler, "console", handler.console))
                    handler.console = Console(
                        file=proxy, markup=False, highlight=False, color_system=None
                    )
                else:
                    self._swapped.append((handler, "stream", handler.stream))
                    handler.stream = proxy

    def _restore_logs(self) -> None:
        for handler, attr, original in reversed(self._swapped):
            setattr(handler, attr, original)
        self._swapped.clear()


class _ConsoleWriter:
    """A text stream whose lines go to a rich console (above a live display)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self.console.out(line, highlight=False)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.console.out(self._pending, highlight=False)
            self._pending = ""

    def isatty(self) -> bool:
        return self.console.is_terminal


def closing_summary(warehouse: Path, report: Path | None, feedback: Path | None) -> str:
    """Where a new user finds what the run made, and how to open it."""
    from ppks.warehouse.analyst import analyst_path

    warehouse = Path(warehouse)
    edition = analyst_path(warehouse)
    made = [("warehouse (full, restricted: names, NIK)", warehouse)]
    if edition.exists():
        made.append(("analyst edition (no direct identifiers)", edition))
    if report is not None and report.exists():
        made.append(("quality report (open in a browser)", report))
    if feedback is not None and feedback.exists():
        count = sum(1 for _ in feedback.rglob("*.xlsx"))
        made.append((f"feedback for reporters ({count} workbooks)", feedback))
    width = max(len(label) for label, _ in made)
    lines = ["", "What the run made:"] + [f"  {label:<{width}}  {path}" for label, path in made]
    target = edition if edition.exists() else warehouse
    lines += [
        "",
        "Open it with the DuckDB shell (pip install duckdb-cli):",
        f"  duckdb -readonly {_quoted(target)}",
        "  then e.g.  SELECT table_name, comment FROM duckdb_tables();",
    ]
    return "\n".join(lines)


def _quoted(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))
