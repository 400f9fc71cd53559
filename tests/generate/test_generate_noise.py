"""The single mistakes, on their own."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date

from ppks_generator.noise import (
    HAND,
    Rates,
    dob_cell,
    id_cell,
    kab_value,
    old_spelling,
    ppks_cell,
    render_date,
)

NIK = "3514034304920005"


def test_a_nik_in_a_numeric_cell_loses_its_16th_digit() -> None:
    always = Rates(id_missing=0, id_typo=0, id_length=0, id_numeric=1.0)
    cell, kinds = id_cell(random.Random(1), NIK, "nik", False, always)
    assert cell == 3514034304920000 and isinstance(cell, int)
    assert kinds == ["nik_excel"]


def test_a_nik_copied_as_displayed_is_scientific_text() -> None:
    sci = Rates(id_missing=0, id_typo=0, id_length=0, id_numeric=0, id_form=0, id_sci=1.0)
    cell, kinds = id_cell(random.Random(1), NIK, "nik", False, sci)
    assert cell == "3.51403E+15" and kinds == ["nik_sci"]


def test_the_head_nik_is_written_for_a_family_member() -> None:
    clean = Rates(id_missing=0, id_typo=0, id_length=0, id_numeric=0, id_form=0, id_sci=0)
    always = replace(clean, head_shared=1.0)
    cell, kinds = id_cell(random.Random(1), "", "nik", False, always, head=NIK)
    assert cell == NIK and kinds == ["nik_head_shared"]


def test_number_forms_keep_the_digits() -> None:
    rng = random.Random(3)
    for _ in range(300):
        cell, kinds = id_cell(rng, NIK, "kk", False, Rates(id_form=0.2, id_missing=0))
        if isinstance(cell, str) and {"kk_apostrophe", "kk_spaces", "kk_dots", "kk_dashes"} & set(
            kinds
        ):
            digits = re.sub(r"\D", "", cell)
            assert len(digits) == 16 or {"kk_typo_digit", "kk_len15", "kk_len17"} & set(kinds)


def test_old_spelling() -> None:
    assert old_spelling("Sukarti Darmaji Suyono") == "Soekarti Darmadji Soejono"
    assert old_spelling("Muhammad Sucipto") == "Moehammad Soetjipto"


def test_date_forms() -> None:
    d = date(1955, 8, 17)
    assert render_date(d, "long") == "17 Agustus 1955"
    assert render_date(d, "short") == "17-8-55"
    assert render_date(d, "serial") == 20318
    swapped = Rates(dob_blank=0, dob_year=0, dob_placeholder=0, dob_swapped=1.0)
    cell, kinds = dob_cell(random.Random(1), d, "dmy", "dmy", swapped, text_only=True)
    assert cell == "08-17-1955" and kinds == ["dob_swapped"]


def test_a_kota_keeps_its_kota() -> None:
    rng = random.Random(1)
    for form in ("plain", "abbrev", "full"):
        text, _ = kab_value(rng, "Malang", True, "title", form, Rates(place_misspelled=0))
        assert text == "Kota Malang"
    text, kinds = kab_value(rng, "Pasuruan", False, "upper", "abbrev", Rates(place_misspelled=0))
    assert text.endswith("PASURUAN") and kinds == ["kab_abbrev", "kab_case"]


def test_category_forms_are_recorded() -> None:
    rng = random.Random(2)
    forms = {ppks_cell(rng, "PPKS-08", "mixed", HAND)[1][0] for _ in range(200)}
    assert forms == {"ppks_name", "ppks_abbrev", "ppks_code", "ppks_alias"}
