"""Privacy fixtures: a generated inbox with identifiers typed where they do not belong."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import write_xlsx

from ppks.warehouse import analyst
from ppks_generator import generate_inbox

SLRT_HEADER = [
    "id_layanan", "tanggal_layanan", "nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir",
    "alamat", "kode_wilayah", "nama_desa", "jenis_keluhan", "kategori_ppks", "program_rujukan",
    "status_rujukan", "petugas",
]  # fmt: skip
TKSK_HEADER = [
    "No", "NIK", "No. KK", "Nama Lengkap", "L/P", "Tempat Lahir", "Tgl Lahir", "Alamat", "RT",
    "RW", "Desa/Kelurahan", "Jenis PPKS", "Bentuk Penanganan", "Tanggal Penanganan", "Keterangan",
]  # fmt: skip


def spaced(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def dotted(number: str) -> str:
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}.{number[6:12]}.{number[12:]}"


@dataclass
class Leaky:
    inbox: Path
    persons: list[dict]  # the persons whose identifiers were typed into free text


def _slrt_rows(persons: list[dict]) -> list[list[str]]:
    rows = []
    for i, p in enumerate(persons):
        other = persons[(i + 1) % len(persons)]
        first = p["nama"].split()[0]
        rows.append(
            [
                f"SLRT-9999-{i:06d}",
                "2026-08-03",
                p["nik"],
                p["kk"],
                p["nama"].upper(),
                "1" if p["gender"] == "L" else "2",
                p["dob"],
                "DSN. KRAJAN",
                p["kode_desa"].replace(".", ""),
                "",
                f"NIK {spaced(p['nik'])} a.n. {p['nama']} tidak mampu berobat",
                p["ppks_kode"],
                f"PKH (KK {dotted(p['kk'])}) bersama {other['nama'].lower()}",
                f"Diproses, hubungi Bu {first} {p['nik']}",
                "Petugas",
            ]
        )
    return rows


@pytest.fixture(scope="session")
def leaky_inbox(tmp_path_factory) -> Leaky:
    root = tmp_path_factory.mktemp("leaky")
    generate_inbox(root, persons=120, seed=5)
    with (root / "truth" / "persons.csv").open(encoding="utf-8") as fh:
        truth = [p for p in csv.DictReader(fh) if p["nik"] and p["kk"]]
    chosen = truth[:6]
    inbox = root / "inbox"
    a, b = chosen[0], chosen[1]
    # Identifiers in the file name and in every free-text field of an SLRT export.
    name = inbox / "slrt" / f"rujukan {a['nama']} {a['nik']}.csv"
    with name.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SLRT_HEADER)
        writer.writerows(_slrt_rows(chosen))
    # A TKSK report whose sheet is named after a person, with a NIK in the action taken.
    row = [
        1, b["nik"], b["kk"], b["nama"].upper(), b["gender"], "BLITAR",
        dt.date.fromisoformat(b["dob"]), "DSN. GONDANG", "08", "003", "Kemiri", "Lansia",
        f"Usulan DTKS {b['nik']} atas nama {b['nama']}", dt.date(2026, 8, 17), "-",
    ]  # fmt: skip
    write_xlsx(
        inbox / "tksk" / f"laporan {b['kk']}.xlsx",
        {
            b["nama"][:31]: [
                ["LAPORAN BULANAN TENAGA KESEJAHTERAAN SOSIAL KECAMATAN"],
                ["Kecamatan : Puspo"],
                ["Kabupaten", ": Kab. Pasuruan"],
                ["Bulan", "Agustus 2026"],
                [],
                TKSK_HEADER,
                row,
            ]
        },
    )
    return Leaky(inbox, chosen)


@pytest.fixture(scope="session")
def leaky_warehouse(leaky_inbox, tmp_path_factory):
    import ppks.flows.nightly as nightly_module

    mp = pytest.MonkeyPatch()
    mp.delenv(analyst.KEY_ENV, raising=False)
    mp.delenv(analyst.KEY_FILE_ENV, raising=False)
    try:
        warehouse = tmp_path_factory.mktemp("leaky_wh") / "ppks.duckdb"
        nightly_module.nightly(
            inbox=leaky_inbox.inbox, warehouse=warehouse, outbox=warehouse.parent / "outbox"
        )
    finally:
        mp.undo()
    return warehouse
