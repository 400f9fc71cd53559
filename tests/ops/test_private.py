"""Private copies: the warehouse's copy is created 0600 and never over an existing file,
and the kernel's copy (copy_file_range) gives the same bytes as the file."""

from __future__ import annotations

import os
import stat

import pytest

from ppks.ops.private import copy_private


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
