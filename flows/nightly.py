"""The nightly flow: inbox → warehouse, all or nothing, as a Prefect flow.

Each stage of the night (flows/night.py) is a Prefect task here, visible in the
UI and retried where retrying helps. Files are read in batches (one task per
batch, two at a time) so that a provincial night of thousands of files is not
dominated by Prefect's per-task overhead or by the fixed cost of validating a
batch. The warehouse is written once, on a private copy swapped in only when
everything succeeded, or, for a small night, on the live file in one transaction
committed only when everything succeeded (flows/night.py): its stages are the same
tasks, passed the one connection in turn, and none of them is retried (a retry
would run inside the transaction the failure left).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from ppks.flows import night
from ppks.flows.night import BATCH_BYTES, BATCH_FILES, NightlyResult, batches
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from ppks.ops import stops
from ppks.warehouse import build

__all__ = ["BATCH_BYTES", "BATCH_FILES", "NightlyResult", "batches", "nightly"]


def _not_a_stop(_task, _task_run, state) -> bool:
    """Retry a failed stage, unless it failed because the night was told to stop: a
    SIGTERM or Ctrl-C inside a DuckDB statement arrives as DuckDB's "Query interrupted"."""
    return not stops.is_interrupted(state.data)


read_files = task(
    name="read-files",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_not_a_stop,
    cache_policy=NO_CACHE,
)(night.read_files)
prepare_warehouse = task(
    name="prepare-warehouse",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_not_a_stop,
    cache_policy=NO_CACHE,
)(night.prepare_warehouse)
prepare_in_place = task(name="prepare-in-place", cache_policy=NO_CACHE)(night.prepare_in_place)
load_rows = task(name="load-rows", cache_policy=NO_CACHE)(night.load_rows)
link_persons = task(name="link-persons", cache_policy=NO_CACHE)(night.link_persons)
build_model = task(name="build-model", cache_policy=NO_CACHE)(night.build_model)
record_run = task(name="record-run", cache_policy=NO_CACHE)(night.record_run)
analyst_edition = task(name="analyst-edition", cache_policy=NO_CACHE)(night.analyst_edition)


@task(name="write-reports", cache_policy=NO_CACHE)
def write_reports(warehouse: Path, run_id: str, outbox: Path, read=None) -> None:
    from ppks.reporting.outbox import publish_artifacts, write_outbox

    publish_artifacts(write_outbox(warehouse, run_id, outbox) if read is None else read.write())


def _summary_artifact(run_id: str, warehouse: Path, counts) -> None:
    from ppks.reporting.summary import run_summary_markdown

    create_markdown_artifact(
        key="nightly-summary",
        markdown=run_summary_markdown(run_id, warehouse, counts),
        description=f"Nightly run {run_id}",
    )


def _unexamined(value):
    if isinstance(value, list | tuple | set | frozenset | dict) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        return quote(value)
    return value


def _called_plainly(stage) -> Callable:
    """The task, with its collections passed as they are: Prefect walks every element
    of a task's arguments looking for futures (none here: every stage is called and
    awaited in turn), half a second per call for a night's list of 9,000 files."""

    def call(*args, **kwargs):
        return stage(*map(_unexamined, args), **{k: _unexamined(v) for k, v in kwargs.items()})

    return call


TASKS = night.Stages(
    prepare_warehouse=_called_plainly(prepare_warehouse),
    prepare_in_place=_called_plainly(prepare_in_place),
    read_files=_called_plainly(read_files),
    load_rows=_called_plainly(load_rows),
    link_persons=_called_plainly(link_persons),
    build_model=_called_plainly(build_model),
    record_run=_called_plainly(record_run),
    analyst_edition=_called_plainly(analyst_edition),
    write_reports=_called_plainly(write_reports),
    summary=_summary_artifact,
)


@flow(name="nightly", task_runner=ThreadPoolTaskRunner(max_workers=2))
def nightly(
    inbox: Path,
    warehouse: Path,
    outbox: Path | None = None,
    storage_version: str = build.DEFAULT_STORAGE_VERSION,
    retrain: bool = False,
) -> NightlyResult:
    return night.run_night(
        inbox, warehouse, outbox, storage_version, retrain, run=TASKS, logger=get_run_logger()
    )
