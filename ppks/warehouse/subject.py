"""Subject access (UU PDP No. 27/2022): every record the warehouse holds about a person.

Find a person by NIK, or by name and birth date, in the full warehouse; return
their golden record(s), every loaded row of those persons (with its lineage:
file, sheet, row, run, and the original cells under their headers), rejected
rows that carry the same NIK or name, rows a corrected file or export replaced
(``source_record_history``, ``rejected_row_history``: still held, so still
shown), and what the model derived from them (cases, service events,
household). Over-inclusion is labelled, not hidden: each row says why it
matched.

Every request is appended to ``subject_access_log`` in the warehouse (who,
when, the query; not the answer): `access_entry`, written by
`ppks.warehouse.access_log` (directly, or through a pending file while
readers hold the warehouse). Writing must never race a night, so the command
holds the run lock while it does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ppks.normalise.names import split_name
from ppks.ops.private import write_private


@dataclass
class SubjectReport:
    query: dict
    persons: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    replaced: list[dict] = field(default_factory=list)  # rows in the history tables
    cases: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.persons or self.records or self.rejected or self.replaced)


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'",
            [table],
        ).fetchone()[0]
    )


def _name_key(text: str) -> str | None:
    return split_name(text).nama


def find_subject(
    con: duckdb.DuckDBPyConnection,
    *,
    nik: str | None = None,
    nama: str | None = None,
    tanggal_lahir: dt.date | None = None,
) -> SubjectReport:
    if nik:
        digits = re.sub(r"\D", "", nik)
        if len(digits) != 16:
            raise ValueError(f"a NIK has 16 digits, got {len(digits)}: {nik}")
        query = {"nik": digits}
        direct = """
            CASE
              WHEN r.nik = $nik THEN 'NIK'
              WHEN regexp_replace(coalesce(r.nik_raw, ''), '[^0-9]', '', 'g') = $nik
                THEN 'NIK as written'
              WHEN list_contains(r.flags, 'nik_excel_damaged') AND left(r.nik, 15) = left($nik, 15)
                THEN 'possible: NIK damaged by Excel, first 15 digits agree'
            END
        """
        params = {"nik": digits}
    elif nama and tanggal_lahir:
        key = _name_key(nama)
        if not key:
            raise ValueError(f"not a name: {nama!r}")
        query = {"nama": key, "tanggal_lahir": tanggal_lahir.isoformat()}
        direct = """
            CASE
              WHEN (r.nama = $nama OR r.nama_inti = $nama) AND r.tanggal_lahir = $dob
                THEN 'name and birth date'
              WHEN (r.nama = $nama OR r.nama_inti = $nama) AND r.tanggal_lahir IS NULL
                   AND r.tahun_lahir = year($dob)
                THEN 'possible: name and birth year (no whole date written)'
            END
        """
        params = {"nama": key, "dob": tanggal_lahir}
    else:
        raise ValueError("give a NIK, or a name and a birth date")

    report = SubjectReport(query=query)
    matched = con.execute(
        f"SELECT r.record_id, r.person_id, {direct} AS why FROM source_record AS r "
        f"WHERE why IS NOT NULL",
        params,
    ).fetchall()
    why = {rid: reason for rid, _, reason in matched}
    person_ids = sorted({pid for _, pid, _ in matched if pid})
    report.records = _dicts(
        con,
        """
        SELECT r.record_id, r.person_id, r.source, r.source_file, r.sheet, r.row_number,
               r.run_id, f.ingested_at, r.file_sha256, r.nama, r.nik, r.kk, r.jenis_kelamin,
               r.tanggal_lahir, r.tahun_lahir, r.alamat, r.kode_desa, r.kode_kecamatan,
               r.ppks_kode, r.bulan_laporan, r.tanggal_kegiatan, r.flags,
               s.headers, r.raw_values
        FROM source_record AS r
        LEFT JOIN ingest_file AS f ON f.source_file = r.source_file AND f.sha256 = r.file_sha256
        LEFT JOIN source_sheet AS s
            ON s.source_file = r.source_file AND s.file_sha256 = r.file_sha256 AND s.sheet = r.sheet
        WHERE list_contains($ids, r.record_id) OR list_contains($pids, r.person_id)
        ORDER BY r.record_id
        """,
        {"ids": list(why), "pids": person_ids},
    )
    for row in report.records:
        row["matched_by"] = why.get(row["record_id"], "same person (linked)")
        row["original_cells"] = _cells(row.pop("headers"), row.pop("raw_values"))
    report.persons = _dicts(
        con, "SELECT * FROM person WHERE list_contains($p, person_id) ORDER BY person_id",
        {"p": person_ids},
    )  # fmt: skip
    report.rejected = _rejected(con, query)
    report.replaced = _replaced(con, direct, params, person_ids, query)
    for attr, table in (
        ("cases", "ppks_case"),
        ("services", "service_event"),
        ("households", "household_member"),
    ):
        if _has(con, table):
            setattr(
                report,
                attr,
                _dicts(
                    con,
                    f"SELECT * FROM {table} WHERE list_contains($p, person_id) ORDER BY ALL",
                    {"p": person_ids},
                ),
            )
    return report


def _cells(headers: list | None, values: list | None) -> dict | None:
    """The original cells under their header texts (a repeated header gets a #2, #3...)."""
    if values is None:
        return None
    headers = list(headers or [])
    cells: dict[str, str | None] = {}
    for i, value in enumerate(values):
        name = headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"
        key, n = name, 1
        while key in cells:
            n += 1
            key = f"{name} #{n}"
        cells[key] = value
    return cells


def _replaced(con, direct: str, params: dict, person_ids: list[str], query: dict) -> list[dict]:
    """Loaded rows that a corrected file or SLRT export replaced, then such rejected rows."""
    out = []
    if _has(con, "source_record_history"):
        out = _dicts(
            con,
            f"SELECT r.* EXCLUDE (raw_values), {direct} AS why "
            "FROM source_record_history AS r "
            "WHERE why IS NOT NULL OR list_contains($pids, r.person_id) "
            "ORDER BY r.source_file, r.sheet, r.row_number",
            {**params, "pids": person_ids},
        )
        for row in out:
            why = row.pop("why")
            row["matched_by"] = why or "same person (linked before it was replaced)"
    if _has(con, "rejected_row_history"):
        out += _rejected(con, query, "rejected_row_history")
    return out


def _rejected(
    con: duckdb.DuckDBPyConnection, query: dict, table: str = "rejected_row"
) -> list[dict]:
    rows = _dicts(
        con,
        f"""
        SELECT j.source, j.source_file, j.sheet, j.row_number, j.run_id, f.ingested_at,
               j.reasons, j.reason_text, j.nama_raw, j.nik_raw, j.tanggal_lahir_raw, j.raw_json
        FROM {table} AS j
        LEFT JOIN ingest_file AS f ON f.source_file = j.source_file AND f.sha256 = j.file_sha256
        ORDER BY j.source_file, j.sheet, j.row_number
        """,
        [],
    )
    out = []
    for row in rows:
        if "nik" in query:
            if re.sub(r"\D", "", row["nik_raw"] or "") != query["nik"]:
                continue
            row["matched_by"] = "NIK as written"
        else:
            if not row["nama_raw"] or _name_key(row["nama_raw"]) != query["nama"]:
                continue
            year = query["tanggal_lahir"][:4]
            if year not in (row["tanggal_lahir_raw"] or ""):
                continue
            row["matched_by"] = "possible: name, and the birth year appears in the date as written"
        row["raw_json"] = json.loads(row["raw_json"]) if row["raw_json"] else None
        out.append(row)
    return out


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return f"uid {os.getuid()}"


def access_entry(
    report: SubjectReport, *, requested_by: str | None = None, exported_to: Path | None = None
) -> dict:
    """Who asked, when and what (not the answer): one line of subject_access_log."""
    user = _os_user()
    return {
        "accessed_at": dt.datetime.now(),
        "requested_by": requested_by or user,
        "os_user": user,
        "host": socket.gethostname(),
        "query": json.dumps(report.query, sort_keys=True),
        "exported_to": str(Path(exported_to).resolve()) if exported_to else None,
        "found": report.found,
    }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def format_report(report: SubjectReport) -> str:
    lines = [f"Subject access request: {report.query}"]
    if not report.found:
        lines.append("The warehouse holds no record matching this person.")
        return "\n".join(lines)
    lines.append(
        f"{len(report.persons)} person(s), {len(report.records)} loaded row(s), "
        f"{len(report.rejected)} rejected row(s), {len(report.replaced)} replaced row(s)"
    )
    for p in report.persons:
        lines.append("")
        lines.append(f"Person {p['person_id']} (golden record):")
        lines += [f"  {k}: {_text(v)}" for k, v in p.items() if k != "person_id"]
    for title, rows in (
        ("Loaded rows", report.records),
        ("Rejected rows", report.rejected),
        ("Replaced rows (kept in history)", report.replaced),
    ):
        lines.append("")
        lines.append(f"{title}:")
        for r in rows:
            lines.append(
                f"- {r['source_file']} / sheet {r['sheet'] or '-'} / row {r['row_number']} "
                f"(run {r['run_id']}, matched by: {r['matched_by']})"
            )
            skip = {"source_file", "sheet", "row_number", "run_id", "matched_by"}
            lines += [f"    {k}: {_text(v)}" for k, v in r.items() if k not in skip]
    for title, rows in (
        ("PPKS cases", report.cases),
        ("Service events", report.services),
        ("Household", report.households),
    ):
        if rows:
            lines.append("")
            lines.append(f"{title}:")
            lines += ["- " + ", ".join(f"{k}={_text(v)}" for k, v in r.items()) for r in rows]
    return "\n".join(lines)


def export_workbook(report: SubjectReport, path: Path) -> Path:
    """The report as a workbook, written to a file created 0600 (it holds the person's data)."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    summary = workbook.add_worksheet("permintaan")
    facts = [
        ("query", json.dumps(report.query)),
        ("generated_at", dt.datetime.now().isoformat(timespec="seconds")),
        ("legal basis", "UU PDP No. 27/2022, data subject access"),
        ("persons", len(report.persons)),
        ("loaded rows", len(report.records)),
        ("rejected rows", len(report.rejected)),
        ("replaced rows", len(report.replaced)),
    ]
    for i, (k, v) in enumerate(facts):
        summary.write(i, 0, k, bold)
        summary.write(i, 1, v)
    for name, rows in (
        ("person", report.persons),
        ("rows_loaded", report.records),
        ("rows_rejected", report.rejected),
        ("rows_replaced", report.replaced),
        ("ppks_case", report.cases),
        ("service_event", report.services),
        ("household", report.households),
    ):
        sheet = workbook.add_worksheet(name)
        columns = list(rows[0]) if rows else ["(none)"]
        for j, col in enumerate(columns):
            sheet.write(0, j, col, bold)
        for i, row in enumerate(rows, start=1):
            for j, col in enumerate(columns):
                sheet.write_string(i, j, _text(row.get(col)))
    workbook.close()
    return write_private(Path(path), buffer.getvalue())
