"""The vectorised fast paths give exactly what the scalar functions give.

The oracle is the plain per-distinct-value mapping (`map_unique` over the scalar
function), run on every w_* value of the sample and on synthetic values built
around the edges of each fast shape.
"""

import datetime as dt
import random

import polars as pl
import pytest
from normalise_samples import sample_rows
from polars.testing import assert_frame_equal, assert_series_equal

from ppks.normalise import dates, names, nik_kk
from ppks.normalise._vector import map_unique

REF = dt.date(2026, 8, 31)


def _sample_values() -> list[str | None]:
    rows = sample_rows()
    columns = [c for c in rows.columns if c.startswith("w_")]
    return [*sorted(set(rows.select(columns).unpivot()["value"].drop_nulls().to_list())), None]


def _ids(rng: random.Random) -> list[str]:
    out = []
    for _ in range(3000):
        digits = "35" + "".join(rng.choice("0123456789") for _ in range(14))
        ddmmyy = f"{rng.randint(0, 72):02d}{rng.randint(0, 13):02d}{rng.randint(0, 99):02d}"
        if rng.random() < 0.7:
            digits = digits[:6] + ddmmyy + digits[12:]
        if rng.random() < 0.05:
            digits = "0" + digits[1:]
        shape = rng.choice(["{}", "'{}", " {} ", "{}.0", "{}.00", "'{}'", "= {}", "{}.5", "0{}"])
        out.append(shape.format(digits))
    out += ["0" * 16, "0" * 16 + ".0", "3514032902000001", "3514036902010001", "3514033102990001"]
    out += [
        "\u00a03514034705750018",
        "' '3514034705750018",
        "3514034705750018\n",
        "３514034705750018",
    ]
    return out


def _dates(rng: random.Random) -> list[str]:
    words = ["Agustus", "AGT", "agu", "Pebruari", "Mei", "Desember", "Foo", "Septembre", "Juli"]
    out = []
    for _ in range(3000):
        y, m, d = rng.randint(1850, 2030), rng.randint(0, 14), rng.randint(0, 32)
        out.append(
            rng.choice(
                [
                    f"{y}-{m:02d}-{d:02d}",
                    f"{y}-{m:02d}-{d:02d} 00:00:00",
                    f"{y}-{m:02d}-{d:02d}T00:00:00",
                    f" {y}-{m:02d}-{d:02d} ",
                    f"{d}-{m}-{y}",
                    f"{d:02d}/{m:02d}/{y}",
                    f"{d}.{m}.{y}",
                    f"{d}-{m}/{y}",
                    f"{d}-{m}-{y % 100:02d}",
                    f"{d} {rng.choice(words)} {y}",
                    f"{d}  {rng.choice(words)}  {y}",
                    f"{y}",
                    f"{rng.randint(1, 60000)}",
                ]
            )
        )
    out += ["2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "0999-01-01", "01-07-2026"]
    out += ["31-12-1960", "01-01-1960", "2026-09-01", "2026-08-31", "\t1975-05-07", "1975-05-07\n"]
    return out


def _names(rng: random.Random) -> list[str]:
    words = ["siti", "AMINAH", "Moch.", "M.", "sa'diyah", "ABD.", "bin", "BINTI", "bt", "H.", "HJ"]
    words += ["S.Pd", "SE", "Ir.", "ST", "Drs", "muhammad", "DJOKO", "rizky", "BIN.", "SITTI"]
    words += ["'ANI", "ANI'", "NUR-AINI", "A.", ",", "1", "Alm", "IBU", "JUMLAH", "Ny.", "KH"]
    # Plain words, so that most synthetic names take the fast path.
    words += ["SUPARMAN", "nur", "Ma'ruf", "TOEKIRAN", "achmad", "Slamet", "DEDY", "KHOIRUL"] * 6
    out = []
    for _ in range(3000):
        picked = [rng.choice(words) for _ in range(rng.randint(1, 5))]
        out.append(rng.choice([" ", "  ", " "]).join(picked))
    out += ["N/A", "TOTAL 12", "TIDAK TAHU", "bin", "BIN SALEH", "SALEH BIN", "  ", "", "Ölaf"]
    return out


@pytest.fixture(scope="module")
def values() -> dict[str, list[str | None]]:
    rng = random.Random(20260831)
    sample = _sample_values()
    return {"ids": sample + _ids(rng), "dates": sample + _dates(rng), "names": sample + _names(rng)}


def _with_flags(raw: list[str | None]) -> tuple[pl.Series, pl.Series]:
    """Every value once as text and once as a number cell."""
    text = pl.Series("raw", raw + raw, dtype=pl.Utf8)
    return text, pl.Series([False] * len(raw) + [True] * len(raw))


@pytest.mark.parametrize("prefix", ["nik", "kk"])
def test_ids_match_scalar(values, prefix):
    raw, numeric = _with_flags(values["ids"])
    schema = {prefix: pl.Utf8, f"{prefix}_digits": pl.Utf8, f"{prefix}_flags": pl.List(pl.Utf8)}
    scalar = nik_kk.parse_nik if prefix == "nik" else nik_kk.parse_kk
    expected = map_unique([raw, numeric], scalar, schema)
    series = nik_kk.parse_nik_series if prefix == "nik" else nik_kk.parse_kk_series
    assert_frame_equal(series(raw, numeric), expected)


def test_birth_dates_match_scalar(values):
    raw, numeric = _with_flags(values["dates"])
    refs = [REF, dt.date(1990, 1, 1), None]
    ref = pl.Series([refs[i % 3] for i in range(raw.len())], dtype=pl.Date)
    expected = map_unique([raw, numeric, ref], dates.parse_birth_date, dates._dates_schema())
    assert_frame_equal(dates.parse_birth_date_series(raw, numeric, ref), expected)
    event = map_unique([raw, numeric], lambda *k: (dates.parse_event_date(*k),), {"raw": pl.Date})
    assert_series_equal(dates.parse_event_date_series(raw, numeric), event.to_series())


def test_names_match_scalar(values):
    raw = pl.Series("nama", values["names"], dtype=pl.Utf8)

    def row(value):
        parts = names.split_name(value)
        return (*parts, names.name_key(parts.inti)[0])

    schema = dict.fromkeys((*names.NameParts._fields, "nama_key"), pl.Utf8)
    assert_frame_equal(names.split_name_series(raw), map_unique([raw], row, schema))


def test_nik_consistency_matches_scalar(values):
    rng = random.Random(7)
    raw, numeric = _with_flags(values["ids"])
    nik = nik_kk.parse_nik_series(raw, numeric)["nik"]
    nik = pl.concat([nik, pl.Series(["3514 0347", "35140347057500189", "x" * 16])])
    n = nik.len()
    dob = pl.Series(
        [dt.date(1900, 1, 1) + dt.timedelta(days=rng.randint(0, 45000)) for _ in range(n)]
    )
    dob = dob.scatter(list(range(0, n, 3)), None)
    year = pl.Series([rng.choice([None, -5, 1975, 2003, 2075]) for _ in range(n)], dtype=pl.Int32)
    sex = pl.Series([rng.choice(["L", "P", None, "", "X"]) for _ in range(n)])
    kec = pl.Series([rng.choice(["35.14.03", "35.14.13", "", None, "3514"]) for _ in range(n)])
    keys = [nik, dob, year, sex, kec]
    schema = {"nik_consistency_flags": pl.List(pl.Utf8)}
    expected = map_unique(keys, lambda *k: (nik_kk.nik_consistency(*k),), schema)
    assert_series_equal(nik_kk.nik_consistency_series(*keys), expected.to_series())
