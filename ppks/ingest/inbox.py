"""Find the files of an inbox and fingerprint them.

The inbox has one subfolder per source; the folder, not the file name, says
which template a file must follow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SOURCES = ("tksk", "psm", "slrt")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    source: str
    name: str
    sha256: str
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover(inbox: Path) -> tuple[list[InboxFile], list[Path]]:
    """Every file under ``inbox/<source>/`` (recursively), and the files found elsewhere.

    Hidden files are skipped, but Excel's ``~$`` lock files are not: they are
    reported (and rejected) like any other file that is not a workbook.
    Files are returned in a stable order so that a run is reproducible.
    """
    found: list[InboxFile] = []
    for source in SOURCES:
        folder = inbox / source
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.name.startswith("."):
                continue
            found.append(
                InboxFile(
                    path=path,
                    source=source,
                    name=path.name,
                    sha256=sha256_of(path),
                    size=path.stat().st_size,
                )
            )
    elsewhere = sorted(
        p
        for p in inbox.rglob("*")
        if p.is_file()
        and not p.name.startswith(".")
        and p.relative_to(inbox).parts[0] not in SOURCES
    )
    return found, elsewhere
