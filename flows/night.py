"""One night, inbox → warehouse, all or nothing: the stages in order, without Prefect.

The Prefect flow (flows/nightly.py) runs each stage below as a task. A night with
nothing new and no Prefect server configured runs the very same stages as plain
calls (ppks.warehouse.quiet): a temporary Prefect server costs more than such a
night's whole work. So this module imports no Prefect, and nothing a quiet night
does not use (readers, Pandera, Splink, xlsxwriter are imported where they are used).

A small night (ppks.warehouse.in_place says which) is written on the live warehouse
in one DuckDB transaction, committed when everything succeeded; every other night on
a private copy swapped in only when everything succeeded (ppks.warehouse.build).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ppks import link, settings
from ppks.ingest.classify import InboxPlan
from ppks.ingest.classify import plan as plan_files
from ppks.ingest.inbox import InboxFile, discover
from ppks.ingest.outcomes import BatchResult
from ppks.link import LinkSummary
from ppks.ops import private, stops
from ppks.ops.ahead import Beside
from ppks.reporting.progress import RunProgress
from ppks.warehouse import (
    analyst,
    build,
    copy_ahead,
    edition_due,
    in_place,
    schema,
    stages,
    tables,
    upgrade,
    write_steps,
)
from ppks.warehouse.write_steps import RunCounts

# A stage's target: the private copy's path (each stage commits on it), or the live
# warehouse's connection inside the night's one transaction (`_night_in_place`).
Target = Path | duckdb.DuckDBPyConnection

# Normalising and validating cost a fixed amount per batch and the work is
# mostly Python (one core whatever the threads), so batches are few and large.
# 500 files, not 250: each batch's normalise-and-validate call costs 30-55 ms whatever
# its size, and a six-month night's 47 batches became 24 (about 4 % of the read
# stage's CPU); the batches run largest first, so the night's last is a small one.
BATCH_BYTES = 64 * 1024 * 1024
BATCH_FILES = 500
# A night's stages commit without a checkpoint until their WAL passes this (DuckDB's
# default is 16 MB; a 1%-new provincial night writes 44 MB). A larger night
# checkpoints when it passes it: what is committed and not yet checkpointed waits
# in memory, or spills, and a first night must stay within its memory.
NIGHT_CHECKPOINT_THRESHOLD = "256MB"


@dataclass
class NightlyResult:
    run_id: str
    warehouse: Path
    counts: dict
    link: dict


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


# --- The stages: plain functions; the flow wraps each in a Prefect task ------


def read_files(items: list[InboxFile], on_batch=None) -> list[BatchResult]:
    """In worker processes (ppks.ingest.isolate): a file that kills a reader costs itself.

    The batches read ahead while the Prefect server booted (`read_ahead`) are taken
    when they hold exactly the files of tonight's batches."""
    from ppks.ingest import read_ahead as ahead
    from ppks.ingest.isolate import read_batches

    groups = batches(items)
    results = ahead.take(groups)
    if results:
        logging.getLogger("ppks.nightly").info(
            "%d of %d files were read while the Prefect server started",
            sum(len(groups[i]) for i in results),
            len(items),
        )
    for result in results.values():
        if on_batch is not None:
            on_batch(result)
    rest = [i for i in range(len(groups)) if i not in results]
    if rest:
        read = read_batches([groups[i] for i in rest], on_batch=on_batch)
        results.update(zip(rest, read, strict=True))
    return [results[i] for i in range(len(groups))]


def read_ahead(items: list[InboxFile]) -> None:
    """Start reading tonight's first batches while the command waits for its server."""
    from ppks.ingest import read_ahead as ahead

    ahead.start(batches(items))


def prepare_warehouse(warehouse: Path, run_id: str, storage_version: str) -> tuple[Path, object]:
    staging = build.start_copy(warehouse, run_id, ahead=copy_ahead.take(warehouse))
    con = build.connect(staging, storage_version)
    try:
        _within_the_limit(con, build.temp_directory(staging))
        schema.apply_tables(con)
        upgrade.upgrade_ingest_file_key(con)  # a warehouse keyed by file name before
        upgrade.upgrade_person_link_key(con)  # a warehouse with its pairs keyed before
        tables.ensure_run_log_columns(con)
        note = stages.take_last_run_note(warehouse)
        if note is not None:
            tables.complete_run_log(con, note)
        known = tables.known_files(con)
    finally:
        con.close()
    return staging, known


@dataclass
class InPlace:
    """The live warehouse, open in the night's one transaction, and the night's plan."""

    con: duckdb.DuckDBPyConnection
    plan: InboxPlan
    spill: Path


def prepare_in_place(warehouse: Path, run_id: str, files: list[InboxFile]) -> InPlace | None:
    """The live warehouse opened for a night written in place, its transaction begun and
    the last run's note written in it; None: the night takes a copy (ppks.warehouse.in_place)."""
    con = in_place.open_in_place(warehouse)
    if con is None:
        return None
    # Named like a run's copy: a night killed while it spilled leaves a folder that sends
    # the next night to the copy path, which removes it.
    spill = build.temp_directory(build.staging_path(warehouse, run_id))
    try:
        _within_the_limit(con, spill)
        con.execute("BEGIN")
        plan = in_place.plan_in_place(con, files, settings.in_place_share())
        if plan is not None:
            note = stages.take_last_run_note(warehouse)
            if note is not None:
                tables.complete_run_log(con, note)
            return InPlace(con, plan, spill)
    except duckdb.Error:  # an older warehouse without some table: the copy upgrades it
        pass
    except BaseException:
        _close_live(con, spill)
        raise
    _close_live(con, spill)
    return None


def _close_live(con: duckdb.DuckDBPyConnection, spill: Path) -> None:
    """Close the live file: what the night's transaction did not commit is rolled back."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")
    with contextlib.suppress(duckdb.Error):
        con.close()
    shutil.rmtree(spill, ignore_errors=True)


def _on_staging(target: Target, work, *args, memory_share: float = 1.0, **kwargs):
    """One stage's work: on the private copy, committed as a whole; or on the live
    warehouse, inside the night's transaction (committed when every stage succeeded)."""
    if isinstance(target, duckdb.DuckDBPyConnection):
        _memory(target, memory_share)
        return work(target, *args, **kwargs)
    con = build.connect(target)
    try:
        # The night holds the copy open (_hold_open), so this joins that database.
        # Should the last connection close all the same, closing would checkpoint,
        # and a checkpoint writes the indexes of the tables it touches whole (a
        # second or two at provincial scale): the stages leave their work in the
        # WAL of the private copy, and record_run checkpoints once, before the copy
        # is published. A failed night discards the copy and its WAL together.
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
        _within_the_limit(con, build.temp_directory(target), memory_share)
        con.execute("BEGIN")
        result = work(con, *args, **kwargs)
        con.execute("COMMIT")
        return result
    finally:
        con.close()


def _within_the_limit(con, spill: Path, share: float = 1.0) -> None:
    """The night's one DuckDB limit (settings.memory_limit), spilling beside the warehouse.

    DuckDB's own default is 80% of the machine, and it keeps the blocks its queries
    read cached up to its limit: unbounded, a night's memory follows the history it
    reads. Set on the database the night holds open (a setting of the database, not
    of one connection): the marts spill rather than grow."""
    _memory(con, share)
    # DuckDB refuses to set it again, even to the same folder, once it has spilled.
    if con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0] != str(spill):
        con.execute(f"SET temp_directory = '{spill}'")


def _memory(con, share: float) -> None:
    con.execute(f"SET memory_limit = '{settings.memory_limit(share)}'")


def _spill(target: Target) -> Path:
    if isinstance(target, duckdb.DuckDBPyConnection):
        return Path(target.execute("SELECT current_setting('temp_directory')").fetchall()[0][0])
    return build.temp_directory(target)


def load_rows(target: Target, **results) -> tuple[RunCounts, list]:
    return _on_staging(target, write_steps.load_rows, **results)


def link_persons(target: Target, run_id: str, decisions_path, retrain: bool) -> LinkSummary:
    return _on_staging(
        target,
        link.link_persons,
        memory_share=1 - link.LINKAGE_SHARE,
        run_id=run_id,
        decisions_path=decisions_path,
        retrain=retrain,
        temp_directory=_spill(target),
    )


def build_model(target: Target) -> None:
    _on_staging(target, write_steps.build_model)


def record_run(target: Target, **kwargs) -> None:
    _on_staging(target, write_steps.record_run, **kwargs)
    if isinstance(target, duckdb.DuckDBPyConnection):
        return  # the night commits, then checkpoints (_night_in_place)
    con = build.connect(target)
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()


def analyst_edition(staging: Path, warehouse: Path, storage_version: str) -> Path:
    # The staging copy (not yet published), or the live warehouse after an in-place
    # night's commit: the build keeps what it hashed and scrubbed there, so the next
    # night redoes only what is new; and it starts from a copy of the published edition,
    # writing only the rows that changed.
    return analyst.build_edition(
        staging,
        warehouse,
        storage_version=storage_version,
        keep_cache=True,
        previous=analyst.analyst_path(warehouse),
    )


def write_reports(warehouse: Path, run_id: str, outbox: Path, read=None) -> None:
    """The outbox only: the Prefect flow adds its artifacts (flows/nightly.py). ``read``:
    the outbox already read from the warehouse (`_reports_beside`)."""
    from ppks.reporting.outbox import write_outbox

    if read is not None:
        read.write()
    else:
        write_outbox(warehouse, run_id, outbox)


# The inbox as the command found it just before it started the flow (ppks.cli: the
# look for a night with nothing new walks and hashes it anyway), for that night to
# use rather than walk it and hash its new files a second time. Taken once, by the
# night of that inbox and warehouse; a flow parameter would send every file to the
# Prefect server.
_handed_over: dict[tuple[Path, Path], tuple[list[InboxFile], list]] = {}


def hand_over(inbox: Path, warehouse: Path, discovered: tuple[list[InboxFile], list]) -> None:
    _handed_over[(Path(inbox).resolve(), Path(warehouse).resolve())] = discovered


@dataclass(frozen=True)
class Stages:
    """How each stage is called: the plain functions above, or the flow's Prefect tasks."""

    prepare_warehouse: Callable = prepare_warehouse
    prepare_in_place: Callable = prepare_in_place
    read_files: Callable = read_files
    load_rows: Callable = load_rows
    link_persons: Callable = link_persons
    build_model: Callable = build_model
    record_run: Callable = record_run
    analyst_edition: Callable = analyst_edition
    write_reports: Callable = write_reports
    # The run's summary (markdown) for whoever shows it: a Prefect artifact in the flow.
    summary: Callable[[str, Path, RunCounts], None] | None = None


PLAIN = Stages()


@dataclass
class _Night:
    """What every stage of one night is called with."""

    inbox: Path
    warehouse: Path
    storage_version: str
    retrain: bool
    run: Stages
    logger: logging.Logger | logging.LoggerAdapter
    run_id: str
    started_at: dt.datetime
    clock: stages.StageClock
    outbox: Path
    # An in-place night's reports, being written beside its checkpoint and edition.
    reports: Beside | None = None


def _log_plan(night: _Night, files: list[InboxFile], elsewhere: list, plan: InboxPlan) -> None:
    for skipped in elsewhere:
        night.logger.warning("ignored: %s", skipped)
    night.logger.info(
        "%d files: %d to read, %d duplicates, %d already in the warehouse",
        len(files),
        len(plan.to_read),
        len(plan.duplicates),
        len(plan.skipped),
    )


def _write_night(
    night: _Night, target: Target, plan: InboxPlan, elsewhere: list, progress: RunProgress
) -> tuple[RunCounts, LinkSummary, bool]:
    """Read, load, link, model and record, on the copy or in the live file's transaction.

    Returns the counts, what linkage did, and whether the night changed data."""
    run, clock, run_id = night.run, night.clock, night.run_id
    progress.stage("reading")
    with clock("read"):

        def batch_done(batch: BatchResult) -> None:
            rows = sum(o.rows_loaded + o.rows_rejected for o in batch.outcomes)
            progress.files_done(len(batch.outcomes), rows=rows)

        # Nothing to read starts no reader processes (and no task run).
        batch_results = run.read_files(plan.to_read, on_batch=batch_done) if plan.to_read else []
    progress.stage("loading")
    with clock("load"):
        read = BatchResult.joined(batch_results)
        counts, superseded = run.load_rows(
            target,
            run_id=run_id,
            started_at=night.started_at,
            inbox=str(night.inbox),
            plan=plan,
            outcomes=read.outcomes,
            loaded=read.loaded,
            rejected=read.rejected,
            sheets=read.sheets,
            files_elsewhere=len(elsewhere),
        )
    # The night's frames are in the warehouse now; held through linkage they
    # were a gigabyte of a provincial night's peak.
    del batch_results, read
    progress.stage("linking")
    with clock("link"):
        linked = run.link_persons(
            target, run_id, settings.review_decisions_path(night.warehouse), night.retrain
        )
    night.logger.info("linkage: %s", linked.as_dict())
    # A night that brought no file and no decision changes no data: the
    # model, the marts and the analyst edition stay as they are.
    changed = bool(sum(counts.files.values())) or linked.mode != "none"
    if changed:
        progress.stage("building the model")
        with clock("model"):
            run.build_model(target)
    with clock("record"):
        run.record_run(
            target,
            run_id=run_id,
            started_at=night.started_at,
            inbox=str(night.inbox),
            counts=counts,
            superseded=superseded,
            extra={
                "link_mode": linked.mode,
                "stage_seconds": clock.seconds,
                "peak_memory_mb": stages.peak_memory_mb(),
            },
        )
    return counts, linked, changed


def _edition_behind(night: _Night, con: duckdb.DuckDBPyConnection) -> bool:
    """A night that changed no data builds the edition only when the published one is
    behind (a failed or killed build after an in-place night's commit: edition_due)."""
    reason = edition_due.behind(con, analyst.analyst_path(night.warehouse))
    if reason is not None:
        night.logger.info("the analyst edition is built again: %s", reason)
    return reason is not None


def _night_on_copy(
    night: _Night, discovered: tuple[list[InboxFile], list] | None
) -> tuple[RunCounts, LinkSummary]:
    """The night's stages on a private copy of the warehouse, swapped in when all succeeded."""
    run, clock, warehouse = night.run, night.clock, night.warehouse
    with clock("prepare"):
        staging, known = run.prepare_warehouse(warehouse, night.run_id, night.storage_version)
    held = _hold_open(staging)
    progress = None
    edition = None
    published = False
    try:
        files, elsewhere = discovered or discover(night.inbox, build.inbox_hashes_path(warehouse))
        plan = plan_files(files, known)
        _log_plan(night, files, elsewhere, plan)
        progress = RunProgress(len(plan.to_read))
        counts, linked, changed = _write_night(night, staging, plan, elsewhere, progress)
        rebuild = changed or _edition_behind(night, held)
        held.close()  # before the edition reads the copy through a DuckDB of its own
        progress.stage("publishing")
        if rebuild:
            with clock("edition"):
                # Built from the finished copy before either file moves.
                edition = run.analyst_edition(staging, warehouse, night.storage_version)
        # A stop (SIGTERM, Ctrl-C) waits for both renames: between them it would leave
        # the new warehouse beside the old edition (ppks.ops.stops).
        with clock("publish"), stops.held_stops():
            build.publish(staging, warehouse)
            published = True
            shutil.rmtree(build.temp_directory(staging), ignore_errors=True)
            if edition is not None:
                analyst.publish_edition(edition, warehouse)
    except BaseException as exc:
        held.close()
        if published:  # a stop held through publishing, raised after it
            exc.add_note(stops.PUBLISHED_NOTE)
        else:
            build.discard(staging)
            analyst.discard_edition(warehouse)
        raise
    finally:
        if progress is not None:
            progress.close()
    return counts, linked


def _hold_open(staging: Path):
    """A connection to the private copy, held from the first stage to the last.

    DuckDB keeps one database per file in a process while any connection to it is
    open, so each stage's own connection (`_on_staging`) joins this one instead of
    opening the file again: loading the catalog and replaying the WAL of the stages
    before it cost every stage a few tenths of a second at provincial scale. Held
    open, the file needs no checkpoint between stages either: a commit no longer
    checkpoints once the WAL passes DuckDB's 16 MB (the model stage's commit was
    most of its three seconds), and record_run checkpoints once.
    """
    con = build.connect(staging)
    con.execute(f"SET checkpoint_threshold = '{NIGHT_CHECKPOINT_THRESHOLD}'")
    _within_the_limit(con, build.temp_directory(staging))
    return con


def _night_in_place(
    night: _Night, discovered: tuple[list[InboxFile], list]
) -> tuple[RunCounts, LinkSummary] | None:
    """The night's stages on the live warehouse in one transaction (ppks.warehouse.in_place
    says when); None: the night takes a copy.

    Prepare, load, link, model and record run on one connection inside one transaction,
    committed when all succeeded; a failure before the COMMIT rolls it back, and the
    file's tables are as they were. The analyst edition is built after the commit, from
    the live file (`_edition_after_commit`)."""
    run, clock, warehouse = night.run, night.clock, night.warehouse
    files, elsewhere = discovered
    with clock("prepare"):
        opened = run.prepare_in_place(warehouse, night.run_id, files)
    if opened is None:
        return None
    con, plan = opened.con, opened.plan
    _log_plan(night, files, elsewhere, plan)
    night.logger.info("a small night: written in place, in one transaction")
    progress = RunProgress(len(plan.to_read))
    committed = False
    try:
        counts, linked, changed = _write_night(night, con, plan, elsewhere, progress)
        rebuild = changed or _edition_behind(night, con)
        progress.stage("publishing")
        # A stop inside COMMIT would fail the statement it may have made durable, and
        # report a night that changed the warehouse as failed.
        with clock("publish"), stops.held_stops():
            con.execute("COMMIT")
            committed = True
        if rebuild:  # the edition starts from a copy of the published one: made meanwhile
            private.copy_ahead(analyst.analyst_path(warehouse))
        _reports_beside(night, con)
        with clock("publish"):
            _checkpoint(night, con)
    except BaseException as exc:
        if committed:  # a stop held through the commit, raised after it
            exc.add_note(stops.PUBLISHED_NOTE)
        raise
    finally:
        _close_live(con, opened.spill)
        progress.close()
    if rebuild:
        _edition_after_commit(night)
        private.forget_ahead(analyst.analyst_path(warehouse))  # not taken by a whole build
    return counts, linked


def _reports_beside(night: _Night, con: duckdb.DuckDBPyConnection) -> None:
    """The committed night's reports read on its connection, then written on a thread of
    their own while the warehouse checkpoints and the analyst edition builds (the
    workbooks are Python, and DuckDB leaves a core free at the checkpoint). Read first:
    the edition opens the file in a DuckDB of its own, and two DuckDB databases on one
    file in one process are not safe. A failed read leaves them to `run_night`."""
    from ppks.reporting.outbox import read_outbox

    with night.clock("reports"):
        try:
            read = read_outbox(con, night.run_id, night.outbox)
        except Exception:
            night.logger.debug("the reports are read after the night", exc_info=True)
            return
    run = night.run
    night.reports = Beside(
        "ppks-reports",
        lambda: run.write_reports(night.warehouse, night.run_id, night.outbox, read),
    )


def _checkpoint(night: _Night, con: duckdb.DuckDBPyConnection) -> None:
    """The committed night out of the WAL: the next night's `open_in_place` refuses a file
    with one. A failure here loses nothing (the WAL is replayed by whoever opens the file
    next, and the next night takes a copy that does)."""
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error:
        night.logger.warning(
            "the night is committed; its checkpoint failed, the next night replays its WAL",
            exc_info=True,
        )


def _edition_after_commit(night: _Night) -> None:
    """The analyst edition of the live warehouse, after an in-place night's commit.

    The night is completed whatever happens here, as when its reports fail: a failed
    build is logged, and recorded in the run's stage seconds as ``edition_failed``; the
    published edition stays the previous one, and the next night, even one with nothing
    new, builds it again because it is behind the warehouse (ppks.warehouse.edition_due).
    A stop (SIGTERM, Ctrl-C) during the build stops the command, the night committed."""
    warehouse, clock = night.warehouse, night.clock
    try:
        with clock("edition"):
            built = night.run.analyst_edition(warehouse, warehouse, night.storage_version)
        with clock("publish"):
            analyst.publish_edition(built, warehouse)
    except BaseException as exc:
        analyst.discard_edition(warehouse)
        if not isinstance(exc, Exception) or stops.is_interrupted(exc):
            exc.add_note(stops.PUBLISHED_NOTE)
            raise
        clock.seconds["edition_failed"] = clock.seconds.pop("edition", 0.0)
        night.logger.exception(
            "the night is committed, but its analyst edition could not be built; "
            "the published edition is the previous one until the next night builds it"
        )


def run_night(
    inbox: Path,
    warehouse: Path,
    outbox: Path | None = None,
    storage_version: str = build.DEFAULT_STORAGE_VERSION,
    retrain: bool = False,
    *,
    run: Stages = PLAIN,
    logger: logging.Logger | logging.LoggerAdapter | None = None,
    discovered: tuple[list[InboxFile], list] | None = None,
) -> NightlyResult:
    """The night. ``discovered``: the inbox as a look just before found it (its files,
    hashed, and what it ignored), so that the night hashes the inbox once."""
    logger = logger or logging.getLogger("ppks.nightly")
    inbox, warehouse = Path(inbox).resolve(), Path(warehouse).resolve()
    handed_over = _handed_over.pop((inbox, warehouse), None)
    build.preflight(inbox, warehouse)
    settings.export_secret_key_file()
    started_at = dt.datetime.now()
    run_id = started_at.strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
    clock = stages.StageClock()
    outbox = Path(outbox) if outbox else settings.default_outbox()
    night = _Night(
        inbox, warehouse, storage_version, retrain, run, logger, run_id, started_at, clock, outbox
    )
    with build.exclusive_lock(warehouse):
        discovered = discovered or handed_over
        in_place_night = None
        if not retrain and warehouse.is_file():
            if discovered is None:  # the copy path walks the inbox after its copy
                discovered = discover(inbox, build.inbox_hashes_path(warehouse))
            in_place_night = _night_in_place(night, discovered)
        if in_place_night is not None:
            counts, linked = in_place_night
        else:
            counts, linked = _night_on_copy(night, discovered)
        summary = counts.as_dict()
        if run.summary is not None:
            run.summary(run_id, warehouse, counts)
        with clock("reports"):
            try:
                # After the swap: a report that fails cannot undo a completed night.
                if night.reports is not None:
                    night.reports.result()
                else:
                    run.write_reports(warehouse, run_id, outbox)
            except Exception:
                logger.exception("the run completed, but its reports could not be written")
        stages.leave_last_run_note(warehouse, run_id, clock.seconds)
    logger.info("run %s completed: %s", run_id, summary)
    return NightlyResult(run_id=run_id, warehouse=warehouse, counts=summary, link=linked.as_dict())
