"""A corrected SLRT resend replaces the rows it corrects: no phantom person, nothing lost."""

from __future__ import annotations

import os

import duckdb
import pytest
from ppks.flows.nightly import nightly

from ppks.warehouse.subject import find_subject, format_report

COLUMNS = (
    "id_layanan;tanggal_layanan;nik;no_kk;nama;jenis_kelamin;tanggal_lahir;alamat;"
    "kode_wilayah;nama_desa;jenis_keluhan;kategori_ppks;program_rujukan;status_rujukan;petugas"
)
DESA = "3514132012;SUKOREJO"
# nik;no_kk;nama;jenis_kelamin;tanggal_lahir;alamat
RIGHT = "3514130302240017;3514131212120003;DIMAS MAULANA;1;2024-02-03;DSN KRAJAN RT 001"
# The operator first typed a neighbour's NIK and a wrong name for the same visit.
WRONG = "3514136511700002;3514130101010009;SITI AMINAH;2;1970-11-25;DSN KRAJAN RT 001"
OTHER = "3514134406900004;3514131212120003;SRI WAHYUNI;2;1990-06-04;DSN KRAJAN RT 001"


def export(path, rows: list[tuple[str, str, str]]) -> None:
    """An SLRT CSV export: (id_layanan, identity columns, status) per row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [COLUMNS]
    for id_layanan, who, status in rows:
        day = f"2026-08-0{len(lines)}"
        lines.append(
            f"{id_layanan};{day};{who};{DESA};Tidak mampu berobat;PPKS-07;PKH;{status};BUDI"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


FIRST = [("SLRT-3514-000001", OTHER, "Diajukan"), ("SLRT-3514-000002", WRONG, "Diajukan")]
CORRECTED = [("SLRT-3514-000001", OTHER, "Selesai"), ("SLRT-3514-000002", RIGHT, "Diproses")]


def facts(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        persons = con.execute(
            "SELECT id_layanan, person_id, nama FROM source_record ORDER BY id_layanan, record_id"
        ).fetchall()
        history = con.execute(
            "SELECT id_layanan, nama, source_file, superseded_by, superseded_reason, "
            "superseded_by_record_id FROM source_record_history"
        ).fetchall()
        events = con.execute(
            "SELECT id_layanan, status_rujukan, exports FROM service_event ORDER BY 1"
        ).fetchall()
        counts = con.execute("SELECT counts_json FROM run_log ORDER BY started_at").fetchall()
    return persons, history, events, counts


def check(persons, history, events):
    assert len({p for _, p, _ in persons}) == 2, "one person per visitor, no phantom"
    assert [n for i, _, n in persons if i == "SLRT-3514-000002"] == ["DIMAS MAULANA"]
    # The plain re-export of the first visit stays loaded twice, as one event.
    assert [n for i, _, n in persons if i == "SLRT-3514-000001"] == ["SRI WAHYUNI"] * 2
    [(id_layanan, nama, source_file, by, reason, by_record)] = history
    assert (id_layanan, nama, source_file, by) == (
        "SLRT-3514-000002",
        "SITI AMINAH",
        "export_agustus.csv",
        "export_agustus_revisi.csv",
    )
    assert "id_layanan SLRT-3514-000002" in reason and "nama, nik, kk" in reason
    assert by_record is not None
    assert events == [("SLRT-3514-000001", "Selesai", 2), ("SLRT-3514-000002", "Diproses", 1)]


@pytest.mark.parametrize("nights", [1, 2], ids=["same-night", "next-night"])
def test_a_corrected_resend_replaces_the_wrong_row_and_makes_no_phantom(tmp_path, nights):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "ppks.duckdb"
    export(inbox / "slrt" / "export_agustus.csv", FIRST)
    if nights == 2:
        nightly(inbox=inbox, warehouse=warehouse)
        persons, *_ = facts(warehouse)
        assert len({p for _, p, _ in persons}) == 2  # the wrong row is a person for now
    corrected = inbox / "slrt" / "export_agustus_revisi.csv"
    export(corrected, CORRECTED)
    later = os.stat(inbox / "slrt" / "export_agustus.csv").st_mtime + 60
    os.utime(corrected, (later, later))
    result = nightly(inbox=inbox, warehouse=warehouse)
    persons, history, events, counts = facts(warehouse)
    check(persons, history, events)
    assert '"rows_superseded": 1' in counts[-1][0]
    assert result.counts["files_loaded"] == 2 // nights
    # The wrong NIK is still held (in history): a subject access request shows it.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        report = find_subject(con, nik=WRONG.split(";")[0])
    assert not report.records and [r["nama"] for r in report.replaced] == ["SITI AMINAH"]
    assert report.replaced[0]["matched_by"] == "NIK"
    assert "Replaced rows (kept in history)" in format_report(report)


def test_an_old_export_sent_late_does_not_undo_the_correction(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "ppks.duckdb"
    export(inbox / "slrt" / "export_agustus.csv", FIRST)
    nightly(inbox=inbox, warehouse=warehouse)
    export(inbox / "slrt" / "export_agustus_revisi.csv", CORRECTED)
    nightly(inbox=inbox, warehouse=warehouse)
    # A third export taken before the fix (other bytes: one more visit) arrives last.
    late = [*FIRST, ("SLRT-3514-000003", OTHER, "Diajukan")]
    export(inbox / "slrt" / "export_agustus_lama.csv", late)
    nightly(inbox=inbox, warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute(
            "SELECT nama FROM source_record WHERE id_layanan = 'SLRT-3514-000002'"
        ).fetchall()
        replaced = con.execute(
            "SELECT source_file FROM source_record_history ORDER BY superseded_at"
        ).fetchall()
    assert names == [("DIMAS MAULANA",)]
    assert replaced == [("export_agustus.csv",), ("export_agustus_lama.csv",)]
