"""A plain, deterministic person rule used until probabilistic linkage lands.

Rows that carry the same trustworthy NIK are one person; rows without one are
grouped by name, birth (date or year) and kecamatan. Ids are derived from the
key, so they do not change from one night to the next.
"""

from __future__ import annotations

import duckdb

ASSIGN_PERSON_IDS = """
UPDATE source_record SET person_id = 'P' || upper(substr(sha256(
    CASE
        WHEN nik IS NOT NULL AND NOT list_contains(flags, 'nik_excel_damaged')
            THEN 'nik:' || nik
        ELSE 'nama:' || coalesce(nama_inti, nama, '') || '|'
            || coalesce(CAST(tanggal_lahir AS VARCHAR), CAST(tahun_lahir AS VARCHAR), '') || '|'
            || coalesce(kode_kecamatan, '')
    END
), 1, 12))
"""


def assign_person_ids(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(ASSIGN_PERSON_IDS)
