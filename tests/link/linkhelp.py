"""A warehouse in memory with hand-written source_record rows, for linkage tests.

Not a conftest.py: tests/conftest.py is imported by name elsewhere."""

from __future__ import annotations

import datetime as dt

import duckdb

from ppks.link import cluster
from ppks.link.features import build_features
from ppks.normalise.names import split_name
from ppks.warehouse import schema

DEFAULTS = {
    "run_id": "r0",
    "source": "tksk",
    "file_sha256": "x",
    "sheet": "Laporan",
    "kode_kabupaten": "35.14",
    "kode_kecamatan": "35.14.03",
    "kode_desa": "35.14.03.2001",
    "ppks_kode": "PPKS-01",
}


class Warehouse:
    def __init__(self) -> None:
        self.con = duckdb.connect()
        schema.apply_tables(self.con)
        self.next_id = 1
        self.next_row = {}

    def empty(self) -> None:
        """Back to the state of a new Warehouse() (rows are only ever added to
        source_record), without creating the schema again: half a second each time."""
        self.con.execute("DELETE FROM source_record")
        self.next_id = 1
        self.next_row = {}

    def add(self, file: str = "a.xlsx", run_id: str = "r0", **values) -> int:
        """One row; nama is split as the normaliser does; tanggal_lahir may be 'YYYY-MM-DD'."""
        row = {**DEFAULTS, "run_id": run_id, "source_file": file, **values}
        row["record_id"] = self.next_id
        row["row_number"] = values.get("row_number", self.next_row.get(file, 7))
        self.next_row[file] = row["row_number"] + 1
        parts = split_name(row.get("nama"))
        row["nama"], row["gelar"], row["nama_inti"], row["nasab"] = parts
        if isinstance(row.get("tanggal_lahir"), str):
            row["tanggal_lahir"] = dt.date.fromisoformat(row["tanggal_lahir"])
        if row.get("tanggal_lahir") and not row.get("tahun_lahir"):
            row["tahun_lahir"] = row["tanggal_lahir"].year
        row.setdefault("flags", [])
        columns = list(row)
        self.con.execute(
            f"INSERT INTO source_record ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [row[c] for c in columns],
        )
        self.next_id += 1
        return row["record_id"]

    def person(self, record_id: int) -> str:
        return self.con.execute(
            "SELECT person_id FROM source_record WHERE record_id = ?", [record_id]
        ).fetchall()[0][0]

    def persons(self) -> dict[int, str]:
        return dict(self.con.execute("SELECT record_id, person_id FROM source_record").fetchall())

    def conflict(self, one: str, other: str, **values) -> str | None:
        """The conflict rules on two new reports of `values` (one file each), named
        `one` and `other`."""
        return self.conflict_of({"nama": one, **values}, {"nama": other, **values})

    def conflict_of(self, one: dict, other: dict) -> str | None:
        """The conflict rules on two new reports (one file each) of the values `one`
        and `other`."""
        ids = [self.add(file=f"{i}.xlsx", **row) for i, row in enumerate((one, other))]
        features, common = build_features(self.con, duckdb.connect(), ref_year=2026)
        rows = cluster.rows_from_features(features, common)
        return cluster.conflict(rows[ids[0]], rows[ids[1]])
