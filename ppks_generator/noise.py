"""How people write values into spreadsheets: every deviation is returned as a noise kind.

Each ``*_cell`` function takes the clean value and returns ``(cell, kinds)``:
the cell as it goes into the file (``None`` for blank, ``str``, ``int`` for a
numeric cell, ``date`` for a real date cell) and the noise kinds that row gets
in ``rows.csv``. The kinds reuse the vocabulary of ``shared/samples/rows.csv``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ppks.reference import categories
from ppks_generator.person_names import AHMAD, MUHAMMAD, words

MONTHS = words(
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
)
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True, slots=True)
class Rates:
    """Per-row probabilities of each mistake; TKSK and PSM are typed by hand, SLRT is not."""

    id_missing: float = 0.03
    id_typo: float = 0.008  # each of: wrong digit, swapped digits
    id_length: float = 0.004  # each of: 15 digits, 17 digits
    id_numeric: float = 0.03  # a single NIK typed into a numeric cell
    id_form: float = 0.012  # each of: apostrophe, spaces, dots, dashes
    id_sci: float = 0.004
    head_shared: float = 0.7  # how often a person with the trap gets the head's NIK
    name_variant: float = 0.35  # Muhammad/Ahmad written another way
    name_old: float = 0.03
    name_typo: float = 0.025
    name_typo_common: float = 0.0  # one letter off in a common given name (Siti -> Situ)
    name_bin: float = 0.04
    name_title: float = 0.02
    name_spacing: float = 0.015
    dob_blank: float = 0.02
    dob_year: float = 0.015
    dob_placeholder: float = 0.012
    # A `01-07-YYYY` placeholder's year is a guess at the age: each report may guess again.
    dob_estimate_drift: int = 0
    dob_swapped: float = 0.012
    dob_mixed: float = 0.06
    dob_short: float = 0.015
    gender_blank: float = 0.03
    gender_other: float = 0.05
    place_misspelled: float = 0.015
    place_abbrev: float = 0.03
    desa_blank: float = 0.005
    formula: float = 0.012
    ppks_variant: float = 0.02
    ppks_typo: float = 0.015
    ppks_spacing: float = 0.01
    no_name: float = 0.005
    no_category: float = 0.007


HAND = Rates()
MACHINE = Rates(
    id_missing=0.02,
    id_typo=0.003,
    id_length=0.001,
    id_form=0.0,
    id_sci=0.0,
    name_variant=0.15,
    name_old=0.005,
    name_typo=0.01,
    name_bin=0.0,
    name_title=0.005,
    name_spacing=0.005,
    dob_blank=0.02,
    dob_year=0.0,
    dob_placeholder=0.005,
    dob_swapped=0.0,
    dob_mixed=0.0,
    dob_short=0.0,
    gender_blank=0.02,
    gender_other=0.0,
    formula=0.01,
    no_name=0.001,
    no_category=0.008,
)

MISSING_ID = (None, None, "-", "0", "belum ada", "tidak ada", "BELUM ADA")
NO_NAME = (None, "?", "123", "-", ".", "??")
NO_CATEGORY = ("-", "???", "Lainnya", "Lain lain", None, "lain-lain", "PPKS-27")


def _digit_typo(rng: random.Random, value: str) -> str:
    i = rng.randrange(4, len(value))
    return value[:i] + rng.choice([d for d in "0123456789" if d != value[i]]) + value[i + 1 :]


def _digit_swap(rng: random.Random, value: str) -> str | None:
    spots = [i for i in range(4, len(value) - 1) if value[i] != value[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return value[:i] + value[i + 1] + value[i] + value[i + 2 :]


def id_cell(
    rng: random.Random, true: str, kind: str, numeric_file: bool, rates: Rates, head: str = ""
) -> tuple[object, list[str]]:
    """A NIK or KK cell (``kind`` is 'nik' or 'kk')."""
    kinds: list[str] = []
    value = true
    if head and rng.random() < rates.head_shared:
        value = head
        kinds.append(f"{kind}_head_shared")
    if not value:
        # No number at all is the person's truth, not a mistake of the reporter.
        return rng.choice(MISSING_ID), kinds
    if rng.random() < rates.id_missing:
        return rng.choice(MISSING_ID), [*kinds, f"{kind}_missing"]
    r = rng.random()
    if r < rates.id_typo:
        value = _digit_typo(rng, value)
        kinds.append(f"{kind}_typo_digit")
    elif r < 2 * rates.id_typo:
        swapped = _digit_swap(rng, value)
        if swapped:
            value = swapped
            kinds.append(f"{kind}_typo_swap")
    elif r < 2 * rates.id_typo + rates.id_length:
        i = rng.randrange(6, 16)
        value = value[:i] + value[i + 1 :]
        kinds.append(f"{kind}_len15")
    elif r < 2 * rates.id_typo + 2 * rates.id_length:
        i = rng.randrange(6, 16)
        value = value[:i] + rng.choice("0123456789") + value[i:]
        kinds.append(f"{kind}_len17")
    if len(value) == 16 and (
        (numeric_file and rng.random() < 0.93) or rng.random() < rates.id_numeric
    ):
        # Excel keeps 15 significant digits: the 16th becomes 0.
        return int(value[:15] + "0"), [*kinds, f"{kind}_excel"]
    r = rng.random() / rates.id_form if rates.id_form else 9.0
    if r < 1:
        return "'" + value, [*kinds, f"{kind}_apostrophe"]
    if r < 2:
        spaced = rng.choice(
            (
                " ".join(value[i : i + 4] for i in range(0, len(value), 4)),
                value + " ",
                f" {value} ",
            )
        )
        return spaced, [*kinds, f"{kind}_spaces"]
    if r < 3:
        if rng.random() < 0.5:
            dotted = ".".join(value[i : i + 4] for i in range(0, len(value), 4))
        else:
            dotted = f"{value[:2]}.{value[2:4]}.{value[4:6]}.{value[6:12]}.{value[12:]}"
        return dotted, [*kinds, f"{kind}_dots"]
    if r < 4:
        return "-".join(value[i : i + 4] for i in range(0, len(value), 4)), [
            *kinds,
            f"{kind}_dashes",
        ]
    if len(value) == 16 and rng.random() < rates.id_sci:
        # Copied from a numeric cell as Excel displays it.
        return f"{int(value):.5E}".replace("E+0", "E+"), [*kinds, f"{kind}_sci"]
    return value, kinds


# ---------------------------------------------------------------- names

# Pre-1972 spelling; "j" must become "dj" before "y" becomes "j".
OLD_SPELLING = (("j", "dj"), ("c", "tj"), ("u", "oe"), ("kh", "ch"), ("y", "j"))
TITLES = {
    "L": ("H.", "H. ", "Drs. ", "KH. ", "Alm. ", "H "),
    "P": ("Hj.", "Hj. ", "Dra. ", "Almh. ", "Hj "),
}
SUFFIXES = (", S.Pd.", ", S.Ag.", ", S.E.", " S.Pd")


def old_spelling(name: str) -> str:
    out = name.lower()
    for new, old in OLD_SPELLING:
        out = out.replace(new, old)
    return " ".join(w[:1].upper() + w[1:] for w in out.split(" "))


def typo(rng: random.Random, text: str) -> str:
    """One slip of the finger inside a word of at least four letters."""
    parts = text.split(" ")
    spots = [i for i, w in enumerate(parts) if sum(c.isalpha() for c in w) >= 4]
    if not spots:
        return text
    i = rng.choice(spots)
    w = parts[i]
    letters = [j for j in range(1, len(w)) if w[j].isalpha()]
    j = rng.choice(letters)
    op = rng.randrange(4)
    if op == 0 and j + 1 < len(w) and w[j + 1].isalpha() and w[j] != w[j + 1]:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif op == 1:
        w = w[:j] + w[j] + w[j:]
    elif op == 2 and len(letters) > 3:
        w = w[:j] + w[j + 1 :]
    else:
        vowels = [v for v in "aeiou" if v != w[j].lower()]
        repl = rng.choice(vowels)
        w = w[:j] + (repl.upper() if w[j].isupper() else repl) + w[j + 1 :]
    parts[i] = w
    return " ".join(parts)


def _respell(rng: random.Random, tokens: list[str], pool: tuple[str, ...]) -> bool:
    if tokens and tokens[0] in pool:
        tokens[0] = rng.choice([t for t in pool if t != tokens[0]])
        return True
    return False


COMMON_GIVEN = frozenset(
    {"siti", "sitti", "sri", "nur", "muhammad", "mohammad", "moch", "ahmad", "achmad", "dewi"}
)


def _common_typo(rng: random.Random, name: str) -> str:
    """One letter wrong, doubled or dropped in a common given name (`Siti` -> `Sitti`)."""
    parts = name.split(" ")
    spots = [i for i, w in enumerate(parts) if w.lower().rstrip(".") in COMMON_GIVEN]
    if not spots:
        return name
    i = rng.choice(spots)
    w = parts[i].rstrip(".")
    j = rng.randrange(1, len(w))
    op = rng.randrange(3)
    if op == 0:
        w = w[:j] + w[j] + w[j:]
    elif op == 1 and len(w) > 3:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + rng.choice([c for c in "aiueoy" if c != w[j].lower()]) + w[j + 1 :]
    parts[i] = w
    return " ".join(parts)


def name_cell(
    rng: random.Random, nama: str, gender: str, age: int, father: str, case: str, rates: Rates
) -> tuple[str, list[str]]:
    """The name as typed; ``case`` is the file's habit: 'upper', 'title' or 'lower'."""
    kinds: list[str] = []
    tokens = nama.split()
    if rng.random() < rates.name_variant:
        if _respell(rng, tokens, MUHAMMAD):
            kinds.append("name_muhammad_variant")
        elif _respell(rng, tokens, AHMAD):
            kinds.append("name_ahmad_variant")
    name = " ".join(tokens)
    if rng.random() < rates.name_old:
        respelled = old_spelling(name)
        if respelled.lower() != name.lower():
            name = respelled
            kinds.append("name_old_spelling")
    if rng.random() < rates.name_typo:
        mistyped = typo(rng, name)
        if mistyped != name:
            name = mistyped
            kinds.append("name_typo")
    if rates.name_typo_common and rng.random() < rates.name_typo_common:
        mistyped = _common_typo(rng, name)
        if mistyped != name:
            name = mistyped
            kinds.append("name_typo_common")
    if rng.random() < rates.name_bin:
        name = f"{name} {'bin' if gender == 'L' else 'binti'} {father}"
        kinds.append("name_bin")
    if age >= 25 and rng.random() < rates.name_title:
        if rng.random() < 0.7:
            name = rng.choice(TITLES[gender]) + name
        else:
            name += rng.choice(SUFFIXES)
        kinds.append("name_title")
    if case == "upper" or (case == "title" and rng.random() < 0.05):
        name = name.upper()
        kinds.append("name_case")
    elif case == "lower":
        name = name.lower()
        kinds.append("name_case")
    if rng.random() < rates.name_spacing:
        if " " in name and rng.random() < 0.6:
            name = name.replace(" ", "  ", 1)
        else:
            name = rng.choice((name + " ", " " + name))
        kinds.append("name_spacing")
    return name, kinds


def no_name_cell(rng: random.Random) -> object:
    return rng.choice(NO_NAME)


# ---------------------------------------------------------------- dates

DOB_KIND = {
    "date": "dob_date_cell",
    "serial": "dob_serial",
    "dmy": "dob_text_dmy",
    "slash": "dob_text_slash",
    "short": "dob_text_short",
    "iso": "dob_text_iso",
    "long": "dob_text_long",
}
TEXT_STYLES = ("dmy", "slash", "long", "iso")


def render_date(d: date, style: str) -> object:
    if style == "date":
        return d
    if style == "serial":
        return (d - EXCEL_EPOCH).days
    if style == "dmy":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "short":
        return f"{d.day}-{d.month}-{d.year % 100:02d}"
    if style == "iso":
        return d.isoformat()
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _swapped(d: date, style: str) -> object:
    """Month written where the day goes; a real date cell only when that is a valid date."""
    if style == "date" and d.day <= 12:
        return date(d.year, d.day, d.month)
    if style == "slash":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "iso":
        return f"{d.year}-{d.day:02d}-{d.month:02d}"
    return f"{d.month:02d}-{d.day:02d}-{d.year}"


def dob_cell(
    rng: random.Random, dob: date, style: str, canonical: str, rates: Rates, text_only: bool
) -> tuple[object, list[str]]:
    """A birth date in the sheet's usual ``style``; ``canonical`` is the template's own form."""
    r = rng.random()
    if r < rates.dob_blank:
        return None, ["dob_blank"]
    r -= rates.dob_blank
    if r < rates.dob_year:
        numeric = not text_only and rng.random() < 0.5
        return (dob.year if numeric else str(dob.year)), ["dob_year_only"]
    r -= rates.dob_year
    kinds: list[str] = []
    d = dob
    if r < rates.dob_placeholder:
        d = rng.choice((date(1950, 1, 1), date(1945, 12, 31), date(dob.year, 7, 1)))
        if rates.dob_estimate_drift and d.month == 7:
            drift = rates.dob_estimate_drift
            d = date(dob.year + rng.randint(-drift, drift), rng.choice((1, 7)), 1)
        kinds.append("dob_placeholder")
    elif r < rates.dob_placeholder + rates.dob_swapped and d.day != d.month:
        cell = _swapped(d, style)
        used = "date" if isinstance(cell, date) else style if style in ("slash", "iso") else "dmy"
        kinds.append("dob_swapped")
        if used != canonical:
            kinds.append(DOB_KIND[used])
        return cell, kinds
    r = rng.random()
    if r < rates.dob_short:
        if style != "short":
            kinds.append("dob_style_mixed")
        style = "short"
    elif r < rates.dob_short + rates.dob_mixed:
        choices = [
            s for s in (*TEXT_STYLES, *(() if text_only else ("date", "serial"))) if s != style
        ]
        style = rng.choice(choices)
        kinds.append("dob_style_mixed")
    if style != canonical:
        kinds.append(DOB_KIND[style])
    return render_date(d, style), kinds


def age_at(dob: date, when: date) -> int:
    return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))


def umur_cell(rng: random.Random, dob: date, when: date, rates: Rates) -> tuple[object, list]:
    if rng.random() < rates.dob_blank:
        return None, ["umur_instead_of_dob", "dob_blank"]
    age = age_at(dob, when)
    r = rng.random()
    cell = f"{age} th" if r < 0.08 else f"{age} tahun" if r < 0.12 else age
    return cell, ["umur_instead_of_dob"]


# ---------------------------------------------------------------- gender

GENDER_FORMS = {
    "LP": ("L", "P"),
    "LKPR": ("LK", "PR"),
    "full": ("Laki-laki", "Perempuan"),
    "pria": ("Pria", "Wanita"),
    "num": (1, 2),
    "numtext": ("1", "2"),
    "lower": ("l", "p"),
    "upperfull": ("LAKI-LAKI", "PEREMPUAN"),
}


def gender_cell(
    rng: random.Random, gender: str, style: str, canonical: str, rates: Rates
) -> tuple[object, list[str]]:
    r = rng.random()
    if r < rates.gender_blank:
        return None, ["gender_blank"]
    if r < rates.gender_blank + rates.gender_other:
        style = rng.choice(tuple(GENDER_FORMS))
    cell = GENDER_FORMS[style][gender == "P"]
    same = GENDER_FORMS[canonical][gender == "P"]
    return cell, ([] if str(cell) == str(same) else ["gender_form"])


# ---------------------------------------------------------------- places


def misspell(rng: random.Random, name: str) -> str:
    out = typo(rng, name)
    return out if out != name else name + name[-1]


def _cased(text: str, case: str, level: str, kinds: list[str]) -> str:
    if case == "upper" and text != text.upper():
        kinds.append(f"{level}_case")
        return text.upper()
    if case == "lower" and text != text.lower():
        kinds.append(f"{level}_case")
        return text.lower()
    return text


def desa_cell(
    rng: random.Random, desa: str, kelurahan: bool, case: str, prefix: str, rates: Rates
) -> tuple[object, list[str]]:
    """``prefix`` is the file's habit ('' or e.g. 'Ds. '); kelurahan get 'Kel.' instead."""
    kinds: list[str] = []
    if rng.random() < rates.desa_blank:
        return None, ["desa_blank"]
    if rng.random() < rates.place_misspelled and len(desa) >= 5:
        desa = misspell(rng, desa)
        kinds.append("desa_misspelled")
    if not prefix and rng.random() < rates.place_abbrev:
        prefix = rng.choice(("Ds. ", "Ds ", "Desa "))
    if prefix:
        if kelurahan:
            prefix = rng.choice(("Kel. ", "Kel ", "Kelurahan "))
        kinds.append("desa_abbrev")
    text = _cased(desa, case, "desa", kinds)
    return prefix + text, kinds


KEC_PREFIX = ("Kec. ", "Kec ", "KEC. ", "Kecamatan ", "kec. ")
KAB_PREFIX = ("Kab. ", "Kab ", "KAB. ", "kab. ")


def kec_value(rng: random.Random, kec: str, case: str, prefixed: bool, rates: Rates) -> tuple:
    kinds: list[str] = []
    if rng.random() < rates.place_misspelled and len(kec) >= 6:
        kec = misspell(rng, kec)
        kinds.append("kec_misspelled")
    text = _cased(kec, case, "kec", kinds)
    if prefixed:
        kinds.append("kec_abbrev")
        text = rng.choice(KEC_PREFIX) + text
    return text, kinds


def kab_value(
    rng: random.Random, kab: str, kota: bool, case: str, form: str, rates: Rates
) -> tuple[str, list[str]]:
    """``form``: 'plain' ('Pasuruan'), 'abbrev' ('Kab. Pasuruan') or 'full' ('Kabupaten ...').

    A kota always keeps its 'Kota' so that it cannot be taken for the kabupaten
    of the same name (Kota Malang / Kabupaten Malang).
    """
    kinds: list[str] = []
    if rng.random() < rates.place_misspelled and len(kab) >= 6:
        kab = misspell(rng, kab)
        kinds.append("kab_misspelled")
    if kota:
        text = f"Kota {kab}"
    elif form == "abbrev":
        text = rng.choice(KAB_PREFIX) + kab
        kinds.append("kab_abbrev")
    elif form == "full":
        text = f"Kabupaten {kab}"
    else:
        text = kab
    return _cased(text, case, "kab", kinds), kinds


# ---------------------------------------------------------------- PPKS categories


def _category_forms() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    return {
        kode: (nama, singkatan, tuple(a for a in (alias or "").split("|") if a))
        for kode, nama, singkatan, alias in categories().iter_rows()
    }


CATEGORY_FORMS = _category_forms()
# Spellings that differ from the reference but name the same category.
VARIANTS = (
    ("terlantar", "telantar"),
    ("fakir miskin", "fakir-miskin"),
    ("hiv/aids", "hiv / aids"),
    ("kedisabilitasan", "disabilitas"),
    ("tuna susila", "tunasusila"),
    ("bekas warga", "eks warga"),
    ("bencana alam", "bencana-alam"),
    ("lanjut usia", "lanjut-usia"),
    ("pemulung", "pemulong"),
)


def _case(rng: random.Random, text: str) -> str:
    r = rng.random()
    return text.upper() if r < 0.4 else text.lower() if r < 0.6 else text


def ppks_text(rng: random.Random, code: str, form: str) -> str:
    nama, singkatan, aliases = CATEGORY_FORMS[code]
    if form == "abbrev":
        return singkatan if rng.random() < 0.85 else singkatan.lower()
    if form == "code":
        n = code[5:]
        return rng.choice((code, f"PPKS {n}", f"PPKS{n}", f"ppks-{n}", f"ppks {n}"))
    if form == "alias" and aliases:
        return _case(rng, rng.choice(aliases))
    return _case(rng, nama)


def ppks_cell(rng: random.Random, code: str, style: str, rates: Rates) -> tuple[object, list[str]]:
    """``style``: one form for the whole file, or 'mixed' (a different form on each row)."""
    form = rng.choice(("name", "abbrev", "code", "alias")) if style == "mixed" else style
    if form == "alias" and not CATEGORY_FORMS[code][2]:
        form = "name"
    text = ppks_text(rng, code, form)
    kinds = [f"ppks_{form}"]
    if form in ("name", "alias") and rng.random() < rates.ppks_variant:
        low = text.lower()
        for old, new in VARIANTS:
            if old in low:
                text = low.replace(old, new)
                kinds.append("ppks_variant_spelling")
                break
    if form in ("name", "alias") and len(text) >= 10 and rng.random() < rates.ppks_typo:
        text = typo(rng, text)
        kinds.append("ppks_typo")
    if rng.random() < rates.ppks_spacing:
        text = rng.choice((" " + text, text + " "))
        kinds.append("ppks_spacing")
    return text, kinds


def no_category_cell(rng: random.Random) -> object:
    return rng.choice(NO_CATEGORY)


# ---------------------------------------------------------------- free text

FORMULA_ALAMAT = (
    "@ kolong jembatan",
    "+ belakang pasar",
    "- numpang saudara",
    "=RT 3 belakang masjid",
    "@pasar",
)
FORMULA_KET = (
    "+ rujuk RSUD",
    "+62 812 3344 5566",
    "=tidak punya KTP",
    "- belum ada",
    "@ posyandu",
    "-",
)


def formula_like(rng: random.Random, pool: tuple[str, ...]) -> str:
    return rng.choice(pool)


# Every noise kind a truth row can carry (rows.csv `noise`, '|'-joined).
KINDS = frozenset(
    words(
        # NIK and KK as written
        "nik_excel nik_sci nik_apostrophe nik_spaces nik_dots nik_dashes nik_missing nik_len15 "
        "nik_len17 nik_typo_digit nik_typo_swap nik_head_shared "
        "kk_excel kk_sci kk_apostrophe kk_spaces kk_dots kk_dashes kk_missing kk_len15 kk_len17 "
        "kk_typo_digit kk_typo_swap "
        # names
        "name_case name_title name_bin name_muhammad_variant name_ahmad_variant "
        "name_old_spelling name_typo name_typo_common name_spacing "
        # birth dates (the kind of text or cell when it is not the template's own form)
        "dob_serial dob_text_dmy dob_text_slash dob_text_short dob_text_iso dob_text_long "
        "dob_year_only dob_placeholder dob_swapped dob_blank dob_style_mixed umur_instead_of_dob "
        # gender and places
        "gender_form gender_blank "
        "desa_case desa_abbrev desa_misspelled desa_blank "
        "kec_case kec_abbrev kec_misspelled kec_truncated "
        "kab_case kab_abbrev kab_misspelled kode_wilayah_dotted ttl_no_comma "
        "formula_like_alamat formula_like_keterangan "
        # how the category is given
        "ppks_name ppks_abbrev ppks_code ppks_alias ppks_variant_spelling ppks_typo ppks_spacing "
        "ppks_from_sheet ppks_blank_sheet_category "
        # why a row is rejected, and what else is special about it
        "reject_no_name reject_category reject_category_sheet reject_place total_line "
        "id_layanan_repeat twin row_corrected"
    )
)
# Kinds only the `hard` profile writes (ppks_generator.profile).
HARD_ONLY_KINDS = frozenset({"name_typo_common", "kec_truncated"})
