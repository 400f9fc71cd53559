"""Whole files that are not what they claim: each must be rejected (or skipped) as a whole.

Their content comes from people who also appear in loadable reports, so no
person exists only in a rejected file; none of their rows is in rows.csv.
"""

from __future__ import annotations

import io
import random
import shutil
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile
from msoffcrypto.method import ecma376_agile
from msoffcrypto.method.container import ecma376_encrypted

from ppks_generator import files, person_names, psm, slrt, tksk
from ppks_generator.plan import GenerationPlan
from ppks_generator.truth import FileRecord
from ppks_generator.workbook import Sheet, write_csv, write_xls, write_xlsx, xlsx_bytes

CREATED = datetime(2026, 11, 2, 8, 0)
CASES = (
    "empty_workbook",
    "wrong_template",
    "corrupt",
    "password_protected",
    "xls",
    "csv_encoding_unknown",
    "no_header",
)


class CaseWriter:
    def __init__(self, rng: random.Random, plan: GenerationPlan, inbox: Path, months: list[str]):
        self.rng = rng
        self.plan = plan
        self.inbox = inbox
        self.months = months
        self.reports = [(job, mp) for job in plan.tksk for mp in job.months]
        self.desas = [d for job in plan.psm for d in job.desas]

    # -- content borrowed from planned reports

    def _tksk_sheet(self, header: bool = True) -> tuple[Sheet, str]:
        job, mp = self.rng.choice(self.reports)
        lay = tksk.layout(self.rng, job.kec, mp.month)
        rows = tksk.data_rows(self.rng, lay, mp.entries[:40], mp.month)
        sheet, _ = tksk.sheet(self.rng, lay, job.kec, mp.month, rows, header=header)
        return sheet, self.plan.names.take(files.tksk(job.kec, self._other_month(), 0))

    def _psm_sheets(self) -> tuple[list[Sheet], str]:
        plan = self.rng.choice(self.desas)
        clean = psm.DesaPlan(plan.place, "", plan.entries[:30], [])
        sheets, _, _ = psm.workbook(self.rng, clean, int(self.months[-1][:4]), CREATED.date())
        return sheets, self.plan.names.take(files.psm(self.rng, plan.place, CREATED.year))

    def _slrt_rows(self) -> tuple[list[list], str]:
        job = self.rng.choice(self.plan.slrt)
        officers = [person_names.make_name(self.rng, "L", 1980)]
        evs = slrt.events(self.rng, job.kab, job.entries[:40], officers)
        rows = [c for c, _ in slrt.export_rows(evs, False, text_only=True)]
        period = tuple(self.months)
        return rows, self.plan.names.take(
            files.slrt(self.rng, job.kab_name, job.kota, period, "csv")
        )

    def _other_month(self) -> str:
        y, m = tksk.month_parts(self.months[-1])
        return f"{y + m // 12}-{m % 12 + 1:02d}" if self.rng.random() < 0.5 else self.months[0]

    def _content(self, folder: str) -> tuple[list[Sheet], str]:
        """A workbook as that folder's reporters send it, and a name for it."""
        if folder == "tksk":
            sheet, name = self._tksk_sheet()
            return [sheet], name
        if folder == "slrt" and self.plan.slrt:
            rows, name = self._slrt_rows()
            return [slrt.xlsx_sheet(rows)], self.plan.names.take([name[:-4] + ".xlsx"])
        return self._psm_sheets()

    # -- the cases

    def empty_workbook(self) -> tuple[str, str]:
        folder = self.rng.choice(("tksk", "psm"))
        _, name = self._content(folder)
        sheet = Sheet(self.rng.choice(("Laporan", "Sheet1", "DATA")))
        write_xlsx(self.inbox / folder / name, [sheet], CREATED)
        return name, folder

    def wrong_template(self) -> tuple[str, str]:
        """A workbook of one source in the folder of another."""
        source = self.rng.choice(("tksk", "psm", "slrt") if self.plan.slrt else ("tksk", "psm"))
        sheets, name = self._content(source)
        folder = {"tksk": "psm", "psm": "slrt", "slrt": "tksk"}[source]
        write_xlsx(self.inbox / folder / name, sheets, CREATED)
        return name, folder

    def corrupt(self) -> tuple[str, str]:
        folder = self.rng.choice(files.FOLDERS)
        sheets, name = self._content(folder)
        if self.rng.random() < 0.5:
            data = self.rng.randbytes(self.rng.randint(2000, 9000))
        else:
            data = xlsx_bytes(sheets, CREATED)
            data = data[: len(data) // 2]  # a download cut short
        (self.inbox / folder / name).write_bytes(data)
        return name, folder

    def password_protected(self) -> tuple[str, str]:
        folder = self.rng.choice(("tksk", "psm"))
        sheets, name = self._content(folder)
        plain = io.BytesIO(xlsx_bytes(sheets, CREATED))
        encrypted = io.BytesIO()
        with _seeded_crypto(self.rng):
            OOXMLFile(plain).encrypt(self.rng.choice(("dinsos2026", "123456", "psm")), encrypted)
        (self.inbox / folder / name).write_bytes(encrypted.getvalue())
        return name, folder

    def xls(self) -> tuple[str, str]:
        folder = self.rng.choice(("tksk", "psm"))
        sheets, name = self._content(folder)
        name = self.plan.names.take([name.removesuffix(".xlsx") + ".xls"])
        write_xls(self.inbox / folder / name, sheets)
        return name, folder

    def csv_encoding_unknown(self) -> tuple[str, str]:
        rows, name = self._slrt_rows()
        # An old DOS program's export (code page 437): its É is a byte that
        # Windows-1252 does not define, so no encoding can be told (Windows-1252
        # and UTF-16 exports are read, see ppks.ingest.grid.decode_csv).
        rows[0][7] = "JL. KH. HASYIM ASY'ARI NO. 3 GG. ÉMPU"
        for row in rows[1::3]:
            row[4] = f"{row[4]} ÉLIS" if row[4] else row[4]
        write_csv(self.inbox / "slrt" / name, [slrt.HEADER, *rows], delimiter=";", encoding="cp437")
        return name, "slrt"

    def no_header(self) -> tuple[str, str]:
        sheet, name = self._tksk_sheet(header=False)
        write_xlsx(self.inbox / "tksk" / name, [sheet], CREATED)
        return name, "tksk"

    def write(self, copies: int) -> list[FileRecord]:
        out = []
        if not self.reports or not self.desas:
            return out  # too few people for any report to borrow from
        for case in CASES:
            if case == "csv_encoding_unknown" and not self.plan.slrt:
                continue
            for _ in range(copies):
                name, folder = getattr(self, case)()
                out.append(FileRecord(name, folder, "reject", case))
        return out


class _FixedClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return CREATED


@contextmanager
def _seeded_crypto(rng: random.Random):
    """msoffcrypto draws salts and keys from the OS and stamps the time of day into the
    container; take both from the seed instead, so that the file is reproducible."""
    original = ecma376_agile._random_buffer, ecma376_encrypted.datetime
    ecma376_agile._random_buffer = rng.randbytes
    ecma376_encrypted.datetime = _FixedClock
    try:
        yield
    finally:
        ecma376_agile._random_buffer, ecma376_encrypted.datetime = original


def resends(
    rng: random.Random, records: list[FileRecord], plan: GenerationPlan, inbox: Path, n: int
) -> list[FileRecord]:
    """Byte-identical copies of loaded files under another name."""
    loaded = [r for r in records if r.expected == "load" and not r.supersedes]
    out = []
    for r in rng.sample(loaded, min(n, len(loaded))):
        name = plan.names.take(files.resend(rng, r.source_file))
        shutil.copyfile(inbox / r.folder / r.source_file, inbox / r.folder / name)
        out.append(
            FileRecord(name, r.folder, f"duplicate_of:{r.source_file}", "byte-identical resend")
        )
    return out
