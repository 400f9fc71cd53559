"""Find the files of an inbox and fingerprint them.

The inbox has one subfolder per source; the folder, not the file name, says
which template a file must follow.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ppks.ingest.hash_cache import HashCache

SOURCES = ("tksk", "psm", "slrt")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    source: str
    name: str
    sha256: str
    size: int
    # Path relative to the inbox ('tksk/arsip/x.xlsx'): two files may share a name, never a path.
    source_path: str = ""

    @property
    def inbox_path(self) -> str:
        return self.source_path or f"{self.source}/{self.name}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Skipped:
    """A path of the inbox that is not read, and why; the run's log names each one."""

    path: Path
    why: str

    def __str__(self) -> str:
        return f"{self.path} ({self.why})"


def discover(inbox: Path, hash_cache: Path | None = None) -> tuple[list[InboxFile], list[Skipped]]:
    """Every file under ``inbox/<source>/`` (recursively), and every path not read, with why.

    Hidden files are skipped (and named), but Excel's ``~$`` lock files are
    not: they are rejected like any other file that is not a workbook.
    Symbolic links are never followed, to a file or to a folder: a link may
    point out of the inbox (to /etc/passwd, to another office's files), and
    what the inbox holds must be what was sent. Files are returned in a
    stable order so that a run is reproducible.

    ``hash_cache``: a file that remembers the hashes of files unchanged since
    (ppks.ingest.hash_cache), so that a night hashes only what arrived or changed.
    """
    hashes = HashCache(hash_cache)
    found: list[InboxFile] = []
    skipped: list[Skipped] = []
    for path, parts, stat in _walk(inbox, skipped):
        if parts[0] not in SOURCES or len(parts) == 1:
            skipped.append(Skipped(path, "not in tksk/, psm/ or slrt/"))
            continue
        source_path = "/".join(parts)
        found.append(
            InboxFile(
                path=path,
                source=parts[0],
                name=path.name,
                sha256=hashes.sha256(source_path, path, stat, sha256_of),
                size=stat.st_size,
                source_path=source_path,
            )
        )
    hashes.save()
    # By the paths' parts: the order of the paths themselves (on POSIX), compared
    # natively rather than by Path's own comparison, a Python call each (24,000 files).
    found.sort(key=lambda f: (SOURCES.index(f.source), f.path.parts))
    return found, sorted(skipped, key=lambda s: s.path)


def _walk(
    inbox: Path, skipped: list[Skipped]
) -> list[tuple[Path, tuple[str, ...], os.stat_result]]:
    """Regular files under ``inbox`` (path, parts below the inbox, lstat); links and hidden
    entries are set aside, never followed.

    One scandir entry and one lstat a file: the inbox keeps every file ever sent
    (24,000 after two years), and a night with nothing new is mostly this walk.
    """
    files = []
    folders: list[tuple[str, tuple[str, ...]]] = [(str(inbox), ())]
    while folders:
        folder, parts = folders.pop()
        base = Path(folder)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(base, f"a folder that cannot be read ({exc.strerror})"))
            continue
        for entry in entries:
            path = base / entry.name  # parses the name only, not the whole path again
            hidden = entry.name.startswith(".")
            if entry.is_symlink():
                if entry.is_dir():  # follows the link, only to say what it is
                    skipped.append(Skipped(path, "a link to a folder: links are not followed"))
                else:
                    why = "a link to a file" if path.exists() else "a link to nothing (dangling)"
                    skipped.append(Skipped(path, f"{why}: links are not followed"))
            elif entry.is_dir(follow_symlinks=False):
                if hidden:
                    skipped.append(Skipped(path, "a hidden folder"))
                else:
                    folders.append((entry.path, (*parts, entry.name)))
            elif hidden:
                skipped.append(Skipped(path, "a hidden file"))
            elif not entry.is_file(follow_symlinks=False):
                skipped.append(Skipped(path, "not a regular file"))
            else:
                files.append((path, (*parts, entry.name), entry.stat(follow_symlinks=False)))
    return files
