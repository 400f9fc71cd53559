"""Who appears in which report: the population turned into file-writing jobs.

Each person appears at least once: in TKSK reports of some months, in their
desa's PSM list (one row per category) and/or as SLRT service events. All
random choices that must be known across files (names, which report gets a
correction, which months an export covers) are made here, in one process;
the jobs then render their files independently with their own seeded RNG.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date

from ppks_generator import files, profile
from ppks_generator.population import Kecamatan, Person
from ppks_generator.psm import DesaPlan
from ppks_generator.tksk import month_end


@dataclass(slots=True)
class TkskMonth:
    month: str
    name: str
    entries: list[tuple[Person, str]]
    correction: str = ""  # name of the corrected resend, if any
    force: frozenset[str] = frozenset()  # features this report must have (see tksk.layout)


@dataclass(slots=True)
class TkskJob:
    seed: int
    kec: Kecamatan
    months: list[TkskMonth]
    profile: str = "default"


@dataclass(slots=True)
class PsmJob:
    seed: int
    kode_kec: str
    desas: list[DesaPlan]
    year: int
    when: date
    profile: str = "default"


@dataclass(slots=True)
class Export:
    name: str
    months: tuple[str, ...]
    fmt: str  # 'xlsx' or 'csv'
    numeric_ids: bool = False  # xlsx: NIK and KK stored as numbers
    encoding: str = "utf-8"  # csv: 'utf-8' or 'utf-8-sig' (with a byte-order mark)
    delimiter: str = ","


@dataclass(slots=True)
class SlrtJob:
    seed: int
    kab: str
    kab_name: str
    kota: bool
    entries: list[tuple[Person, tuple[str, ...]]]
    exports: list[Export] = field(default_factory=list)
    profile: str = "default"


@dataclass(slots=True)
class GenerationPlan:
    tksk: list[TkskJob]
    psm: list[PsmJob]
    slrt: list[SlrtJob]
    names: files.Names


def force(rng: random.Random, items: list, features: tuple[str, ...]) -> None:
    """Give each feature to a different item (when there are enough), so that even a small
    inbox shows every variant; the items' own random choices stay as they are otherwise."""
    if not items:
        return
    picks = rng.sample(range(len(items)), min(len(items), len(features)))
    for i, feature in enumerate(features):
        item = items[picks[i % len(picks)]]
        item.force = item.force | {feature}


def _primary(rng: random.Random, p: Person) -> str:
    return p.cats[0] if len(p.cats) == 1 or rng.random() < 0.7 else rng.choice(p.cats[1:])


def _periods(rng: random.Random, months: list[str], again: bool) -> list[tuple[str, ...]]:
    """Export periods: consecutive months cut into chunks, plus maybe an overlapping re-export."""
    chunks, current = [], [months[0]]
    for m in months[1:]:
        if rng.random() < 0.5:
            chunks.append(tuple(current))
            current = []
        current.append(m)
    chunks.append(tuple(current))
    if again and len(months) >= 2:
        if len(chunks) >= 2:
            i = rng.randrange(len(chunks) - 1)
            chunks.append((chunks[i][-1], chunks[i + 1][0]))
        else:
            chunks.append(chunks[0][-1:])
    return chunks


def _moved(rng: random.Random, p: Person, kecs: list[Kecamatan], share: float) -> Person | None:
    """The person as reported after moving to another kecamatan (same person id), or None.

    People move, and homeless people are reported wherever the TKSK finds them:
    the later reports come from the new kecamatan, with its desa.
    """
    if rng.random() >= share or len(kecs) < 2:
        return None
    kec = rng.choice([k for k in kecs if k.kode != p.place.kode_kec])
    moved = replace(p, place=rng.choice(kec.desas))
    moved.seal()
    return moved


# An inbox of up to six months spreads the same reports over its months (the default three
# months hold what issue #9 measured as six months of reports); a longer history keeps the
# six-month rates per month, so two years are four times the reports of six months.
_RATE_MONTHS = 6


def make_plan(
    rng: random.Random, seed: int, people: list[Person], kecs: list[Kecamatan], months: list[str]
) -> GenerationPlan:
    names = files.Names()
    prof = profile.current()
    year = int(months[-1][:4])
    has_psm = {d.kode_desa for k in kecs for d in k.desas if rng.random() < 0.88}
    # Up to _RATE_MONTHS this is 1.6 / months, as it always was; beyond, the same persons
    # are reported month after month at that rate.
    p_month = min(0.65, 1.6 / min(len(months), _RATE_MONTHS))
    slrt_blocks = math.ceil(len(months) / _RATE_MONTHS)
    tksk: dict[tuple[str, str], list[tuple[Person, str]]] = {}
    psm: dict[str, list[tuple[Person, str]]] = {}
    slrt: dict[str, list[tuple[Person, tuple[str, ...]]]] = {}
    for p in people:
        if p.outsider:
            continue
        in_psm = p.place.kode_desa in has_psm
        t, s, e = rng.random() < 0.47, in_psm and rng.random() < 0.5, rng.random() < 0.25
        if not (t or s or e):
            # Everybody is reported somewhere.
            r = rng.random()
            if r < 0.5 or (r < 0.8 and not in_psm):
                t = True
            elif r < 0.8:
                s = True
            else:
                e = True
        if t:
            ms = [m for m in months if rng.random() < p_month] or [rng.choice(months)]
            there = _moved(rng, p, kecs, prof.moved) if prof.moved and len(ms) > 1 else None
            for i, m in enumerate(ms):
                who = there if there is not None and i >= len(ms) // 2 else p
                tksk.setdefault((who.place.kode_kec, m), []).append((who, _primary(rng, p)))
        if s:
            psm.setdefault(p.place.kode_desa, []).extend((p, c) for c in p.cats)
        if e:
            # One to three visits per three months (one draw for a short inbox, as before).
            n = sum(rng.choices((1, 2, 3), (60, 28, 12))[0] for _ in range(slrt_blocks))
            visits = tuple(sorted(rng.choice(months) for _ in range(n)))
            slrt.setdefault(p.place.kode_kab, []).append((p, visits))
    tksk_jobs = _tksk_jobs(rng, seed, kecs, months, tksk, names)
    psm_jobs = _psm_jobs(rng, seed, kecs, psm, people, names, year, month_end(months[-1]))
    slrt_jobs = _slrt_jobs(rng, seed, kecs, months, slrt, names)
    for job in (*tksk_jobs, *psm_jobs, *slrt_jobs):
        job.profile = prof.name
    return GenerationPlan(tksk_jobs, psm_jobs, slrt_jobs, names)


def _tksk_jobs(
    rng: random.Random,
    seed: int,
    kecs: list[Kecamatan],
    months: list[str],
    tksk: dict[tuple[str, str], list[tuple[Person, str]]],
    names: files.Names,
) -> list[TkskJob]:
    jobs = []
    for kec in kecs:
        habit = rng.randrange(6)
        plans = []
        for m in months:
            entries = tksk.get((kec.kode, m))
            if not entries:
                continue
            entries.sort(key=lambda e: (e[0].place.kode_desa, e[0].kk, e[0].pid))
            candidates = files.tksk(kec, m, habit if rng.random() < 0.7 else rng.randrange(6))
            placeless = profile.current().placeless_file_name
            if placeless and rng.random() < placeless:
                candidates = files.tksk_placeless(rng, m)
            name = names.take(candidates)
            plans.append(TkskMonth(m, name, entries))
        if plans:
            jobs.append(TkskJob(seed, kec, plans))
    # About one report in a hundred is sent again, corrected; at least one is.
    reports = [p for j in jobs for p in j.months]
    force(rng, reports, ("jumlah", "umur", "numeric_ids"))
    for p in rng.sample(reports, min(len(reports), max(1, math.ceil(len(reports) / 100)))):
        p.correction = names.take(files.correction(rng, p.name))
    return jobs


def _psm_jobs(
    rng: random.Random,
    seed: int,
    kecs: list[Kecamatan],
    psm: dict[str, list[tuple[Person, str]]],
    people: list[Person],
    names: files.Names,
    year: int,
    when: date,
) -> list[PsmJob]:
    jobs = []
    by_desa: dict[str, DesaPlan] = {}
    for kec in kecs:
        desas = []
        for place in kec.desas:
            entries = psm.get(place.kode_desa)
            if not entries:
                continue
            entries.sort(key=lambda e: (e[0].kk, e[0].pid))
            plan = DesaPlan(place, names.take(files.psm(rng, place, year)), entries, [])
            desas.append(plan)
            by_desa[place.kode_desa] = plan
        if desas:
            jobs.append(PsmJob(seed, kec.kode, desas, year, when))
    desa_plans = list(by_desa.values())
    force(
        rng,
        desa_plans,
        ("jumlah", "single", "ppks_column", "not_a_category", "header_only", "empty_sheet"),
    )
    for o in (p for p in people if p.outsider):
        if desa_plans:
            rng.choice(desa_plans).outsiders.append(o)
    return jobs


# Export formats, handed out in this order first so that a small inbox has each of them.
EXPORT_FORMATS = (
    ("xlsx", True, "utf-8", ","),
    ("csv", False, "utf-8-sig", ";"),
    ("csv", False, "utf-8", ","),
    ("xlsx", False, "utf-8", ","),
    ("csv", False, "utf-8", ";"),
    ("csv", False, "utf-8-sig", ","),
)


def _export_format(rng: random.Random, i: int) -> tuple[str, bool, str, str]:
    if i < len(EXPORT_FORMATS):
        return EXPORT_FORMATS[i]
    xlsx = rng.random() < 0.4
    return (
        "xlsx" if xlsx else "csv",
        xlsx and rng.random() < 0.5,
        rng.choice(("utf-8", "utf-8-sig")),
        rng.choice((";", ",")),
    )


def _slrt_jobs(
    rng: random.Random,
    seed: int,
    kecs: list[Kecamatan],
    months: list[str],
    slrt: dict[str, list[tuple[Person, tuple[str, ...]]]],
    names: files.Names,
) -> list[SlrtJob]:
    jobs = []
    n_exports = 0
    for kode_kab in sorted({k.kode_kab for k in kecs}):
        entries = slrt.get(kode_kab)
        if not entries:
            continue
        kec = next(k for k in kecs if k.kode_kab == kode_kab)
        job = SlrtJob(seed, kode_kab, kec.kab, kec.kota, entries)
        busy = {m for _p, visits in entries for m in visits}
        # The first kabupaten always re-exports an overlapping period.
        for period in _periods(rng, months, again=not jobs or rng.random() < 0.45):
            if not busy.intersection(period):
                continue
            fmt, numeric, encoding, delimiter = _export_format(rng, n_exports)
            n_exports += 1
            name = names.take(files.slrt(rng, kec.kab, kec.kota, period, fmt))
            job.exports.append(Export(name, period, fmt, numeric, encoding, delimiter))
        jobs.append(job)
    return jobs
