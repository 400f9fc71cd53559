import polars as pl
import pytest
from normalise_samples import sample_rows

from ppks.normalise.gender import parse_gender, parse_gender_series


@pytest.mark.parametrize(
    "raw",
    ["L", "l", " L ", "LK", "lk", "Laki-laki", "LAKI-LAKI", "Laki - laki", "laki laki", "laki2",
     "Pria", "1", "1.0", "M", "Male"],
)  # fmt: skip
def test_male(raw):
    assert parse_gender(raw) == ("L", ())


@pytest.mark.parametrize(
    "raw",
    ["P", "p", "PR", "Perempuan", "PEREMPUAN", "Wanita", "2", "2.0", "W", "F", "female"],
)
def test_female(raw):
    assert parse_gender(raw) == ("P", ())


@pytest.mark.parametrize("raw", [None, "", "   ", "-"])
def test_blank(raw):
    assert parse_gender(raw) == (None, ("gender_missing",))


@pytest.mark.parametrize("raw", ["X", "3", "L/P", "banci", "Laki-laki/Perempuan"])
def test_unrecognised(raw):
    assert parse_gender(raw) == (None, ("gender_unrecognised",))


def test_series():
    out = parse_gender_series(pl.Series(["L", None, "Wanita", "?x", "L"]))
    assert out.schema == {"gender": pl.Utf8, "gender_flags": pl.List(pl.Utf8)}
    assert out["gender"].to_list() == ["L", None, "P", None, "L"]
    assert out["gender_flags"].to_list() == [
        [],
        ["gender_missing"],
        [],
        ["gender_unrecognised"],
        [],
    ]


def test_sample_truth():
    rows = sample_rows()
    out = parse_gender_series(rows["w_gender"])
    written = rows["w_gender"].is_not_null()
    assert (out["gender"].filter(written) == rows["gender"].filter(written)).all()
    assert (out["gender_flags"].filter(~written).list.first() == "gender_missing").all()
    assert (out["gender_flags"].filter(written).list.len() == 0).all()
