"""Running one job: render its files, write them, and return their truth.

A job only depends on its own data and an RNG seeded from (seed, job key),
so jobs can run in any process and in any order with identical results.
Truth rows come back as CSV text, which is cheap to send between processes.
"""

from __future__ import annotations

import random
from datetime import datetime, time
from pathlib import Path

from ppks_generator import person_names, profile, psm, slrt, tksk
from ppks_generator.plan import PsmJob, SlrtJob, TkskJob
from ppks_generator.truth import FileRecord, FileRows, rows_text
from ppks_generator.workbook import write_csv, write_xlsx

Result = tuple[list[FileRecord], str]


def run(job: TkskJob | PsmJob | SlrtJob, inbox: Path) -> Result:
    profile.use(job.profile)
    if isinstance(job, TkskJob):
        return run_tksk(job, inbox)
    if isinstance(job, PsmJob):
        return run_psm(job, inbox)
    return run_slrt(job, inbox)


def _tksk_file(
    rng: random.Random,
    lay: tksk.Layout,
    job: TkskJob,
    month: str,
    rows: list[tksk.DataRow],
    name: str,
    inbox: Path,
) -> FileRows:
    sheet, first = tksk.sheet(rng, lay, job.kec, month, rows)
    created = datetime.combine(tksk.month_end(month), time(15, 30))
    write_xlsx(inbox / "tksk" / name, [sheet], created)
    truth = FileRows(name, "tksk", month)
    for i, r in enumerate(rows):
        truth.add(
            lay.sheet, first + i, r.person, r.code, r.rejects, r.noise, kode_kecamatan=job.kec.kode
        )
    return truth


def _tksk_note(job: TkskJob, month: str, lay: tksk.Layout) -> str:
    note = [f"tksk kec {job.kec.kode} bulan {month}"]
    if "umur" in lay.keys:
        note.append("Umur instead of birth date")
    if lay.jumlah:
        note.append("JUMLAH line under the data")
    if lay.numeric_ids:
        note.append("NIK/KK typed as numbers")
    return "; ".join(note)


def run_tksk(job: TkskJob, inbox: Path) -> Result:
    records, rows = [], []
    for mp in job.months:
        rng = random.Random(f"{job.seed}/tksk/{job.kec.kode}/{mp.month}")
        lay = tksk.layout(rng, job.kec, mp.month, mp.force)
        data = tksk.data_rows(rng, lay, mp.entries, mp.month)
        truth = _tksk_file(rng, lay, job, mp.month, data, mp.name, inbox)
        note = _tksk_note(job, mp.month, lay)
        if mp.correction:
            note_first = f"{note}; superseded by {mp.correction}"
            records.append(FileRecord(mp.name, "tksk", "load", note_first, len(truth.rows)))
            rows += truth.rows
            fixed = tksk.correct(rng, lay, data, mp.month)
            truth = _tksk_file(rng, lay, job, mp.month, fixed, mp.correction, inbox)
            records.append(
                FileRecord(
                    mp.correction,
                    "tksk",
                    "load",
                    f"{note}; corrected resend",
                    len(truth.rows),
                    supersedes=mp.name,
                )
            )
        else:
            records.append(FileRecord(mp.name, "tksk", "load", note, len(truth.rows)))
        rows += truth.rows
    return records, rows_text(rows)


def run_psm(job: PsmJob, inbox: Path) -> Result:
    records, rows = [], []
    created = datetime.combine(job.when, time(10, 0))
    for plan in job.desas:
        rng = random.Random(f"{job.seed}/psm/{plan.place.kode_desa}")
        sheets, data, note = psm.workbook(rng, plan, job.year, job.when)
        write_xlsx(inbox / "psm" / plan.name, sheets, created)
        truth = FileRows(plan.name, "psm")
        for sheet_name, first, sheet_rows in data:
            for i, r in enumerate(sheet_rows):
                truth.add(sheet_name, first + i, r.person, r.code, r.rejects, r.noise)
        records.append(
            FileRecord(
                plan.name, "psm", "load", f"psm desa {plan.place.kode_desa} {note}", len(truth.rows)
            )
        )
        rows += truth.rows
    return records, rows_text(rows)


def run_slrt(job: SlrtJob, inbox: Path) -> Result:
    rng = random.Random(f"{job.seed}/slrt/{job.kab}")
    officers = [
        person_names.make_name(rng, rng.choice("LP"), rng.randint(1970, 1998)) for _ in range(3)
    ]
    events = slrt.events(rng, job.kab, job.entries, officers)
    records, rows = [], []
    seen: set[str] = set()
    for ex in job.exports:
        selected = [e for e in events if e.month in ex.months]
        note = [f"slrt kab {job.kab} {ex.months[0]}..{ex.months[-1]}"]
        if ex.fmt == "xlsx":
            written = slrt.export_rows(selected, ex.numeric_ids, text_only=False)
            created = datetime.combine(tksk.month_end(ex.months[-1]), time(23, 0))
            write_xlsx(
                inbox / "slrt" / ex.name, [slrt.xlsx_sheet([c for c, _ in written])], created
            )
            sheet = "Data Layanan"
            if ex.numeric_ids:
                note.append("nik/no_kk written as numbers (Excel-damaged)")
        else:
            written = slrt.export_rows(selected, False, text_only=True)
            write_csv(
                inbox / "slrt" / ex.name,
                [slrt.HEADER, *(c for c, _ in written)],
                delimiter=ex.delimiter,
                encoding=ex.encoding,
                newline=rng.choice(("\r\n", "\n")),
            )
            sheet = ""
            note.append(f"csv {ex.encoding} delimiter '{ex.delimiter}'")
        truth = FileRows(ex.name, "slrt")
        repeats = 0
        for line, (e, (_cells, extra)) in enumerate(zip(selected, written, strict=True), 2):
            noise = [*e.noise, *extra]
            if e.id_layanan in seen:
                noise.append("id_layanan_repeat")
                repeats += 1
            truth.add(sheet, line, e.person, e.code, e.rejects, noise, id_layanan=e.id_layanan)
        seen.update(e.id_layanan for e in selected)
        if repeats:
            note.append(f"re-export: {repeats} rows repeat earlier id_layanan")
        records.append(FileRecord(ex.name, "slrt", "load", "; ".join(note), len(truth.rows)))
        rows += truth.rows
    return records, rows_text(rows)
