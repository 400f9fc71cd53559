"""Files that hold names, NIKs and KKs are private from their first byte.

Two tools, because two kinds of writer exist:

- our own code creates such files with ``os.open(..., O_CREAT | O_EXCL, 0o600)``
  (`write_private`), so no moment exists where the file is readable by others;
- DuckDB creates its database file and its ``.wal`` itself, and re-creates the
  ``.wal`` after every checkpoint, with the process umask. So the process that
  writes a warehouse runs with umask 0o077 (`private_umask`) for its whole life.
  The umask is process-wide and the run writes from several threads, so it is
  set once and never restored: setting and restoring it around each creation
  would race with the other threads.

A file meant to be shared (the analyst edition, 0640) is created private and
opened up afterwards, which is the safe direction.

A copy can be started ahead of the `copy_private` that needs it (`copy_ahead`): made
beside the source on a thread, it is taken (renamed) only if the source has not
changed since it was copied.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import threading
from pathlib import Path

from ppks.ops.ahead import Ahead

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_umask() -> None:
    """From now on this process creates files 0600 and folders 0700 (see the module doc)."""
    os.umask(PRIVATE_UMASK)


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) with mode 0700; an existing folder is left as is."""
    folder = Path(folder)
    if folder.is_dir():
        return
    make_private_folder(folder.parent)
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, FOLDER_MODE)


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a hidden 0600 file created with O_EXCL, then rename."""
    path = Path(path)
    make_private_folder(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def copy_private(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target`` created 0600 (O_EXCL: never an existing file).

    In the kernel (copy_file_range): no bytes through this process, and on a file
    system with reflinks (XFS, Btrfs) the copy shares the source's blocks until either
    is written, so copying a large warehouse costs next to nothing there. A copy
    `copy_ahead` made of ``source`` is taken instead, if ``source`` is unchanged since.
    """
    if not _take_ahead(Path(source), Path(target)):
        _copy(source, target)


def _copy(source: Path, target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as dst, open(source, "rb") as src:
            if not _copy_in_kernel(src.fileno(), dst.fileno()):
                shutil.copyfileobj(src, dst, 16 << 20)
    except BaseException:
        Path(target).unlink(missing_ok=True)
        raise


def _copy_in_kernel(src: int, dst: int) -> bool:
    """False, with nothing written, where the kernel or file system cannot copy files."""
    size = os.fstat(src).st_size
    copied = 0
    try:
        while copied < size:
            n = os.copy_file_range(src, dst, size - copied)
            if n == 0:  # the source shrank while being copied: copy what is there
                break
            copied += n
    except OSError as exc:
        if copied or exc.errno not in _NO_KERNEL_COPY:
            raise
        return False
    return True


# copy_file_range refused outright: not supported here, or not between these files.
_NO_KERNEL_COPY = {errno.ENOSYS, errno.EXDEV, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}


# source -> the copy being made of it ahead (`copy_ahead`): (copy, source's state) or None.
_ahead: dict[Path, Ahead[tuple[Path, tuple] | None]] = {}
_ahead_lock = threading.Lock()


def _state(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _ahead_name(source: Path, pid: int | str) -> Path:
    return source.with_name(f".{source.name}.ahead-{pid}")


def copy_ahead(source: Path) -> None:
    """Start copying ``source`` (0600, beside it) on a thread, for the next
    `copy_private` of it to take: an in-place night copies its published analyst
    edition while it checkpoints the warehouse, rather than at the start of the build
    (flows/night.py). A copy not taken is removed by the next `copy_ahead` of the same
    file, or when the process exits."""
    source = Path(source).resolve()
    forget_ahead(source)
    # A killed process's copy (no exit handler ran): never taken, removed here.
    for stale in source.parent.glob(f".{source.name}.ahead-*"):
        stale.unlink(missing_ok=True)
    with _ahead_lock:
        _ahead[source] = Ahead(f"copying {source.name} ahead", lambda: _copy_beside(source))


def _copy_beside(source: Path) -> tuple[Path, tuple] | None:
    state = _state(source)
    if state is None:
        return None
    copy = _ahead_name(source, os.getpid())
    _copy(source, copy)
    if _state(source) != state:  # written while it was copied
        copy.unlink(missing_ok=True)
        return None
    return copy, state


def _take_ahead(source: Path, target: Path) -> bool:
    """Make the copy made ahead of ``source`` the file ``target`` (O_EXCL, as a copy),
    if ``source`` is still the file it copied."""
    with _ahead_lock:
        pending = _ahead.pop(source.resolve(), None)
    made = None if pending is None else pending.result()
    if made is None:
        return False
    copy, state = made
    try:
        if _state(source) == state:
            os.link(copy, target)  # refuses an existing target, as O_EXCL does
            return True
    except OSError:
        return False
    finally:
        copy.unlink(missing_ok=True)
    return False


@atexit.register
def forget_ahead(source: Path | None = None) -> None:
    """Remove the copies made ahead and not taken: of ``source``, or all of them."""
    with _ahead_lock:
        keys = list(_ahead) if source is None else [Path(source).resolve()]
        pending = [p for p in (_ahead.pop(k, None) for k in keys) if p is not None]
    for copy in pending:
        made = copy.result()
        if made is not None:
            made[0].unlink(missing_ok=True)
