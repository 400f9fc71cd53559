"""SLRT exports: one row per service event, as .xlsx ('Data Layanan') or CSV.

The application stores what its operator typed once; every export of a
period repeats those values, so a re-export of an overlapping period repeats
the same rows with the same id_layanan (noise ``id_layanan_repeat``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ppks_generator import profile
from ppks_generator.noise import (
    FORMULA_ALAMAT,
    age_at,
    dob_cell,
    formula_like,
    gender_cell,
    id_cell,
    name_cell,
)
from ppks_generator.population import Person
from ppks_generator.tksk import month_end, month_parts
from ppks_generator.workbook import Sheet

HEADER = [
    "id_layanan",
    "tanggal_layanan",
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "alamat",
    "kode_wilayah",
    "nama_desa",
    "jenis_keluhan",
    "kategori_ppks",
    "program_rujukan",
    "status_rujukan",
    "petugas",
]
KELUHAN = (
    "Tidak mampu berobat",
    "Kehilangan pekerjaan",
    "Rumah tidak layak huni",
    "Butuh bantuan pangan",
    "Tidak terdaftar PBI",
    "Tidak punya KTP",
    "Lansia tidak terurus",
    "Korban kekerasan",
    "Disabilitas butuh alat bantu",
    "Anak putus sekolah",
)
PROGRAM = ("PKH", "BPNT", "PBI-JK", "KIP", "RTLH", "ATENSI", "BLT-DD")
STATUS = ("Diajukan", "Diproses", "Selesai", "Ditolak")


@dataclass(slots=True)
class Event:
    id_layanan: str
    month: str
    person: Person
    code: str
    values: list  # in HEADER order, as the application stores them
    rejects: set[str]
    noise: list[str]


def events(
    rng: random.Random, kab: str, entries: list[tuple[Person, tuple[str, ...]]], officers: list[str]
) -> list[Event]:
    """Service events of one kabupaten, numbered in date order like the application does."""
    raw = []
    for p, months in entries:
        for month in months:
            y, m = month_parts(month)
            raw.append((date(y, m, rng.randint(1, month_end(month).day)), p.pid, p, month))
    raw.sort(key=lambda e: (e[0], e[1]))
    out = []
    for i, (day, _pid, p, month) in enumerate(raw, 1):
        id_layanan = f"SLRT-{kab.replace('.', '')}-{i:06d}"
        out.append(_event(rng, id_layanan, day, month, p, officers))
    return out


def _event(
    rng: random.Random, id_layanan: str, day: date, month: str, p: Person, officers: list[str]
) -> Event:
    noise: list[str] = []
    rejects: set[str] = set()
    machine = profile.current().machine
    code = rng.choice(p.cats)
    nik, k = id_cell(rng, p.nik, "nik", False, machine, p.head_nik)
    noise += k
    kk, k = id_cell(rng, p.kk, "kk", False, machine)
    noise += k
    if rng.random() < machine.no_name:
        nama = "-"
        rejects.add("no_name")
        noise.append("reject_no_name")
    else:
        nama, k = name_cell(rng, p.nama, p.gender, age_at(p.dob, day), p.father, "upper", machine)
        noise += k
    gender, k = gender_cell(rng, p.gender, "num", "num", machine)
    noise += k
    dob, k = dob_cell(rng, p.dob, "iso", "iso", machine, text_only=True)
    noise += k
    if rng.random() < machine.formula:
        alamat = formula_like(rng, FORMULA_ALAMAT)
        noise.append("formula_like_alamat")
    elif p.rt:
        alamat = f"{p.alamat.upper()} RT {p.rt:03d} RW {p.rw:03d}"
    else:
        alamat = p.alamat.upper()
    kode = p.place.kode_desa
    if rng.random() < 0.04:
        noise.append("kode_wilayah_dotted")
    else:
        kode = kode.replace(".", "")
    if rng.random() < machine.no_category:
        kategori = None
        rejects.add("category")
        noise.append("reject_category")
    else:
        kategori = code
    if p.twin:
        noise.append("twin")
    values = [
        id_layanan,
        day.isoformat(),
        nik,
        kk,
        nama,
        gender,
        dob,
        alamat,
        kode,
        p.place.desa.upper(),
        rng.choice(KELUHAN),
        kategori,
        rng.choice(PROGRAM),
        rng.choice(STATUS),
        rng.choice(officers),
    ]
    return Event(id_layanan, month, p, code, values, rejects, noise)


def _numeric(value: object, kind: str, noise: list[str]) -> object:
    """An export opened and saved in Excel: clean 16-digit numbers became numeric cells."""
    if isinstance(value, str) and len(value) == 16 and value.isdigit():
        noise.append(f"{kind}_excel")
        return int(value[:15] + "0")
    return value


def export_rows(evs: list[Event], numeric_ids: bool, text_only: bool) -> list[tuple[list, list]]:
    """(cells, extra noise) per event as one export writes them."""
    out = []
    for e in evs:
        cells, extra = list(e.values), []
        if numeric_ids:
            cells[2] = _numeric(cells[2], "nik", extra)
            cells[3] = _numeric(cells[3], "kk", extra)
        if text_only and cells[5] is not None:
            cells[5] = str(cells[5])
        out.append((cells, extra))
    return out


def xlsx_sheet(rows: list[list]) -> Sheet:
    return Sheet("Data Layanan", [list(HEADER), *rows])
