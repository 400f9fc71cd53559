"""The ground-truth files of docs/contracts.md: files.csv, rows.csv, persons.csv."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass
from pathlib import Path

from ppks_generator.population import Person

ROW_COLUMNS = (
    "source_file",
    "sheet",
    "row_number",
    "person_id",
    "expected",
    "reject_kind",
    "nik",
    "kk",
    "nama",
    "dob",
    "gender",
    "kode_kecamatan",
    "kode_desa",
    "ppks_kode",
    "source",
    "folder",
    "bulan",
    "id_layanan",
    "noise",
)
FILE_COLUMNS = ("source_file", "folder", "expected", "note", "truth_rows", "supersedes")
PERSON_COLUMNS = ("person_id", "nik", "kk", "nama", "dob", "gender", "kode_desa", "ppks_kode")
REJECT_ORDER = ("no_name", "category", "place")


@dataclass(slots=True)
class FileRecord:
    source_file: str
    folder: str
    expected: str  # load, reject or duplicate_of:<name>
    note: str
    truth_rows: int = 0
    supersedes: str = ""


class FileRows:
    """The truth rows of one loadable file, in the order they appear in it."""

    def __init__(self, source_file: str, source: str, bulan: str = ""):
        self.source_file = source_file
        self.source = source
        self.bulan = bulan
        self.rows: list[tuple] = []

    def add(
        self,
        sheet: str,
        row_number: int,
        person: Person | None,
        code: str,
        rejects: set[str] | list[str],
        noise: list[str],
        *,
        id_layanan: str = "",
        kode_kecamatan: str = "",
    ) -> None:
        reject_kind = "|".join(r for r in REJECT_ORDER if r in rejects)
        # A total line names nobody; only the kecamatan of the file is known.
        clean = person.truth if person else ("", "", "", "", "", "", kode_kecamatan, "")
        self.rows.append(
            (
                self.source_file,
                sheet,
                row_number,
                clean[0],
                "reject" if reject_kind else "load",
                reject_kind,
                *clean[1:],
                code,
                self.source,
                self.source,
                self.bulan,
                id_layanan,
                "|".join(dict.fromkeys(noise)),
            )
        )


def rows_text(rows: list[tuple]) -> str:
    """rows.csv lines (without header); built in the workers so that only text crosses processes."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def write_truth(
    truth_dir: Path, files: list[FileRecord], row_chunks: list[str], persons: list[Person]
) -> None:
    truth_dir.mkdir(parents=True, exist_ok=True)
    with (truth_dir / "files.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FILE_COLUMNS)
        w.writerows(astuple(r) for r in files)
    with (truth_dir / "rows.csv").open("w", newline="", encoding="utf-8") as f:
        f.write(",".join(ROW_COLUMNS) + "\n")
        f.writelines(row_chunks)
    with (truth_dir / "persons.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(PERSON_COLUMNS)
        w.writerows(
            (
                p.pid,
                p.nik,
                p.kk,
                p.nama,
                p.dob.isoformat(),
                p.gender,
                p.place.kode_desa,
                "|".join(p.cats),
            )
            for p in persons
        )
