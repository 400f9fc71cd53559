"""Recognise a template's header row whatever its spelling, case and column order."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

# Header text is reduced to lower-case letters and digits before lookup, so
# "No. KK", "NO KK" and "no_kk" are one key.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "no": ("no", "nomor", "nourut", "nmr"),
    "nik": ("nik", "nonik", "noktp", "nikktp", "nomorindukkependudukan", "niknoktp"),
    "kk": ("kk", "nokk", "nokartukeluarga", "nomorkk", "nomorkartukeluarga", "kartukeluarga"),
    "nama": ("nama", "namalengkap", "namappks", "namapenerima", "namalengkapppks"),
    "gender": ("lp", "jeniskelamin", "jk", "jnskelamin", "kelamin", "jnskel", "sex", "gender"),
    "tempat_lahir": ("tempatlahir", "tmplahir", "tmptlahir", "tempatlhr"),
    "tanggal_lahir": ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "tgllahirddmmyyyy"),
    "ttl": ("tempattanggallahir", "ttl", "tempattgllahir", "tmptgllahir", "tempattgllhr"),
    "umur": ("umur", "usia", "umurtahun", "umurth", "umurthn", "usiatahun"),
    "alamat": ("alamat", "alamatlengkap", "alamatrumah"),
    "rt": ("rt",),
    "rw": ("rw",),
    "rtrw": ("rtrw",),
    "desa": (
        "desakelurahan",
        "desakel",
        "kelurahan",
        "desa",
        "kelurahandesa",
        "namadesa",
        "kel",
        "kelurahandesa",
    ),
    "kecamatan": ("kecamatan", "kec", "namakecamatan"),
    "kabupaten": ("kabupaten", "kabkota", "kab", "kota", "kabupatenkota", "kabkot"),
    "kode_wilayah": ("kodewilayah", "kodedesa", "kodewil"),
    "jenis_ppks": ("jenisppks", "jnsppks", "ppks", "kategorippks", "jenispmks", "jenis"),
    "bentuk_penanganan": ("bentukpenanganan", "penanganan", "jenispenanganan", "bntkpenanganan"),
    "tanggal_penanganan": ("tanggalpenanganan", "tglpenanganan", "tglditangani"),
    "keterangan": ("keterangan", "ket", "catatan"),
    "kondisi": ("kondisi", "keterangankondisi", "kondisippks"),
    "nama_psm": ("namapsm", "psm", "petugaspsm"),
    "id_layanan": ("idlayanan",),
    "tanggal_layanan": ("tanggallayanan",),
    "jenis_keluhan": ("jeniskeluhan", "keluhan"),
    "program_rujukan": ("programrujukan",),
    "status_rujukan": ("statusrujukan",),
    "petugas": ("petugas",),
}
_LOOKUP = {alias: field for field, aliases in HEADER_ALIASES.items() for alias in aliases}
_NON_ALNUM = re.compile(r"[^a-z0-9]")

HEADER_SCAN_ROWS = 30


def header_key(text: str | None) -> str:
    return _NON_ALNUM.sub("", (text or "").lower())


@lru_cache(maxsize=65_536)
def _field(cell: str | None) -> str | None:
    # The same few hundred header and title texts come back in every file of a night.
    return _LOOKUP.get(header_key(cell))


def map_header(cells: list[str | None]) -> dict[str, int]:
    """Canonical field → column index for one row; the first column wins a field."""
    mapping: dict[str, int] = {}
    for j, cell in enumerate(cells):
        field = _field(cell)
        if field and field not in mapping:
            mapping[field] = j
    return mapping


@lru_cache(maxsize=16_384)
def _row_mapping(cells: tuple[str | None, ...]) -> tuple[tuple[str, int], ...]:
    # By the whole row: a night's sheets repeat the same few hundred title and header
    # rows (a PSM file's sheets all carry its title), and a row of cells is one lookup.
    return tuple(map_header(list(cells)).items())


def find_header(rows: Iterable[Sequence], must_have: frozenset[str]) -> tuple[int, dict[str, int]]:
    """The first of the top ``rows`` that carries every field of ``must_have``.

    Returns (row index, mapping). When no row qualifies, the row that came
    closest is returned so the caller can say what is missing. ``rows`` may
    be a lazy iterable: it is read only up to the header.
    """
    best: tuple[int, int, dict[str, int]] = (-1, -1, {})
    for i, row in enumerate(itertools.islice(rows, HEADER_SCAN_ROWS)):
        mapping = dict(_row_mapping(tuple(row)))
        if must_have <= mapping.keys():
            return i, mapping
        score = len(mapping.keys() & must_have) * 100 + len(mapping)
        if score > best[1]:
            best = (i, score, mapping)
    return best[0], best[2]
