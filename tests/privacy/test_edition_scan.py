"""The analyst edition holds no NIK, KK or full name of the full warehouse, in any column.

The inbox has identifiers typed into every free-text field, a file name and a
sheet name (see conftest.py); the test reads every cell of every table of the
edition and looks for every identifier the full warehouse holds.
"""

from __future__ import annotations

import re

import duckdb

from ppks.warehouse import analyst

DIGITS = re.compile(r"\d(?:[ .\-/]{0,2}\d)*")
WORD = re.compile(r"[^\W\d_]+")
MAX_WORDS = 8


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.upper()))


def identifiers(warehouse) -> tuple[set[str], set[tuple[str, ...]]]:
    """Every NIK/KK (12+ digits) and every full name the full warehouse holds."""
    numbers: set[str] = set()
    names: set[tuple[str, ...]] = set()
    queries = {
        "numbers": [
            "SELECT nik FROM source_record", "SELECT kk FROM source_record",
            "SELECT nik_raw FROM source_record", "SELECT kk_raw FROM source_record",
            "SELECT nik FROM person", "SELECT kk FROM person",
            "SELECT nik_raw FROM rejected_row", "SELECT kk_raw FROM rejected_row",
        ],
        "names": [
            "SELECT nama FROM source_record", "SELECT nama_raw FROM source_record",
            "SELECT nama FROM person", "SELECT nama_raw FROM rejected_row",
        ],
    }  # fmt: skip
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for sql in queries["numbers"]:
            for (value,) in con.execute(sql).fetchall():
                digits = re.sub(r"\D", "", value or "")
                if len(digits) >= 12:
                    numbers.add(digits)
        for sql in queries["names"]:
            for (value,) in con.execute(sql).fetchall():
                words = _words(value or "")
                if 0 < len(words) <= MAX_WORDS and sum(map(len, words)) >= 5:
                    names.add(words)
    return numbers, names


def cells(edition):
    """(table, column, text) of every non-null cell of the edition.

    Except the reference tables (analyst.AS_IS): public data shipped with the code,
    never from the inbox; a desa may be called what a person is called ('Galih').
    """
    with duckdb.connect(str(edition), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'"
        ).fetchall()
        for table, column in columns:
            if table in analyst.AS_IS:
                continue
            rows = con.execute(
                f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}" '
                f'WHERE "{column}" IS NOT NULL'
            ).fetchall()
            for (text,) in rows:
                yield table, column, text


def leaks(edition, numbers, names) -> list[tuple[str, str, str]]:
    found = []
    for table, column, text in cells(edition):
        runs = [re.sub(r"\D", "", m.group()) for m in DIGITS.finditer(text)]
        if any(n in run for run in runs for n in numbers):
            found.append((table, column, text))
            continue
        words = _words(text)
        grams = {words[i : i + n] for i in range(len(words)) for n in range(1, MAX_WORDS + 1)}
        if grams & names:
            found.append((table, column, text))
    return found


def test_every_identifier_typed_into_free_text_is_in_the_full_warehouse(
    leaky_warehouse, leaky_inbox
):
    with duckdb.connect(str(leaky_warehouse), read_only=True) as con:
        texts = con.execute(
            "SELECT jenis_keluhan, program_rujukan, status_rujukan FROM source_record "
            "WHERE id_layanan LIKE 'SLRT-9999-%'"
        ).fetchall()
        bentuk = con.execute(
            "SELECT bentuk_penanganan, sheet, source_file FROM source_record "
            "WHERE bentuk_penanganan LIKE 'Usulan DTKS 3%'"
        ).fetchall()
    assert len(texts) == len(leaky_inbox.persons)
    assert any(p["nik"][:4] in t[0] for p in leaky_inbox.persons for t in texts)
    assert len(bentuk) == 1


def test_the_analyst_edition_holds_no_identifier_of_the_full_warehouse(leaky_warehouse):
    numbers, names = identifiers(leaky_warehouse)
    assert len(numbers) > 100 and len(names) > 100
    found = leaks(analyst.analyst_path(leaky_warehouse), numbers, names)
    assert not found, found[:20]


def test_free_text_is_kept_with_marks_where_identifiers_were(leaky_warehouse):
    edition = analyst.analyst_path(leaky_warehouse)
    with duckdb.connect(str(edition), read_only=True) as con:
        rows = con.execute(
            "SELECT jenis_keluhan, program_rujukan, status_rujukan FROM service_event "
            "WHERE id_layanan LIKE 'SLRT-9999-%' ORDER BY id_layanan"
        ).fetchall()
        files = con.execute(
            "SELECT DISTINCT source_file FROM ingest_file WHERE source_file LIKE 'rujukan%'"
        ).fetchall()
        comment = con.execute(
            "SELECT comment FROM duckdb_columns() "
            "WHERE table_name = 'service_event' AND column_name = 'jenis_keluhan'"
        ).fetchone()[0]
    assert rows
    keluhan, program, status = rows[0]
    assert keluhan == "NIK [nomor] a.n. [nama] tidak mampu berobat", keluhan
    assert program.startswith("PKH (KK [nomor]) bersama [nama]"), program
    assert status == "Diproses, hubungi Bu [nama] [nomor]", status
    assert files == [("rujukan [nama] [nomor].csv",)]
    assert "scrubbed" in comment
