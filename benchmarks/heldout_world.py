"""A second, independent world: inboxes the linkage rules were never tuned on (issue #10).

    python benchmarks/heldout_world.py --out DIR --persons N --seed S

writes `DIR/inbox/{tksk,psm,slrt}/` and `DIR/truth/rows.csv` + `DIR/truth/files.csv`
in the format of `shared/samples` (one truth line per data row of every loadable
file; `row_number` as Excel shows it, for CSV the line number with the header at 1).
Written from `shared/spec/SOURCES.md`, `shared/reference/` and `shared/samples/` only:
nothing in `ppks_generator/` or `ppks/link/` was read to write it, and no rate here
was chosen after seeing a score. Deterministic for a seed (same bytes).

The world
---------
Households (one KK each) in four kabupaten/kota of Jawa Timur chosen by the seed
(one of them on Madura, one a kota), in at most 10 kecamatan of each. People get
Javanese, Madurese or Arabic-derived names by birth cohort; 30% of households give
the children a shared family surname; 3% of households with children have twins
(same KK, birth date, address; given names that differ by a word or one letter).
- 8% of households have no papers at all (no KK, no NIK); 4% of persons are
  homeless (alone, no address, found in a different kecamatan at each report,
  70% of them without papers). Elsewhere adults have a NIK with 93%, children 70%.
- 4% of persons move to another kecamatan (30% of them to another kabupaten of the
  world) from some report month on.
- Birth dates unknown to the reporters: 8% of persons with a NIK, 55% without one,
  80% of the homeless. Each report of such a person writes (per row): a placeholder
  whose year is an estimate that varies between reports (true year +-3 per person,
  +-2 per report) as 01-01/01-07/31-12 (45%), a junk placeholder 01-01-1950 or
  31-12-1945 for the old (5%), a year only (15%), blank (35%); in TKSK files that
  have an `Umur` column, an estimated age (+-2 years).
- Four report months (Juli-Oktober 2026). TKSK: 60% of persons are TKSK cases,
  reported in 1-4 months (40/30/20/10%) in the kecamatan where they live that
  month. PSM: 55% of desa with persons keep a list; 60% of their people are on
  it, 20% of those on two category sheets. SLRT: 35% of persons have 1-4 service
  events (one row each). Everyone appears at least once.

Damage, per written row (rates are per row unless said per file)
----------------------------------------------------------------
- Name: Muhammad/Ahmad/Abdul/Siti and ~20 other tokens written in a variant (40%
  of rows where the token occurs: Moch., Mochammad, Mohammad, Moh., M., Muh.,
  Much., Muhamad; Achmad, Akhmad, Ach.; Abd.; Sitti, St.; Khodijah, Husen, ...);
  old spelling oe/dj/tj for people born before 1960 (25%); a token dropped (5%,
  last or middle of three); given name only (3%); one-letter typo (5%: keyboard
  neighbour, dropped, doubled or swapped letter); bin/binti + father (TKSK 6%, PSM
  12%, SLRT 2%); title H./Hj. (6% over 45), Alm./Almh. (0.5%), Drs./S.Pd. (1%);
  two tokens joined or a double space (3%); case UPPER 65%, Title 25%, lower 5%.
- NIK (person has one): not written 8% (`-`, `0`, `belum ada`, blank); one digit
  mistyped 3%; two digits swapped 2%; a digit dropped (15) 1.5%; a digit doubled
  (17) 1%; apostrophe 4%; spaces, dots or dashes 5%; the head of family's NIK on
  his wife or child 3% of their rows; typed into a numeric cell (15 significant
  digits, last digit 0, shown as 3.51403E+15 or with format `0`) in 20% of TKSK
  kecamatan, 30% of PSM files, 50% of SLRT xlsx exports; in CSV re-saved on an
  office PC: 15 digits + `0` as text (60% of those files) or `3.51403E+15` (10%).
  No NIK: blank, `-`, `0`, `belum ada`, `tidak ada`.
- KK: not written 12%, digit typo 2%, apostrophe, dots/dashes, numeric as NIK.
- Birth date (known): the kecamatan's or file's usual style (Excel date, DD-MM-YYYY,
  DD/MM/YYYY, YYYY-MM-DD, `17 Agustus 1955`, Excel serial) and another style in
  15% of rows; D-M-YY 2%; day and month swapped 3% (when both <= 12); year only 2%;
  blank 4%; `Umur` instead of a date in 25% of TKSK kecamatan (blank 5%).
- Gender in the file's style (L/P, LK/PR, Laki-laki/Perempuan, Pria/Wanita, 1/2),
  blank 4%.
- Places: TKSK title block kecamatan written `Kec. X`/`KECAMATAN X`/`X` in any case,
  misspelled by one letter (dropped, doubled, swapped) in 7% of files, truncated to
  5-7 letters in 3%; value in the next cell in 30% of kecamatan; kabupaten as
  `Kab. X`/`Kabupaten X`/`X`/`KAB X`, misspelled 3%; 35% of TKSK and 25% of PSM
  file names carry no place. Row desa: `Ds.`/`Desa`/`Kel.` 8%, misspelled 4%,
  blank 2% (homeless 30%). PSM kecamatan/kabupaten columns: variants as above,
  misspelled 4%, blank 3%. SLRT kode_wilayah dotted 3%, numeric 2%.
- Category: full name, abbreviation, alias, code (`PPKS-08`, `PPKS 08`, `ppks08`)
  in any case, one-letter typo in a long name 1%; `Lainnya`/`-`/`???`/blank 0.7%
  (reject). Rows with no name (`?`, `-`, blank, `123`) 0.4% (reject). PSM: 2% of
  files have a sheet whose name gives no category and no category column (reject).
- Places outside Jawa Timur (reject `place`): 0.5% extra PSM rows and 0.3% extra
  SLRT events of visitors from Jakarta, Bali, Jawa Tengah, Jawa Barat, NTB.
- Cells: `Keterangan`/`Kondisi`/`alamat` starting with `+`, `-`, `=`, `@` 3%;
  RT/RW as numbers, `02`, `002`, or missing (8%); JUMLAH line under the data in
  4% of TKSK files (reject); 1-3 data-like rows below an empty row in 4% of
  TKSK/PSM sheets (not data: not in the truth); signature blocks.
- Files: SLRT CSV as UTF-8 (40%), UTF-8 with BOM (25%), Windows-1252 (20%),
  UTF-16 (15%), `;` or `,`; the last two are "re-saved" (NIK damage above, and
  dates as DD/MM/YYYY in half of them). One SLRT re-export repeats the events of
  an earlier export. 2% of files resent byte-identical under another name; an
  empty workbook, a TKSK template in psm/, a corrupt workbook and an `.xls` file.

Truth (`truth/rows.csv`): `person_id` (`X...` for visitors from outside Jawa Timur,
empty for a JUMLAH line), `expected` (`load`/`reject`), `reject_kind` (`place`,
`category`, `no_name`, `|`-joined), the clean values (`nik`, `kk`, `nama`, `dob`,
`gender`, `kode_kecamatan`, `kode_desa`, `ppks_kode`), `source`, `folder`, `bulan`,
`id_layanan`, the values as written (`w_*`) and `noise` (tags, `|`-joined).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parents[1]
# The project's copy of shared/reference (byte-identical; see its NOTICE.md).
REFERENCE = ROOT / "ppks" / "reference" / "data"
MONTHS = [(2026, 7), (2026, 8), (2026, 9), (2026, 10)]
BULAN = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
BULAN = BULAN.split()
FIXED_TIME = dt.datetime(2026, 11, 1, 8, 0, 0)
EXCEL_EPOCH = dt.date(1899, 12, 30)

# --------------------------------------------------------------------------- names

JAVA_M_OLD = [
    "Slamet",
    "Suparman",
    "Sutrisno",
    "Sugeng",
    "Paimin",
    "Karno",
    "Tukiran",
    "Darmaji",
    "Sumarno",
    "Sukirno",
    "Kasno",
    "Parman",
    "Ngadiman",
    "Suyono",
    "Wagiman",
    "Sarmin",
    "Tumijan",
    "Ponirin",
    "Legiman",
    "Sujak",
]
JAVA_M = [
    "Bambang",
    "Joko",
    "Agus",
    "Budi",
    "Eko",
    "Heru",
    "Wahyu",
    "Suyanto",
    "Purnomo",
    "Supriyadi",
    "Hartono",
    "Widodo",
    "Teguh",
    "Sugiarto",
    "Subandi",
    "Mulyono",
    "Sunarto",
    "Rahmat",
    "Santoso",
    "Edy",
    "Hadi",
    "Sutikno",
    "Priyo",
]
JAVA_F_OLD = [
    "Painem",
    "Sukarti",
    "Suminah",
    "Kasiyem",
    "Tumini",
    "Sulastri",
    "Suparmi",
    "Wartini",
    "Murtini",
    "Giyem",
    "Sutini",
    "Ngatemi",
    "Partini",
    "Tukinah",
    "Sainah",
    "Juminten",
    "Karsinah",
    "Wagini",
    "Sarmi",
]
JAVA_F = [
    "Sumiati",
    "Endang",
    "Tutik",
    "Nanik",
    "Yuli",
    "Sri",
    "Rina",
    "Dewi",
    "Lestari",
    "Wulan",
    "Indah",
    "Ratna",
    "Yuliani",
    "Setyowati",
    "Kusmiati",
    "Rahayu",
    "Wahyuni",
    "Sulis",
    "Purwati",
    "Ernawati",
]
MADURA_M = [
    "Busiri",
    "Sahrawi",
    "Marsuki",
    "Jumali",
    "Matrawi",
    "Hasyim",
    "Sanhaji",
    "Hosnan",
    "Rasid",
    "Muhlis",
    "Halili",
    "Samsul",
    "Sahri",
    "Mursidi",
    "Jufri",
    "Holil",
    "Sunarto",
    "Hosen",
    "Bahrawi",
    "Mat",
]
MADURA_F = [
    "Hosniyah",
    "Marwiyah",
    "Rukayyah",
    "Sumaya",
    "Maryam",
    "Hamidah",
    "Sittiyah",
    "Suhaimah",
    "Saniyah",
    "Hayati",
    "Munawaroh",
    "Sunami",
    "Buhairah",
    "Jumaati",
    "Satiyah",
]
ARAB_M = [
    "Hasan",
    "Husein",
    "Ali",
    "Umar",
    "Yusuf",
    "Ibrahim",
    "Ismail",
    "Sholeh",
    "Syaiful",
    "Zainal",
    "Ma’ruf",
    "Syafi’i",
    "Abdullah",
    "Imam",
    "Luqman",
    "Fathur",
    "Khoirul",
    "Rohman",
    "Hidayat",
    "Anwar",
    "Mahmud",
    "Nur",
]
ARAB_F = [
    "Aminah",
    "Fatimah",
    "Khotijah",
    "Zainab",
    "Aisyah",
    "Halimah",
    "Maimunah",
    "Rohmah",
    "Musyarofah",
    "Hasanah",
    "Hidayah",
    "Aini",
    "Nafisah",
    "Mukaromah",
    "Sholihah",
    "Rofiqoh",
]
MODERN_M = [
    "Rizky",
    "Fajar",
    "Aditya",
    "Dimas",
    "Yoga",
    "Andi",
    "Rudi",
    "Hendra",
    "Bagus",
    "Galih",
    "Reza",
    "Ilham",
    "Arif",
    "Bayu",
    "Dani",
    "Fikri",
    "Alfarizi",
    "Rafi",
    "Aldi",
    "Farhan",
    "Putra",
]
MODERN_F = [
    "Putri",
    "Ayu",
    "Indah",
    "Salsabila",
    "Dinda",
    "Nadia",
    "Fitri",
    "Mega",
    "Nabila",
    "Aulia",
    "Zahra",
    "Azzahra",
    "Anisa",
    "Rani",
    "Citra",
    "Intan",
    "Dewi",
    "Tiara",
    "Amelia",
]
ORDINALS = ["Eka", "Dwi", "Tri", "Catur"]
SURNAMES = [
    "Hidayat",
    "Santoso",
    "Wibowo",
    "Prasetyo",
    "Setiawan",
    "Kurniawan",
    "Hermawan",
    "Susanto",
    "Firmansyah",
    "Ramadhan",
    "Pratama",
    "Saputra",
    "Nugroho",
    "Wijaya",
    "Hakim",
    "Maulana",
    "Syahputra",
    "Rahmawan",
]
TWIN_PAIRS_M = [("Hasan", "Husein"), ("Dimas", "Damar"), ("Fajar", "Fajri"), ("Rizky", "Rizki")]
TWIN_PAIRS_F = [("Aini", "Aina"), ("Nabila", "Nabilah"), ("Ayu", "Ani"), ("Fitri", "Fitria")]
TWIN_PAIRS_X = [("Rizky", "Rizka"), ("Dimas", "Dinda"), ("Putra", "Putri"), ("Andi", "Andini")]

# Spellings reporters use for the same token (the first is the canonical one).
VARIANTS = {
    "Muhammad": ["Moch.", "Mochammad", "Mohammad", "Moh.", "M.", "Muh.", "Much.", "Muhamad"],
    "Ahmad": ["Achmad", "Akhmad", "Ach.", "Ahmat"],
    "Abdul": ["Abd.", "Abdoel"],
    "Siti": ["Sitti", "St."],
    "Khotijah": ["Khodijah", "Chotijah"],
    "Husein": ["Husen", "Husin"],
    "Sholeh": ["Soleh", "Saleh"],
    "Syaiful": ["Saiful", "Syaifullah"],
    "Zainal": ["Zaenal"],
    "Ma’ruf": ["Ma'ruf", "Maruf"],
    "Syafi’i": ["Syafi'i", "Syafii", "Safii"],
    "Nur": ["Noer", "Nurul"],
    "Rohmah": ["Rahmah", "Rohma"],
    "Hosen": ["Hosin", "Husen"],
    "Mat": ["Mad", "Moh."],
    "Fathur": ["Fatkhur", "Fatchur"],
    "Khoirul": ["Choirul", "Khairul"],
    "Musyarofah": ["Musyarrofah"],
    "Rizky": ["Rizki", "Rizqi"],
    "Yuliani": ["Yulianie"],
}
TITLES_M = ["H.", "Drs.", "Alm."]
TITLES_F = ["Hj.", "S.Pd.", "Almh."]
KEYBOARD = dict(zip("aeiounmrstlkdgh", "sreipmnteyrkjsfj", strict=False))

DUSUN = [
    "Krajan",
    "Kidul",
    "Lor",
    "Wetan",
    "Kulon",
    "Tengah",
    "Gondang",
    "Duren",
    "Sumberejo",
    "Karang",
    "Randu",
    "Tegal",
    "Pakis",
    "Ngemplak",
    "Sidomulyo",
    "Kebon",
    "Sumber",
    "Timur",
    "Barat",
]
JALAN = [
    "Merdeka",
    "Pahlawan",
    "A. Yani",
    "Diponegoro",
    "Teratai",
    "Pemuda",
    "Sudirman",
    "Kartini",
    "Mawar",
    "Kenanga",
]
NO_ADDRESS = ["Emperan Pasar", "Kolong jembatan", "Terminal", "-", "Tidak tetap", "Stasiun"]
ELSEWHERE = ["Surabaya", "Malang", "Jember", "Solo", "Jakarta", "Blitar", "Sampang", "Kediri"]
# Visitors from outside Jawa Timur: (kode desa, desa, kecamatan, kabupaten/kota).
OUTSIDE = [
    ("31.74.04.1004", "Gandaria Selatan", "Cilandak", "Kota Jakarta Selatan"),
    ("51.71.01.1001", "Sesetan", "Denpasar Selatan", "Kota Denpasar"),
    ("33.74.01.1003", "Sekayu", "Semarang Tengah", "Kota Semarang"),
    ("32.73.01.1002", "Sarijadi", "Sukasari", "Kota Bandung"),
    ("52.71.01.1004", "Ampenan Selatan", "Ampenan", "Kota Mataram"),
]
KETERANGAN = [
    "Tinggal sendiri",
    "Tinggal dengan anak",
    "Rumah tidak layak huni",
    "Sudah diusulkan DTKS",
    "Belum menerima bantuan",
    "Lumpuh",
    "Pindahan",
    "Sakit-sakitan",
    "Tidak bekerja",
    "Sudah ditangani",
]
PENANGANAN = ["Home visit", "Konseling", "Rujukan PKH", "Usulan DTKS", "Rujukan RSUD", "Asesmen"]
KELUHAN = ["Tidak mampu berobat", "Butuh bantuan pangan", "Tidak punya KTP", "Korban kekerasan"]
PROGRAM = ["PKH", "BPNT", "PBI-JK", "KIP", "RTLH", "ATENSI", "BLT-DD"]
STATUS = ["Diajukan", "Diproses", "Selesai", "Ditolak"]
PETUGAS = ["Nasir", "Aisyah", "Fajar Rafi", "Abdoel Juhdi", "Sri Utami", "Hendro"]


def load_reference() -> tuple[dict, list[dict]]:
    regions = {}
    with open(REFERENCE / "wilayah_jatim.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            regions[row["kode"]] = (row["nama"], row["tingkat"])
    with open(REFERENCE / "ppks_categories.csv", newline="", encoding="utf-8") as f:
        categories = list(csv.DictReader(f))
    return regions, categories


# --------------------------------------------------------------------------- world


@dataclass
class Place:
    kab: str  # 35.14
    kec: str  # 35.14.03
    desa: str  # 35.14.03.2001
    alamat: str
    rt: int | None
    rw: int | None


@dataclass
class Person:
    pid: str
    hh: int
    name: str
    father: str
    gender: str
    dob: dt.date
    dob_known: bool
    est_year: int
    tempat: str
    nik: str
    kk: str
    head_nik: str  # the head of family's NIK ('' if none or self)
    home: Place
    homeless: bool
    move: tuple[int, Place] | None
    cats: list[str]
    appearances: list = field(default_factory=list)

    def guess_year(self, r: random.Random) -> int:
        """The year one reporter writes for a person whose birth date nobody knows."""
        wobble = 0 if self.dob.year > 2016 else 1 if self.dob.year > 2006 else 2
        return min(self.est_year + r.randint(-wobble, wobble), 2026)

    def place_in(self, month: int) -> Place:
        if self.move and month >= self.move[0]:
            return self.move[1]
        return self.home


class World:
    def __init__(self, persons: int, seed: int):
        self.rng = random.Random(seed)
        self.regions, self.categories = load_reference()
        self.cat = {c["kode"]: c for c in self.categories}
        self.choose_places()
        self.persons: list[Person] = []
        self.nik_used: set[str] = set()
        households = 0
        while len(self.persons) < persons:
            households += 1
            self.household(households)

    # -- places
    def children(self, code: str, level: str) -> list[str]:
        n = code.count(".") + 1
        return sorted(
            k
            for k, (_, t) in self.regions.items()
            if t == level and k.startswith(code + ".")
            if k.count(".") == n
        )

    def choose_places(self) -> None:
        r = self.rng
        kabs = self.children("35", "kabupaten_kota")
        madura = r.choice([k for k in kabs if "35.26" <= k <= "35.29"])
        kota = r.choice([k for k in kabs if k >= "35.71" and k != "35.79"])
        rest = [k for k in kabs if k < "35.26" and k not in (madura,)]
        self.kabs = sorted([madura, kota, *r.sample(rest, 2)])
        self.kecs: dict[str, list[str]] = {}
        self.desas: dict[str, list[str]] = {}
        for kab in self.kabs:
            kecs = self.children(kab, "kecamatan")
            self.kecs[kab] = sorted(r.sample(kecs, min(10, len(kecs))))
            for kec in self.kecs[kab]:
                self.desas[kec] = self.children(kec, "desa_kelurahan")
        self.psm_desas = {d for kec in self.desas for d in self.desas[kec] if r.random() < 0.55}

    def name_of(self, code: str) -> str:
        """The name people write: `Pasuruan` for Kabupaten Pasuruan; a kecamatan keeps its
        whole name (`Kota Sumenep` is a kecamatan's name, not a prefix)."""
        name, level = self.regions[code]
        return re.sub(r"^(Kabupaten|Kota) ", "", name) if level == "kabupaten_kota" else name

    def address(self, kab: str, kec: str, desa: str | None = None) -> Place:
        r = self.rng
        desa = desa or r.choice(self.desas[kec])
        if kab >= "35.71" or r.random() < 0.25:
            alamat = f"Jl. {r.choice(JALAN)}" + (
                f" No. {r.randint(1, 120)}" if r.random() < 0.5 else ""
            )
        else:
            alamat = f"Dsn. {r.choice(DUSUN)}"
        return Place(kab, kec, desa, alamat, r.randint(1, 12), r.randint(1, 8))

    def wander(self, kab: str) -> Place:
        """Where a homeless person is found: any kecamatan of the kabupaten, no address."""
        r = self.rng
        kec = r.choice(self.kecs[kab])
        return Place(kab, kec, r.choice(self.desas[kec]), r.choice(NO_ADDRESS), None, None)

    # -- people
    def new_nik(self, place: Place, dob: dt.date, gender: str, serial: int | None = None) -> str:
        day = dob.day + (40 if gender == "P" else 0)
        base = place.kec.replace(".", "") + f"{day:02d}{dob.month:02d}{dob.year % 100:02d}"
        serial = serial or self.rng.randint(1, 40)
        while f"{base}{serial:04d}" in self.nik_used:
            serial += 1
        self.nik_used.add(f"{base}{serial:04d}")
        return f"{base}{serial:04d}"

    def given_name(self, gender: str, year: int, madura: bool) -> str:
        r = self.rng
        m = gender == "L"
        if year < 1965:
            pool = (MADURA_M if m else MADURA_F) if madura else (JAVA_M_OLD if m else JAVA_F_OLD)
            name = r.choice(pool)
            if r.random() < 0.3:
                name = f"{r.choice(ARAB_M if m else ARAB_F)} {name}" if m else f"Siti {name}"
            return name
        if year < 1990:
            first = r.choice((MADURA_M if m else MADURA_F) if madura else (JAVA_M if m else JAVA_F))
            if r.random() < 0.35:
                lead = r.choice(["Muhammad", "Ahmad", "Abdul"]) if m else r.choice(["Siti", "Nur"])
                return f"{lead} {first}"
            return f"{first} {r.choice(ARAB_M if m else ARAB_F)}" if r.random() < 0.4 else first
        first = r.choice(MODERN_M if m else MODERN_F)
        if r.random() < 0.65:  # most children born since 1990 have two or three names
            second = r.choice((MODERN_M + ARAB_M) if m else (MODERN_F + ARAB_F))
            first = f"{first} {second}" if second != first else first
        if m and r.random() < 0.3:
            first = f"{r.choice(['Muhammad', 'Ahmad'])} {first}"
        elif not m and r.random() < 0.15:
            first = f"Siti {first}"
        if r.random() < 0.25:
            first = f"{r.choice(ORDINALS)} {first}"
        return first

    def household(self, hh: int) -> None:
        r = self.rng
        kab = r.choice(self.kabs)
        kec = r.choice(self.kecs[kab])
        madura = "35.26" <= kab <= "35.29"
        homeless = r.random() < 0.04
        papers = r.random() >= (0.7 if homeless else 0.08)
        place = self.wander(kab) if homeless else self.address(kab, kec)
        members: list[tuple[str, str, dt.date]] = []  # (role, gender, dob)
        if homeless:
            members.append(("head", r.choice("LLP"), self.birth(25, 80)))
        else:
            size = r.choices([1, 2, 3, 4, 5, 6], [18, 20, 22, 20, 12, 8])[0]
            head_g = "L" if r.random() < 0.85 else "P"
            head_dob = self.birth(28, 85)
            members.append(("head", head_g, head_dob))
            if size > 1 and head_g == "L":
                members.append(("wife", "P", self.birth_near(head_dob, -2, 10)))
            while len(members) < size:
                if r.random() < 0.15 and head_dob.year > 1960:
                    members.append(("parent", r.choice("LP"), self.birth(75, 95)))
                    continue
                child = self.birth_near(head_dob, 20, 42)
                if child > dt.date(2026, 6, 30):
                    child = self.birth(0, 17)
                members.append(("child", r.choice("LP"), child))
                if r.random() < 0.03 and len(members) < 7:
                    members.append(("twin", r.choice("LP"), child))
        surname = r.choice(SURNAMES) if r.random() < 0.3 else ""
        kk = ""
        if papers:
            issued = dt.date(r.randint(2008, 2025), r.randint(1, 12), r.randint(1, 28))
            kk = f"{kec.replace('.', '')}{issued:%d%m%y}{r.randint(1, 9999):04d}"
        head_name = ""
        head_nik = ""
        prev = None
        for role, gender, dob in members:
            pid = f"P{len(self.persons) + 1:07d}"
            if role == "twin":
                name = self.twin_name(prev, gender, surname, madura)
            else:
                name = self.given_name(gender, dob.year, madura)
                if surname and role in ("child",) and len(name.split()) < 3:
                    name = f"{name} {surname}"
            adult = (2026 - dob.year) >= 17
            has_nik = papers and r.random() < (0.93 if adult else 0.70)
            nik = ""
            if has_nik:
                if role == "twin" and prev and prev.nik:
                    nik = self.new_nik(place, dob, gender, int(prev.nik[-4:]) + 1)
                else:
                    nik = self.new_nik(place, dob, gender)
            known = r.random() >= (0.8 if homeless else 0.08 if has_nik else 0.55)
            if (2026 - dob.year) > 75 and r.random() < 0.15:
                known = False
            father = head_name.split()[0] if head_name and role in ("child", "twin") else ""
            person = Person(
                pid=pid,
                hh=hh,
                name=name,
                father=father or r.choice(JAVA_M_OLD + MADURA_M + ARAB_M),
                gender=gender,
                dob=dob,
                dob_known=known,
                est_year=self.estimate(dob),
                tempat=self.name_of(kab) if r.random() < 0.8 else r.choice(ELSEWHERE),
                nik=nik,
                kk=kk,
                head_nik=head_nik if role != "head" else "",
                home=place,
                homeless=homeless,
                move=None,
                cats=self.categories_for(gender, dob, homeless),
            )
            if role == "head":
                head_name, head_nik = (name if gender == "L" else ""), nik
            self.persons.append(person)
            prev = person
        if not homeless and r.random() < 0.04:  # the household moves
            month = r.randint(1, len(MONTHS) - 1)
            other_kab = kab if r.random() < 0.7 else r.choice(self.kabs)
            new_kec = r.choice([k for k in self.kecs[other_kab] if k != kec] or [kec])
            new = self.address(other_kab, new_kec)
            for p in self.persons[-len(members) :]:
                p.move = (month, new)

    def twin_name(self, sibling: Person, gender: str, surname: str, madura: bool) -> str:
        """A twin's name: a brother or sister of the other sex gets a name of their own
        (with the family surname); the same sex, the sibling's name with one word changed
        (Hasan/Husein, Aini/Aina)."""
        if gender != sibling.gender:
            name = self.given_name(gender, sibling.dob.year, madura)
            return f"{name} {surname}" if surname else name
        tokens = sibling.name.split()
        pairs = TWIN_PAIRS_M if gender == "L" else TWIN_PAIRS_F
        for a, b in pairs:
            for x, y in ((a, b), (b, a)):
                if x in tokens:
                    tokens[tokens.index(x)] = y
                    return " ".join(tokens)
        lead = {"Muhammad", "Ahmad", "Abdul", "Siti", "Nur", *ORDINALS}
        i = next((i for i, t in enumerate(tokens) if t not in lead), 0)
        a, b = self.rng.choice(pairs)
        tokens[i] = b if tokens[i] == a else a
        return " ".join(tokens)

    def estimate(self, dob: dt.date) -> int:
        """The year a family believes: off by up to 3 years for adults, less for children."""
        spread = 0 if dob.year > 2016 else 1 if dob.year > 2006 else 3
        return min(dob.year + self.rng.randint(-spread, spread), 2026)

    def birth(self, min_age: int, max_age: int) -> dt.date:
        r = self.rng
        year = 2026 - r.randint(min_age, max_age)
        d = dt.date(year, 1, 1) + dt.timedelta(days=r.randint(0, 364))
        return min(d, dt.date(2026, 6, 30))

    def birth_near(self, ref: dt.date, lo: int, hi: int) -> dt.date:
        year = ref.year + self.rng.randint(lo, hi)
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randint(0, 364))

    def categories_for(self, gender: str, dob: dt.date, homeless: bool) -> list[str]:
        r = self.rng
        age = 2026 - dob.year
        if homeless:
            cats = [
                r.choice(["PPKS-11", "PPKS-12", "PPKS-13", "PPKS-04" if age < 18 else "PPKS-11"])
            ]
        elif age < 5:
            cats = [r.choice(["PPKS-01", "PPKS-05"])]
        elif age < 18:
            cats = [r.choice(["PPKS-02", "PPKS-05", "PPKS-06", "PPKS-07", "PPKS-03", "PPKS-02"])]
        elif age >= 60:
            cats = [r.choice(["PPKS-08", "PPKS-08", "PPKS-08", "PPKS-09", "PPKS-24"])]
        else:
            pool = ["PPKS-24", "PPKS-24", "PPKS-24", "PPKS-09", "PPKS-17", "PPKS-15", "PPKS-16"]
            pool += ["PPKS-20", "PPKS-21", "PPKS-22", "PPKS-25"]
            pool += ["PPKS-23", "PPKS-19", "PPKS-18", "PPKS-10"] if gender == "P" else []
            cats = [r.choice(pool)]
        if r.random() < 0.2:
            cats.append(r.choice(["PPKS-24", "PPKS-09", "PPKS-21", "PPKS-25"]))
        return list(dict.fromkeys(cats))


# --------------------------------------------------------------------------- damage


@dataclass(frozen=True)
class Num:
    """A number typed into a cell, with the cell's format ('' = General)."""

    value: float
    fmt: str = ""


def misspell(rng: random.Random, word: str) -> str:
    """One letter dropped, doubled or two swapped, never the first letter."""
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    op = rng.choice("dds" if word[i] == word[i + 1] else "dws")
    if op == "d":
        return word[:i] + word[i + 1 :]
    if op == "w":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[: i + 1] + word[i] + word[i + 1 :]


def typo(rng: random.Random, word: str) -> str:
    """A one-letter slip: a neighbouring key, or a letter dropped, doubled or swapped."""
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    ch = word[i].lower()
    if rng.random() < 0.35 and ch in KEYBOARD:
        sub = KEYBOARD[ch].upper() if word[i].isupper() else KEYBOARD[ch]
        return word[:i] + sub + word[i + 1 :]
    return misspell(rng, word)


def in_case(rng: random.Random, text: str, upper: float = 0.65) -> tuple[str, bool]:
    x = rng.random()
    if x < upper:
        return text.upper(), True
    if x < upper + 0.25:
        return text, False
    if x < upper + 0.30:
        return text.lower(), True
    return text.title(), text.title() != text


def fmt_date(d: dt.date, style: str) -> tuple[object, str, str]:
    """(cell, as written, cell type) of a date in one of the styles reporters use."""
    if style == "date":
        return d, d.isoformat(), "date"
    if style == "serial":
        serial = (d - EXCEL_EPOCH).days
        return Num(serial), str(serial), "num"
    text = {
        "dmy-": f"{d:%d-%m-%Y}",
        "dmy/": f"{d:%d/%m/%Y}",
        "dmy_short": f"{d.day}-{d.month}-{d:%y}",
        "iso": d.isoformat(),
        "long": f"{d.day} {BULAN[d.month - 1]} {d.year}",
    }[style]
    return text, text, "str"


TEXT_STYLES = ["dmy-", "dmy-", "dmy/", "iso", "long"]
CELL_STYLES = ["date", "date", "dmy-", "dmy/", "iso", "long", "serial"]
GENDER_STYLES = {
    "LP": ("L", "P"),
    "LKPR": ("LK", "PR"),
    "long": ("Laki-laki", "Perempuan"),
    "pw": ("Pria", "Wanita"),
    "num": (Num(1), Num(2)),
}


class Damage:
    """How one reporter writes one person's values in one row."""

    def __init__(self, rng: random.Random, world: World):
        self.rng = rng
        self.world = world

    def name(self, p: Person, source: str) -> tuple[str, list[str]]:
        r = self.rng
        tags = []
        out = []
        for t in p.name.split():
            if t in VARIANTS and r.random() < 0.4:
                out.append(r.choice(VARIANTS[t]))
                tags.append("name_muhammad_variant" if t == "Muhammad" else "name_variant")
            else:
                out.append(t)
        if p.dob.year < 1960 and r.random() < 0.25:
            old = [t.replace("u", "oe").replace("j", "dj").replace("c", "tj") for t in out]
            old = [t[0] + t[1:] if t[0] != "U" else "Oe" + t[1:] for t in old]
            if old != out:
                out, tags = old, [*tags, "name_old_spelling"]
        if len(out) >= 3 and r.random() < 0.05:
            del out[r.choice([len(out) - 1, 1])]
            tags.append("name_short")
        elif len(out) >= 2 and r.random() < 0.03:
            out = out[:2] if out[0] in ("Muhammad", "Siti", *ORDINALS) else out[:1]
            tags.append("name_short")
        if r.random() < 0.05:
            i = r.randrange(len(out))
            if "." not in out[i] and len(out[i]) >= 4:
                out[i] = typo(r, out[i])
                tags.append("name_typo")
        bin_rate = {"tksk": 0.06, "psm": 0.12, "slrt": 0.02}[source]
        if r.random() < bin_rate:
            out += ["bin" if p.gender == "L" else "binti", p.father.split()[0]]
            tags.append("name_bin")
        age = 2026 - p.dob.year
        if age > 45 and r.random() < 0.06:
            out.insert(0, "H." if p.gender == "L" else "Hj.")
            tags.append("name_title")
        elif r.random() < 0.015:
            title = r.choice(TITLES_M if p.gender == "L" else TITLES_F)
            out = [title, *out] if title.startswith("A") or title.startswith("D") else [*out, title]
            tags.append("name_title")
        text = " ".join(out)
        if r.random() < 0.03 and len(out) >= 2:
            i = r.randrange(len(out) - 1)
            glue = "" if len(out[i]) <= 4 and "." not in out[i] else "  "
            text = " ".join(out[:i]) + (" " if i else "") + out[i] + glue + " ".join(out[i + 1 :])
            text = text.strip()
            tags.append("name_spacing")
        text, changed = in_case(r, text, 0.85 if source == "slrt" else 0.65)
        if changed:
            tags.append("name_case")
        return text, tags

    def ident(self, true: str, *, kind: str, numeric: bool, holder: Person | None = None):
        """(cell, as written, cell type, tags) of a NIK or KK."""
        r = self.rng
        tags: list[str] = []
        value = true
        if kind == "nik" and holder and holder.head_nik and r.random() < 0.03:
            value = holder.head_nik
            tags.append("nik_head_shared")
        if not value or r.random() < (0.08 if kind == "nik" else 0.12):
            blank = r.choices(["", "-", "0", "belum ada", "tidak ada"], [50, 20, 10, 12, 8])[0]
            tags.append(f"{kind}_missing")
            return (blank or None), blank, "str" if blank else "", tags
        x = r.random()
        rates = (0.03, 0.05, 0.065, 0.075) if kind == "nik" else (0.02, 0.025, 0.03, 0.03)
        if x < rates[0]:
            i = r.randrange(6, 16)
            value = value[:i] + str((int(value[i]) + r.randint(1, 9)) % 10) + value[i + 1 :]
            tags.append(f"{kind}_typo_digit")
        elif x < rates[1]:
            i = r.randrange(6, 15)
            if value[i] != value[i + 1]:
                value = value[:i] + value[i + 1] + value[i] + value[i + 2 :]
                tags.append(f"{kind}_typo_swap")
        elif x < rates[2]:
            i = r.randrange(6, 16)
            value = value[:i] + value[i + 1 :]
            tags.append(f"{kind}_len15")
        elif x < rates[3]:
            i = r.randrange(6, 16)
            value = value[:i] + value[i] + value[i:]
            tags.append(f"{kind}_len17")
        if numeric and len(value) == 16:
            number = int(value[:15] + "0")
            tags.append(f"{kind}_excel")
            return Num(float(number), r.choice(["", "0"])), str(number), "num", tags
        y = r.random()
        if y < 0.04:
            value = "'" + value
            tags.append(f"{kind}_apostrophe")
        elif y < 0.09 and len(value) == 16:
            sep = r.choice([" ", ".", "-"])
            value = sep.join(value[i : i + 4] for i in range(0, 16, 4))
            tags.append({" ": f"{kind}_spaces", ".": f"{kind}_dots", "-": f"{kind}_dashes"}[sep])
        return value, value, "str", tags

    def dob(self, p: Person, style: str, ref: dt.date, umur: bool, styles=TEXT_STYLES):
        """(cell, as written, cell type, tags) of a birth date, or an age when `umur`."""
        r = self.rng
        if umur:
            if r.random() < 0.05:
                return None, "", "", ["umur_instead_of_dob", "dob_blank"]
            if p.dob_known:
                age = ref.year - p.dob.year - ((ref.month, ref.day) < (p.dob.month, p.dob.day))
                tags = ["umur_instead_of_dob"]
            else:
                age = ref.year - p.guess_year(r)
                tags = ["umur_instead_of_dob", "dob_age_est"]
            age = max(age, 0)
            cell = Num(age) if r.random() < 0.7 else str(age)
            return cell, str(age), "num" if isinstance(cell, Num) else "str", tags
        if not p.dob_known:
            x = r.random()
            if x < 0.45:
                year = p.guess_year(r)
                d = r.choice([dt.date(year, 1, 1), dt.date(year, 7, 1), dt.date(year, 12, 31)])
                return (*fmt_date(d, style), ["dob_placeholder_est"])
            if x < 0.50 and 2026 - p.dob.year > 55:
                d = r.choice([dt.date(1950, 1, 1), dt.date(1945, 12, 31)])
                return (*fmt_date(d, style), ["dob_placeholder_junk"])
            if x < 0.65:
                year = str(p.guess_year(r))
                return year, year, "str", ["dob_year_only", "dob_year_est"]
            return None, "", "", ["dob_blank"]
        x = r.random()
        if x < 0.04:
            return None, "", "", ["dob_blank"]
        if x < 0.06:
            return str(p.dob.year), str(p.dob.year), "str", ["dob_year_only"]
        d, tags = p.dob, []
        if x < 0.09 and d.day <= 12 and d.day != d.month:
            d, tags = dt.date(d.year, d.day, d.month), ["dob_swapped"]
        if r.random() < 0.02:
            style, tags = "dmy_short", [*tags, "dob_short_year"]
        elif r.random() < 0.15:
            other = r.choice([s for s in styles if s != style])
            style, tags = other, [*tags, "dob_style_mixed"]
        return (*fmt_date(d, style), tags)

    def gender(self, p: Person, style: str) -> tuple[object, str, list[str]]:
        if self.rng.random() < 0.04:
            return None, "", ["gender_blank"]
        cell = GENDER_STYLES[style][0 if p.gender == "L" else 1]
        text = str(int(cell.value)) if isinstance(cell, Num) else cell
        return cell, text, ["gender_form"] if style != "LP" else []

    def place_name(self, name: str, prefixes: list[str], tag: str, blank=0.0, bad=0.04):
        """A desa, kecamatan or kabupaten name as a person types it."""
        r = self.rng
        if r.random() < blank:
            return "", [f"{tag}_blank"]
        tags = []
        if r.random() < bad:
            name = misspell(r, name)
            tags.append(f"{tag}_misspelled")
        if prefixes and r.random() < 0.4:
            name = f"{r.choice(prefixes)} {name}"
            tags.append(f"{tag}_abbrev")
        name, changed = in_case(r, name, 0.5)
        if changed:
            tags.append(f"{tag}_case")
        return name, tags

    def category(self, code: str) -> tuple[str, list[str]]:
        r = self.rng
        cat = self.world.cat[code]
        n = code[-2:]
        x = r.random()
        if x < 0.007:
            return r.choice(["Lainnya", "-", "???", "", "Lain lain"]), ["reject_category"]
        aliases = [a for a in cat["alias"].split("|") if a]
        if x < 0.35:
            text, tags = cat["nama"], []
        elif x < 0.45:
            text, tags = cat["singkatan"], ["ppks_abbrev"]
        elif x < 0.65 and aliases:
            text, tags = r.choice(aliases), ["ppks_alias"]
        elif x < 0.80:
            text = r.choice([f"PPKS-{n}", f"PPKS {n}", f"ppks{n}", f"PPKS{n}", f"ppks-{n}"])
            tags = ["ppks_code"]
        else:
            text, tags = cat["nama"], []
        if tags == [] and len(text) >= 14 and r.random() < 0.05:
            text, tags = misspell(r, text), ["ppks_variant_spelling"]
        text, changed = in_case(r, text, 0.3)
        return text, tags + (["ppks_case"] if changed else [])

    def formula_like(self, text: str, tag: str) -> tuple[str, list[str]]:
        if text and self.rng.random() < 0.03:
            return f"{self.rng.choice(['+', '-', '=', '@'])} {text}", [f"formula_like_{tag}"]
        return text, []


# --------------------------------------------------------------------------- reports

TRUTH_COLUMNS = [
    "source_file",
    "sheet",
    "row_number",
    "person_id",
    "expected",
    "reject_kind",
    "nik",
    "kk",
    "nama",
    "dob",
    "gender",
    "kode_kecamatan",
    "kode_desa",
    "ppks_kode",
    "source",
    "folder",
    "bulan",
    "id_layanan",
    "w_nik",
    "w_nik_type",
    "w_kk",
    "w_kk_type",
    "w_nama",
    "w_dob",
    "w_dob_type",
    "w_gender",
    "w_desa",
    "w_kecamatan",
    "w_kabupaten",
    "w_kode_wilayah",
    "w_ppks",
    "noise",
]
TKSK_HEADERS = {
    "no": ["No", "No.", "NO"],
    "nik": ["NIK", "N I K", "Nik"],
    "kk": ["No. KK", "No KK", "Nomor KK", "No. Kartu Keluarga"],
    "nama": ["Nama Lengkap", "Nama", "NAMA LENGKAP", "nama lengkap"],
    "lp": ["L/P", "L / P", "Jenis Kelamin"],
    "tempat": ["Tempat Lahir", "Tmp Lahir", "TEMPAT LAHIR"],
    "dob": ["Tgl Lahir", "Tanggal Lahir", "TANGGAL LAHIR"],
    "umur": ["Umur", "UMUR"],
    "alamat": ["Alamat", "ALAMAT"],
    "rt": ["RT", "Rt"],
    "rw": ["RW", "Rw"],
    "desa": ["Desa/Kelurahan", "Desa", "Desa/Kel.", "DESA/KELURAHAN"],
    "ppks": ["Jenis PPKS", "JENIS PPKS", "jenis ppks"],
    "bentuk": ["Bentuk Penanganan", "BENTUK PENANGANAN"],
    "tgl": ["Tanggal Penanganan", "Tgl Penanganan", "Tgl. Penanganan"],
    "ket": ["Keterangan", "Ket.", "KETERANGAN"],
    "hp": ["No HP", "No. HP"],
}
TKSK_ORDERS = [
    "no nik kk nama lp tempat dob alamat rt rw desa ppks bentuk tgl ket",
    "no nama nik kk lp tempat dob alamat rt hp rw desa ppks bentuk tgl ket",
    "no nik nama kk lp dob tempat desa alamat rt rw ppks tgl bentuk ket",
]
PSM_HEADERS = {
    "no": ["NO", "No"],
    "nama": ["NAMA", "Nama", "NAMA LENGKAP"],
    "nik": ["NIK", "NO NIK"],
    "kk": ["NO KK", "NO. KK"],
    "ttl": ["TEMPAT, TANGGAL LAHIR", "TTL", "TEMPAT, TGL LAHIR"],
    "jk": ["JENIS KELAMIN", "JK"],
    "alamat": ["ALAMAT", "Alamat"],
    "desa": ["DESA", "Desa"],
    "kec": ["KECAMATAN", "Kecamatan", "KEC"],
    "kab": ["KABUPATEN", "KAB/KOTA"],
    "ppks": ["JENIS PPKS", "Jenis PPKS"],
    "kondisi": ["KONDISI", "Kondisi"],
    "psm": ["NAMA PSM"],
}
PSM_ORDERS = [
    "no nama nik kk ttl jk alamat desa kec kab ppks kondisi psm",
    "no nik kk nama ttl jk alamat desa kec kab ppks kondisi",
]
SLRT_COLUMNS = [
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
SHEET_NAMES = {
    "PPKS-08": ["Lansia", "Lansia Terlantar", "LANJUT USIA"],
    "PPKS-09": ["Disabilitas", "Penyandang Disabilitas", "DIFABEL"],
    "PPKS-24": ["Fakir Miskin", "Keluarga Miskin", "MISKIN"],
    "PPKS-02": ["Anak Terlantar", "ANAK TERLANTAR"],
    "PPKS-01": ["Balita Terlantar", "ABT"],
    "PPKS-05": ["Anak Disabilitas", "ADK"],
}


@dataclass
class Sheet:
    name: str
    rows: list[list[object]] = field(default_factory=list)

    def add(self, cells: list[object]) -> int:
        self.rows.append(cells)
        return len(self.rows)  # the row number Excel shows


class Inbox:
    """Turns the world into report files and their truth."""

    def __init__(self, world: World, out: Path, rng: random.Random):
        self.w = world
        self.r = rng
        self.dmg = Damage(rng, world)
        self.out = out
        self.truth: list[dict] = []
        self.files: list[dict] = []
        self.names: set[str] = set()
        self.tpl: dict[str, dict] = {}
        self.visitors = 0

    # -- plan: who appears where
    def plan(self):
        r, w = self.r, self.w
        tksk: dict[tuple[str, int], list] = {}
        psm: dict[str, list] = {}
        slrt: dict[str, list] = {}
        for p in w.persons:
            kab = p.home.kab
            n = 0
            if r.random() < 0.6:
                k = r.choices([1, 2, 3, 4], [40, 30, 20, 10])[0]
                for m in sorted(r.sample(range(len(MONTHS)), k)):
                    place = w.wander(kab) if p.homeless else p.place_in(m)
                    tksk.setdefault((place.kec, m), []).append((p, place))
                    n += 1
            if p.home.desa in w.psm_desas and r.random() < 0.6:
                cats = p.cats if len(p.cats) > 1 and r.random() < 0.2 else p.cats[:1]
                for code in cats:
                    psm.setdefault(p.home.desa, []).append((p, p.home, code))
                    n += 1
            if r.random() < 0.35 or n == 0:
                for _ in range(r.choices([1, 2, 3, 4], [55, 25, 12, 8])[0]):
                    m = r.randrange(len(MONTHS))
                    day = dt.date(*MONTHS[m], r.randint(1, 28))
                    place = w.wander(kab) if p.homeless else p.place_in(m)
                    slrt.setdefault(place.kab, []).append((day, p, place))
        return tksk, psm, slrt

    def file_name(self, folder: str, name: str) -> str:
        stem, ext = name.rsplit(".", 1)
        candidate, n = name, 1
        while candidate.lower() in self.names:
            n += 1
            candidate = f"{stem} ({n}).{ext}"
        self.names.add(candidate.lower())
        return candidate

    def record(self, source: str, file: str, sheet: str, row: int, p: Person | None, **kw):
        reject = [k for k in ("place", "category", "no_name") if k in kw.get("reject", ())]
        pl: Place | None = kw.get("place")
        t = {
            "source_file": file,
            "sheet": sheet,
            "row_number": row,
            "person_id": p.pid if p else kw.get("pid", ""),
            "expected": "reject" if reject else "load",
            "reject_kind": "|".join(reject),
            "nik": p.nik if p else kw.get("nik", ""),
            "kk": p.kk if p else "",
            "nama": p.name if p else kw.get("nama", ""),
            "dob": p.dob.isoformat() if p else "",
            "gender": p.gender if p else "",
            "kode_kecamatan": kw.get("kec", pl.kec if pl else ""),
            "kode_desa": kw.get("desa", pl.desa if pl else ""),
            "ppks_kode": kw.get("code", ""),
            "source": source,
            "folder": source,
            "bulan": kw.get("bulan", ""),
            "id_layanan": kw.get("id_layanan", ""),
            "noise": "|".join(dict.fromkeys(kw.get("tags", []))),
        }
        for k in ("w_nik", "w_nik_type", "w_kk", "w_kk_type", "w_nama", "w_dob", "w_dob_type"):
            t[k] = kw.get(k, "")
        for k in ("w_gender", "w_desa", "w_kecamatan", "w_kabupaten", "w_kode_wilayah", "w_ppks"):
            t[k] = kw.get(k, "")
        self.truth.append(t)

    def person_cells(self, p: Person, source: str, numeric: bool, rejectable: bool = True):
        """The values every template has: name, NIK, KK (with their truth and tags)."""
        d = self.dmg
        nama, tags = d.name(p, source)
        if rejectable and self.r.random() < 0.004:
            nama, tags = self.r.choice(["", "?", "-", "123"]), [*tags, "reject_no_name"]
        nik = d.ident(p.nik, kind="nik", numeric=numeric, holder=p)
        kk = d.ident(p.kk, kind="kk", numeric=numeric)
        kw = {
            "w_nama": nama,
            "w_nik": nik[1],
            "w_nik_type": nik[2],
            "w_kk": kk[1],
            "w_kk_type": kk[2],
        }
        reject = ["no_name"] if "reject_no_name" in tags else []
        return nama, nik[0], kk[0], [*tags, *nik[3], *kk[3]], kw, reject

    # -- TKSK
    def tksk_template(self, kec: str) -> dict:
        if kec not in self.tpl:
            r = self.r
            order = r.choice(TKSK_ORDERS).split()
            umur = r.random() < 0.25
            if umur:
                order[order.index("dob")] = "umur"
            self.tpl[kec] = {
                "order": order,
                "headers": {k: r.choice(v) for k, v in TKSK_HEADERS.items()},
                "date": r.choice(CELL_STYLES),
                "gender": r.choice(["LP", "LP", "LKPR", "long"]),
                "numeric": r.random() < 0.2,
                "next_cell": r.random() < 0.3,
                "banner": r.random() < 0.7,
                "sheet": r.choice(["Laporan", "Sheet1", "Data", "Lap Bulanan", "LAPORAN TKSK"]),
                "named": r.random() < 0.65,
                "rt": r.choice(["2", "02", "002", "num"]),
                "kec_form": r.choice(["{}", "{}", "{}", "Kec. {}", "Kec {}"]),
                "kab_form": r.choice(["Kab. {}", "Kabupaten {}", "{}", "KAB {}", "Kab {}"]),
            }
        return self.tpl[kec]

    def title_value(self, form: str, name: str, truncate: float, bad: float):
        r = self.r
        tags = []
        if r.random() < bad:
            name = misspell(r, name)
            tags.append("title_misspelled")
        elif len(name) > 8 and r.random() < truncate:
            name = name[: r.randint(5, 7)]
            tags.append("title_truncated")
        text, _ = in_case(r, form.format(name), 0.5)
        return text, tags

    def write_tksk(self, kec: str, m: int, entries: list) -> None:
        r, w = self.r, self.w
        tpl = self.tksk_template(kec)
        kab = kec.rsplit(".", 1)[0]
        year, month = MONTHS[m]
        bulan = BULAN[month - 1]
        kec_name, kab_name = w.name_of(kec), w.name_of(kab)
        if tpl["named"]:
            name = r.choice(
                [
                    f"Laporan TKSK {kec_name} {bulan} {year}.xlsx",
                    f"LAP_BULANAN_TKSK_{kec_name.upper().replace(' ', '_')}_{month:02d}_{year}"
                    ".xlsx",
                    f"LAPORAN {bulan.upper()} KEC {kec_name.upper()}.xlsx",
                ]
            )
        else:
            name = r.choice(
                [
                    f"Laporan Bulanan {bulan} {year}.xlsx",
                    f"LAP TKSK {month:02d}-{year}.xlsx",
                    f"laporan_tksk_{year}{month:02d}.xlsx",
                    f"Laporan {bulan}.xlsx",
                ]
            )
        file = self.file_name("tksk", name)
        kec_text, title_tags = self.title_value(tpl["kec_form"], kec_name, 0.03, 0.07)
        kota = kab >= "35.71" and "kab" in tpl["kab_form"].lower()
        kab_form = "Kota {}" if kota else tpl["kab_form"]
        kab_text, kab_tags = self.title_value(kab_form, kab_name, 0.0, 0.03)
        title_tags += ["title_kab_misspelled" for _ in kab_tags]
        if not tpl["named"]:
            title_tags.append("file_no_place")
        sheet = Sheet(tpl["sheet"])
        ncols = len(tpl["order"])
        if tpl["banner"]:
            sheet.add([r.choice(["LAPORAN BULANAN TKSK", "Laporan Bulanan TKSK"])])
        label_kab = "Kota" if kab >= "35.71" else "Kabupaten"
        for label, value in (
            ("Kecamatan", kec_text),
            (label_kab, kab_text),
            ("Bulan", f"{bulan} {year}"),
        ):
            label = label.upper() if r.random() < 0.2 else label
            if tpl["next_cell"]:
                sheet.add([f"{label} :" if r.random() < 0.5 else label, value])
            else:
                sheet.add([f"{label} : {value}"])
        sheet.add([])
        sheet.add([tpl["headers"][k] for k in tpl["order"]])
        entries = sorted(entries, key=lambda e: (e[1].desa, r.random()))
        for i, (p, place) in enumerate(entries, start=1):
            cells, info = self.tksk_row(tpl, p, place, m, i)
            row = sheet.add([cells.get(k) for k in tpl["order"]])
            info["tags"] = [*info["tags"], *title_tags]
            self.record("tksk", file, sheet.name, row, p, place=place, **info)
        if r.random() < 0.04:
            jumlah = [None] * ncols
            jumlah[0] = "JUMLAH"
            jumlah[-1] = f"{len(entries)} orang"
            row = sheet.add(jumlah)
            self.record(
                "tksk",
                file,
                sheet.name,
                row,
                None,
                reject=("no_name", "category"),
                place=Place(kab, kec, "", "", None, None),
                tags=["jumlah_line"],
            )
        self.stray_rows(sheet, entries, lambda p, pl: self.tksk_row(tpl, p, pl, m, 0)[0], tpl)
        sheet.add([])
        sheet.add([None, f"{kab_name}, {28} {bulan} {year}"])
        sheet.add([None, "TKSK Kecamatan" + (f" {kec_name}" if r.random() < 0.5 else "")])
        sheet.add([])
        sheet.add([None, r.choice(PETUGAS).upper()])
        self.save_xlsx("tksk", file, [sheet], f"tksk kec {kec} bulan {year}-{month:02d}")

    def stray_rows(self, sheet: Sheet, entries, make, tpl) -> None:
        """Rows below an empty row that look like data: not data, not in the truth."""
        if entries and self.r.random() < 0.04:
            sheet.add([])
            for p, pl in self.r.sample(entries, min(len(entries), self.r.randint(1, 3))):
                cells = make(p, pl)
                sheet.add([cells.get(k) for k in tpl["order"]])

    def tksk_row(self, tpl: dict, p: Person, place: Place, m: int, no: int):
        r, d, w = self.r, self.dmg, self.w
        nama, nik, kk, tags, kw, reject = self.person_cells(p, "tksk", tpl["numeric"])
        ref = dt.date(*MONTHS[m], r.randint(1, 28))
        cells: dict[str, object] = {"no": Num(no) if r.random() < 0.9 else str(no)}
        cells |= {"nama": nama or None, "nik": nik, "kk": kk}
        g, kw["w_gender"], gt = d.gender(p, tpl["gender"])
        cells["lp"] = g
        cells["tempat"] = p.tempat.upper() if r.random() < 0.9 else None
        umur = "umur" in tpl["order"]
        cell, kw["w_dob"], kw["w_dob_type"], dt_tags = d.dob(
            p, tpl["date"], ref, umur, styles=CELL_STYLES
        )
        cells["umur" if umur else "dob"] = cell
        alamat, at = d.formula_like(in_case(r, place.alamat, 0.6)[0], "alamat")
        cells["alamat"] = alamat
        rt_missing = place.rt is None or r.random() < 0.08
        for key, value in (("rt", place.rt), ("rw", place.rw)):
            if rt_missing:
                cells[key] = r.choice(["-", None])
            elif tpl["rt"] == "num":
                cells[key] = Num(value)
            else:
                cells[key] = f"{value:0{len(tpl['rt'])}d}"
        prefixes = ["Kel."] if place.desa[9] == "1" else ["Ds.", "Desa"]
        desa, desa_tags = d.place_name(
            w.name_of(place.desa),
            prefixes if r.random() < 0.2 else [],
            "desa",
            blank=0.3 if p.homeless else 0.02,
        )
        cells["desa"] = desa or None
        code = r.choice(p.cats)
        ppks, ppks_tags = d.category(code)
        cells["ppks"] = ppks or None
        if "reject_category" in ppks_tags:
            reject.append("category")
        cells["bentuk"] = r.choice(PENANGANAN)
        cells["tgl"] = fmt_date(ref, tpl["date"] if tpl["date"] != "serial" else "date")[0]
        ket, kt = d.formula_like(r.choice(KETERANGAN) if r.random() < 0.6 else "", "keterangan")
        cells["ket"] = ket or None
        cells["hp"] = f"08{r.randint(10**9, 10**10 - 1)}" if r.random() < 0.4 else None
        kw |= {"w_desa": desa, "w_ppks": ppks, "code": code, "bulan": f"{ref:%Y-%m}"}
        tags += gt + dt_tags + at + desa_tags + ppks_tags + kt
        if place.kec != p.home.kec and not p.homeless:
            tags.append("moved_kecamatan")
        if p.homeless:
            tags.append("homeless")
        return cells, {**kw, "tags": tags, "reject": reject}

    # -- PSM
    def write_psm(self, desa: str, entries: list) -> None:
        r, w = self.r, self.w
        kec = desa.rsplit(".", 1)[0]
        desa_name, kec_name = w.name_of(desa), w.name_of(kec)
        order = r.choice(PSM_ORDERS).split()
        layout = r.choices(["per_cat", "single", "per_cat_col"], [55, 35, 10])[0]
        if layout == "per_cat":
            order.remove("ppks")
        tpl = {
            "order": order,
            "headers": {k: r.choice(v) for k, v in PSM_HEADERS.items()},
            "date": r.choice(TEXT_STYLES),
            "gender": r.choice(["long", "pw", "LP", "LKPR"]),
            "numeric": r.random() < 0.3,
            "title": r.choice([0, 1, 1, 2]),
            "rt": r.choice(
                ["RT {:03d} RW {:03d}", "RT {} RW {}", "RT.{:02d}/RW.{:02d}", "{:03d}/{:03d}"]
            ),
        }
        if r.random() < 0.75:
            name = r.choice(
                [
                    f"Data PPKS Desa {desa_name}.xlsx",
                    f"PPKS {desa_name.upper()} 2026.xlsx",
                    f"data_ppks_{desa_name.lower()}_{kec_name.lower()}.xlsx",
                    f"DATA PMKS {desa_name}.xlsx",
                ]
            )
        else:
            name = r.choice(["Data PPKS 2026.xlsx", "PSM update.xlsx", "DATA PMKS.xlsx"])
        file = self.file_name("psm", name)
        file_tags = [] if desa_name.lower() in name.lower() else ["file_no_place"]
        # visitors from outside Jawa Timur, listed by the PSM where they stay
        entries = list(entries)
        for _ in range(sum(r.random() < 0.005 for _ in entries)):
            entries.append((None, None, r.choice(["PPKS-24", "PPKS-08", "PPKS-11"])))
        r.shuffle(entries)
        entries.sort(key=lambda e: e[0].kk if e[0] and e[0].kk else "~")  # families together
        groups: dict[str, list] = {}
        if layout == "single":
            groups[r.choice(["DATA", "Sheet1", "PPKS"])] = entries
        else:
            for e in entries:
                code = e[2]
                names = SHEET_NAMES.get(code) or [w.cat[code]["singkatan"]]
                sheet_name = self.sheet_name_for(code, names, groups)
                groups.setdefault(sheet_name, []).append(e)
        sheets = []
        for sheet_name, rows in groups.items():
            sheet = Sheet(sheet_name)
            title = [f"DATA PPKS DESA {desa_name.upper()}", "DATA PPKS TAHUN 2026"]
            for line in title[: tpl["title"]]:
                sheet.add([line])
            if tpl["title"] == 1 and r.random() < 0.5:
                sheet.add([])
            sheet.add([tpl["headers"][k] for k in tpl["order"]])
            for i, (p, home, code) in enumerate(rows, start=1):
                cells, info = self.psm_row(tpl, p, home, code, i, layout, sheet_name, desa)
                row = sheet.add([cells.get(k) for k in tpl["order"]])
                info["tags"] = [*info["tags"], *file_tags]
                self.record("psm", file, sheet.name, row, p, **info)
            self.stray_rows(
                sheet,
                [(p, h) for p, h, _ in rows if p],
                lambda p, h, name=sheet_name: self.psm_row(
                    tpl, p, h, p.cats[0], 0, layout, name, desa
                )[0],
                tpl,
            )
            if r.random() < 0.3:
                sheet.add([])
                sheet.add([None, "Mengetahui,"])
                sheet.add([None, f"Kepala Desa {desa_name}"])
            sheets.append(sheet)
        if r.random() < 0.1:
            sheets.append(Sheet(r.choice(["Sheet2", "Sheet3"])))
            if r.random() < 0.5:
                sheets[-1].add([tpl["headers"][k] for k in tpl["order"]])
        if layout == "per_cat" and r.random() < 0.02:  # a sheet that names no category
            extra = Sheet(r.choice(["Tambahan", "Susulan"]))
            extra.add([tpl["headers"][k] for k in tpl["order"]])
            people = [(p, h, c) for p, h, c in entries if p][: r.randint(1, 3)]
            for i, (p, home, code) in enumerate(people, start=1):
                cells, info = self.psm_row(tpl, p, home, code, i, layout, extra.name, desa)
                row = extra.add([cells.get(k) for k in tpl["order"]])
                info["reject"] = [*info["reject"], "category"]
                info["tags"] = [*info["tags"], "reject_category_sheet"]
                self.record("psm", file, extra.name, row, p, **info)
            sheets.append(extra)
        self.save_xlsx("psm", file, sheets, f"psm desa {desa} layout={layout}")

    def sheet_name_for(self, code: str, names: list[str], groups: dict) -> str:
        for existing in groups:
            if existing in names or existing.lower() in (n.lower() for n in names):
                return existing
        choice = self.r.choice(names)
        return choice if choice not in groups else f"{choice} 2"

    def psm_row(self, tpl, p, home, code, no, layout, sheet_name, desa):
        r, d, w = self.r, self.dmg, self.w
        if p is None:  # a visitor from outside Jawa Timur
            return self.visitor_psm(tpl, code, no, layout)
        nama, nik, kk, tags, kw, reject = self.person_cells(p, "psm", tpl["numeric"])
        cells: dict[str, object] = {"no": Num(no) if r.random() < 0.85 else str(no)}
        cells |= {"nama": nama or None, "nik": nik, "kk": kk}
        ref = dt.date(2026, 10, 1)
        dob, kw["w_dob"], kw["w_dob_type"], dt_tags = d.dob(p, tpl["date"], ref, False)
        tempat = p.tempat.upper() if r.random() < 0.9 else ""
        sep = ", " if r.random() < 0.9 else (" " if r.random() < 0.5 else ",")
        ttl = f"{tempat}{sep}{dob}" if tempat and dob else (tempat or dob or "")
        if sep != ", " and tempat and dob:
            dt_tags = [*dt_tags, "ttl_no_comma"]
        cells["ttl"] = ttl or None
        kw["w_dob_type"] = "str" if dob else ""
        g, kw["w_gender"], gt = d.gender(p, tpl["gender"])
        cells["jk"] = g
        alamat = in_case(r, home.alamat, 0.6)[0]
        if home.rt is not None and r.random() >= 0.08:
            alamat = f"{alamat} {tpl['rt'].format(home.rt, home.rw)}"
        alamat, at = d.formula_like(alamat, "alamat")
        cells["alamat"] = alamat
        prefixes = ["Kel."] if home.desa[9] == "1" else ["Ds.", "Desa"]
        cells["desa"], desa_tags = d.place_name(
            w.name_of(home.desa), prefixes if r.random() < 0.2 else [], "desa", blank=0.02
        )
        kec_name = w.name_of(home.kec)
        cells["kec"], kec_tags = d.place_name(
            kec_name, ["Kec.", "KEC.", "Kecamatan"], "kec", blank=0.03
        )
        kab_name = w.name_of(home.kab)
        kab_prefix = ["Kota"] if home.kab >= "35.71" else ["Kab.", "Kabupaten", "KAB"]
        cells["kab"], kab_tags = d.place_name(kab_name, kab_prefix, "kab", blank=0.03, bad=0.03)
        ppks_tags: list[str] = []
        if layout != "per_cat":
            if layout == "per_cat_col" and r.random() < 0.3:
                cells["ppks"], ppks_tags = None, ["ppks_from_sheet"]
            else:
                cells["ppks"], ppks_tags = d.category(code)
                if "reject_category" in ppks_tags:
                    if layout == "per_cat_col" and not cells["ppks"]:
                        ppks_tags = ["ppks_from_sheet"]
                    else:
                        reject.append("category")
        kondisi, kt = d.formula_like(r.choice(KETERANGAN), "keterangan")
        cells["kondisi"] = kondisi
        cells["psm"] = None
        kw |= {
            "w_desa": cells["desa"],
            "w_kecamatan": cells["kec"],
            "w_kabupaten": cells["kab"],
            "w_ppks": cells.get("ppks") or "",
            "code": code,
        }
        for k in ("desa", "kec", "kab"):
            cells[k] = cells[k] or None
        tags += dt_tags + gt + at + desa_tags + kec_tags + kab_tags + ppks_tags + kt
        if p.homeless:
            tags.append("homeless")
        return cells, {**kw, "tags": tags, "reject": reject, "place": home}

    def visitor(self) -> tuple[str, str, tuple, str, str]:
        r = self.r
        self.visitors += 1
        place = r.choice(OUTSIDE)
        gender = r.choice("LP")
        given = r.choice(JAVA_M + ARAB_M if gender == "L" else JAVA_F + ARAB_F)
        name = f"{given} {r.choice(SURNAMES)}"
        dob = dt.date(r.randint(1940, 2005), r.randint(1, 12), r.randint(1, 28))
        day = dob.day + (40 if gender == "P" else 0)
        nik = place[0][:8].replace(".", "") + f"{day:02d}{dob:%m%y}{r.randint(1, 999):04d}"
        return f"X{self.visitors:06d}", name, place, nik, dob.isoformat()

    def visitor_psm(self, tpl, code, no, layout):
        r = self.r
        pid, name, place, nik, dob = self.visitor()
        d = dt.date.fromisoformat(dob)
        cells = {
            "no": Num(no),
            "nama": name.upper(),
            "nik": nik,
            "kk": None,
            "ttl": f"{place[3].replace('Kota ', '').upper()}, {fmt_date(d, tpl['date'])[1]}",
            "jk": None,
            "alamat": f"JL. {r.choice(JALAN).upper()} NO. {r.randint(1, 99)}",
            "desa": place[1].upper(),
            "kec": place[2].upper(),
            "kab": place[3].upper(),
            "ppks": self.w.cat[code]["nama"] if layout != "per_cat" else None,
            "kondisi": r.choice(KETERANGAN),
        }
        kec_code = place[0].rsplit(".", 1)[0]
        info = {
            "pid": pid,
            "nama": name,
            "nik": nik,
            "kec": kec_code,
            "desa": place[0],
            "code": code,
            "reject": ["place"],
            "tags": ["reject_place", "outside_jatim"],
            "w_nama": cells["nama"],
            "w_nik": nik,
            "w_nik_type": "str",
            "w_desa": cells["desa"],
            "w_kecamatan": cells["kec"],
            "w_kabupaten": cells["kab"],
        }
        return cells, info

    # -- SLRT
    def slrt_events(self, kab: str, events: list) -> list[dict]:
        """Every service event of a kabupaten as the application stores it."""
        r, d, w = self.r, self.dmg, self.w
        events = sorted(events, key=lambda e: (e[0], e[1].pid))
        for _ in range(sum(r.random() < 0.003 for _ in events)):
            m = r.randrange(len(MONTHS))
            events.append((dt.date(*MONTHS[m], r.randint(1, 28)), None, None))
        events.sort(key=lambda e: e[0])
        out = []
        for seq, (day, p, place) in enumerate(events, start=1):
            ev = {"id_layanan": f"SLRT-{kab.replace('.', '')}-{seq:06d}", "day": day}
            if p is None:
                pid, name, outside, nik, dob = self.visitor()
                ev |= {
                    "p": None,
                    "pid": pid,
                    "truth_nama": name,
                    "nama": name.upper(),
                    "nik": nik,
                    "nik_tags": [],
                    "kk": "",
                    "kk_tags": [],
                    "gender": "",
                    "dob": dob,
                    "dob_tags": [],
                    "alamat": "-",
                    "kode": outside[0].replace(".", ""),
                    "desa": outside[1].upper(),
                    "kec": outside[0].rsplit(".", 1)[0],
                    "desa_code": outside[0],
                    "code": "PPKS-24",
                    "kategori": "PPKS-24",
                    "tags": ["reject_place", "outside_jatim"],
                    "reject": ["place"],
                }
                out.append(ev)
                continue
            nama, tags = d.name(p, "slrt")
            reject = []
            if r.random() < 0.002:
                nama, tags, reject = "", [*tags, "reject_no_name"], ["no_name"]
            nik = d.ident(p.nik, kind="nik", numeric=False, holder=p)
            kk = d.ident(p.kk, kind="kk", numeric=False)
            if p.dob_known:
                x = r.random()
                dob, dob_tags = p.dob.isoformat(), []
                if x < 0.04:
                    dob, dob_tags = "", ["dob_blank"]
                elif x < 0.07 and p.dob.day <= 12 and p.dob.day != p.dob.month:
                    dob = dt.date(p.dob.year, p.dob.day, p.dob.month).isoformat()
                    dob_tags = ["dob_swapped"]
            elif r.random() < 0.5:
                dob, dob_tags = "", ["dob_blank"]
            else:
                year = p.guess_year(r)
                dob = f"{year}-{r.choice(['01-01', '07-01', '12-31'])}"
                dob_tags = ["dob_placeholder_est"]
            alamat = place.alamat.upper()
            if place.rt is not None:
                alamat += f" RT {place.rt:03d} RW {place.rw:03d}"
            alamat, at = d.formula_like(alamat, "alamat")
            kode = place.desa.replace(".", "")
            x = r.random()
            kode_tags = []
            if x < 0.03:
                kode, kode_tags = place.desa, ["kode_wilayah_dotted"]
            elif x < 0.05:
                kode_tags = ["kode_wilayah_number"]
            code = r.choice(p.cats)
            kategori = code
            if r.random() < 0.005:
                kategori, reject = "", [*reject, "category"]
                kode_tags.append("reject_category")
            gender = "" if r.random() < 0.03 else ("1" if p.gender == "L" else "2")
            ev |= {
                "p": p,
                "nama": nama,
                "nik": nik[1],
                "nik_tags": nik[3],
                "kk": kk[1],
                "kk_tags": kk[3],
                "gender": gender,
                "dob": dob,
                "dob_tags": dob_tags,
                "alamat": alamat,
                "kode": kode,
                "desa": w.name_of(place.desa).upper(),
                "kec": place.kec,
                "desa_code": place.desa,
                "code": code,
                "kategori": kategori,
                "tags": tags
                + at
                + kode_tags
                + (["gender_blank"] if not gender else [])
                + (["homeless"] if p.homeless else []),
                "reject": reject,
            }
            out.append(ev)
        for ev in out:
            ev |= {
                "keluhan": r.choice(KELUHAN),
                "program": r.choice(PROGRAM),
                "status": r.choice(STATUS),
                "petugas": r.choice(PETUGAS),
            }
        return out

    def write_slrt(self, kab: str, events: list[dict], months: tuple[int, ...], reexport: bool):
        r = self.r
        chosen = [
            e for e in events if (e["day"].year, e["day"].month) in [MONTHS[m] for m in months]
        ]
        if not chosen:
            return
        first, last = MONTHS[months[0]], MONTHS[months[-1]]
        kab_name = self.w.name_of(kab).lower().replace(" ", "_")
        period = f"{first[0]}{first[1]:02d}-{last[1]:02d}"
        as_csv = r.random() < 0.6
        if as_csv:
            encoding = r.choices(["utf-8", "utf-8-sig", "cp1252", "utf-16"], [40, 25, 20, 15])[0]
            resaved = encoding in ("cp1252", "utf-16")
            nik_style = (
                r.choices(["num15", "sci", "intact"], [60, 10, 30])[0] if resaved else "intact"
            )
            dmy = resaved and r.random() < 0.5
            name = f"export_layanan_{kab_name}_{period}.csv"
            if reexport:
                name = f"export_ulang_{kab_name}_{period}.csv"
            file = self.file_name("slrt", name)
            self.slrt_csv(file, chosen, encoding, nik_style, dmy)
        else:
            numeric = r.random() < 0.5
            name = f"data_layanan_slrt_{kab_name}_{period}.xlsx"
            file = self.file_name("slrt", name)
            self.slrt_xlsx(file, chosen, numeric)

    def slrt_value(self, ev: dict, key: str, nik_style: str, dmy: bool, tags: list[str]):
        value = ev[key]
        if key in ("nik", "kk") and value.isdigit() and len(value) == 16:
            if nik_style == "num15":
                tags.append(f"{key}_excel")
                return value[:15] + "0"
            if nik_style == "sci":
                tags.append(f"{key}_scientific")
                return f"{float(value[:15] + '0'):.5E}".replace("E+0", "E+").replace(".00000", "")
        if key in ("dob", "day") and dmy and value:
            d = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            if key == "dob":
                tags.append("date_dmy_resaved")
            return f"{d:%d/%m/%Y}"
        return value.isoformat() if isinstance(value, dt.date) else value

    def slrt_csv(self, file: str, events: list[dict], encoding: str, nik_style: str, dmy: bool):
        r = self.r
        delimiter = r.choice([",", ";"])
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(SLRT_COLUMNS)
        for line, ev in enumerate(events, start=2):
            tags = [*ev["tags"], *ev["nik_tags"], *ev["kk_tags"], *ev["dob_tags"]]
            row = self.slrt_cells(
                ev, lambda k, ev=ev, tags=tags: self.slrt_value(ev, k, nik_style, dmy, tags)
            )
            writer.writerow(["" if v is None else v for v in row])
            tags.append(f"csv_{encoding}")
            self.record_slrt(file, "", line, ev, row, tags)
        data = buf.getvalue().encode(encoding, errors="replace")
        self.save_bytes("slrt", file, data, f"slrt kab csv {encoding} nik={nik_style} dmy={dmy}")

    def slrt_cells(self, ev: dict, value) -> list:
        keys = {
            "id_layanan": "id_layanan",
            "tanggal_layanan": "day",
            "nik": "nik",
            "no_kk": "kk",
            "nama": "nama",
            "jenis_kelamin": "gender",
            "tanggal_lahir": "dob",
            "alamat": "alamat",
            "kode_wilayah": "kode",
            "nama_desa": "desa",
            "jenis_keluhan": "keluhan",
            "kategori_ppks": "kategori",
            "program_rujukan": "program",
            "status_rujukan": "status",
            "petugas": "petugas",
        }
        return [value(keys[c]) for c in SLRT_COLUMNS]

    def record_slrt(self, file, sheet, row, ev, written, tags):
        p = ev["p"]
        info = {
            "reject": ev["reject"],
            "tags": tags,
            "id_layanan": ev["id_layanan"],
            "bulan": f"{ev['day']:%Y-%m}",
            "code": ev["code"],
            "kec": ev["kec"],
            "desa": ev["desa_code"],
            "w_nama": written[4] or "",
            "w_nik": str(written[2] or ""),
            "w_kk": str(written[3] or ""),
            "w_dob": str(written[6] or ""),
            "w_kode_wilayah": str(written[8] or ""),
            "w_desa": written[9],
            "w_ppks": ev["kategori"],
            "w_gender": ev["gender"],
        }
        if p is None:
            info |= {"pid": ev["pid"], "nama": ev["truth_nama"], "nik": ev["nik"]}
        self.record("slrt", file, sheet, row, p, **info)

    def slrt_xlsx(self, file: str, events: list[dict], numeric: bool):
        sheet = Sheet("Data Layanan")
        sheet.add(list(SLRT_COLUMNS))
        for ev in events:
            tags = [*ev["tags"], *ev["nik_tags"], *ev["kk_tags"], *ev["dob_tags"]]
            row = self.slrt_cells(ev, lambda k, ev=ev: self.slrt_value(ev, k, "intact", False, []))
            cells: list[object] = [v or None for v in row]
            for i in (2, 3):
                v = row[i]
                if numeric and v.isdigit() and len(v) == 16:
                    cells[i] = Num(float(v[:15] + "0"), "0")
                    row[i] = v[:15] + "0"
                    tags.append("nik_excel" if i == 2 else "kk_excel")
            if row[5]:
                cells[5] = Num(int(row[5]))
            if "kode_wilayah_number" in tags:
                cells[8] = Num(int(row[8]))
            n = sheet.add(cells)
            self.record_slrt(file, sheet.name, n, ev, row, tags)
        self.save_xlsx("slrt", file, [sheet], "slrt kab xlsx" + (" numeric nik" if numeric else ""))

    # -- files
    def save_xlsx(self, folder: str, file: str, sheets: list[Sheet], note: str) -> None:
        path = self.out / "inbox" / folder / file
        wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
        wb.set_properties({"created": FIXED_TIME, "author": "Operator"})
        date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        formats = {"": None, "0": wb.add_format({"num_format": "0"})}
        for sheet in sheets:
            ws = wb.add_worksheet(sheet.name)
            for i, row in enumerate(sheet.rows):
                for j, v in enumerate(row):
                    if v is None or v == "":
                        continue
                    if isinstance(v, Num):
                        ws.write_number(i, j, v.value, formats[v.fmt])
                    elif isinstance(v, dt.date):
                        ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), date_fmt)
                    else:
                        ws.write_string(i, j, str(v))
        wb.close()
        self.files.append({"source_file": file, "folder": folder, "expected": "load", "note": note})

    def save_bytes(self, folder: str, file: str, data: bytes, note: str, expected="load"):
        path = self.out / "inbox" / folder / file
        with open(path, "wb") as f:
            f.write(data)
        self.files.append(
            {"source_file": file, "folder": folder, "expected": expected, "note": note}
        )

    def odd_files(self) -> None:
        """Files that are not what they claim: each is rejected whole."""
        r = self.r
        empty = self.file_name("tksk", "Laporan TKSK November 2026.xlsx")
        wb = xlsxwriter.Workbook(str(self.out / "inbox" / "tksk" / empty))
        wb.set_properties({"created": FIXED_TIME})
        wb.add_worksheet("Sheet1")
        wb.close()
        self.files.append(
            {"source_file": empty, "folder": "tksk", "expected": "reject", "note": "empty workbook"}
        )
        kec = sorted(self.tpl)[0]
        wrong = Sheet("Laporan")
        tpl = self.tpl[kec]
        wrong.add([f"Kecamatan : {self.w.name_of(kec)}"])
        wrong.add([f"Kabupaten : {self.w.name_of(kec[:5])}"])
        wrong.add(["Bulan : Oktober 2026"])
        wrong.add([])
        wrong.add([tpl["headers"][k] for k in tpl["order"]])
        people = [p for p in self.w.persons if p.home.kec == kec][:3]
        for p in people:
            cells, _ = self.tksk_row(tpl, p, p.home, 3, 1)
            wrong.add([cells.get(k) for k in tpl["order"]])
        name = self.file_name("psm", f"Data PPKS Desa {self.w.name_of(kec)} (TKSK).xlsx")
        self.save_xlsx("psm", name, [wrong], "TKSK template in psm/ (header does not match PSM)")
        self.files[-1]["expected"] = "reject"
        noise = bytes(r.randrange(256) for _ in range(2048))
        self.save_bytes(
            "slrt",
            self.file_name("slrt", "rusak.xlsx"),
            b"PK\x03\x04" + noise,
            "corrupt .xlsx",
            "reject",
        )
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise
        self.save_bytes(
            "tksk", self.file_name("tksk", "laporan lama.xls"), ole, ".xls file", "reject"
        )

    def resends(self) -> None:
        """2% of the loadable files arrive again, byte-identical, under another name."""
        r = self.r
        for f in list(self.files):
            if f["expected"] != "load" or r.random() >= 0.02:
                continue
            stem, ext = f["source_file"].rsplit(".", 1)
            suffix = r.choice([" (kirim ulang)", " - Copy", "_revisi", " kirim lagi"])
            copy = self.file_name(f["folder"], f"{stem}{suffix}.{ext}")
            folder = self.out / "inbox" / f["folder"]
            shutil.copyfile(folder / f["source_file"], folder / copy)
            stamp = FIXED_TIME.timestamp() + 3600
            os.utime(folder / copy, (stamp, stamp))
            self.files.append(
                {
                    "source_file": copy,
                    "folder": f["folder"],
                    "expected": f"duplicate_of:{f['source_file']}",
                    "note": "byte-identical resend",
                }
            )

    def write_truth(self) -> None:
        counts: dict[str, int] = {}
        for t in self.truth:
            counts[t["source_file"]] = counts.get(t["source_file"], 0) + 1
        truth = self.out / "truth"
        truth.mkdir(parents=True, exist_ok=True)
        with open(truth / "rows.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=TRUTH_COLUMNS)
            writer.writeheader()
            writer.writerows(self.truth)
        with open(truth / "files.csv", "w", newline="", encoding="utf-8") as f:
            fields = ["source_file", "folder", "expected", "note", "truth_rows"]
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            for row in self.files:
                writer.writerow({**row, "truth_rows": counts.get(row["source_file"], 0)})


def build(out: Path, persons: int, seed: int) -> dict:
    """Write DIR/inbox and DIR/truth; returns counts."""
    world = World(persons, seed)
    inbox = Inbox(world, out, random.Random(seed * 7919 + 1))
    for folder in ("tksk", "psm", "slrt"):
        (out / "inbox" / folder).mkdir(parents=True, exist_ok=True)
    tksk, psm, slrt = inbox.plan()
    for kec, m in sorted(tksk):
        inbox.write_tksk(kec, m, tksk[(kec, m)])
    for desa in sorted(psm):
        inbox.write_psm(desa, psm[desa])
    again = inbox.r.choice(sorted(slrt))
    for kab in sorted(slrt):
        events = inbox.slrt_events(kab, slrt[kab])
        inbox.write_slrt(kab, events, (0, 1), reexport=False)
        inbox.write_slrt(kab, events, (2, 3), reexport=False)
        if kab == again:  # a re-export repeats the events of the months it covers
            inbox.write_slrt(kab, events, (1, 2), reexport=True)
    inbox.odd_files()
    inbox.resends()
    for f in inbox.files:
        path = out / "inbox" / f["folder"] / f["source_file"]
        if not f["expected"].startswith("duplicate_of"):
            os.utime(path, (FIXED_TIME.timestamp(), FIXED_TIME.timestamp()))
    inbox.write_truth()
    return {
        "persons": len(world.persons),
        "kabupaten": world.kabs,
        "files": len(inbox.files),
        "rows": len(inbox.truth),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    old = os.umask(0o077)  # the files hold names and NIKs
    try:
        if (args.out / "inbox").exists():
            parser.error(f"{args.out / 'inbox'} exists: choose an empty --out")
        print(build(args.out, args.persons, args.seed))
    finally:
        os.umask(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
