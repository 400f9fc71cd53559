"""The analyst edition keeps what it hashed and scrubbed (ppks.warehouse.edition_cache):
reused where still valid, redone where the names or the key changed, and always the
edition a build from scratch gives."""

from __future__ import annotations

import duckdb
from helpers import assert_same_edition, edition_from_scratch

from ppks.warehouse import analyst, scrub

KEY = b"test-key-of-the-edition-cache"
NEW_NAME = "WATI KUSUMAWARDANI"
TEXT = "dirujuk bersama Wati Kusumawardani ke puskesmas"


def build(warehouse, key=KEY):
    """A night's build: it keeps its cache in the warehouse (a private copy here)."""
    built = analyst.build_edition(warehouse, warehouse, key=key, keep_cache=True)
    return analyst.publish_edition(built, warehouse)


def scratch(warehouse, tmp_path, key=KEY):
    return edition_from_scratch(warehouse, tmp_path / "scratch", key)


def execute(warehouse, sql, params=None):
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(sql, params or []).fetchall()


def edition_text(edition, record_id):
    with duckdb.connect(str(edition), read_only=True) as con:
        return con.execute(
            "SELECT program_rujukan FROM source_record WHERE record_id = ?", [record_id]
        ).fetchall()[0][0]


def test_a_name_that_comes_later_is_scrubbed_from_a_text_kept_from_before(warehouse, tmp_path):
    ((record_id,),) = execute(warehouse, "SELECT min(record_id) FROM source_record")
    execute(
        warehouse, "UPDATE source_record SET program_rujukan = ? WHERE record_id = ?",
        [TEXT, record_id],
    )  # fmt: skip
    edition = build(warehouse)
    assert edition_text(edition, record_id) == TEXT  # nobody of that name yet
    assert execute(warehouse, "SELECT count(*) FROM edition_text WHERE text = ?", [TEXT]) == [(1,)]

    # The next night brings a person of that name: the kept scrub of the text is stale.
    ((person,),) = execute(warehouse, "SELECT max(person_id) FROM person")
    ((old_name,),) = execute(warehouse, "SELECT nama FROM person WHERE person_id = ?", [person])
    execute(warehouse, "UPDATE person SET nama = ? WHERE person_id = ?", [NEW_NAME, person])
    edition = build(warehouse)
    assert edition_text(edition, record_id) == "dirujuk bersama [nama] ke puskesmas"
    assert_same_edition(edition, scratch(warehouse, tmp_path))

    # And when the name goes again, so does its mark.
    execute(warehouse, "UPDATE person SET nama = ? WHERE person_id = ?", [old_name, person])
    edition = build(warehouse)
    assert edition_text(edition, record_id) == TEXT
    assert_same_edition(edition, scratch(warehouse, tmp_path))


def test_a_row_s_own_name_word_is_scrubbed_when_the_person_gains_it(warehouse, tmp_path):
    record_id, person = execute(
        warehouse,
        "SELECT record_id, person_id FROM source_record WHERE person_id IN "
        "(SELECT person_id FROM source_record GROUP BY ALL HAVING count(*) > 1) "
        "ORDER BY record_id LIMIT 1",
    )[0]
    execute(
        warehouse, "UPDATE source_record SET program_rujukan = ? WHERE record_id = ?",
        ["Bu Kusumawardani datang", record_id],
    )  # fmt: skip
    assert edition_text(build(warehouse), record_id) == "Bu Kusumawardani datang"
    # Another row of the same person carries the name: a word of it is hers in every row.
    execute(
        warehouse,
        "UPDATE source_record SET nama_inti = ? WHERE record_id = "
        "(SELECT max(record_id) FROM source_record WHERE person_id = ?)",
        ["Kusumawardani", person],
    )
    edition = build(warehouse)
    assert edition_text(edition, record_id) == "Bu [nama] datang"
    assert_same_edition(edition, scratch(warehouse, tmp_path))


def test_what_is_kept_is_reused_and_the_cache_follows_the_warehouse(warehouse, tmp_path):
    build(warehouse)
    counts = {
        t: execute(warehouse, f"SELECT count(*) FROM {t}")[0][0]
        for t in ("edition_token", "edition_name", "edition_text")
    }
    assert min(counts.values()) > 100
    # A kept scrub is read back, not redone (the only way to see that it is used).
    ((text,),) = execute(warehouse, "SELECT min(id_layanan) FROM source_record")
    execute(warehouse, "UPDATE edition_text SET scrubbed = 'kept' WHERE text = ?", [text])
    edition = build(warehouse)
    with duckdb.connect(str(edition), read_only=True) as con:
        assert con.execute(
            "SELECT DISTINCT id_layanan FROM source_record WHERE id_layanan = 'kept'"
        ).fetchall() == [("kept",)]
    # Rows that leave the warehouse leave the cache: no NIK, name or text lingers there.
    execute(warehouse, "UPDATE edition_text SET scrubbed = ? WHERE text = ?", [text, text])
    nik, name = execute(
        warehouse, "SELECT nik, nama FROM source_record WHERE id_layanan = ? LIMIT 1", [text]
    )[0]
    execute(warehouse, "DELETE FROM source_record WHERE id_layanan = ?", [text])
    execute(warehouse, "DELETE FROM service_event WHERE id_layanan = ?", [text])
    edition = build(warehouse)
    assert_same_edition(edition, scratch(warehouse, tmp_path))
    assert execute(warehouse, "SELECT count(*) FROM edition_text WHERE text = ?", [text]) == [(0,)]
    held = sum(
        execute(warehouse, f"SELECT count(*) FROM {table} WHERE nik = ?", [nik])[0][0]
        for table in ("source_record", "person")
    )
    kept = execute(warehouse, "SELECT count(*) FROM edition_token WHERE value = ?", [nik])[0][0]
    assert bool(held) == bool(kept)
    held = (
        execute(
            warehouse,
            "SELECT count(*) FROM source_record WHERE ? IN (nama, nama_inti, nasab, nama_raw)",
            [name],
        )[0][0]
        + execute(warehouse, "SELECT count(*) FROM person WHERE nama = ?", [name])[0][0]
    )
    kept = execute(warehouse, "SELECT count(*) FROM edition_name WHERE name = ?", [name])[0][0]
    assert bool(held) == bool(kept)


def test_a_new_key_makes_every_token_again(warehouse, tmp_path):
    first = build(warehouse)
    with duckdb.connect(str(first), read_only=True) as con:
        before = con.execute(
            "SELECT person_id, nik_token FROM person WHERE nik_token IS NOT NULL ORDER BY ALL"
        ).fetchall()
    other = b"another key"
    edition = build(warehouse, key=other)
    assert_same_edition(edition, scratch(warehouse, tmp_path, key=other))
    with duckdb.connect(str(edition), read_only=True) as con:
        after = con.execute(
            "SELECT person_id, nik_token FROM person WHERE nik_token IS NOT NULL ORDER BY ALL"
        ).fetchall()
        nik_of = dict(
            query_pairs(warehouse, "SELECT person_id, nik FROM person WHERE nik IS NOT NULL")
        )
    assert set(before).isdisjoint(after)
    for person_id, nik_token in after:
        if person_id in nik_of:
            assert nik_token == analyst.token(other, "nik", nik_of[person_id])
    keys = execute(warehouse, "SELECT count(DISTINCT key_check) FROM edition_token")
    assert keys == [(1,)]


def query_pairs(warehouse, sql):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_an_edition_of_a_warehouse_made_before_the_cache_is_the_same(warehouse, tmp_path):
    """`ppks edition` on an older warehouse, read-only: no cache to read, none written."""
    with duckdb.connect(str(warehouse)) as con:
        for table in ("edition_token", "edition_name", "edition_text"):
            con.execute(f"DROP TABLE {table}")
    (tmp_path / "old").mkdir()
    edition = analyst.build_edition(warehouse, tmp_path / "old" / "ppks.duckdb", key=KEY)
    tables = {t for (t,) in query_pairs(warehouse, "SELECT table_name FROM duckdb_tables()")}
    assert "edition_text" not in tables
    with duckdb.connect(str(edition), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM source_record").fetchall()[0][0] > 0


def test_what_other_rules_or_another_hashing_kept_is_made_again(warehouse, tmp_path):
    """An upgrade that changes the scrubber or the hashing never reuses what an older
    version kept (its rows carry another fingerprint)."""
    build(warehouse)
    execute(warehouse, "UPDATE edition_text SET scrubbed = 'stale', rules = 'older'")
    execute(warehouse, "UPDATE edition_name SET tokens = [], rules = 'older'")
    execute(warehouse, "UPDATE edition_token SET token = 'stale', key_check = 'older'")
    edition = build(warehouse)
    assert_same_edition(edition, scratch(warehouse, tmp_path))
    for table in ("edition_text", "edition_name"):
        assert execute(warehouse, f"SELECT DISTINCT rules FROM {table}") == [(scrub.rules(),)]
    assert execute(warehouse, "SELECT count(*) FROM edition_token WHERE token = 'stale'") == [(0,)]
