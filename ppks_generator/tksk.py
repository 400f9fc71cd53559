"""TKSK "Laporan Bulanan": one workbook per kecamatan per month.

A title block (Kecamatan / Kabupaten or Kota / Bulan) names the place, so the
rows do not repeat kecamatan and kabupaten; the header varies in spelling,
order and extra columns; a blank row and a signature block follow the data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ppks_generator import person_names, profile
from ppks_generator.noise import (
    FORMULA_ALAMAT,
    FORMULA_KET,
    MONTHS,
    Rates,
    age_at,
    desa_cell,
    dob_cell,
    formula_like,
    gender_cell,
    id_cell,
    kab_value,
    kec_value,
    misspell,
    name_cell,
    no_category_cell,
    no_name_cell,
    ppks_cell,
    render_date,
    umur_cell,
)
from ppks_generator.population import Kecamatan, Person
from ppks_generator.workbook import Sheet

TITLES = (
    "LAPORAN BULANAN TKSK",
    "Laporan Bulanan TKSK",
    "LAPORAN BULANAN TENAGA KESEJAHTERAAN SOSIAL KECAMATAN",
)
SHEET_NAMES = ("Laporan", "Sheet1", "Data", "Lap Bulanan", "Laporan TKSK", "Rekap")
LABELS = {
    "no": ("No", "No.", "NO"),
    "nik": ("NIK", "Nik", "NIK ", "N I K", "No. NIK"),
    "kk": ("No. KK", "No KK", "Nomor KK", "No. Kartu Keluarga", "NO KK"),
    "nama": ("Nama Lengkap", "NAMA LENGKAP", "Nama", "nama lengkap", "NAMA"),
    "lp": ("L/P", "L / P", "Jenis Kelamin", "L/P ", "JK"),
    "tmp": ("Tempat Lahir", "Tmp. Lahir", "Tmp Lahir", "TEMPAT LAHIR"),
    "tgl": ("Tgl Lahir", "Tanggal Lahir", "Tgl. Lahir", "TGL LAHIR", "TANGGAL LAHIR"),
    "umur": ("Umur", "Umur (tahun)", "UMUR", "Umur (Th)"),
    "alamat": ("Alamat", "ALAMAT"),
    "rt": ("RT", "Rt"),
    "rw": ("RW", "Rw"),
    "desa": ("Desa/Kelurahan", "Desa", "Kelurahan", "Desa/Kel.", "DESA / KELURAHAN"),
    "ppks": ("Jenis PPKS", "JENIS PPKS", "Jns. PPKS", "jenis ppks"),
    "bentuk": ("Bentuk Penanganan", "BENTUK PENANGANAN", "Bentuk penanganan"),
    "tgl_pen": ("Tanggal Penanganan", "Tgl. Penanganan", "Tgl Penanganan"),
    "ket": ("Keterangan", "Ket.", "KETERANGAN"),
    "hp": ("No HP", "No. HP", "No Telp"),
    "kerja": ("Pekerjaan", "PEKERJAAN"),
}
BASE_ORDER = person_names.words(
    "no nik kk nama lp tmp tgl alamat rt rw desa ppks bentuk tgl_pen ket"
)
BENTUK = (
    "Rujukan PKH",
    "Rujukan BPNT",
    "Rujukan RSUD",
    "Rujukan panti",
    "Rujukan ke Dinsos",
    "Pendampingan",
    "Konseling",
    "Home visit",
    "Asesmen",
    "Bantuan sembako",
    "Bantuan tunai",
    "Bantuan alat bantu",
    "Pengurusan KTP/KK",
    "Usulan DTKS",
)
KETERANGAN = (
    "Sudah ditangani",
    "Perlu tindak lanjut",
    "Belum menerima bantuan",
    "Tinggal sendiri",
    "Tinggal dengan anak",
    "Sakit-sakitan",
    "Lumpuh",
    "Tidak punya KTP",
    "Pindahan",
    "Rumah tidak layak huni",
    "Sudah diusulkan DTKS",
    None,
    None,
    None,
)
PEKERJAAN = ("Buruh tani", "Tidak bekerja", "Serabutan", "Petani", "Pedagang kecil", None)
DATE_FORMATS = ("dd-mm-yyyy", "dd/mm/yyyy", "d mmmm yyyy", "yyyy-mm-dd", "dd-mmm-yy")


def month_parts(month: str) -> tuple[int, int]:
    y, m = month.split("-")
    return int(y), int(m)


def month_end(month: str) -> date:
    y, m = month_parts(month)
    return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)


@dataclass(slots=True)
class Layout:
    """Everything that is the same on every row of one report: its author's habits."""

    sheet: str
    title: list[list]
    keys: list[str]
    labels: list[str]
    dob_style: str
    numeric_ids: bool
    name_case: str
    gender_style: str
    ppks_style: str
    desa_case: str
    desa_prefix: str
    rt_style: str
    place_kinds: list[str]
    signature: bool
    jumlah: bool
    date_format: str
    officer: str


@dataclass(slots=True)
class DataRow:
    cells: list
    person: Person | None  # None for a total line
    code: str
    rejects: set[str]
    noise: list[str]


def _title_line(style: str, label: str, value: str) -> list:
    if style == "same":
        return [f"{label} : {value}"]
    if style == "tight":
        return [f"{label}: {value}"]
    if style == "next":
        return [label, f": {value}"]
    if style == "next_colon":
        return [f"{label} :", value]
    return [label, value]


def _title_kec(rng: random.Random, nama: str, kinds: list[str]) -> str:
    """The kecamatan as a TKSK types it in the title: misspelled, or cut short."""
    prof = profile.current()
    if not (prof.title_kec_misspelled or prof.title_kec_truncated):
        return nama
    r = rng.random()
    if r < prof.title_kec_misspelled and len(nama) >= 5:
        kinds.append("kec_misspelled")
        return misspell(rng, nama)
    if r < prof.title_kec_misspelled + prof.title_kec_truncated and len(nama) >= 7:
        kinds.append("kec_truncated")
        return nama[: rng.randint(4, len(nama) - 2)].rstrip()
    return nama


def _title(rng: random.Random, kec: Kecamatan, month: str, officer: str) -> tuple[list, list]:
    kinds: list[str] = []
    case = rng.choices(("title", "upper", "lower"), (65, 30, 5))[0]
    hand = profile.current().hand
    kec_text, k = kec_value(rng, _title_kec(rng, kec.nama, kinds), case, rng.random() < 0.25, hand)
    kinds += k
    form = rng.choices(("plain", "abbrev", "full"), (55, 30, 15))[0]
    kab_text, k = kab_value(
        rng, kec.kab, kec.kota, rng.choice(("title", "title", "upper")), form, hand
    )
    kinds += k
    y, m = month_parts(month)
    bulan = f"{MONTHS[m - 1]} {y}"
    if rng.random() < 0.3:
        bulan = bulan.upper()
    style = rng.choices(("same", "tight", "next", "next_colon", "next_plain"), (50, 10, 25, 10, 5))[
        0
    ]
    upper = rng.random() < 0.2
    labels = (
        ("KECAMATAN", "KOTA" if kec.kota else "KABUPATEN", "BULAN")
        if upper
        else (
            "Kecamatan",
            "Kota" if kec.kota else "Kabupaten",
            "Bulan",
        )
    )
    rows = [[rng.choice(TITLES)]] if rng.random() < 0.75 else []
    rows += [
        _title_line(style, labels[0], kec_text),
        _title_line(style, labels[1], kab_text),
        _title_line(style, labels[2], bulan),
    ]
    if rng.random() < 0.3:
        rows.append(_title_line(style, "Nama TKSK", officer))
    return rows, kinds


def _columns(rng: random.Random) -> list[str]:
    keys = list(BASE_ORDER)
    if rng.random() < 0.4:
        keys[1], keys[2] = keys[2], keys[1]
    if rng.random() < 0.3:
        keys.remove("nama")
        keys.insert(1, "nama")
    if rng.random() < 0.3:
        keys.remove("ppks")
        keys.insert(keys.index("nama") + 1, "ppks")
    if rng.random() < profile.current().umur_layout:
        keys[keys.index("tgl")] = "umur"
    for extra, p in (("hp", 0.2), ("kerja", 0.1)):
        if rng.random() < p:
            keys.insert(rng.randrange(2, len(keys)), extra)
    return keys


def layout(
    rng: random.Random, kec: Kecamatan, month: str, force: frozenset[str] = frozenset()
) -> Layout:
    """A report's habits; ``force`` switches on 'jumlah', 'umur' or 'numeric_ids'."""
    officer = person_names.make_name(rng, rng.choice("LP"), rng.randint(1965, 1995))
    title, place_kinds = _title(rng, kec, month, officer)
    keys = _columns(rng)
    if "umur" in force and "tgl" in keys:
        keys[keys.index("tgl")] = "umur"
    lay = Layout(
        sheet=rng.choice(SHEET_NAMES),
        title=title,
        keys=keys,
        labels=[rng.choice(LABELS[k]) for k in keys],
        dob_style=rng.choices(
            ("date", "dmy", "slash", "long", "iso", "serial", "short"), (45, 15, 10, 15, 5, 5, 5)
        )[0],
        numeric_ids=rng.random() < 0.15,
        name_case=rng.choices(("upper", "title", "lower"), (75, 20, 5))[0],
        gender_style=rng.choices(
            ("LP", "LKPR", "full", "pria", "numtext", "lower"), (70, 10, 8, 5, 4, 3)
        )[0],
        ppks_style=rng.choices(("name", "mixed", "code", "abbrev", "alias"), (35, 30, 15, 10, 10))[
            0
        ],
        desa_case=rng.choices(("title", "upper", "lower"), (50, 45, 5))[0],
        desa_prefix="" if rng.random() < 0.85 else rng.choice(("Ds. ", "Desa ", "Ds ")),
        rt_style=rng.choice(("pad3", "pad2", "num", "mixed")),
        place_kinds=place_kinds,
        signature=rng.random() < 0.8,
        jumlah=rng.random() < 0.08,
        date_format=rng.choice(DATE_FORMATS),
        officer=officer,
    )
    lay.jumlah = lay.jumlah or "jumlah" in force
    lay.numeric_ids = lay.numeric_ids or "numeric_ids" in force
    return lay


def _rt(rng: random.Random, n: int, style: str) -> object:
    if not n:
        return "-"
    if style == "mixed":
        style = rng.choice(("pad3", "pad2", "num"))
    return f"{n:03d}" if style == "pad3" else f"{n:02d}" if style == "pad2" else n


def person_cells(
    rng: random.Random,
    lay,
    p: Person,
    no: int,
    when: date,
    rates: Rates,
    noise: list[str],
    rejects: set[str],
) -> dict[str, object]:
    """The No, name, NIK and KK cells of a person's row, as both templates write them.

    ``lay`` is either template's layout (it needs ``name_case`` and
    ``numeric_ids``); kinds of noise and rejects are added to the lists given.
    """
    v: dict[str, object] = {"no": no if rng.random() > 0.05 else str(no)}
    if rng.random() < rates.no_name:
        v["nama"] = no_name_cell(rng)
        rejects.add("no_name")
        noise.append("reject_no_name")
    else:
        age = age_at(p.dob, when)
        v["nama"], k = name_cell(rng, p.nama, p.gender, age, p.father, lay.name_case, rates)
        noise += k
    v["nik"], k = id_cell(rng, p.nik, "nik", lay.numeric_ids, rates, p.head_nik)
    noise += k
    v["kk"], k = id_cell(rng, p.kk, "kk", lay.numeric_ids, rates)
    noise += k
    return v


def data_row(
    rng: random.Random, lay: Layout, p: Person, code: str, no: int, month: str, rates: Rates
) -> DataRow:
    y, m = month_parts(month)
    when = month_end(month)
    noise = list(lay.place_kinds)
    rejects: set[str] = set()
    v = person_cells(rng, lay, p, no, when, rates, noise, rejects)
    v["lp"], k = gender_cell(rng, p.gender, lay.gender_style, "LP", rates)
    noise += k
    if rng.random() > 0.06:
        v["tmp"] = p.birthplace if lay.name_case == "upper" else p.birthplace.title()
    if "umur" in lay.keys:
        v["umur"], k = umur_cell(rng, p.dob, when, rates)
    else:
        v["tgl"], k = dob_cell(rng, p.dob, lay.dob_style, "date", rates, text_only=False)
    noise += k
    if rng.random() < rates.formula:
        v["alamat"] = formula_like(rng, FORMULA_ALAMAT)
        noise.append("formula_like_alamat")
    else:
        v["alamat"] = (
            p.alamat.upper() if lay.name_case == "upper" and rng.random() < 0.5 else p.alamat
        )
    v["rt"], v["rw"] = _rt(rng, p.rt, lay.rt_style), _rt(rng, p.rw, lay.rt_style)
    v["desa"], k = desa_cell(
        rng, p.place.desa, p.place.kelurahan, lay.desa_case, lay.desa_prefix, rates
    )
    noise += k
    if rng.random() < rates.no_category:
        v["ppks"] = no_category_cell(rng)
        rejects.add("category")
        noise.append("reject_category")
    else:
        v["ppks"], k = ppks_cell(rng, code, lay.ppks_style, rates)
        noise += k
    v["bentuk"] = rng.choice(BENTUK)
    tgl = date(y, m, rng.randint(1, when.day))
    v["tgl_pen"] = render_date(tgl, "date" if lay.dob_style == "serial" else lay.dob_style)
    if rng.random() < rates.formula:
        v["ket"] = formula_like(rng, FORMULA_KET)
        noise.append("formula_like_keterangan")
    else:
        v["ket"] = rng.choice(KETERANGAN)
    if "hp" in lay.keys and rng.random() < 0.6:
        v["hp"] = f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}"
    if "kerja" in lay.keys:
        v["kerja"] = rng.choice(PEKERJAAN)
    if p.twin:
        noise.append("twin")
    return DataRow([v.get(k) for k in lay.keys], p, code, rejects, noise)


def total_row(rng: random.Random, lay: Layout, n: int) -> DataRow:
    """A JUMLAH line right under the data: a data row that names nobody and no category."""
    v = {"no": rng.choice(("JUMLAH", "Jumlah", "JUMLAH TOTAL")), "ket": n}
    return DataRow(
        [v.get(k) for k in lay.keys],
        None,
        "",
        {"no_name", "category"},
        ["total_line", "reject_no_name", "reject_category"],
    )


def data_rows(
    rng: random.Random, lay: Layout, entries: list[tuple[Person, str]], month: str, rates=None
) -> list[DataRow]:
    rates = rates or profile.current().hand
    rows = [data_row(rng, lay, p, code, i, month, rates) for i, (p, code) in enumerate(entries, 1)]
    if lay.jumlah:
        rows.append(total_row(rng, lay, len(rows)))
    return rows


def correct(rng: random.Random, lay: Layout, rows: list[DataRow], month: str) -> list[DataRow]:
    """The same report sent again with some rows fixed and maybe one row taken out."""
    out = list(rows)
    people = [i for i, r in enumerate(out) if r.person is not None]
    if len(people) >= 8 and rng.random() < 0.5:
        del out[rng.choice(people)]
    n = 0
    for i, r in enumerate(out):
        if r.person is None:
            out[i] = total_row(rng, lay, n)
            continue
        n += 1
        if rng.random() < 0.3:
            fixed = data_row(rng, lay, r.person, r.code, n, month, profile.current().corrected)
            fixed.noise.append("row_corrected")
            out[i] = fixed
        else:
            cells = list(r.cells)
            cells[0] = n
            out[i] = DataRow(cells, r.person, r.code, r.rejects, r.noise)
    if not any("row_corrected" in r.noise for r in out) and people:
        i = next(i for i, r in enumerate(out) if r.person is not None)
        fixed = data_row(
            rng,
            lay,
            out[i].person,
            out[i].code,
            out[i].cells[0],
            month,
            profile.current().corrected,
        )
        fixed.noise.append("row_corrected")
        out[i] = fixed
    return out


def _signature(rng: random.Random, lay: Layout, kec: Kecamatan, month: str) -> list[list]:
    end = month_end(month)
    col = min(11, len(lay.keys) - 2)
    pad = [None] * (col - 1)
    camat = person_names.make_name(rng, rng.choice("LP"), rng.randint(1965, 1990)).upper()
    nip = f"{rng.randint(1965, 1990)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return [
        [],
        [None, *pad, f"{kec.nama}, {end.day} {MONTHS[end.month - 1]} {end.year}"],
        ["Mengetahui,", *pad, f"TKSK Kecamatan {kec.nama}"],
        [f"Camat {kec.nama}"],
        [],
        [],
        [f"({camat})", *pad, f"({lay.officer})"],
        [f"NIP. {nip} {rng.randint(199000, 202099)} {rng.randint(1, 2)} 0{rng.randint(10, 99)}"],
    ]


def sheet(
    rng: random.Random,
    lay: Layout,
    kec: Kecamatan,
    month: str,
    rows: list[DataRow],
    *,
    header: bool = True,
) -> tuple[Sheet, int]:
    """The report sheet and the Excel row number of its first data row."""
    out = [*lay.title, []]
    if header:
        out.append(list(lay.labels))
    first = len(out) + 1
    out += [r.cells for r in rows]
    if lay.signature:
        out += _signature(rng, lay, kec, month)
    return Sheet(lay.sheet, out, lay.date_format), first
