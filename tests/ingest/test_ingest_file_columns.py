"""A warehouse made before source_path and rows_below_blank opens, gains them, is rekeyed."""

from __future__ import annotations

import duckdb

from ppks.warehouse import schema
from ppks.warehouse.upgrade import primary_key, upgrade_ingest_file_key

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
VALUES ('x.xlsx', 'tksk', 'abc', 'loaded', 'r1', now()),
       ('y.csv', 'slrt', 'def', 'rejected', 'r1', now());
"""


def test_an_older_warehouse_gains_the_new_columns(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute(OLD_INGEST_FILE)
    schema.apply_tables(con)
    schema.apply_tables(con)  # every night applies it again
    row = con.execute("SELECT source_path, rows_below_blank FROM ingest_file").fetchall()
    assert row == [("tksk/x.xlsx", None), ("slrt/y.csv", None)]
    con.close()


def test_an_older_warehouse_is_rekeyed_by_path_without_losing_a_row(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute(OLD_INGEST_FILE)
    schema.apply_tables(con)  # as every night does first
    before = con.execute("SELECT * EXCLUDE (source_path) FROM ingest_file ORDER BY 1").fetchall()
    assert upgrade_ingest_file_key(con) == 2
    assert primary_key(con, "ingest_file") == ["source_path", "sha256"]
    after = con.execute("SELECT * EXCLUDE (source_path) FROM ingest_file ORDER BY 1").fetchall()
    assert after == before
    # The same name and bytes in a subfolder, which the old key refused.
    con.execute(
        "INSERT INTO ingest_file (source_file, source_path, source, sha256, status, run_id, "
        "ingested_at) VALUES ('x.xlsx', 'tksk/arsip/x.xlsx', 'tksk', 'abc', 'duplicate', 'r2', "
        "now())"
    )
    assert upgrade_ingest_file_key(con) is None  # once only
    (comment,) = con.execute(
        "SELECT comment FROM duckdb_columns() "
        "WHERE table_name = 'ingest_file' AND column_name = 'source_path'"
    ).fetchall()[0]
    assert comment.startswith("Path of the file")
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables >= {"ingest_file"} and not any(t.startswith("ingest_file_") for t in tables)
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
