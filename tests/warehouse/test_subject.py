"""Subject access: every row held about a person, with its lineage."""

from __future__ import annotations

import duckdb
import openpyxl
from editions import query

from ppks.cli import main
from ppks.warehouse.subject import find_subject


def test_by_nik_finds_every_row_of_the_person(built):
    rows = query(
        built.warehouse,
        "SELECT person_id, nik FROM person WHERE nik IS NOT NULL ORDER BY records DESC, person_id",
    )
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        for person_id, nik in rows[:15]:
            report = find_subject(con, nik=nik)
            want = {
                r
                for (r,) in con.execute(
                    "SELECT record_id FROM source_record WHERE person_id = ?", [person_id]
                ).fetchall()
            }
            got = {r["record_id"] for r in report.records}
            assert want <= got, person_id
            assert person_id in {p["person_id"] for p in report.persons}
            for r in report.records:
                assert r["source_file"] and r["run_id"] and r["row_number"] and r["matched_by"]
                assert r["original_cells"], "the original cells under their headers"


def test_by_name_and_birth_date(built):
    (person_id, nama, lahir) = query(
        built.warehouse,
        "SELECT person_id, nama, tanggal_lahir FROM person WHERE tanggal_lahir IS NOT NULL "
        "ORDER BY records DESC, person_id LIMIT 1",
    )[0]
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        report = find_subject(con, nama=nama.lower(), tanggal_lahir=lahir)
    assert person_id in {p["person_id"] for p in report.persons}


def test_rejected_rows_with_the_nik_are_found(built):
    nik_raw = query(
        built.warehouse,
        "SELECT nik_raw FROM rejected_row WHERE regexp_full_match(nik_raw, '\\d{16}') LIMIT 1",
    )[0][0]
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        report = find_subject(con, nik=nik_raw)
    assert report.rejected and report.rejected[0]["raw_json"]


def test_cli_prints_and_exports_a_workbook(built, tmp_path, capsys):
    nik = query(built.warehouse, "SELECT nik FROM person WHERE nik IS NOT NULL LIMIT 1")[0][0]
    out = tmp_path / "sar.xlsx"
    code = main(
        ["subject", "--nik", nik, "--warehouse", str(built.warehouse), "--export", str(out)]
    )
    assert code == 0
    assert "Loaded rows" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    assert {"permintaan", "person", "rows_loaded", "rows_rejected"} <= set(book.sheetnames)
    assert book["rows_loaded"].max_row >= 2
