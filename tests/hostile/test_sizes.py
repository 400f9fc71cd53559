"""Files too big in one way or another: each gets a status, every row is accounted for."""

from __future__ import annotations

import time

from helpers import write_xlsx
from ingest.test_readers import PSM_HEADER, psm_row
from workbooks import inflated, item, tksk_rows, write_tksk

from ppks.ingest.isolate import Limits, read_batches
from ppks.pipeline import process_batch

SLRT_HEADER = "id_layanan;tanggal_layanan;nik;nama;kode_wilayah;kategori_ppks"


def test_a_workbook_of_200_sheets_accounts_for_every_row(tmp_path):
    sheets = {
        f"Desa {k}": [PSM_HEADER, psm_row(1, f"WARGA {k}"), psm_row(2, "")] for k in range(200)
    }
    path = write_xlsx(tmp_path / "psm" / "banyak.xlsx", sheets)
    result = process_batch([item(path, "psm")])
    [o] = result.outcomes
    assert (o.status, o.sheets) == ("loaded", 200)
    assert o.rows_loaded + o.rows_rejected == 400


def test_a_csv_of_100000_rows_loads_or_rejects_every_one(tmp_path):
    lines = [SLRT_HEADER]
    for k in range(100_000):
        nama = "" if k % 10 == 0 else f"WARGA {k}"
        lines.append(f"SLRT-3514-{k:06d};2026-08-01;3514130302240017;{nama};3514132012;PPKS-07")
    path = tmp_path / "slrt" / "besar.csv"
    path.parent.mkdir()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    [o] = process_batch([item(path, "slrt")]).outcomes
    assert o.status == "loaded"
    assert (o.rows_loaded, o.rows_rejected) == (90_000, 10_000)
    assert time.monotonic() - started < 300


def test_a_workbook_that_unzips_a_thousand_times_larger_costs_only_itself(tmp_path):
    bomb = inflated(write_tksk(tmp_path / "bom.xlsx", tksk_rows(3)), 200)
    assert bomb.stat().st_size < 1 << 20
    good = write_tksk(tmp_path / "baik.xlsx", tksk_rows(4), kecamatan="Tosari")
    limits = Limits(memory_bytes=1 << 30, file_seconds=120)
    results = read_batches([[item(bomb), item(good)]], limits=limits)
    got = {o.item.name: (o.status, o.rows_loaded) for r in results for o in r.outcomes}
    # The reader holds the whole sheet part: 200 MB of padding exhausts a 1 GB reader.
    assert got == {"bom.xlsx": ("rejected", 0), "baik.xlsx": ("loaded", 4)}
    [bom] = [o for r in results for o in r.outcomes if o.item.name == "bom.xlsx"]
    assert bom.reason_code == "reader_crashed"
