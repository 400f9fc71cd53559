"""A warehouse made when files were keyed by name is rekeyed by the next night, rows intact."""

from __future__ import annotations

import shutil

import duckdb
from ppks.flows.nightly import nightly
from workbooks import tksk_rows, write_tksk

from ppks.warehouse.upgrade import primary_key

# ingest_file as the first warehouses made it: keyed by the file name, no path.
OLD_DDL = """
CREATE TABLE ingest_file (
    source_file VARCHAR NOT NULL, source VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    status VARCHAR NOT NULL, reason VARCHAR, reason_code VARCHAR, duplicate_of VARCHAR,
    size_bytes BIGINT, sheets INTEGER, rows_loaded INTEGER, rows_rejected INTEGER,
    bulan_laporan DATE, kode_kecamatan VARCHAR, kode_desa VARCHAR,
    run_id VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source_file, sha256)
)
"""
COLUMNS = (
    "source_file, source, sha256, status, reason, reason_code, duplicate_of, size_bytes, "
    "sheets, rows_loaded, rows_rejected, bulan_laporan, kode_kecamatan, kode_desa, run_id, "
    "ingested_at"
)


def make_old(warehouse) -> list[tuple]:
    """Put ingest_file back in its old shape, with the rows it has; returns them."""
    with duckdb.connect(str(warehouse)) as con:
        rows = con.execute(f"SELECT {COLUMNS} FROM ingest_file ORDER BY 1").fetchall()
        con.execute("DROP TABLE ingest_file")
        con.execute(OLD_DDL)
        con.executemany(f"INSERT INTO ingest_file ({COLUMNS}) VALUES ({'?, ' * 15}?)", rows)
        assert primary_key(con, "ingest_file") == ["source_file", "sha256"]
    return rows


def test_a_night_rekeys_an_old_warehouse_and_the_same_name_in_a_subfolder_no_longer_fails(
    tmp_path,
):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "ppks.duckdb"
    write_tksk(inbox / "tksk" / "w.xlsx", tksk_rows(2), kecamatan="Tosari")
    write_tksk(inbox / "psm" / "y.xlsx", tksk_rows(2))  # a wrong template: rejected
    nightly(inbox=inbox, warehouse=warehouse)
    old_rows = make_old(warehouse)
    assert len(old_rows) == 2
    # The same name and bytes in two subfolders, new tonight: the old key refused the pair.
    first = write_tksk(inbox / "tksk" / "x.xlsx", tksk_rows(3))
    (inbox / "tksk" / "arsip").mkdir()
    shutil.copy(first, inbox / "tksk" / "arsip" / "x.xlsx")
    result = nightly(inbox=inbox, warehouse=warehouse)
    assert (result.counts["files_loaded"], result.counts["files_duplicate"]) == (1, 1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert primary_key(con, "ingest_file") == ["source_path", "sha256"]
        kept = con.execute(
            f"SELECT {COLUMNS} FROM ingest_file WHERE run_id <> ? ORDER BY 1", [result.run_id]
        ).fetchall()
        paths = con.execute("SELECT source_path, status FROM ingest_file ORDER BY 1").fetchall()
    assert kept == old_rows
    assert paths == [
        ("psm/y.xlsx", "rejected"),
        ("tksk/arsip/x.xlsx", "duplicate"),
        ("tksk/w.xlsx", "loaded"),
        ("tksk/x.xlsx", "loaded"),
    ]
