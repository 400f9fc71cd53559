"""The analyst edition: no direct identifiers, stable tokens, the same marts, atomic."""

from __future__ import annotations

import functools
import os
import re
import stat

import duckdb
import polars as pl
import pytest
from editions import query, tokens

from ppks.cli import main
from ppks.warehouse import analyst

SIXTEEN_DIGITS = re.compile(r"\d{16}")


@functools.cache
def all_cells(path) -> list[tuple[str, str, str]]:
    """(table, column, text) of every distinct non-null cell of every table, as text."""
    out = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
        for table, col in columns:
            sql = (
                f'SELECT DISTINCT CAST("{col}" AS VARCHAR) FROM "{table}" WHERE "{col}" IS NOT NULL'
            )
            out += [(table, col, text) for (text,) in con.execute(sql).fetchall()]
    return out


def source_names(built) -> set[str]:
    names = set()
    for sql in (
        "SELECT nama FROM source_record UNION SELECT nama_raw FROM source_record "
        "UNION SELECT nama_raw FROM rejected_row UNION SELECT nama FROM person "
        "UNION SELECT nama_psm FROM source_record UNION SELECT petugas FROM source_record",
    ):
        names |= {n.strip().upper() for (n,) in query(built.warehouse, sql) if n and n.strip()}
    places = {n.upper() for (n,) in query(built.warehouse, "SELECT nama FROM region")}
    # a person called like a village (SUGENG, SLAMET) is not a leak of the region table
    return {n for n in names if len(n) >= 4 and re.search(r"[A-Z]", n) and n not in places}


def test_full_warehouse_has_identifiers_and_is_restricted(built):
    assert stat.S_IMODE(os.stat(built.warehouse).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(built.key_file).st_mode) == 0o600
    assert query(built.warehouse, "SELECT count(nik) FROM person")[0][0] > 0


def test_analyst_edition_has_no_sixteen_digit_number(built):
    hits = [(t, c, v[:40]) for t, c, v in all_cells(built.edition) if SIXTEEN_DIGITS.search(v)]
    assert hits == []
    # and the full warehouse does have them, so the check can fail
    assert any(SIXTEEN_DIGITS.search(v) for _, _, v in all_cells(built.warehouse))


def test_analyst_edition_has_no_name_from_the_source_rows(built):
    names = source_names(built)
    assert len(names) > 100
    words = re.compile(r"[A-Z']+(?:[ .,]+[A-Z']+)*")
    hits = []
    for table, col, text in all_cells(built.edition):
        upper = text.upper()
        # Tokens and ids are hashes: their letters can spell a short name by chance (a
        # kk_token held 'RANI' once, a person_id's hex can hold 'ADE'); one that leaks
        # a name holds the whole name.
        hashed = col.endswith(("_token", "_id", "_ids"))
        for phrase in [upper, *([] if hashed else words.findall(upper))]:
            if phrase in names:
                hits.append((table, col, phrase))
    # a multi-word name anywhere inside a cell is a leak too
    long_names = [n for n in names if " " in n]
    for table, col, text in all_cells(built.edition):
        hits += [(table, col, n) for n in long_names if n in text.upper()]
    assert hits == []


def test_no_birth_date_or_address_column(built):
    cols = {
        (t, c)
        for t, c in query(built.edition, "SELECT table_name, column_name FROM duckdb_columns()")
    }
    people = {"person", "source_record", "rejected_row", "household", "household_member"}
    forbidden = {"tanggal_lahir", "alamat", "nik", "kk", "nama", "names", "rt", "rw", "raw_json"}
    forbidden |= {"nama_raw", "nik_raw", "kk_raw", "raw_values", "petugas", "nama_psm"}
    assert [tc for tc in cols if tc[0] in people | {"service_event"} and tc[1] in forbidden] == []
    assert ("person", "tahun_lahir") in cols and ("person", "kode_desa") in cols
    assert ("person", "nik_token") in cols and ("household_member", "kk_token") in cols


def test_tokens_are_stable_across_runs_and_keyed(built):
    assert tokens(built.edition) == built.first_tokens
    assert built.key_file.read_text() == built.first_key
    person_tokens = [t for _, t, _ in built.first_tokens["person"] if t]
    assert len(person_tokens) > 100
    # the same NIK gives the same token: a keyed hash of the full warehouse's NIK
    key = analyst.load_key(built.warehouse)
    nik_of = dict(query(built.warehouse, "SELECT person_id, nik FROM person"))
    for person_id, token, _ in built.first_tokens["person"]:
        if nik_of[person_id]:
            assert token == analyst.token(key, "nik", nik_of[person_id])
    assert analyst.token(b"another key", "nik", "3514134105100000") != analyst.token(
        key, "nik", "3514134105100000"
    )


def test_marts_are_identical_in_both_editions(built):
    marts = [
        t
        for (t,) in query(
            built.warehouse, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'mart_%'"
        )
    ]
    assert len(marts) == 5
    for mart in marts:
        full = query(built.warehouse, f"SELECT * FROM {mart} ORDER BY ALL")
        ed = query(built.edition, f"SELECT * FROM {mart} ORDER BY ALL")
        assert full == ed and full, mart


def test_edition_says_what_it_is(built):
    ((edition, version, left_out),) = query(
        built.edition, "SELECT edition, storage_version, left_out FROM edition_info"
    )
    assert edition == "analyst" and version.startswith("v1.")
    assert "source_record.nama" in left_out and "review_queue" in left_out


def test_a_failed_build_changes_no_file(built, tmp_path):
    before = built.edition.read_bytes()
    with pytest.raises(FileNotFoundError):
        analyst.publish_analyst_edition(tmp_path / "missing.duckdb", built.warehouse)
    assert built.edition.read_bytes() == before
    assert not list(built.edition.parent.glob(".*.building*"))


def test_key_from_environment_and_named_file(built, tmp_path, monkeypatch):
    monkeypatch.delenv(analyst.KEY_ENV, raising=False)
    named = tmp_path / "office.key"
    monkeypatch.setenv(analyst.KEY_FILE_ENV, str(named))
    with pytest.raises(analyst.SecretKeyError):
        analyst.load_key(tmp_path / "w.duckdb")  # a named key file is never invented
    named.write_text("file-secret\n")
    assert analyst.load_key(tmp_path / "w.duckdb") == b"file-secret"
    monkeypatch.setenv(analyst.KEY_ENV, "env-secret")
    assert analyst.load_key(tmp_path / "w.duckdb") == b"env-secret"


def test_export_parquet_writes_the_analyst_tables(built, tmp_path):
    assert (
        main(["export", "--parquet", str(tmp_path / "pq"), "--warehouse", str(built.warehouse)])
        == 0
    )
    files = {p.stem for p in (tmp_path / "pq").glob("*.parquet")}
    assert {"person", "mart_ppks_region", "source_record"} <= files
    person = pl.read_parquet(tmp_path / "pq" / "person.parquet")
    assert "nik_token" in person.columns and "nik" not in person.columns
    mart = pl.read_parquet(tmp_path / "pq" / "mart_ppks_region.parquet")
    assert mart.height == query(built.edition, "SELECT count(*) FROM mart_ppks_region")[0][0]


def test_the_edition_runs_under_the_nights_memory_limit(built, monkeypatch):
    """The memory setting reaches the edition's own DuckDB (whose default is 80% of the
    machine): too small a limit fails the build, and nothing is left behind."""
    before = built.edition.read_bytes()
    monkeypatch.setenv("PPKS_MEMORY_LIMIT", "1MB")
    with pytest.raises(duckdb.OutOfMemoryException):
        analyst.publish_analyst_edition(built.warehouse, built.warehouse)
    assert built.edition.read_bytes() == before
    assert not list(built.edition.parent.glob(".*.building*"))
    monkeypatch.setenv("PPKS_MEMORY_LIMIT", "200MB")
    analyst.publish_analyst_edition(built.warehouse, built.warehouse)
    assert not list(built.edition.parent.glob(".*.building*"))
