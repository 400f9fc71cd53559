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


def test_from_the_settings_file_to_the_nights_database(monkeypatch, tmp_path):
    """ppks.toml's memory_limit is the limit of the database the night holds open."""
    import duckdb

    from flows import night
    from ppks.warehouse import build

    monkeypatch.delenv("PPKS_MEMORY_LIMIT", raising=False)
    config = tmp_path / "ppks.toml"
    config.write_text('memory_limit = "750MB"\n')
    monkeypatch.setenv("PPKS_CONFIG", str(config))
    assert memory_limit() == "750MB"
    assert memory_limit(0.5) == "375MB"
    staging = tmp_path / "copy.duckdb"
    with duckdb.connect(str(staging)) as con, duckdb.connect() as expected:
        night._within_the_limit(con, build.temp_directory(staging))
        expected.execute("SET memory_limit = '750MB'")
        setting = "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        limit, spill = con.execute(setting).fetchall()[0]
        assert limit == expected.execute(setting).fetchall()[0][0]
        assert spill == str(tmp_path / "copy.duckdb.tmp")
