"""Fixtures of the warehouse tests: see editions.py."""

import shutil

import pytest
from editions import built  # noqa: F401  (the session fixture)


@pytest.fixture
def warehouse(built, tmp_path):  # noqa: F811
    """A copy of the session's warehouse (two nights on the sample inbox), to write."""
    copy = tmp_path / "ppks.duckdb"
    shutil.copyfile(built.warehouse, copy)
    return copy
