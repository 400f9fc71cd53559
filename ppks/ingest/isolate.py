"""Read batches of files in worker processes, so that one bad file costs that file only.

Reading, normalising and validating is Python-bound work: threads share one
core, processes use both. Processes also fence off what a hostile file can
do to its reader: a crash (SIGABRT or SIGSEGV inside calamine), a hang, or a
grid that would take all the memory of the machine.

Each worker limits its own address space (``PPKS_READ_MEMORY_MB``, default
6144: address space, not resident memory; Polars reserves much more than it
touches, and a batch's result is serialised whole to be sent back) and
restarts a per-file timer (``PPKS_READ_TIMEOUT_S``, default 120) before each
file; when the timer runs out the kernel ends the worker. When
a worker dies, every batch it may have held is read again one file at a
time, each file in a fresh process of its own: the culprit is rejected
(``reader_crashed``, ``reader_timeout``, ``too_large``) and the other files
load.

Workers start from a ``forkserver`` (never ``fork``: Prefect runs threads)
that has already imported Polars and Pandera, so a worker costs a fork and
the import of the project's own modules. Importing ``ppks.pipeline`` itself
in the server hangs the forked children (it starts Polars' thread pool), so
the workers import it after the fork. Each worker's Polars runs on one thread
(``ppks.ingest.worker_env``): the workers are already one per core. A batch's
frames come back as Arrow IPC files in a private folder (``HandedOver``), not
pickled through the pipe, and the largest batches run first.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import resource
import signal
import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ppks.ingest.inbox import InboxFile

log = logging.getLogger(__name__)

WORKERS = 2
# A worker reads this many batches, then a fresh one takes its place: address
# space fragments over a provincial night of ~40 batches, and a worker that
# can no longer write its result would cost its whole batch a re-read. Since the
# frames go back as files (HandedOver) no batch is serialised in memory whole: on
# 60,000 persons a worker's address space stayed at 1.4-1.5 GB over six batches of
# 250 files (6 GB allowed), and on six months of 300,000 persons (47 batches) at 1.8 GB
# over 24 (VmPeak; 0.4-0.6 GB resident). Each fresh worker costs about half a second of
# imports and cold caches, so a worker is kept for 32 batches: a six-month night's two
# workers read it all, and a two-year night replaces each about three times.
BATCHES_PER_WORKER = 32
# worker_env before Polars (it sets Polars' thread count); builtin_checks imports what
# Pandera's first validation would import in every worker (hypothesis among it).
PRELOAD = [
    "ppks.ingest.worker_env",
    "polars",
    "pandera.polars",
    "pandera.backends.polars.builtin_checks",
    "python_calamine",
]


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 6144 * 1024 * 1024
    file_seconds: float = 120.0
    # Added to the workers' niceness: readers that run beside something the night
    # waits for yield to it (ppks.ingest.read_ahead).
    nice: int = 0

    @classmethod
    def from_env(cls) -> Limits:
        memory = os.environ.get("PPKS_READ_MEMORY_MB")
        seconds = os.environ.get("PPKS_READ_TIMEOUT_S")
        return cls(
            memory_bytes=int(float(memory) * 1024 * 1024) if memory else cls.memory_bytes,
            file_seconds=float(seconds) if seconds else cls.file_seconds,
        )


def read_batches(
    groups: Sequence[list[InboxFile]],
    *,
    limits: Limits | None = None,
    workers: int = WORKERS,
    on_batch: Callable[[object], None] | None = None,
) -> list:
    """One BatchResult per group, in order; never lost to a worker that died."""
    limits = limits or Limits.from_env()
    results: list = [None] * len(groups)
    # Private (mkdtemp: 0700); the frames there hold names and NIKs, and each file is
    # removed as soon as it is read back, the folder at the end whatever happened.
    with tempfile.TemporaryDirectory(prefix="ppks-read-") as handover:
        suspects = _pool_round(groups, results, limits, workers, on_batch, handover)
        for i in suspects:
            log.warning(
                "a reader process died on a batch of %d files; reading them one by one",
                len(groups[i]),
            )
            results[i] = merge([read_alone(item, limits, handover) for item in groups[i]])
            if on_batch is not None:
                on_batch(results[i])
    return results


@dataclass(frozen=True)
class HandedOver:
    """A frame a worker wrote to an Arrow IPC file, in place of the frame in its result.

    Pickled through the pipe, a batch's frames cost the worker their serialisation and
    the parent a copy and a parse (about 1.3 KB a row, 150 MB for 60,000 persons), while
    the worker waits for its next batch; written as Arrow IPC they cost a write and a
    read, and the message that travels is a list of paths.
    """

    path: str


def hand_over(result, folder: str):
    """In the worker: the result's frames to files in ``folder``."""
    for frames in (result.loaded, result.rejected):
        frames[:] = [_write(frame, folder) for frame in frames]
    return result


def take_back(result):
    """In the parent: the frames a worker wrote, read back and their files removed."""
    import polars as pl

    for frames in (result.loaded, result.rejected):
        for k, frame in enumerate(frames):
            if isinstance(frame, HandedOver):
                frames[k] = pl.read_ipc(frame.path)
                os.unlink(frame.path)
    return result


def _write(frame, folder: str):
    """The frame's file, or the frame itself when the file cannot be written (a full disk
    costs the night the old way of sending frames, never a file's rows)."""
    path = os.path.join(folder, f"{uuid.uuid4().hex}.arrow")
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
            frame.write_ipc(fh, compression="uncompressed")
    except OSError:
        log.warning("could not hand a frame over through %s; sending it whole", folder)
        with contextlib.suppress(OSError):
            os.unlink(path)
        return frame
    return HandedOver(path)


def merge(parts: list):
    from ppks.ingest.outcomes import BatchResult

    out = BatchResult()
    for part in parts:
        out.outcomes += part.outcomes
        out.loaded += part.loaded
        out.rejected += part.rejected
        out.sheets += part.sheets
    return out


def _pool_round(groups, results, limits, workers, on_batch, handover) -> list[int]:
    """Run every group; return the indices of those lost to a dead worker."""
    # The largest batches first (by bytes, which follow the rows): the last batch of a
    # night is then a small one, and the other worker does not idle through a large one.
    pending = deque(sorted(range(len(groups)), key=lambda i: -sum(f.size for f in groups[i])))
    suspects: list[int] = []
    while pending:
        size = min(workers, len(pending))
        with ProcessPoolExecutor(
            size,
            mp_context=_context(),
            initializer=_limit_worker,
            initargs=(limits,),
            max_tasks_per_child=BATCHES_PER_WORKER,
        ) as pool:
            running: dict = {}
            broken = False
            # At most one batch per worker in flight: a broken pool fails every
            # queued batch too, and those must not be mistaken for suspects.
            while (pending or running) and not broken:
                while pending and len(running) < size:
                    i = pending.popleft()
                    running[pool.submit(_work, groups[i], limits, handover)] = i
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    i = running.pop(future)
                    try:
                        results[i] = take_back(future.result())
                    except BrokenProcessPool:
                        suspects.append(i)
                        broken = True
                        continue
                    except Exception:
                        # A result too large to send back, an OSError inside the worker
                        # (seen as a bare OSError when its own error could not be sent):
                        # the files alone will tell.
                        log.exception("a reader process failed on a batch")
                        suspects.append(i)
                        continue
                    if on_batch is not None:
                        on_batch(results[i])
            for future, i in running.items():
                try:
                    results[i] = take_back(future.result())
                except Exception:  # BrokenProcessPool, as a rule
                    suspects.append(i)
                    continue
                if on_batch is not None:
                    on_batch(results[i])
    return sorted(suspects)


def read_alone(item: InboxFile, limits: Limits, handover: str | None = None):
    """One file in a fresh process of its own; a death there is the file's."""
    from ppks.ingest.outcomes import BatchResult, FileOutcome

    ctx = _context()
    reader, writer = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=([item], limits, writer, handover), daemon=True)
    process.start()
    writer.close()
    payload = None
    # The child's own timer ends it; this wait is only a guard against a timer that never fires.
    if reader.poll(limits.file_seconds * 2 + 30):
        try:
            payload = reader.recv()
        except (EOFError, OSError):
            payload = None
    reader.close()
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join()
    if payload is not None:
        kind, value = payload
        if kind == "ok":
            return take_back(value)
        # An I/O error that outlived the batch and a fresh process of its own is
        # this file's, not the night's: the file is rejected, the night goes on.
        log.error("I/O error reading %s: %r", item.name, value)
        reason = (
            "the file could not be read from the disk "
            f"({getattr(value, 'strerror', None) or type(value).__name__}): "
            "send it again"
        )
        return BatchResult(outcomes=[FileOutcome(item, "rejected", "io_error", reason)])
    code, reason = died_reason(process.exitcode, limits)
    log.error("reader process died on %s (exit %s): %s", item.name, process.exitcode, code)
    return BatchResult(outcomes=[FileOutcome(item, "rejected", code, reason)])


def died_reason(exitcode: int | None, limits: Limits) -> tuple[str, str]:
    if exitcode in (None, -signal.SIGALRM):
        return (
            "reader_timeout",
            f"reading the file took more than {limits.file_seconds:g} seconds and was "
            "stopped: the file may be damaged or far too large; open it in Excel, "
            "save it again as .xlsx and send it again",
        )
    return (
        "reader_crashed",
        "the spreadsheet reader crashed on this file (it is damaged, or needs more "
        "memory than a report ever does): open it in Excel, save it again as .xlsx "
        "and send it again",
    )


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_readers() -> None:
    """Start the workers' forkserver now rather than at the first batch.

    Its imports (Polars, Pandera, calamine) take a second and more of one core. A
    night that will read calls this while it waits on something else, the temporary
    Prefect server's start, so that the second is spent while a core idles. Returns
    at once: the server imports in the background, and the first worker waits for it.
    """
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def _limit_worker(limits: Limits) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = limits.memory_bytes if hard == resource.RLIM_INFINITY else min(hard, limits.memory_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    # The timer's default action ends the process even inside Rust code.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    if limits.nice:
        os.nice(limits.nice)


def _work(items: list[InboxFile], limits: Limits, handover: str | None = None):
    from ppks.pipeline import process_batch

    def restart_timer(item: InboxFile | None) -> None:
        # Normalising a batch of 500 files takes a second or two; a hang there is read
        # again file by file, so its limit grows with the batch (11 file limits for 500
        # files: 22 minutes at the default 120 s), and only a hang ever waits it out.
        seconds = limits.file_seconds * (1 if item is not None else 1 + len(items) / 50)
        signal.setitimer(signal.ITIMER_REAL, seconds)

    fewer_collections()
    try:
        result = process_batch(items, before_each=restart_timer)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return hand_over(result, handover) if handover is not None else result


def fewer_collections() -> None:
    """Python's cycle collector less often: reading makes millions of short-lived cells and
    rows, few cycles, and the default thresholds spent a quarter of the read in collections.

    Once a worker: freezing again before a later batch would make whatever that batch
    left uncollected permanent. Asked once: ``gc.get_freeze_count`` walks every frozen
    object (16 ms and more a call), and a worker asked it before each of its batches."""
    global _COLLECTIONS_SET
    if _COLLECTIONS_SET:
        return
    _COLLECTIONS_SET = True
    if gc.get_freeze_count():
        return
    gc.freeze()  # what is imported stays: never scanned again
    gc.set_threshold(50_000, 20, 100)


_COLLECTIONS_SET = False


def _child(items: list[InboxFile], limits: Limits, writer, handover: str | None) -> None:
    _limit_worker(limits)
    try:
        result = ("ok", _work(items, limits, handover))
    except OSError as exc:
        result = ("error", exc)
    except BaseException as exc:  # the parent sees a crash: the file is rejected as reader_crashed
        log.error("reader failed on %s: %r", items[0].name, exc)
        raise SystemExit(70) from exc
    try:
        writer.send(result)
    except Exception as exc:  # a result that cannot be sent back (memory) counts as a crash
        log.error("reader could not send back %s: %r", items[0].name, exc)
        raise SystemExit(70) from exc
    writer.close()
