"""Everything a run leaves for people in the outbox, and the Prefect artifacts that point to it.

`write_outbox(warehouse, run_id, outbox)` reads the published warehouse (read
only) and writes ``<outbox>/<run_id>/``: the quality report
``laporan_mutu.html`` and the feedback workbooks ``umpan_balik/...``. Files are
written under a hidden name and renamed, so a half-written file never shows.
The folder holds names and NIKs from the reports: it is created with mode 0700.

The reports come after the swap, so a report that fails cannot undo the night;
but it must not be lost either: `ensure_outbox` (the ``ppks nightly`` command,
after the flow) writes what is missing, or says in one line why it cannot and
how to write it later (``ppks outbox --run ID``, `write_outbox` again).

`publish_artifacts(result)` (inside the flow run) adds two Prefect artifacts:
a table of the run's files with their status (``nightly-files``) and a
markdown note linking to the report and listing the workbooks
(``nightly-report``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ppks import settings
from ppks.ops.private import make_private_folder, write_private
from ppks.reporting.feedback import FeedbackFile, FeedbackPlan, plan_feedback
from ppks.reporting.html_report import render


@dataclass
class OutboxResult:
    run_id: str
    folder: Path
    report: Path
    feedback: list[FeedbackFile] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return [self.report, *(f.path for f in self.feedback)]


REPORT = "laporan_mutu.html"


class OutboxFailed(RuntimeError):
    """The night is published but its reports could not be written; one line for the operator."""


def report_path(outbox: Path | str, run_id: str) -> Path:
    # Resolved: the artifacts link to the report by file URI, which needs an absolute path.
    return Path(outbox).expanduser().resolve() / run_id / REPORT


@dataclass
class OutboxRead:
    """Everything a run's outbox says, read from the warehouse; `write` writes the files
    without reading the warehouse again (an in-place night writes them while it
    checkpoints and builds its analyst edition: flows/night.py)."""

    run_id: str
    folder: Path
    page: str
    feedback: FeedbackPlan
    files: list[dict]

    def write(self) -> OutboxResult:
        make_private_folder(self.folder)
        feedback = self.feedback.write()
        # The report last: `ensure_outbox` takes a report there for an outbox written.
        report = write_private(self.folder / REPORT, self.page.encode("utf-8"))
        return OutboxResult(self.run_id, self.folder, report, feedback, self.files)


def read_outbox(
    con: duckdb.DuckDBPyConnection, run_id: str, outbox: Path | str, warehouse: object = "it"
) -> OutboxRead:
    """The run's outbox as read on ``con`` (the warehouse, with the run committed)."""
    folder = report_path(outbox, run_id).parent
    known = con.execute("SELECT count(*) FROM run_log WHERE run_id = ?", [run_id]).fetchone()
    if not known[0]:
        raise OutboxFailed(f"no run {run_id} in {warehouse} (see the run_log table)")
    feedback = plan_feedback(con, run_id, folder)
    links = [str(f.path.relative_to(folder)) for f in feedback.files]
    return OutboxRead(run_id, folder, render(con, run_id, links), feedback, _files(con, run_id))


def write_outbox(warehouse: Path | str, run_id: str, outbox: Path | str) -> OutboxResult:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # Within the night's DuckDB limit (DuckDB's default is 80% of the machine).
        con.execute(f"SET memory_limit = '{settings.memory_limit()}'")
        read = read_outbox(con, run_id, outbox, warehouse)
    return read.write()


def ensure_outbox(warehouse: Path | str, run_id: str, outbox: Path | str) -> OutboxResult | None:
    """Write the run's reports if they are missing; None when they were there already."""
    if report_path(outbox, run_id).exists():
        return None
    try:
        return write_outbox(warehouse, run_id, outbox)
    except OutboxFailed:
        raise
    except (OSError, duckdb.Error) as exc:
        why = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise OutboxFailed(
            f"run {run_id} completed and its data is published, but its reports could not "
            f"be written to {outbox}: {why}; when the outbox is writable, run: "
            f"ppks outbox --run {run_id}"
        ) from exc


FILE_KEYS = ("file", "source", "status", "rows loaded", "rows rejected", "reason")


def _files(con, run_id: str) -> list[dict]:
    """The run's files, and the files it superseded (now with status superseded)."""
    superseded = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'file_supersede'"
    ).fetchone()[0]
    extra = (
        " OR (source_file, sha256) IN "
        "(SELECT (source_file, sha256) FROM file_supersede WHERE run_id = $run)"
        if superseded
        else ""
    )
    rows = con.execute(
        "SELECT source_file, source, status, rows_loaded, rows_rejected, coalesce(reason, '') "
        f"FROM ingest_file WHERE run_id = $run{extra} ORDER BY source, source_file",
        {"run": run_id},
    ).fetchall()
    return [dict(zip(FILE_KEYS, r, strict=True)) for r in rows]


def publish_artifacts(result: OutboxResult) -> None:
    """The files table and a link to the report, as Prefect artifacts of the current run."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_table_artifact(
        key="nightly-files",
        table=result.files or [{"file": "(no new files)"}],
        description=f"Files of nightly run {result.run_id} and their status",
    )
    lines = [
        f"# Quality report of run `{result.run_id}`",
        "",
        f"[laporan_mutu.html]({result.report.as_uri()}) (`{result.report}`)",
        "",
        f"## Feedback workbooks ({len(result.feedback)})",
        "",
        "| source | kecamatan | file | rejected | flagged | workbook |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for f in result.feedback:
        lines.append(
            f"| {f.source} | {f.kode_kecamatan or '-'} | {f.source_file} | {f.rejected} | "
            f"{f.flagged} | `{f.path.relative_to(result.folder)}` |"
        )
    create_markdown_artifact(
        key="nightly-report",
        markdown="\n".join(lines) + "\n",
        description=f"Quality report and feedback workbooks of run {result.run_id}",
    )
