"""Raw rows as read from each template, before any cleaning: every value is text.

A template's required columns are the non-optional fields of its model; the
readers look for exactly these when they search for the header row, so the
model is the one place that says what a TKSK, PSM or SLRT header must hold.
"""

from __future__ import annotations

from typing import Optional

import pandera.polars as pa
import polars as pl
from pandera.typing.polars import Series

# Every field a reader can fill, in the order of the raw frame.
RAW_FIELDS: tuple[str, ...] = (
    "nama",
    "nik",
    "kk",
    "gender",
    "tempat_lahir",
    "tanggal_lahir",
    "ttl",
    "umur",
    "alamat",
    "rt",
    "rw",
    "rtrw",
    "desa",
    "kecamatan",
    "kabupaten",
    "kode_wilayah",
    "jenis_ppks",
    "bentuk_penanganan",
    "tanggal_penanganan",
    "keterangan",
    "kondisi",
    "nama_psm",
    "id_layanan",
    "tanggal_layanan",
    "jenis_keluhan",
    "program_rujukan",
    "status_rujukan",
    "petugas",
)


class _RawRow(pa.DataFrameModel):
    source_file: Series[str]
    sheet: Series[str]
    row_number: Series[pl.Int32] = pa.Field(ge=1)

    class Config:
        strict = False
        unique = ["source_file", "sheet", "row_number"]


class TkskRaw(_RawRow):
    """Laporan Bulanan TKSK: the header needs a name, a NIK and the PPKS category."""

    nama: Series[str] = pa.Field(nullable=True)
    nik: Series[str] = pa.Field(nullable=True)
    jenis_ppks: Series[str] = pa.Field(nullable=True)
    desa: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045 (pandera reads Optional)
    tanggal_lahir: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    umur: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045


class PsmRaw(_RawRow):
    """Data PPKS Desa: place and birth ('TEMPAT, TANGGAL LAHIR') are in the row."""

    nama: Series[str] = pa.Field(nullable=True)
    nik: Series[str] = pa.Field(nullable=True)
    ttl: Series[str] = pa.Field(nullable=True)
    kecamatan: Series[str] = pa.Field(nullable=True)
    jenis_ppks: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045


class SlrtRaw(_RawRow):
    """SLRT export: machine-made, one service event per row."""

    id_layanan: Series[str] = pa.Field(nullable=True)
    tanggal_layanan: Series[str] = pa.Field(nullable=True)
    nik: Series[str] = pa.Field(nullable=True)
    nama: Series[str] = pa.Field(nullable=True)
    kode_wilayah: Series[str] = pa.Field(nullable=True)
    jenis_ppks: Series[str] = pa.Field(nullable=True)


def required_fields(model: type[pa.DataFrameModel]) -> frozenset[str]:
    """The header fields a template cannot do without (row identity excluded)."""
    identity = set(_RawRow.to_schema().columns)
    return frozenset(
        name
        for name, column in model.to_schema().columns.items()
        if column.required and name not in identity
    )
