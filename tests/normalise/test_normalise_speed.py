"""600,000 rows must normalise in seconds: every wrapper maps distinct values only."""

import datetime as dt
import time

import polars as pl
from normalise_samples import sample_rows

from ppks.normalise import dates, gender, names, nik_kk
from ppks.normalise.category import CategoryResolver

ROWS = 600_000


def _big() -> pl.DataFrame:
    rows = sample_rows()
    big = pl.concat([rows] * (ROWS // rows.height + 1)).head(ROWS)
    # Far more distinct names and NIKs than the sample has, as in a real year of files.
    serial = (pl.int_range(pl.len()) % 20_000).cast(pl.Utf8)
    return big.with_columns(
        w_nama=pl.col("w_nama") + " " + serial.str.replace_all(r"\d", "A"),
        w_nik=pl.col("w_nik").str.slice(0, 11) + serial.str.zfill(5),
    )


def test_all_wrappers_on_600k_rows():
    big = _big()
    started = time.perf_counter()
    dob = dates.parse_birth_date_series(
        big["w_dob"], big["w_dob_type"] == "num", dt.date(2026, 12, 31)
    )
    sex = gender.parse_gender_series(big["w_gender"])
    nik = nik_kk.parse_nik_series(big["w_nik"], big["w_nik_type"] == "num")
    kk = nik_kk.parse_kk_series(big["w_kk"], big["w_kk_type"] == "num")
    name = names.split_name_series(big["w_nama"])
    ppks = CategoryResolver().resolve_series(big["w_ppks"])
    check = nik_kk.nik_consistency_series(nik["nik"], dob["dob"], dob["dob_year"], sex["gender"])
    elapsed = time.perf_counter() - started
    for out in (dob, sex, nik, kk, name, ppks, check):
        assert len(out) == ROWS
    assert name["nama"][0].startswith(big["w_nama"][0].split()[0].upper())
    assert elapsed < 20, f"{elapsed:.1f}s"
