"""The scrubber on its own: what counts as a NIK/KK-like number and as a known name."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from ppks.warehouse import analyst
from ppks.warehouse.scrub import INTERNAL_REASON, Scrubber


@pytest.fixture
def scrubber() -> Scrubber:
    return Scrubber(
        ["SITI AMINAH BINTI KASIM", "SITI AMINAH", "KASIM", "M. ALI", "AN"],
        {7: ["SITI AMINAH BINTI KASIM", "SITI AMINAH", "KASIM"]},
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NIK 3515010101010001", "NIK [nomor]"),
        ("kk 3515 0101 0101 0001.", "kk [nomor]."),
        ("35.15.01.010101.0001 ok", "[nomor] ok"),
        ("3515-0101-0101-0001", "[nomor]"),
        ("telp 081234567890", "telp [nomor]"),  # 12 digits: personal too
        ("SLRT-3514-000001", "SLRT-3514-000001"),  # an event id stays
        ("tanggal 01.02.2026, 3 kali", "tanggal 01.02.2026, 3 kali"),
        ("dirujuk bersama Siti Aminah", "dirujuk bersama [nama]"),
        ("an. m. ali", "an. [nama]"),
        ("Tidak mampu berobat", "Tidak mampu berobat"),
        ("an AN", "an AN"),  # a two-letter name is too short to be sure of
    ],
)
def test_text(scrubber, text, expected):
    assert scrubber.text(text) == expected


def test_row_text_also_takes_out_single_names_of_the_row_s_person(scrubber):
    assert scrubber.row_text("Bu Siti datang", 7) == "Bu [nama] datang"
    assert scrubber.row_text("Bu Siti datang", 8) == "Bu Siti datang"  # another person's row
    assert scrubber.row_text(None, 7) is None


def test_an_internal_error_reason_is_one_plain_sentence_in_the_edition(leaky_warehouse, tmp_path):
    warehouse = tmp_path / "ppks.duckdb"
    shutil.copyfile(leaky_warehouse, warehouse)
    dump = 'internal error while reading (SchemaErrors: {"DATA": {"x": [{"failure_cases": ["3515'
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "UPDATE ingest_file SET status = 'rejected', reason_code = 'internal', reason = ? "
            "WHERE source_file = (SELECT min(source_file) FROM ingest_file)",
            [dump],
        )
    edition = analyst.publish_analyst_edition(warehouse, warehouse)
    with duckdb.connect(str(edition), read_only=True) as con:
        reasons = con.execute(
            "SELECT DISTINCT reason FROM ingest_file WHERE reason_code = 'internal'"
        ).fetchall()
    assert reasons == [(INTERNAL_REASON,)]
