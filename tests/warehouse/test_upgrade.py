"""An older warehouse's person_link loses its primary key, once, without losing a pair."""

from __future__ import annotations

import duckdb

from ppks.warehouse import schema
from ppks.warehouse.upgrade import primary_key, upgrade_person_link_key

OLD_PERSON_LINK = """
CREATE TABLE person_link (
    run_id VARCHAR NOT NULL, record_id_l BIGINT NOT NULL, record_id_r BIGINT NOT NULL,
    person_id_l VARCHAR, person_id_r VARCHAR, match_weight DOUBLE, match_probability DOUBLE,
    status VARCHAR NOT NULL, conflict VARCHAR, blocking_rule VARCHAR,
    agreement MAP(VARCHAR, VARCHAR), weights MAP(VARCHAR, DOUBLE),
    PRIMARY KEY (record_id_l, record_id_r)
);
INSERT INTO person_link VALUES
    ('r1', 1, 2, 'P1', 'P1', 9.5, 0.99, 'linked', NULL, '1',
     MAP {'nik': 'exact'}, MAP {'nik': 8.0}),
    ('r1', 1, 3, 'P1', 'P2', -1.0, 0.3, 'conflict', 'name', '2', NULL, NULL);
"""


def test_an_older_person_link_loses_its_key_and_keeps_every_pair(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute(OLD_PERSON_LINK)
    schema.apply_tables(con)  # as every night does first
    before = con.execute("SELECT * FROM person_link ORDER BY ALL").fetchall()
    assert primary_key(con, "person_link") == ["record_id_l", "record_id_r"]
    assert upgrade_person_link_key(con) == 2
    assert primary_key(con, "person_link") is None
    assert con.execute("SELECT * FROM person_link ORDER BY ALL").fetchall() == before
    assert upgrade_person_link_key(con) is None  # once
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'person_link'"
    ).fetchall()[0][0]
    assert "One row per pair" in comment
    con.close()
