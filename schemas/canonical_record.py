"""The canonical record: one normalised row of any source.

Three checks here are SOURCES.md's "Rules for a row": a row failing one of
them is rejected with that reason. Every other check guards the pipeline's
own output; if one fails, the normaliser has a bug and the file is stopped
rather than loaded with wrong values.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.typing.polars import Series

from ppks import reference
from ppks.contract import columns, reasons
from ppks.contract import nik as nik_layout

_KECAMATAN_CODES = frozenset(
    reference.regions().filter(pl.col("tingkat") == "kecamatan").get_column("kode").to_list()
)
_CATEGORY_CODES = frozenset(reference.categories().get_column("kode").to_list())

# Check name → reject reason (ppks.contract.reasons).
REJECT_CHECKS: dict[str, str] = {
    "name_has_letters": reasons.NO_NAME,
    "category_is_one_of_26": reasons.CATEGORY_UNRESOLVED,
    "place_is_a_jatim_kecamatan": reasons.PLACE_UNRESOLVED,
}
_SIXTEEN_DIGITS = rf"^\d{{{nik_layout.LENGTH}}}$"  # a NIK or a No. KK


class CanonicalRecord(pa.DataFrameModel):
    source: Series[str] = pa.Field(isin=list(columns.SOURCES))
    source_file: Series[str]
    sheet: Series[str]
    row_number: Series[pl.Int32] = pa.Field(ge=1)
    nama: Series[str] = pa.Field(nullable=True)
    nik: Series[str] = pa.Field(nullable=True, str_matches=_SIXTEEN_DIGITS)
    kk: Series[str] = pa.Field(nullable=True, str_matches=_SIXTEEN_DIGITS)
    jenis_kelamin: Series[str] = pa.Field(nullable=True, isin=["L", "P"])
    tanggal_lahir: Series[pl.Date] = pa.Field(nullable=True)
    tahun_lahir: Series[pl.Int32] = pa.Field(nullable=True, ge=1850, le=2100)
    kode_kecamatan: Series[str] = pa.Field(nullable=True)
    kode_desa: Series[str] = pa.Field(nullable=True, str_matches=r"^35\.\d{2}\.\d{2}\.\d{4}$")
    ppks_kode: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = False
        unique = ["source_file", "sheet", "row_number"]

    @pa.check("nama", name="name_has_letters")
    def _name_has_letters(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).str.contains(r"[^\W\d_]").fill_null(False))

    @pa.check("ppks_kode", name="category_is_one_of_26")
    def _category_is_one_of_26(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).is_in(list(_CATEGORY_CODES)).fill_null(False))

    @pa.check("kode_kecamatan", name="place_is_a_jatim_kecamatan")
    def _place_is_a_jatim_kecamatan(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col(data.key).is_in(list(_KECAMATAN_CODES)).fill_null(False)
        )
