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
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

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
    is written, so copying a large warehouse costs next to nothing there.
    """
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
