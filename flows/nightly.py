"""The nightly flow: inbox → warehouse, all or nothing.

Files are read in batches (one task per batch, two at a time) so that a
provincial night of thousands of files is not dominated by Prefect's
per-task overhead or by the fixed cost of validating a batch. The warehouse is written once, on a
private copy, and swapped in only when everything succeeded.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from ppks import settings
from ppks.ingest.classify import plan as plan_files
from ppks.ingest.inbox import InboxFile, discover
from ppks.pipeline import BatchResult, process_batch
from ppks.reporting.outbox import publish_artifacts, write_outbox
from ppks.reporting.progress import RunProgress
from ppks.reporting.summary import run_summary_markdown
from ppks.warehouse import analyst, build, load, schema
from ppks.warehouse.run import RunCounts, write_results

# Normalising and validating cost a fixed amount per batch and the work is
# mostly Python (one core whatever the threads), so batches are few and large.
BATCH_BYTES = 64 * 1024 * 1024
BATCH_FILES = 250


@dataclass
class NightlyResult:
    run_id: str
    warehouse: Path
    counts: dict


def batches(items: list[InboxFile], workers: int = 2) -> list[list[InboxFile]]:
    """Groups of files of bounded count and size, in inbox order, one per worker at least."""
    per_batch = max(1, min(BATCH_FILES, -(-len(items) // workers)))
    groups: list[list[InboxFile]] = []
    current: list[InboxFile] = []
    size = 0
    for item in items:
        if current and (len(current) >= per_batch or size + item.size > BATCH_BYTES):
            groups.append(current)
            current, size = [], 0
        current.append(item)
        size += item.size
    if current:
        groups.append(current)
    return groups


@task(name="read-files", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def read_files(items: list[InboxFile]) -> BatchResult:
    return process_batch(items)


@task(name="prepare-warehouse", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def prepare_warehouse(warehouse: Path, run_id: str, storage_version: str) -> tuple[Path, object]:
    staging = build.start_copy(warehouse, run_id)
    con = build.connect(staging, storage_version)
    try:
        schema.apply(con, "01_tables")
        known = load.known_files(con)
    finally:
        con.close()
    return staging, known


@task(name="load-warehouse", cache_policy=NO_CACHE)
def load_warehouse(staging: Path, **results) -> RunCounts:
    con = build.connect(staging)
    try:
        con.execute("BEGIN")
        counts = write_results(con, **results)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


@flow(name="nightly", task_runner=ThreadPoolTaskRunner(max_workers=2))
def nightly(
    inbox: Path,
    warehouse: Path,
    outbox: Path | None = None,
    storage_version: str = build.DEFAULT_STORAGE_VERSION,
) -> NightlyResult:
    logger = get_run_logger()
    inbox, warehouse = Path(inbox).resolve(), Path(warehouse).resolve()
    build.preflight(inbox, warehouse)
    settings.export_secret_key_file()
    started_at = dt.datetime.now()
    run_id = started_at.strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
    with build.exclusive_lock(warehouse):
        staging, known = prepare_warehouse(warehouse, run_id, storage_version)
        progress = None
        try:
            files, elsewhere = discover(inbox)
            for path in elsewhere:
                logger.warning("ignored (not in tksk/, psm/ or slrt/): %s", path)
            plan = plan_files(files, known)
            logger.info(
                "%d files: %d to read, %d duplicates, %d already in the warehouse",
                len(files),
                len(plan.to_read),
                len(plan.duplicates),
                len(plan.skipped),
            )
            progress = RunProgress(len(plan.to_read))
            progress.stage("reading")
            futures = read_files.map(batches(plan.to_read))
            batch_results = []
            for future in futures:
                batch = future.result()
                batch_results.append(batch)
                rows = sum(o.rows_loaded + o.rows_rejected for o in batch.outcomes)
                progress.files_done(len(batch.outcomes), rows=rows)
            progress.stage("loading")
            counts = load_warehouse(
                staging,
                run_id=run_id,
                started_at=started_at,
                inbox=str(inbox),
                plan=plan,
                outcomes=[o for b in batch_results for o in b.outcomes],
                loaded=[f for b in batch_results for f in b.loaded],
                rejected=[f for b in batch_results for f in b.rejected],
                sheets=[s for b in batch_results for s in b.sheets],
                files_elsewhere=len(elsewhere),
                decisions_path=settings.review_decisions_path(warehouse),
            )
            progress.stage("publishing")
            # The analyst edition is built from the finished copy before either file moves.
            edition = analyst.build_edition(staging, warehouse, storage_version=storage_version)
            build.publish(staging, warehouse)
            analyst.publish_edition(edition, warehouse)
        except BaseException:
            build.discard(staging)
            analyst.discard_edition(warehouse)
            raise
        finally:
            if progress is not None:
                progress.close()
    summary = counts.as_dict()
    create_markdown_artifact(
        key="nightly-summary",
        markdown=run_summary_markdown(run_id, warehouse, counts),
        description=f"Nightly run {run_id}",
    )
    try:
        # Reports come after the swap: a report that fails cannot undo a completed night.
        out = write_outbox(warehouse, run_id, Path(outbox) if outbox else settings.default_outbox())
        publish_artifacts(out)
    except Exception:
        logger.exception("the run completed, but its reports could not be written")
    logger.info("run %s completed: %s", run_id, summary)
    return NightlyResult(run_id=run_id, warehouse=warehouse, counts=summary)
