"""A provincial-scale frame for timing the normalisers, and the timing itself.

    /tmp/venv/bin/python tests/normalise/normalise_bench.py [--rows 600000]

The sample rows are repeated and perturbed so that, as in a real year of
files, most names, NIKs, KKs and birth dates are distinct per person while the
shapes (quotes, separators, number cells, 'd Month yyyy', titles, bin/binti)
keep their sample frequencies.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

import polars as pl

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2])]
from normalise_samples import sample_rows  # noqa: E402

_ISO = re.compile(r"^(\s*)\d{4}-\d{2}-\d{2}(.*)$")
_DMY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4})$")
_D_MON_Y = re.compile(r"^(\d{1,2})(\s+\S+\s+)(\d{4})$")


def _perturb_id(value: str | None, rng: random.Random) -> str | None:
    """New date and serial digits in the same written shape."""
    if value is None or sum(c.isdigit() for c in value) < 12:
        return value
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    fresh = iter(
        f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}{rng.randint(1, 9999):04d}"
    )
    out, seen = [], 0
    for char in value:
        if char.isdigit():
            seen += 1
            if 6 < seen <= 16:
                char = next(fresh)
        out.append(char)
    return "".join(out)


def _perturb_date(value: str | None, rng: random.Random) -> str | None:
    if value is None:
        return None
    year, month, day = rng.randint(1935, 2015), rng.randint(1, 12), rng.randint(1, 28)
    if m := _ISO.match(value):
        return f"{m[1]}{year}-{month:02d}-{day:02d}{m[2]}"
    if m := _DMY.match(value):
        width = len(m[1])
        return f"{day:0{width}d}{m[2]}{month:0{width}d}{m[2]}{year}"
    if m := _D_MON_Y.match(value):
        return f"{day}{m[2]}{year}"
    return value


def _perturb_name(value: str | None, pool: list[str], rng: random.Random) -> str | None:
    if value is None or not value.strip():
        return value
    words = value.split()
    for _ in range(1 + (rng.random() < 0.7)):
        word = rng.choice(pool)
        word = word.lower() if value.islower() else word.title() if value.istitle() else word
        words.insert(rng.randint(1, len(words)), word)
    return " ".join(words)


def big_frame(rows: int = 600_000, seed: int = 7) -> pl.DataFrame:
    """`rows` rows with the sample's columns, distinct per person where people are."""
    rng = random.Random(seed)
    sample = sample_rows().drop("noise")
    big = pl.concat([sample] * (rows // sample.height + 1)).head(rows)
    pool = sorted({w for n in sample["nama"].drop_nulls() for w in n.upper().split()})
    columns = {
        "w_nik": [_perturb_id(v, rng) for v in big["w_nik"]],
        "w_kk": [_perturb_id(v, rng) for v in big["w_kk"]],
        "w_dob": [_perturb_date(v, rng) for v in big["w_dob"]],
        "w_nama": [_perturb_name(v, pool, rng) for v in big["w_nama"]],
    }
    return big.with_columns(pl.Series(k, v, dtype=pl.Utf8) for k, v in columns.items())


def run(big: pl.DataFrame) -> dict[str, float]:
    from ppks.normalise import dates, names, nik_kk

    ref = (pl.col("bulan") + "-01").str.to_date().dt.month_end()
    ref = big.select(ref).to_series()
    timings: dict[str, float] = {}

    def timed(label, fn):
        started = time.perf_counter()
        out = fn()
        timings[label] = time.perf_counter() - started
        return out

    timed("split_name_series", lambda: names.split_name_series(big["w_nama"]))
    nik = timed(
        "parse_nik_series",
        lambda: nik_kk.parse_nik_series(big["w_nik"], big["w_nik_type"] == "num"),
    )
    timed("parse_kk_series", lambda: nik_kk.parse_kk_series(big["w_kk"], big["w_kk_type"] == "num"))
    dob = timed(
        "parse_birth_date_series",
        lambda: dates.parse_birth_date_series(big["w_dob"], big["w_dob_type"] == "num", ref),
    )
    timed("parse_event_date_series", lambda: dates.parse_event_date_series(big["w_tanggal"]))
    timed("age_to_birth_year_series", lambda: dates.age_to_birth_year_series(big["w_umur"], ref))
    timed(
        "nik_consistency_series",
        lambda: nik_kk.nik_consistency_series(
            nik["nik"], dob["dob"], dob["dob_year"], big["gender"], big["kode_kecamatan"]
        ),
    )
    timings["total"] = sum(timings.values())
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=600_000)
    parser.add_argument("--cache", type=Path, help="parquet file to keep the built frame in")
    args = parser.parse_args()
    if args.cache and args.cache.exists():
        big = pl.read_parquet(args.cache)
    else:
        big = big_frame(args.rows)
        if args.cache:
            big.write_parquet(args.cache)
    for column in ("w_nama", "w_nik", "w_kk", "w_dob", "w_tanggal"):
        print(f"{column}: {big[column].n_unique():,} distinct of {big.height:,}")
    for label, seconds in run(big).items():
        print(f"{label:26s} {seconds:7.3f} s")


if __name__ == "__main__":
    main()
