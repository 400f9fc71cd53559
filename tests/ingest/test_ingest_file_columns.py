"""A warehouse made before source_path and rows_below_blank still opens and gains them."""

from __future__ import annotations

import duckdb

from ppks.warehouse import schema

OLD_INGEST_FILE = """
CREATE TABLE ingest_file (
    source_file VARCHAR NOT NULL, source VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    status VARCHAR NOT NULL, reason VARCHAR, reason_code VARCHAR, duplicate_of VARCHAR,
    size_bytes BIGINT, sheets INTEGER, rows_loaded INTEGER, rows_rejected INTEGER,
    bulan_laporan DATE, kode_kecamatan VARCHAR, kode_desa VARCHAR,
    run_id VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source_file, sha256)
);
INSERT INTO ingest_file (source_file, source, sha256, status, run_id, ingested_at)
VALUES ('x.xlsx', 'tksk', 'abc', 'loaded', 'r1', now());
"""


def test_an_older_warehouse_gains_the_new_columns(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute(OLD_INGEST_FILE)
    schema.apply_tables(con)
    schema.apply_tables(con)  # every night applies it again
    row = con.execute("SELECT source_path, rows_below_blank FROM ingest_file").fetchall()
    assert row == [("tksk/x.xlsx", None)]
    con.close()


def test_a_new_warehouse_keys_files_by_their_path(tmp_path):
    con = duckdb.connect(str(tmp_path / "new.duckdb"))
    schema.apply_tables(con)
    (key,) = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = 'ingest_file' AND constraint_type = 'PRIMARY KEY'"
    ).fetchone()
    assert key == ["source_path", "sha256"]
    con.close()
