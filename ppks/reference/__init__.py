"""Reference data shipped with the project: regions, population, PPKS categories.

The files live in ``data/`` (see ``data/NOTICE.md`` for sources and licences).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

DATA_DIR = Path(__file__).parent / "data"
PROVINCE_CODE = "35"


@cache
def regions() -> pl.DataFrame:
    """Every Kemendagri 2025 region of Jawa Timur.

    Columns: ``kode`` (dotted code), ``nama``, ``tingkat`` (provinsi,
    kabupaten_kota, kecamatan, desa_kelurahan), ``kode_induk`` (the parent's
    code, null for the province).
    """
    df = pl.read_csv(DATA_DIR / "wilayah_jatim.csv", schema_overrides={"kode": pl.Utf8})
    return df.with_columns(
        pl.when(pl.col("kode").str.contains(r"\."))
        .then(pl.col("kode").str.replace(r"\.[^.]+$", ""))
        .otherwise(None)
        .alias("kode_induk")
    )


@cache
def population() -> pl.DataFrame:
    """Population of the province and each kabupaten/kota: kode, nama, pria, wanita, total."""
    return pl.read_csv(DATA_DIR / "penduduk_jatim.csv", schema_overrides={"kode": pl.Utf8})


@cache
def categories() -> pl.DataFrame:
    """The 26 PPKS categories: kode (PPKS-01..26), nama, singkatan, alias (``|``-separated)."""
    return pl.read_csv(DATA_DIR / "ppks_categories.csv")
