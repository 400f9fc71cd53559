"""The sources and the columns of ``source_record``, in the table's order.

The normaliser writes `CANONICAL_COLUMNS` (tests check its frame against this
list); the load adds the record id and run id; linkage adds the person id.
Inserts go by these names, never by position.
"""

from __future__ import annotations

SOURCES: tuple[str, ...] = ("tksk", "psm", "slrt")

# Added by the warehouse, not by the normaliser.
RECORD_ID, RUN_ID, PERSON_ID = "record_id", "run_id", "person_id"

SOURCE_RECORD_COLUMNS: tuple[str, ...] = (
    "record_id",
    "run_id",
    "source",
    "source_file",
    "file_sha256",
    "sheet",
    "row_number",
    "person_id",
    "nama",
    "nama_inti",
    "nasab",
    "gelar",
    "nik",
    "kk",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "tahun_lahir",
    "umur",
    "alamat",
    "rt",
    "rw",
    "kode_kabupaten",
    "kode_kecamatan",
    "kode_desa",
    "ppks_kode",
    "ppks_dari_sheet",
    "bulan_laporan",
    "tanggal_kegiatan",
    "bentuk_penanganan",
    "keterangan",
    "nama_psm",
    "id_layanan",
    "jenis_keluhan",
    "program_rujukan",
    "status_rujukan",
    "petugas",
    "flags",
    "nama_raw",
    "nik_raw",
    "kk_raw",
    "tanggal_lahir_raw",
    "jenis_kelamin_raw",
    "desa_raw",
    "kecamatan_raw",
    "kabupaten_raw",
    "ppks_raw",
    "raw_values",
)

# What the normaliser produces for one row: everything but the warehouse's ids.
CANONICAL_COLUMNS: tuple[str, ...] = tuple(
    c for c in SOURCE_RECORD_COLUMNS if c not in (RECORD_ID, RUN_ID, PERSON_ID)
)
