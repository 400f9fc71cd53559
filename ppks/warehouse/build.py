"""Build the next warehouse beside the current one and swap it in at the end.

The run works on a copy; only a run that finished replaces the file, with
one atomic rename. A run that fails or is killed leaves the previous
warehouse exactly as it was, and an analyst who holds the old file open
keeps reading the old file undisturbed (the rename does not touch it).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

DEFAULT_STORAGE_VERSION = "v1.4.0"


class RunRefused(RuntimeError):
    """The run cannot start or cannot finish; the message is one line for the operator."""


@contextlib.contextmanager
def exclusive_lock(warehouse: Path) -> Iterator[None]:
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    try:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        handle = lock_path.open("a")
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
    """Refuse early, with one clear line, what would make the run fail later."""
    if not inbox.is_dir():
        raise RunRefused(f"inbox folder not found: {inbox}")
    if warehouse.is_dir():
        raise RunRefused(f"the warehouse path is a folder, not a file: {warehouse}")
    folder = warehouse.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunRefused(f"cannot create the warehouse folder {folder}: {exc.strerror}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RunRefused(f"the warehouse folder is not writable: {folder}")
    free = shutil.disk_usage(folder).free
    needed = 2 * (warehouse.stat().st_size if warehouse.exists() else 0) + (64 << 20)
    if free < needed:
        raise RunRefused(
            f"not enough free disk space in {folder}: "
            f"{free >> 20} MB free, {needed >> 20} MB needed"
        )


def staging_path(warehouse: Path, run_id: str) -> Path:
    return warehouse.with_name(f".{warehouse.name}.{run_id}.building")


def start_copy(warehouse: Path, run_id: str) -> Path:
    """A private copy of the current warehouse (or nothing, for the first run) to work on."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    for stale in warehouse.parent.glob(f".{warehouse.name}.*.building*"):
        if stale.is_dir():  # DuckDB's spill folder
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)  # left by a run that was killed
    staging = staging_path(warehouse, run_id)
    if warehouse.exists():
        try:
            shutil.copyfile(warehouse, staging)
        except OSError as exc:
            staging.unlink(missing_ok=True)
            raise RunRefused(f"cannot copy the warehouse to {staging}: {exc.strerror}") from exc
    return staging


def connect(
    path: Path, storage_version: str = DEFAULT_STORAGE_VERSION
) -> duckdb.DuckDBPyConnection:
    # The storage version only applies when the file is created; a copied
    # warehouse keeps the version it was written in.
    return duckdb.connect(str(path), config={"storage_compatibility_version": storage_version})


def temp_directory(staging: Path) -> Path:
    """Where DuckDB spills when a stage exceeds its memory limit: beside the warehouse."""
    return staging.with_name(staging.name + ".tmp")


def publish(staging: Path, warehouse: Path, mode: int = 0o600) -> None:
    """Make the finished copy the warehouse, in one rename."""
    os.chmod(staging, mode)
    with staging.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(staging, warehouse)
    dir_fd = os.open(warehouse.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def discard(staging: Path) -> None:
    for path in (staging, staging.with_name(staging.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(temp_directory(staging), ignore_errors=True)
