"""Build the next warehouse beside the current one and swap it in at the end.

The run works on a copy; only a run that finished replaces the file, with
one atomic rename. A run that fails or is killed leaves the previous
warehouse exactly as it was, and an analyst who holds the old file open
keeps reading the old file undisturbed (the rename does not touch it).

Every file of a run is private from its first byte (see ppks.ops.private):
the process runs with umask 0o077 from `preflight` on, and the copy is
created 0600 with O_EXCL. A killed run leaves at most a 0600 copy, removed
by the next run's `start_copy`.

Other DuckDB sessions on the live file. Readers (read-only) are never in the
way. A read-write session is: it holds an exclusive lock on the file, and
what it writes goes to the old file (or to a ``.wal`` beside it) and would be
lost at the swap, or leave a ``.wal`` that belongs to another file. So:

- a read-write session open at the start or at the swap refuses the run
  with one line (nothing published, exit non-zero); the next run starts
  from whatever the session wrote;
- a ``.wal`` left by a session that crashed is copied with the file, so the
  copy replays it (the session's committed work is kept), and at the swap
  it is moved away with the old file: it never sits beside the new one;
- a live file or ``.wal`` that changed during the run (a session wrote and
  closed) refuses the swap the same way, so nobody's work is lost.

A small night (a share of what is stored, or nothing new at all) writes the live
file in place instead, in one DuckDB transaction, when nobody has it open
(ppks.warehouse.in_place): copying the whole file made its cost follow the
warehouse's size (6-16 s of a 1%-new night on two years of reports, on ext4).
DuckDB locks a file for writing with an fcntl write lock, so a reader already
holding the file keeps the night on a copy, as above; a read-only session that
opens the file while the night writes (seconds) is refused at once ("Could not
set lock") and can simply open it again. Every other night works on a copy;
`copy_private` copies in the kernel, and on a file system with reflinks (XFS,
Btrfs) that costs next to nothing. The analyst edition is never written in place:
an in-place night builds it after its commit (ppks.warehouse.edition_due).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ppks.ops.private import FILE_MODE, copy_private, make_private_folder, private_umask
from ppks.warehouse import access_log

DEFAULT_STORAGE_VERSION = "v1.4.0"


class RunRefused(RuntimeError):
    """The run cannot start or cannot finish; the message is one line for the operator."""


@contextlib.contextmanager
def exclusive_lock(warehouse: Path) -> Iterator[None]:
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    try:
        make_private_folder(warehouse.parent)
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        handle = os.fdopen(fd, "a")
    except OSError as exc:
        raise RunRefused(
            f"cannot write beside the warehouse ({lock_path}): {exc.strerror}"
        ) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RunRefused(
                f"another run holds {lock_path}: wait for it to finish "
                "(two runs at once are refused)"
            ) from exc
        yield


def lock_is_free(warehouse: Path) -> None:
    """Raise RunRefused now if another run holds the warehouse (the run takes the lock itself)."""
    with exclusive_lock(warehouse):
        pass


def preflight(inbox: Path, warehouse: Path) -> None:
    """Refuse early, with one clear line, what would make the run fail later.

    Also makes every file this process creates from now on private (umask 0o077).
    """
    private_umask()
    if not inbox.is_dir():
        raise RunRefused(f"inbox folder not found: {inbox}")
    if warehouse.is_dir():
        raise RunRefused(f"the warehouse path is a folder, not a file: {warehouse}")
    folder = warehouse.parent
    try:
        make_private_folder(folder)
    except OSError as exc:
        raise RunRefused(f"cannot create the warehouse folder {folder}: {exc.strerror}") from exc
    refuse_if_writer(warehouse, "nothing was done")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RunRefused(f"the warehouse folder is not writable: {folder}")
    free = shutil.disk_usage(folder).free
    needed = 2 * (warehouse.stat().st_size if warehouse.exists() else 0) + (64 << 20)
    if free < needed:
        raise RunRefused(
            f"not enough free disk space in {folder}: "
            f"{free >> 20} MB free, {needed >> 20} MB needed"
        )


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def writer_pid(path: Path) -> int | None:
    """PID of a process holding DuckDB's write lock on ``path`` (a read-write session), if any.

    DuckDB locks the file with fcntl: a write lock for a read-write session, a read
    lock for a read-only one. F_GETLK asks who would block a read lock, without
    taking one. (Never call this while this process has the file open in DuckDB:
    closing the probe's descriptor would drop this process's own fcntl locks.)
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        request = struct.pack("hhqqi4x", fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0)
        lock_type, _, _, _, pid = struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, request))
    finally:
        os.close(fd)
    return None if lock_type == fcntl.F_UNLCK else pid


def refuse_if_writer(warehouse: Path, consequence: str) -> None:
    pid = writer_pid(warehouse)
    if pid is not None:
        raise RunRefused(
            f"a read-write DuckDB session (PID {pid}) holds {warehouse}: {consequence}; "
            "close it (analysts open the warehouse read-only) and run again"
        )


def _fingerprint(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _live_state(warehouse: Path) -> dict:
    return {"file": _fingerprint(warehouse), "wal": _fingerprint(wal_path(warehouse))}


def _state_file(staging: Path) -> Path:
    return staging.with_name(staging.name + ".live")


def inbox_hashes_path(warehouse: Path) -> Path:
    """The inbox's file hashes from the last look (ppks.ingest.hash_cache), beside the warehouse."""
    return warehouse.with_name(f".{warehouse.name}.inbox-hashes.json")


def staging_path(warehouse: Path, run_id: str) -> Path:
    return warehouse.with_name(f".{warehouse.name}.{run_id}.building")


def ahead_path(warehouse: Path) -> Path:
    """Where `copy_ahead` copies; named like a run's copy, so a killed run's is removed."""
    return staging_path(warehouse, f"ahead-{os.getpid()}")


def copy_ahead(warehouse: Path) -> Path | None:
    """A private copy of the warehouse made before the night knows its run id.

    The command makes it while it waits for the temporary Prefect server's boot
    (ppks.warehouse.copy_ahead); `start_copy` takes it only if the live file and its
    ``.wal`` are still the ones copied. None when there is nothing to copy now (no
    warehouse yet, a read-write session holds it, the copy failed): the night's own
    `start_copy` then copies, or refuses with its one line.
    """
    state = _live_state(warehouse)
    if state["file"] is None or writer_pid(warehouse) is not None:
        return None
    target = ahead_path(warehouse)
    discard(target)
    try:
        _copy_live(warehouse, target, state)
    except OSError:
        discard(target)
        return None
    if _live_state(warehouse) != state:  # written while it was copied
        discard(target)
        return None
    _state_file(target).write_text(json.dumps(state), encoding="utf-8")
    return target


def _copy_live(warehouse: Path, target: Path, state: dict) -> None:
    copy_private(warehouse, target)
    if state["wal"] is not None:
        # Left by a session that crashed: the copy replays it when opened.
        copy_private(wal_path(warehouse), wal_path(target))


def _take_ahead(ahead: Path | None, staging: Path, state: dict) -> bool:
    """Make the copy made ahead the run's copy (a rename), if the live file is still the
    one it copied. A copy not taken is removed with the stale copies (`start_copy`)."""
    if ahead is None or state["file"] is None:
        return False
    try:
        if json.loads(_state_file(ahead).read_text("utf-8")) != state:
            return False
        if state["wal"] is not None:
            os.rename(wal_path(ahead), wal_path(staging))
        os.rename(ahead, staging)
    except (OSError, ValueError):
        return False
    return True


def start_copy(warehouse: Path, run_id: str, ahead: Path | None = None) -> Path:
    """A private copy of the current warehouse (or nothing, for the first run) to work on.

    ``ahead``: a copy `copy_ahead` made before, used when the live file has not
    changed since; otherwise it is removed and the warehouse copied now.
    """
    make_private_folder(warehouse.parent)
    _restore_old_wal(warehouse)
    staging = staging_path(warehouse, run_id)
    state = _live_state(warehouse)
    taken = _take_ahead(ahead, staging, state)
    keep = {staging, wal_path(staging)} if taken else set()
    for stale in warehouse.parent.glob(f".{warehouse.name}.*.building*"):
        if stale in keep:
            continue
        if stale.is_dir():  # DuckDB's spill folder
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)  # left by a run that was killed, or not taken
    if state["file"] is not None:
        try:
            refuse_if_writer(warehouse, "nothing was done")
        except RunRefused:
            discard(staging)
            raise
        if not taken:
            try:
                _copy_live(warehouse, staging, state)
            except OSError as exc:
                discard(staging)
                raise RunRefused(f"cannot copy the warehouse to {staging}: {exc.strerror}") from exc
        if access_log.pending_path(warehouse).exists():
            # Subject requests logged while readers held the file: into the copy now,
            # out of the pending file when the copy is published.
            with connect(staging) as con:
                state["access_log"] = access_log.move_pending(con, warehouse)
    _state_file(staging).write_text(json.dumps(state), encoding="utf-8")
    return staging


def _restore_old_wal(warehouse: Path) -> None:
    """A run killed between moving the old .wal aside and the rename: put the .wal back.

    Only if the live file is still the one the run copied (the rename did not happen);
    after the rename the aside .wal belongs to no file and is removed with the rest.
    """
    for aside in warehouse.parent.glob(f".{warehouse.name}.*.building.old-wal"):
        state = aside.with_name(aside.name.removesuffix(".old-wal") + ".live")
        with contextlib.suppress(OSError, ValueError):
            recorded = json.loads(state.read_text("utf-8"))
            if recorded["file"] == _fingerprint(warehouse) and not wal_path(warehouse).exists():
                os.replace(aside, wal_path(warehouse))


def connect(
    path: Path, storage_version: str = DEFAULT_STORAGE_VERSION
) -> duckdb.DuckDBPyConnection:
    # The storage version only applies when the file is created; a copied
    # warehouse keeps the version it was written in. DuckDB creates the file and
    # its .wal itself: only the umask makes them private from the first byte.
    private_umask()
    return duckdb.connect(str(path), config={"storage_compatibility_version": storage_version})


def temp_directory(staging: Path) -> Path:
    """Where DuckDB spills when a stage exceeds its memory limit: beside the warehouse."""
    return staging.with_name(staging.name + ".tmp")


def publish(staging: Path, warehouse: Path, mode: int = 0o600) -> None:
    """Make the finished copy the warehouse, in one rename, unless that would lose someone's work.

    The copy was created 0600; ``mode`` only opens it up if a caller asks for more.
    """
    consequence = "nothing was published (the next run starts from what the session wrote)"
    refuse_if_writer(warehouse, consequence)
    recorded = _state_file(staging)
    state = json.loads(recorded.read_text("utf-8")) if recorded.exists() else {}
    if state and {k: state[k] for k in ("file", "wal")} != _live_state(warehouse):
        raise RunRefused(
            f"{warehouse} was changed by another DuckDB session during the run: {consequence}"
        )
    if mode != FILE_MODE:
        os.chmod(staging, mode)
    with staging.open("rb") as fh:
        os.fsync(fh.fileno())
    wal = wal_path(warehouse)
    aside = staging.with_name(staging.name + ".old-wal")
    if wal.exists():
        # The old file's .wal (already replayed into the copy) must not outlive the old file.
        os.replace(wal, aside)
    try:
        os.replace(staging, warehouse)
    except BaseException:
        if aside.exists():
            os.replace(aside, wal)
        raise
    _fsync_folder(warehouse.parent)
    aside.unlink(missing_ok=True)
    if state.get("access_log"):
        access_log.pending_path(warehouse).unlink(missing_ok=True)
    recorded.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def discard(staging: Path) -> None:
    for path in (staging, wal_path(staging), _state_file(staging)):
        path.unlink(missing_ok=True)
    shutil.rmtree(temp_directory(staging), ignore_errors=True)
