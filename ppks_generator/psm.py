"""PSM "Data PPKS Desa": one workbook per desa, kept by a Pekerja Sosial Masyarakat.

Either one sheet per category (the sheet name is the category, written any
way the reference allows) or one sheet with a JENIS PPKS column. Rows carry
their own desa, kecamatan and kabupaten; people living outside Jawa Timur
turn up now and then and are place rejects. Empty sheets, header-only sheets
and a sheet whose name is no category (its rows are category rejects) occur.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ppks_generator import person_names, profile
from ppks_generator.noise import (
    CATEGORY_FORMS,
    FORMULA_ALAMAT,
    Rates,
    desa_cell,
    dob_cell,
    formula_like,
    gender_cell,
    kab_value,
    kec_value,
    no_category_cell,
    ppks_cell,
)
from ppks_generator.population import Person, Place
from ppks_generator.tksk import DataRow, person_cells
from ppks_generator.workbook import Sheet

LABELS = {
    "no": ("NO", "No", "No."),
    "nama": ("NAMA", "NAMA LENGKAP", "Nama", "Nama Lengkap"),
    "nik": ("NIK", "Nik", "NO NIK"),
    "kk": ("NO KK", "NO. KK", "NOMOR KK", "No KK"),
    "ttl": (
        "TEMPAT, TANGGAL LAHIR",
        "TTL",
        "TEMPAT/TGL LAHIR",
        "Tempat, Tanggal Lahir",
        "TEMPAT, TGL LAHIR",
    ),
    "jk": ("JENIS KELAMIN", "L/P", "JK", "Jenis Kelamin"),
    "alamat": ("ALAMAT", "Alamat"),
    "desa": ("DESA", "DESA/KELURAHAN", "DESA/KEL", "Desa"),
    "kec": ("KECAMATAN", "KEC", "Kecamatan"),
    "kab": ("KABUPATEN", "KAB/KOTA", "Kabupaten"),
    "ppks": ("JENIS PPKS", "Jenis PPKS", "JENIS  PPKS"),
    "kondisi": ("KONDISI", "Kondisi", "KETERANGAN KONDISI"),
    "psm": ("NAMA PSM", "PSM", "Nama PSM"),
}
KONDISI = (
    "Tidak mampu",
    "Sakit-sakitan",
    "Tinggal sendiri",
    "Janda",
    "Yatim piatu",
    "Tuna netra",
    "Lumpuh",
    "Tidak bekerja",
    "Rumah tidak layak huni",
    "Perlu bantuan",
    "Sehat",
    None,
)
# Sheet names that are no category (nor look like a code such as "PPKS 20").
SINGLE_SHEETS = ("DATA", "Rekap PPKS", "Sheet1", "Data PPKS", "Data 2026")
NOT_A_CATEGORY = ("Tambahan", "Susulan", "Data Baru", "Update")
EMPTY_SHEETS = ("Sheet2", "Sheet3", "Sheet4")
RTRW = (
    "RT {rt:03d} RW {rw:03d}",
    "RT.{rt:02d}/RW.{rw:02d}",
    "{rt:03d}/{rw:03d}",
    "Rt {rt} Rw {rw}",
)


def sheet_name(rng: random.Random, code: str) -> str:
    """A category as people name a sheet after it: full name, abbreviation or an alias."""
    nama, singkatan, aliases = CATEGORY_FORMS[code]
    forms = [f for f in (nama, singkatan, *aliases) if len(f) <= 31 and "/" not in f]
    form = rng.choice(forms)
    return form if form.isupper() else form.title() if rng.random() < 0.8 else form.upper()


@dataclass(slots=True)
class Layout:
    per_category: bool
    ppks_column: bool  # a JENIS PPKS column on the category sheets too
    keys: list[str]
    labels: dict[str, str]
    title: list[list]
    dob_style: str
    numeric_ids: bool
    name_case: str
    gender_style: str
    ppks_style: str
    desa_case: str
    desa_prefix: str
    kec_case: str
    kec_prefixed: float
    kab_form: str
    kab_case: str
    rtrw: str
    psm_name: str
    kades: str
    jumlah: bool


def layout(
    rng: random.Random, place: Place, year: int, place_in_title: bool, force: frozenset[str]
) -> Layout:
    """A PSM's habits; ``force`` switches on 'jumlah', 'single' or 'ppks_column'."""
    keys = ["no", "nama", "nik", "kk", "ttl", "jk", "alamat", "desa", "kec", "kab", "ppks"]
    if rng.random() < 0.35:
        keys[1:4] = ["nik", "kk", "nama"]
    keys += ["kondisi", "psm"]
    if rng.random() < 0.4:
        keys.remove("psm")
    if rng.random() < 0.2:
        keys.remove("kondisi")
    kab_word = "KOTA" if place.kota else "KABUPATEN"
    titles = [[], [[f"DATA PPKS TAHUN {year}"]]]
    if place_in_title:
        titles += [
            [[f"DATA PPKS DESA {place.desa.upper()}"]],
            [
                [f"DATA PPKS DESA {place.desa.upper()}"],
                [f"KECAMATAN {place.kec.upper()} {kab_word} {place.kab.upper()}"],
            ],
        ]
    pick = rng.randrange(len(titles))
    if "jumlah" in force:
        pick = rng.randrange(2)
    title = titles[pick]
    # A total line has no place of its own: only where the title names none either.
    jumlah = pick < 2 and (rng.random() < 0.1 or "jumlah" in force)
    if title and rng.random() < 0.5:
        title = [*title, []]
    case = rng.choices(("upper", "title", "lower"), (50, 45, 5))[0]
    per_category, ppks_column = rng.random() < 0.7, rng.random() < 0.2
    if jumlah:
        per_category, ppks_column = True, False
    elif "single" in force:
        per_category = False
    elif "ppks_column" in force:
        per_category = ppks_column = True
    return Layout(
        per_category=per_category,
        ppks_column=ppks_column,
        keys=keys,
        labels={k: rng.choice(v) for k, v in LABELS.items()},
        title=title,
        dob_style=rng.choices(("dmy", "slash", "long", "iso", "short"), (60, 12, 14, 8, 6))[0],
        numeric_ids=rng.random() < 0.15,
        name_case=case,
        gender_style=rng.choices(("full", "LP", "pria", "LKPR"), (50, 25, 15, 10))[0],
        ppks_style=rng.choices(("name", "mixed", "code", "abbrev", "alias"), (30, 25, 15, 15, 15))[
            0
        ],
        desa_case=rng.choice(("upper", "title")) if case != "upper" else "upper",
        desa_prefix="" if rng.random() < 0.9 else rng.choice(("Ds. ", "Ds ", "Desa ")),
        kec_case=rng.choice(("upper", "title")),
        kec_prefixed=rng.choice((0.0, 0.0, 0.3, 0.9)),
        kab_form=rng.choices(("plain", "abbrev", "full"), (50, 30, 20))[0],
        kab_case=rng.choice(("upper", "title")),
        rtrw=rng.choice(RTRW),
        psm_name=person_names.make_name(rng, rng.choice("LP"), rng.randint(1965, 1995)),
        kades=person_names.make_name(rng, rng.choice("LLP"), rng.randint(1960, 1990)).upper(),
        jumlah=jumlah,
    )


def _ttl(rng: random.Random, lay: Layout, p: Person, rates: Rates) -> tuple[object, list[str]]:
    """'Kota, DD-MM-YYYY' in one cell."""
    kota = p.birthplace if lay.name_case == "upper" else p.birthplace.title()
    text, kinds = dob_cell(rng, p.dob, lay.dob_style, "dmy", rates, text_only=True)
    if text is None:
        return (kota if rng.random() < 0.5 else None), kinds
    r = rng.random()
    if r < 0.04:
        kinds.append("ttl_no_comma")
        return f"{kota} {text}", kinds
    return (f"{kota},{text}" if r < 0.1 else f"{kota}, {text}"), kinds


def _alamat(rng: random.Random, lay: Layout, p: Person, rates: Rates) -> tuple[str, list[str]]:
    if rng.random() < rates.formula:
        return formula_like(rng, FORMULA_ALAMAT), ["formula_like_alamat"]
    if not p.rt:
        return p.alamat, []
    rtrw = lay.rtrw if rng.random() < 0.85 else rng.choice(RTRW)
    text = f"{p.alamat} {rtrw.format(rt=p.rt, rw=p.rw)}"
    return (text.upper() if lay.name_case == "upper" else text), []


def data_row(
    rng: random.Random,
    lay: Layout,
    keys: list[str],
    p: Person,
    code: str,
    no: int,
    sheet_category: str,
    when: date,
    rates: Rates | None = None,
) -> DataRow:
    """One person on a sheet; ``sheet_category`` is '' when the sheet name is no category."""
    ppks_column = "ppks" in keys
    rates = rates or profile.current().hand
    noise: list[str] = []
    rejects: set[str] = set()
    v = person_cells(rng, lay, p, no, when, rates, noise, rejects)
    v["ttl"], k = _ttl(rng, lay, p, rates)
    noise += k
    v["jk"], k = gender_cell(rng, p.gender, lay.gender_style, "full", rates)
    noise += k
    v["alamat"], k = _alamat(rng, lay, p, rates)
    noise += k
    place = p.place
    v["desa"], k = desa_cell(
        rng, place.desa, place.kelurahan, lay.desa_case, lay.desa_prefix, rates
    )
    noise += k
    v["kec"], k = kec_value(rng, place.kec, lay.kec_case, rng.random() < lay.kec_prefixed, rates)
    noise += k
    v["kab"], k = kab_value(rng, place.kab, place.kota, lay.kab_case, lay.kab_form, rates)
    noise += k
    if ppks_column and sheet_category and rng.random() < 0.7:
        noise.append("ppks_blank_sheet_category")
    elif ppks_column and not sheet_category and rng.random() < rates.no_category:
        v["ppks"] = no_category_cell(rng)
        rejects.add("category")
        noise.append("reject_category")
    elif ppks_column:
        v["ppks"], k = ppks_cell(rng, code, lay.ppks_style, rates)
        noise += k
    elif sheet_category:
        noise.append("ppks_from_sheet")
    else:
        rejects.add("category")
        noise.append("reject_category_sheet")
    v["kondisi"] = rng.choice(KONDISI)
    v["psm"] = lay.psm_name
    if p.outsider:
        rejects.add("place")
        noise.append("reject_place")
    if p.twin:
        noise.append("twin")
    return DataRow([v.get(k) for k in keys], p, code, rejects, noise)


def total_row(rng: random.Random, keys: list[str], n: int) -> DataRow:
    """JUMLAH under a category sheet: no name and, with no place in the title, no place."""
    v = {"no": rng.choice(("JUMLAH", "Jumlah")), "kondisi": n}
    return DataRow(
        [v.get(k) for k in keys],
        None,
        "",
        {"no_name", "place"},
        ["total_line", "reject_no_name", "reject_place"],
    )


def signature(lay: Layout, place: Place) -> list[list]:
    return [[], [None, "Mengetahui,"], [None, f"Kepala Desa {place.desa}"], [], [None, lay.kades]]


def build_sheet(
    name: str, lay: Layout, keys: list[str], rows: list[DataRow], signed: bool, place: Place
) -> tuple[Sheet, int]:
    out = [*lay.title, [lay.labels[k] for k in keys]]
    first = len(out) + 1
    out += [r.cells for r in rows]
    if signed and rows:
        out += signature(lay, place)
    return Sheet(name, out), first


@dataclass(slots=True)
class DesaPlan:
    place: Place
    name: str
    entries: list[tuple[Person, str]]  # one row per (person, category)
    outsiders: list[Person]
    force: frozenset[str] = frozenset()  # features this workbook must have


def _unique(name: str, taken: set[str]) -> str:
    base, n = name, 2
    while name.lower() in taken:
        name = f"{base} {n}"
        n += 1
    taken.add(name.lower())
    return name


def workbook(
    rng: random.Random, plan: DesaPlan, year: int, when: date
) -> tuple[list[Sheet], list[tuple[str, int, list[DataRow]]], str]:
    """The sheets of one desa, their data rows (with first row number) and a note on the layout."""
    # A place in the title would resolve the place of rows that have none of their own.
    lay = layout(rng, plan.place, year, not plan.outsiders, plan.force)
    entries = plan.entries + [(o, o.cats[0]) for o in plan.outsiders]
    without_ppks = [k for k in lay.keys if k != "ppks"]
    taken: set[str] = set()
    specs: list[tuple[str, list[str], list[DataRow]]] = []
    notes = [f"layout={'per_cat' if lay.per_category else 'single'}"]
    if lay.per_category:
        keys = lay.keys if lay.ppks_column else without_ppks
        by_code: dict[str, list[Person]] = {}
        for p, code in entries:
            by_code.setdefault(code, []).append(p)
        total_done = False
        for code in sorted(by_code):
            rows = [
                data_row(rng, lay, keys, p, code, i, code, when)
                for i, p in enumerate(by_code[code], 1)
            ]
            if lay.jumlah and not total_done and "ppks" not in keys:
                rows.append(total_row(rng, keys, len(rows)))
                total_done = True
            specs.append((_unique(sheet_name(rng, code), taken), keys, rows))
        if lay.ppks_column:
            notes.append("JENIS PPKS column on category sheets")
    else:
        rows = [
            data_row(rng, lay, lay.keys, p, c, i, "", when) for i, (p, c) in enumerate(entries, 1)
        ]
        specs.append((_unique(rng.choice(SINGLE_SHEETS), taken), lay.keys, rows))
    if plan.entries and (rng.random() < 0.06 or "not_a_category" in plan.force):
        # Rows under a sheet name that is no category and without a JENIS PPKS column.
        extra = rng.sample(plan.entries, min(len(plan.entries), rng.randint(1, 3)))
        rows = [
            data_row(rng, lay, without_ppks, p, c, i, "", when) for i, (p, c) in enumerate(extra, 1)
        ]
        specs.insert(
            rng.randint(1, len(specs)),
            (_unique(rng.choice(NOT_A_CATEGORY), taken), without_ppks, rows),
        )
        notes.append("has a sheet whose name gives no category (its rows are rejects)")
    unused = [c for c in CATEGORY_FORMS if c not in {code for _, code in entries}]
    if unused and (rng.random() < 0.1 or "header_only" in plan.force):
        code = rng.choice(unused)
        specs.insert(
            rng.randint(0, len(specs)), (_unique(sheet_name(rng, code), taken), without_ppks, [])
        )
        notes.append("has a header-only sheet")
    sheets: list[Sheet] = []
    data: list[tuple[str, int, list[DataRow]]] = []
    for name, keys, rows in specs:
        sheet, first = build_sheet(name, lay, keys, rows, rng.random() < 0.5, plan.place)
        sheets.append(sheet)
        if rows:
            data.append((name, first, rows))
    if rng.random() < 0.12 or "empty_sheet" in plan.force:
        sheets.append(Sheet(_unique(rng.choice(EMPTY_SHEETS), taken)))
        notes.append("has an empty sheet")
    return sheets, data, "; ".join(notes)
