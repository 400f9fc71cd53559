"""Raw rows of any source → canonical records (schemas.canonical_record.CanonicalRecord).

Each source says where a value comes from (a TKSK row gets its kecamatan from
the title block, a PSM row its birth date from the TTL cell, an SLRT row its
place from the desa code); the normalisers then do the same work for all.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import polars as pl

from ppks.normalise import address, dates, gender, names, nik_kk
from ppks.normalise.category import CategoryResolver
from ppks.normalise.place import PlaceResolver

# The years the contract accepts for tahun_lahir (schemas/canonical_record.py).
YEAR_FLOOR, YEAR_CEILING = 1850, 2100
FLAG_COLUMNS = ("nik_flags", "kk_flags", "dob_flags", "gender_flags", "place_flags", "nik_check")


@cache
def _categories() -> CategoryResolver:
    return CategoryResolver()


@cache
def _places() -> PlaceResolver:
    return PlaceResolver()


def _text(col: str) -> pl.Expr:
    """A trimmed text cell; blank becomes null."""
    value = pl.col(col).str.strip_chars()
    return pl.when(value == "").then(None).otherwise(value)


def _inputs(raw: pl.DataFrame, source: str) -> pl.DataFrame:
    """The value each canonical field starts from, per source."""
    frame = raw
    if source == "psm":
        ttl = [dates.split_ttl(v) for v in raw.get_column("ttl").to_list()]
        frame = frame.with_columns(
            tempat_lahir=pl.coalesce(
                _text("tempat_lahir"), pl.Series([p for p, _ in ttl], dtype=pl.Utf8)
            ),
            tanggal_lahir=pl.coalesce(
                _text("tanggal_lahir"), pl.Series([d for _, d in ttl], dtype=pl.Utf8)
            ),
        )
    if source in ("psm", "slrt"):
        parts = address.split_rt_rw_series(raw.get_column("alamat"))
        frame = frame.with_columns(
            alamat_clean=parts.get_column("alamat"),
            rt_clean=pl.coalesce(address.pad_rt_rw(pl.col("rt")), parts.get_column("rt")),
            rw_clean=pl.coalesce(address.pad_rt_rw(pl.col("rw")), parts.get_column("rw")),
        )
    else:
        rtrw = pl.col("rtrw").str.extract_groups(r"(\d{1,3})\s*/\s*(\d{1,3})")
        frame = frame.with_columns(
            alamat_clean=_text("alamat"),
            rt_clean=pl.coalesce(address.pad_rt_rw(pl.col("rt")), rtrw.struct[0].str.zfill(3)),
            rw_clean=pl.coalesce(address.pad_rt_rw(pl.col("rw")), rtrw.struct[1].str.zfill(3)),
        )
    if source == "tksk":
        months = raw.get_column("ctx_bulan").unique().to_list()
        month_of = {m: dates.parse_report_month(m) for m in months}
        frame = frame.with_columns(
            bulan_laporan=pl.col("ctx_bulan").replace_strict(month_of, return_dtype=pl.Date),
            tanggal_kegiatan=dates.parse_event_date_series(raw.get_column("tanggal_penanganan")),
            place_kab=pl.col("ctx_kabupaten"),
            place_kec=pl.col("ctx_kecamatan"),
            keterangan_clean=_text("keterangan"),
        )
    elif source == "psm":
        frame = frame.with_columns(
            bulan_laporan=pl.lit(None, dtype=pl.Date),
            tanggal_kegiatan=pl.lit(None, dtype=pl.Date),
            place_kab=pl.col("kabupaten"),
            place_kec=pl.col("kecamatan"),
            keterangan_clean=pl.coalesce(_text("kondisi"), _text("keterangan")),
        )
    else:
        served = dates.parse_event_date_series(raw.get_column("tanggal_layanan"))
        frame = frame.with_columns(
            tanggal_kegiatan=served,
            bulan_laporan=served.dt.truncate("1mo"),
            place_kab=pl.col("kabupaten"),
            place_kec=pl.col("kecamatan"),
            keterangan_clean=_text("keterangan"),
        )
    return frame


def to_canonical(raw: pl.DataFrame, source: str) -> pl.DataFrame:
    """One canonical record per raw row; ``raw`` carries ``file_sha256``."""
    frame = _inputs(raw, source)
    n = frame.height
    # The latest plausible birth date is the end of the report month (or the service date).
    ref = frame.select(
        pl.coalesce(
            pl.col("bulan_laporan").dt.month_end(),
            pl.col("tanggal_kegiatan"),
            pl.lit(dt.date.today()),
        )
    ).to_series()

    name = names.split_name_series(frame.get_column("nama"))
    nik = nik_kk.parse_nik_series(frame.get_column("nik"), frame.get_column("nik_numeric"))
    kk = nik_kk.parse_kk_series(frame.get_column("kk"), frame.get_column("kk_numeric"))
    sex = gender.parse_gender_series(frame.get_column("gender"))
    dob = dates.parse_birth_date_series(
        frame.get_column("tanggal_lahir"), frame.get_column("tanggal_lahir_numeric"), ref
    )
    age = dates.age_to_birth_year_series(frame.get_column("umur"), ref)
    # Umur stands in only when no birth date at all was written.
    use_age = frame.get_column("tanggal_lahir").is_null() & frame.get_column("umur").is_not_null()
    dob = dob.with_columns(
        dob_year=pl.when(use_age).then(age.get_column("dob_year")).otherwise(pl.col("dob_year")),
        dob_flags=pl.when(use_age).then(age.get_column("dob_flags")).otherwise(pl.col("dob_flags")),
    )
    written = pl.DataFrame(
        {
            "kabupaten": frame.get_column("place_kab"),
            "kecamatan": frame.get_column("place_kec"),
            "desa": frame.get_column("desa"),
            "kode_wilayah": frame.get_column("kode_wilayah"),
        }
    )
    # SOURCES.md: a PSM list is "one workbook per desa": what a row leaves blank is the
    # list's; a TKSK report is "one workbook per kecamatan": its rows are the title's.
    if source == "psm":
        place = _places().resolve_list_frame(
            written,
            frame.get_column("file_sha256"),
            frame.select(kabupaten="ctx_kabupaten", kecamatan="ctx_kecamatan", desa="ctx_desa"),
        )
    elif source == "tksk":
        place = _places().resolve_report_frame(written, frame.get_column("file_sha256"))
    else:
        place = _places().resolve_frame(written)
    row_category = _categories().resolve_series(frame.get_column("jenis_ppks"))
    sheet_names = frame.get_column("ctx_sheet").unique().to_list()
    sheet_category = {s: _categories().resolve_sheet_name(s) for s in sheet_names}
    from_sheet = (
        frame.get_column("jenis_ppks").str.strip_chars().fill_null("").eq("")
        if source == "psm"
        else pl.Series([False] * n)
    )
    category = pl.DataFrame({"row": row_category, "from_sheet": from_sheet}).select(
        ppks_kode=pl.when(pl.col("from_sheet"))
        .then(frame.get_column("ctx_sheet").replace_strict(sheet_category, return_dtype=pl.Utf8))
        .otherwise(pl.col("row")),
        ppks_dari_sheet=pl.col("from_sheet"),
    )
    nik_check = nik_kk.nik_consistency_series(
        nik.get_column("nik"),
        dob.get_column("dob"),
        dob.get_column("dob_year"),
        sex.get_column("gender"),
        place.get_column("kode_kecamatan"),
    )
    parts = pl.concat(
        [
            name,
            nik,
            kk.select("kk", "kk_flags"),
            sex,
            dob,
            place,
            category,
            nik_check.alias("nik_check").to_frame(),
        ],
        how="horizontal",
    )
    return frame.select(
        pl.lit(source).alias("source"),
        "source_file",
        "file_sha256",
        "sheet",
        "row_number",
        parts.get_column("nama"),
        parts.get_column("inti").alias("nama_inti"),
        parts.get_column("nasab"),
        parts.get_column("gelar"),
        parts.get_column("nik"),
        parts.get_column("kk"),
        parts.get_column("gender").alias("jenis_kelamin"),
        _text("tempat_lahir").alias("tempat_lahir"),
        # A year no person alive can have (a serial number, a typo like 1000) is
        # flagged dob_implausible and kept out of the date columns, which hold
        # only years the contract accepts.
        pl.when(_sane_year(parts.get_column("dob_year")))
        .then(parts.get_column("dob"))
        .alias("tanggal_lahir"),
        pl.when(_sane_year(parts.get_column("dob_year")))
        .then(parts.get_column("dob_year"))
        .alias("tahun_lahir"),
        _text("umur").str.extract(r"(\d{1,3})").cast(pl.Int32, strict=False).alias("umur"),
        pl.col("alamat_clean").alias("alamat"),
        pl.col("rt_clean").alias("rt"),
        pl.col("rw_clean").alias("rw"),
        parts.get_column("kode_kabupaten"),
        parts.get_column("kode_kecamatan"),
        parts.get_column("kode_desa"),
        parts.get_column("ppks_kode"),
        parts.get_column("ppks_dari_sheet"),
        "bulan_laporan",
        "tanggal_kegiatan",
        _text("bentuk_penanganan").alias("bentuk_penanganan"),
        pl.col("keterangan_clean").alias("keterangan"),
        _text("nama_psm").alias("nama_psm"),
        _text("id_layanan").alias("id_layanan"),
        _text("jenis_keluhan").alias("jenis_keluhan"),
        _text("program_rujukan").alias("program_rujukan"),
        _text("status_rujukan").alias("status_rujukan"),
        _text("petugas").alias("petugas"),
        pl.concat_list([parts.get_column(c).fill_null([]) for c in FLAG_COLUMNS])
        .list.unique(maintain_order=True)
        .alias("flags"),
        pl.col("nama").alias("nama_raw"),
        pl.col("nik").alias("nik_raw"),
        pl.col("kk").alias("kk_raw"),
        pl.coalesce(pl.col("tanggal_lahir"), pl.col("umur")).alias("tanggal_lahir_raw"),
        pl.col("gender").alias("jenis_kelamin_raw"),
        pl.coalesce(pl.col("desa"), pl.col("kode_wilayah")).alias("desa_raw"),
        pl.col("place_kec").alias("kecamatan_raw"),
        pl.col("place_kab").alias("kabupaten_raw"),
        pl.col("jenis_ppks").alias("ppks_raw"),
        "raw_values",
    )


def _sane_year(year: pl.Series) -> pl.Series:
    return year.is_null() | year.is_between(YEAR_FLOOR, YEAR_CEILING)
