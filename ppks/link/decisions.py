"""Reviewer decisions: the decisions file, and the review workbook a reviewer fills in.

The decisions file is a CSV kept beside the warehouse; it is the lasting
record (the warehouse is rebuilt from it every night). One line per decision on
two rows, each row named by its identity (file, sheet, row number):

    file_a,sheet_a,row_a,file_b,sheet_b,row_b,decision,reviewer,decided_at,note

decision is ``same`` or ``different``. A later line on the same pair replaces
an earlier one. The workbook (`export_review_workbook`) lists the review queue
with an empty ``keputusan`` column (SAMA / BEDA); `import_review_workbook`
appends what the reviewer filled in to the decisions file.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

FIELDS = (
    "file_a", "sheet_a", "row_a", "file_b", "sheet_b", "row_b",
    "decision", "reviewer", "decided_at", "note",
)  # fmt: skip
_SAME = {"same", "sama", "s", "ya", "y", "1", "true"}
_DIFFERENT = {"different", "beda", "berbeda", "b", "tidak", "t", "n", "0", "false"}
RowId = tuple[str, str, int]


@dataclass(frozen=True)
class Decision:
    a: RowId
    b: RowId
    decision: str  # same | different
    reviewer: str | None = None
    decided_at: str | None = None
    note: str | None = None

    @property
    def pair(self) -> tuple[RowId, RowId]:
        return (self.a, self.b) if self.a <= self.b else (self.b, self.a)


def parse_decision(value: object) -> str | None:
    text = str(value or "").strip().lower()
    if text in _SAME:
        return "same"
    if text in _DIFFERENT:
        return "different"
    return None


def read_decisions(path: Path | str | None) -> list[Decision]:
    """All decisions in file order; unreadable lines are skipped."""
    if path is None or not Path(path).exists():
        return []
    out = []
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for line in csv.DictReader(fh):
            decision = parse_decision(line.get("decision"))
            try:
                a = (line["file_a"], line.get("sheet_a") or "", int(line["row_a"]))
                b = (line["file_b"], line.get("sheet_b") or "", int(line["row_b"]))
            except (KeyError, TypeError, ValueError):
                continue
            if decision is None or a == b:
                continue
            out.append(
                Decision(
                    a,
                    b,
                    decision,
                    line.get("reviewer") or None,
                    line.get("decided_at") or None,
                    line.get("note") or None,
                )
            )
    return out


def append_decisions(path: Path | str, decisions: list[Decision]) -> int:
    path = Path(path)
    new = not path.exists() or path.stat().st_size == 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(FIELDS)
        for d in decisions:
            writer.writerow(
                [*d.a, *d.b, d.decision, d.reviewer or "", d.decided_at or "", d.note or ""]
            )
    return len(decisions)


def latest(decisions: list[Decision]) -> dict[tuple[RowId, RowId], Decision]:
    """The last decision on each pair (file order)."""
    out: dict[tuple[RowId, RowId], Decision] = {}
    for d in decisions:
        out[d.pair] = d
    return out


WORKBOOK_COLUMNS = (
    "keputusan", "catatan", "match_weight", "status", "conflict",
    "nama_a", "nama_b", "nik_a", "nik_b", "kk_a", "kk_b",
    "jenis_kelamin_a", "jenis_kelamin_b", "lahir_a", "lahir_b",
    "alamat_a", "alamat_b", "kode_desa_a", "kode_desa_b", "agreement",
    "file_a", "sheet_a", "row_a", "file_b", "sheet_b", "row_b",
)  # fmt: skip


def export_review_workbook(
    con: duckdb.DuckDBPyConnection, path: Path | str, *, limit: int | None = None
) -> int:
    """Write the review queue to an xlsx workbook; returns the number of pairs."""
    import xlsxwriter

    sql = "SELECT * FROM review_queue"
    if limit:
        sql += f" LIMIT {int(limit)}"
    rel = con.sql(sql)
    names = rel.columns
    rows = rel.fetchall()
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Review")
    bold = workbook.add_format({"bold": True})
    for j, column in enumerate(WORKBOOK_COLUMNS):
        sheet.write_string(0, j, column, bold)
    for i, row in enumerate(rows, start=1):
        record = dict(zip(names, row, strict=True))
        record["agreement"] = ", ".join(f"{k}={v}" for k, v in (record["agreement"] or {}).items())
        for j, column in enumerate(WORKBOOK_COLUMNS):
            value = record.get(column)
            if value is None:
                continue
            if isinstance(value, int | float):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, str(value))  # text: a NIK stays 16 digits
    sheet.data_validation(
        1, 0, max(len(rows), 1), 0, {"validate": "list", "source": ["SAMA", "BEDA"]}
    )
    sheet.freeze_panes(1, 1)
    info = workbook.add_worksheet("Petunjuk")
    info.write_string(0, 0, "Isi kolom keputusan: SAMA (satu orang) atau BEDA (dua orang).")
    info.write_string(1, 0, "Baris yang kosong tidak diubah. Kolom lain jangan diubah.")
    workbook.close()
    return len(rows)


def import_review_workbook(
    workbook: Path | str,
    decisions_path: Path | str,
    *,
    reviewer: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Append the filled-in decisions of a review workbook to the decisions file."""
    import fastexcel

    frame = fastexcel.read_excel(str(workbook)).load_sheet("Review", dtypes="string").to_polars()
    stamp = (now or dt.datetime.now()).isoformat(timespec="seconds")
    found = []
    for record in frame.iter_rows(named=True):
        decision = parse_decision(record.get("keputusan"))
        if decision is None:
            continue
        found.append(
            Decision(
                (record["file_a"], record.get("sheet_a") or "", int(float(record["row_a"]))),
                (record["file_b"], record.get("sheet_b") or "", int(float(record["row_b"]))),
                decision,
                reviewer,
                stamp,
                record.get("catatan") or None,
            )
        )
    return append_decisions(decisions_path, found)


def previous_decisions(con: duckdb.DuckDBPyConnection) -> set[tuple[int, int, str]]:
    """Decisions the previous night applied: (record_id_a, record_id_b, decision)."""
    return set(
        con.execute(
            "SELECT record_id_a, record_id_b, decision FROM review_decision "
            "WHERE applied = 'applied'"
        ).fetchall()
    )
