"""The night's one DuckDB memory limit, shared while linkage runs."""

import pytest

from ppks.link import LINKAGE_SHARE, memory_limit


def test_default_and_shares_add_up(monkeypatch):
    monkeypatch.delenv("PPKS_MEMORY_LIMIT", raising=False)
    assert memory_limit() == "3GB"
    linkage, warehouse = memory_limit(LINKAGE_SHARE), memory_limit(1 - LINKAGE_SHARE)
    assert linkage.endswith("MB") and warehouse.endswith("MB")
    assert int(linkage[:-2]) + int(warehouse[:-2]) <= 3000


@pytest.mark.parametrize(
    ("setting", "half"), [("4GB", "2000MB"), ("4GiB", "2147MB"), ("800 mb", "400MB")]
)
def test_units_duckdb_reads(monkeypatch, setting, half):
    monkeypatch.setenv("PPKS_MEMORY_LIMIT", setting)
    assert memory_limit() == setting
    assert memory_limit(0.5) == half


def test_a_size_duckdb_cannot_read_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PPKS_MEMORY_LIMIT", "lots")
    with pytest.raises(ValueError, match="PPKS_MEMORY_LIMIT"):
        memory_limit(0.5)
