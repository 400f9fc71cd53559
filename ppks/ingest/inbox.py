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
    for path in _walk(inbox, skipped):
        parts = path.relative_to(inbox).parts
        if parts[0] not in SOURCES or len(parts) == 1:
            skipped.append(Skipped(path, "not in tksk/, psm/ or slrt/"))
            continue
        source_path = "/".join(parts)
        stat = path.stat()
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
    found.sort(key=lambda f: (SOURCES.index(f.source), f.path))
    return found, sorted(skipped, key=lambda s: s.path)


def _walk(inbox: Path, skipped: list[Skipped]) -> list[Path]:
    """Regular files under ``inbox``; links and hidden entries are set aside, never followed."""
    files = []
    for folder, dirs, names in os.walk(inbox, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs):
            path = base / name
            if path.is_symlink():
                skipped.append(Skipped(path, "a link to a folder: links are not followed"))
            elif name.startswith("."):
                skipped.append(Skipped(path, "a hidden folder"))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (base / d).is_symlink())
        for name in sorted(names):
            path = base / name
            if path.is_symlink():
                why = "a link to a file" if path.exists() else "a link to nothing (dangling)"
                skipped.append(Skipped(path, f"{why}: links are not followed"))
            elif name.startswith("."):
                skipped.append(Skipped(path, "a hidden file"))
            elif not path.is_file():
                skipped.append(Skipped(path, "not a regular file"))
            else:
                files.append(path)
    return files
