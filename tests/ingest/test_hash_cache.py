"""The inbox's hashes are remembered only for files that cannot have changed since."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from ppks.ingest.hash_cache import HashCache
from ppks.ingest.inbox import discover, sha256_of


class CountingHash:
    """sha256_of, counting the files it really read."""

    def __init__(self) -> None:
        self.read: list[Path] = []

    def __call__(self, path: Path) -> str:
        self.read.append(path)
        return sha256_of(path)


def _look(cache_path: Path, files: list[Path], margin_ns: int = 0) -> tuple[dict, list[Path]]:
    hashing = CountingHash()
    cache = HashCache(cache_path, margin_ns=margin_ns)
    digests = {f.name: cache.sha256(f.name, f, f.stat(), hashing) for f in files}
    cache.save()
    return digests, hashing.read


def test_unchanged_files_are_not_read_again(tmp_path):
    files = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for i, f in enumerate(files):
        f.write_bytes(b"workbook %d" % i)
    cache_path = tmp_path / "hashes.json"
    first, read = _look(cache_path, files)
    assert read == files
    second, read = _look(cache_path, files)
    assert read == []
    assert second == first == {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    assert stat.S_IMODE(cache_path.stat().st_mode) == 0o600


def test_same_size_and_restored_mtime_is_hashed_again(tmp_path):
    # A corrected file written over the old one, its mtime set back (cp -p, touch -r):
    # the change time still moves, so its new bytes are hashed.
    f = tmp_path / "tksk.xlsx"
    f.write_bytes(b"version one")
    cache_path = tmp_path / "hashes.json"
    _look(cache_path, [f])
    before = f.stat()
    f.write_bytes(b"version two")
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))
    digests, read = _look(cache_path, [f])
    assert read == [f]
    assert digests[f.name] == hashlib.sha256(b"version two").hexdigest()


def test_files_changed_just_before_the_look_are_not_remembered(tmp_path):
    f = tmp_path / "new.xlsx"
    f.write_bytes(b"arrived a moment ago")
    cache_path = tmp_path / "hashes.json"
    _look(cache_path, [f], margin_ns=60 * 10**9)
    assert not cache_path.exists()  # nothing was old enough to be trusted later
    _, read = _look(cache_path, [f], margin_ns=60 * 10**9)
    assert read == [f]


def test_a_damaged_cache_is_ignored_and_gone_files_leave_it(tmp_path):
    files = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for f in files:
        f.write_bytes(f.name.encode())
    cache_path = tmp_path / "hashes.json"
    cache_path.write_text("{not json")
    _, read = _look(cache_path, files)
    assert read == files
    _look(cache_path, files[:1])
    assert set(json.loads(cache_path.read_text())["files"]) == {"a.xlsx"}


def test_discover_gives_the_same_files_with_and_without_the_cache(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "tksk").mkdir(parents=True)
    (inbox / "psm").mkdir()
    (inbox / "tksk" / "jan.xlsx").write_bytes(b"jan")
    (inbox / "psm" / "desa.xlsx").write_bytes(b"desa")
    cache_path = tmp_path / ".warehouse.duckdb.inbox-hashes.json"
    plain = discover(inbox)
    assert discover(inbox, cache_path) == plain
    assert discover(inbox, cache_path) == plain
