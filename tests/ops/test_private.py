"""Private copies: the warehouse's copy is created 0600 and never over an existing file,
and the kernel's copy (copy_file_range) gives the same bytes as the file; a copy made
ahead is taken only when the file is still the one it copied."""

from __future__ import annotations

import os
import stat

import pytest

from ppks.ops.private import copy_ahead, copy_private, forget_ahead


def test_a_private_copy_has_the_same_bytes_and_mode_0600(tmp_path):
    source = tmp_path / "ppks.duckdb"
    # Larger than one copy_file_range call may move, and not a multiple of a block.
    data = os.urandom(3 << 20) + b"tail"
    source.write_bytes(data)
    os.chmod(source, 0o644)
    target = tmp_path / ".ppks.duckdb.run.building"
    copy_private(source, target)
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_private_copy_never_writes_over_an_existing_file(tmp_path):
    source = tmp_path / "ppks.duckdb"
    source.write_bytes(b"new")
    target = tmp_path / "taken"
    target.write_bytes(b"someone else's")
    with pytest.raises(FileExistsError):
        copy_private(source, target)
    assert target.read_bytes() == b"someone else's"


def test_an_empty_file_copies_to_an_empty_file(tmp_path):
    source = tmp_path / "empty"
    source.write_bytes(b"")
    copy_private(source, tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == b""


def ahead_copies(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".ahead-" in p.name)


def test_a_copy_made_ahead_is_the_copy_of_the_file_when_it_is_unchanged(tmp_path):
    source = tmp_path / "ppks_analyst.duckdb"
    data = os.urandom(1 << 20)
    source.write_bytes(data)
    copy_ahead(source)
    target = tmp_path / ".ppks_analyst.duckdb.building"
    copy_private(source, target)
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert ahead_copies(tmp_path) == []  # taken: renamed, not copied again


def test_a_file_written_after_its_copy_ahead_is_copied_again(tmp_path):
    source = tmp_path / "ppks_analyst.duckdb"
    source.write_bytes(b"old" * 1000)
    copy_ahead(source)
    fresh = source.with_name("new")
    fresh.write_bytes(b"new" * 1000)
    os.replace(fresh, source)  # published again meanwhile: another file
    target = tmp_path / "copy"
    copy_private(source, target)
    assert target.read_bytes() == b"new" * 1000
    assert ahead_copies(tmp_path) == []


def test_a_copy_made_ahead_never_writes_over_an_existing_file(tmp_path):
    source = tmp_path / "ppks_analyst.duckdb"
    source.write_bytes(b"new")
    copy_ahead(source)
    target = tmp_path / "taken"
    target.write_bytes(b"someone else's")
    with pytest.raises(FileExistsError):
        copy_private(source, target)
    assert target.read_bytes() == b"someone else's"
    assert ahead_copies(tmp_path) == []


def test_a_copy_ahead_not_taken_is_removed(tmp_path):
    source = tmp_path / "ppks_analyst.duckdb"
    source.write_bytes(b"x" * 1000)
    (tmp_path / ".ppks_analyst.duckdb.ahead-1").write_bytes(b"a killed process's")
    copy_ahead(source)  # removes the killed process's copy
    forget_ahead(source)
    assert ahead_copies(tmp_path) == []
    copy_private(source, tmp_path / "copy")  # copied now, as if nothing was made ahead
    assert (tmp_path / "copy").read_bytes() == b"x" * 1000
