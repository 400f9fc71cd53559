import datetime as dt

import polars as pl
import pytest
from normalise_samples import has_noise, sample_rows

from ppks.normalise.nik_kk import (
    decode_nik,
    nik_consistency,
    nik_consistency_series,
    parse_kk,
    parse_kk_series,
    parse_nik,
    parse_nik_series,
)

NIK = "3514134105100007"  # Beji, Pasuruan; woman born 01-05-2010


@pytest.mark.parametrize(
    "raw",
    [NIK, f"'{NIK}", f" {NIK} ", "3514 1341 0510 0007", "3514-1341-0510-0007",
     "35.14.13.410510.0007", "3514.1341.0510.0007", f"\u00a0{NIK}", f'="{NIK}"'],
)  # fmt: skip
def test_written_nik_is_cleaned(raw):
    assert parse_nik(raw) == (NIK, NIK, ())


@pytest.mark.parametrize(
    "raw",
    [None, "", "-", "0", "belum ada", "BELUM ADA", "tidak ada", "blm ada", "tdk ada", "?",
     "n/a", "0000000000000000", "0000-0000"],
)  # fmt: skip
def test_placeholders_are_missing(raw):
    assert parse_nik(raw) == (None, None, ("nik_missing",))
    assert parse_kk(raw) == (None, None, ("kk_missing",))


@pytest.mark.parametrize("raw", ["3514134105100000", "3514134105100000.0", "3.5141341051e+15"])
def test_number_cell_keeps_16_digits_but_is_flagged(raw):
    assert parse_nik(raw, True) == ("3514134105100000", "3514134105100000", ("nik_excel_damaged",))
    assert parse_kk(raw, True).flags == ("kk_excel_damaged",)


def test_number_written_as_text_with_decimal_zero_is_a_damaged_number():
    assert parse_nik("3514134105100000.0").flags == ("nik_excel_damaged",)


@pytest.mark.parametrize("raw", ["3.57801E+15", "3,57801E+15", "3.51413E+15"])
def test_scientific_notation_text_is_unrecoverable(raw):
    assert parse_nik(raw) == (None, None, ("nik_excel_damaged",))
    assert parse_kk(raw) == (None, None, ("kk_excel_damaged",))


@pytest.mark.parametrize(
    ("raw", "numeric", "digits", "flags"),
    [
        ("351413410510000", False, "351413410510000", ("nik_malformed",)),
        ("35141341051000071", False, "35141341051000071", ("nik_malformed",)),
        ("'3514-1341-0510-00071", False, "35141341051000071", ("nik_malformed",)),
        ("351413410510000", True, "351413410510000", ("nik_malformed", "nik_excel_damaged")),
        ("3514134105A00007", False, "351413410500007", ("nik_malformed",)),
        ("ktp hilang", False, None, ("nik_malformed",)),
    ],
)
def test_malformed_keeps_digits_for_linkage(raw, numeric, digits, flags):
    assert parse_nik(raw, numeric) == (None, digits, flags)


@pytest.mark.parametrize(
    ("nik", "valid"),
    [
        ("3514131708550001", True),  # man, 17-08-55
        ("3514135708550001", True),  # woman, 17+40
        ("3514133112990001", True),
        ("3514132902000001", True),  # 29 Feb 2000
        ("3514133002990001", False),  # 30 Feb
        ("3514133208550001", False),  # DD 32
        ("3514137208550001", False),  # DD 72
        ("3514130008550001", False),  # DD 00
        ("3514131713550001", False),  # MM 13
        ("3514131700550001", False),  # MM 00
    ],
)
def test_nik_date_check(nik, valid):
    flags = parse_nik(nik).flags
    assert parse_nik(nik).value == nik
    assert flags == (() if valid else ("nik_invalid_date",))
    assert parse_kk(nik).flags == ()  # no date inside a KK number


def test_decode_nik():
    assert decode_nik(NIK) == (dt.date(2010, 5, 1), "P", "35.14.13")
    assert decode_nik("3514131708550001") == (dt.date(1955, 8, 17), "L", "35.14.13")
    assert decode_nik("3514131708550001", ref_year=2060) == (dt.date(2055, 8, 17), "L", "35.14.13")
    assert decode_nik("3514133208550001") == (None, None, "35.14.13")
    assert decode_nik("351413") is None
    assert decode_nik(None) is None


def test_nik_consistency():
    born = dt.date(2010, 5, 1)
    assert nik_consistency(NIK, born, 2010, "P", "35.14.13") == ()
    assert nik_consistency(NIK, dt.date(2010, 1, 5), None, "P", "35.14.13") == ("nik_dob_mismatch",)
    assert nik_consistency(NIK, None, 2010, "P", None) == ()
    assert nik_consistency(NIK, None, 2011, None, None) == ("nik_dob_mismatch",)
    assert nik_consistency(NIK, None, None, "L", None) == ("nik_gender_mismatch",)
    assert nik_consistency(NIK, None, None, None, "35.14.03") == ("nik_region_mismatch",)
    assert nik_consistency(NIK) == ()
    assert nik_consistency(None, born, 2010, "L", "35.14.03") == ()
    assert nik_consistency("3514133208550001", born, 2010, "L", "35.14.13") == ()


def test_series():
    raw = pl.Series(["'" + NIK, None, "3514134105100000", NIK, "3.57801E+15"])
    numeric = pl.Series([False, False, True, False, False])
    out = parse_nik_series(raw, numeric)
    assert out.columns == ["nik", "nik_digits", "nik_flags"]
    assert out["nik"].to_list() == [NIK, None, "3514134105100000", NIK, None]
    assert out["nik_flags"].to_list() == [
        [],
        ["nik_missing"],
        ["nik_excel_damaged"],
        [],
        ["nik_excel_damaged"],
    ]
    kk = parse_kk_series(raw)
    assert kk.columns == ["kk", "kk_digits", "kk_flags"]
    assert kk["kk_flags"].to_list()[2] == []  # a text cell: the digits are as typed

    flags = nik_consistency_series(
        pl.Series([NIK, NIK, None]),
        dob=pl.Series([dt.date(2010, 5, 1), None, None]),
        gender=pl.Series(["P", "L", "L"]),
        kode_kecamatan=pl.Series(["35.14.13", "35.14.03", None]),
    )
    assert flags.to_list() == [[], ["nik_gender_mismatch", "nik_region_mismatch"], []]


NIK_NOISE = ("nik_typo_digit", "nik_typo_swap", "nik_head_shared", "nik_missing", "nik_len17")


@pytest.mark.parametrize("kind", ["nik", "kk"])
def test_sample_truth(kind):
    rows = sample_rows()
    parse = parse_nik_series if kind == "nik" else parse_kk_series
    out = pl.concat(
        [
            rows,
            parse(rows[f"w_{kind}"], rows[f"w_{kind}_type"] == "num").rename(lambda c: "got_" + c),
        ],
        how="horizontal",
    )
    noise = [n.replace("nik", kind) for n in NIK_NOISE]
    known = pl.col(kind).is_not_null()
    as_text = out.filter(known, pl.col(f"w_{kind}_type") == "str", ~has_noise(*noise))
    assert as_text.height > 150
    assert (as_text[f"got_{kind}"] == as_text[kind]).all()
    assert (as_text[f"got_{kind}_flags"].list.len() == 0).all()

    as_number = out.filter(pl.col(f"w_{kind}_type") == "num", ~has_noise(*noise))
    assert as_number.height > 50
    assert (as_number[f"got_{kind}"].str.slice(0, 15) == as_number[kind].str.slice(0, 15)).all()
    assert (as_number[f"got_{kind}_flags"].list.contains(f"{kind}_excel_damaged")).all()

    # No true number, and nobody else's written in its place.
    missing = out.filter(has_noise(f"{kind}_missing") | ~known, ~has_noise("nik_head_shared"))
    assert missing.height > 5
    assert missing[f"got_{kind}"].is_null().all()
    assert (missing[f"got_{kind}_flags"].list.first() == f"{kind}_missing").all()

    too_long = out.filter(has_noise(f"{kind}_len17"))
    assert too_long.height >= 1
    assert (too_long[f"got_{kind}_flags"].list.contains(f"{kind}_malformed")).all()


def test_sample_truth_nik_encodes_the_true_birth_date_and_gender():
    rows = sample_rows().filter(pl.col("nik").is_not_null())
    flags = nik_consistency_series(
        rows["nik"], dob=rows["dob"].str.to_date(), gender=rows["gender"]
    )
    assert flags.list.len().max() == 0
    shared = rows.filter(has_noise("nik_head_shared"), pl.col("w_nik_type") == "str")
    flagged = nik_consistency_series(
        shared["w_nik"], dob=shared["dob"].str.to_date(), gender=shared["gender"]
    )
    # Somebody else's NIK: its birth date gives it away.
    assert flagged.list.contains("nik_dob_mismatch").all()
