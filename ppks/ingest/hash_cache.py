"""The inbox's file hashes, remembered between nights.

The inbox keeps every file it was ever sent, so hashing all of them again each
night makes a night's cost follow the inbox's size, not what arrived (two years
of reports: 24,000 files, a second or two a night). A file whose device, inode,
size, modification and change times are all as they were when it was hashed
has the same bytes: the change time (ctime) cannot be set back by any copy or
touch tool, and moves on every write, rename or truncation. That is the test
git's index and rsync rely on, made stricter.

A file changed within the clock tick of its hashing could keep its times (the
"racily clean" case of git): only files whose times are older than the moment
hashing began by a margin are remembered. Anything doubtful is hashed again.

The cache names inbox paths and hashes, not persons; it is private all the same
(0600, written whole to a new file and renamed: ppks.ops.private.write_private).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from ppks.ops.private import write_private

# Seconds a file's times must lie before its hashing for the hash to be remembered.
RACY_MARGIN_NS = 2_000_000_000
VERSION = 1


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


class HashCache:
    """source_path -> sha256 for files unchanged since they were hashed."""

    def __init__(self, path: Path | None, margin_ns: int = RACY_MARGIN_NS):
        self.path = path
        self.margin_ns = margin_ns
        self._old: dict[str, list] = self._load() if path is not None else {}
        self._new: dict[str, list] = {}
        self._started_ns = time.time_ns()

    def _load(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return {}
        entries = data.get("files")
        return entries if isinstance(entries, dict) else {}

    def sha256(self, source_path: str, path: Path, stat: os.stat_result, hash_file) -> str:
        stamp = _stamp(stat)
        entry = self._old.get(source_path)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == stamp:
            digest = entry[1]
        else:
            digest = hash_file(path)
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < self._started_ns - self.margin_ns:
            self._new[source_path] = [stamp, digest]
        return digest

    def save(self) -> None:
        """Keep tonight's files only (a file gone from the inbox leaves the cache)."""
        if self.path is None or self._new == self._old:
            return
        data = json.dumps({"version": VERSION, "files": self._new}).encode("utf-8")
        with contextlib.suppress(OSError):  # the cache only saves time: never fails a night
            write_private(self.path, data)
