"""generate_inbox: a synthetic inbox with its ground truth, reproducible from a seed."""

from __future__ import annotations

import math
import multiprocessing
import random
import re
import shutil
import time
from datetime import date
from functools import partial
from pathlib import Path

from ppks_generator import cases, files, jobs, profile
from ppks_generator.plan import make_plan
from ppks_generator.population import build_population, choose_kecamatan, region_tree
from ppks_generator.truth import write_truth

DEFAULT_MONTHS = ["2026-08", "2026-09", "2026-10"]
# Below this many persons starting worker processes costs more than it saves.
POOL_FROM = 20_000


def last_months(n: int, last: str = DEFAULT_MONTHS[-1]) -> list[str]:
    """The ``n`` report months up to ``last``: ``last_months(24)`` is two years of history.

    ``last_months(len(DEFAULT_MONTHS))`` is DEFAULT_MONTHS, so the default inbox stays the same.
    """
    if n < 1:
        raise ValueError("months must be at least 1")
    y, m = (int(x) for x in last.split("-"))
    index = y * 12 + m - 1
    return [f"{k // 12}-{k % 12 + 1:02d}" for k in range(index - n + 1, index + 1)]


def _months(months: list[str] | None) -> list[str]:
    months = sorted(set(months or DEFAULT_MONTHS))
    for m in months:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m):
            raise ValueError(f"month must look like 2026-08, got {m!r}")
    return months


_JOBS: list = []  # the jobs, inherited by forked workers instead of pickled to them


def _run_nth(i: int, inbox: Path) -> jobs.Result:
    return jobs.run(_JOBS[i], inbox)


def _run_all(todo: list, inbox: Path, workers: int) -> list[jobs.Result]:
    """Results in job order, whatever the number of workers."""
    if workers <= 1:
        return [jobs.run(job, inbox) for job in todo]
    if "fork" in multiprocessing.get_all_start_methods():
        _JOBS[:] = todo
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return list(pool.imap(partial(_run_nth, inbox=inbox), range(len(todo)), 4))
        finally:
            _JOBS.clear()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        return list(pool.imap(partial(jobs.run, inbox=inbox), todo, 4))


def generate_inbox(
    out: Path,
    persons: int,
    seed: int,
    *,
    kabupaten: list[str] | None = None,
    months: list[str] | None = None,
    workers: int | None = None,
    profile_name: str = "default",
) -> dict:
    """Write ``out/inbox/{tksk,psm,slrt}/`` and ``out/truth/{files,rows,persons}.csv``.

    The same ``persons``, ``seed``, ``kabupaten`` and ``months`` give the same
    bytes in every file. ``kabupaten`` are codes like ``35.14`` (default: a
    few for small populations, all 38 for large ones); ``months`` are
    ``YYYY-MM`` report months (default August to October 2026). ``workers``
    (default: 2 for large populations, else 1) only changes the speed.
    ``profile_name`` names the damage rates (`ppks_generator.profile`).
    """
    started = time.perf_counter()
    if persons < 1:
        raise ValueError("persons must be at least 1")
    out = Path(out)
    month_list = _months(months)
    previous = profile.current().name
    profile.use(profile_name)
    try:
        return _generate(out, persons, seed, kabupaten, month_list, workers, started)
    finally:
        profile.use(previous)


def _generate(
    out: Path,
    persons: int,
    seed: int,
    kabupaten: list[str] | None,
    month_list: list[str],
    workers: int | None,
    started: float,
) -> dict:
    y, m = (int(x) for x in month_list[0].split("-"))
    rng = random.Random(f"{seed}/population")
    kecs = choose_kecamatan(rng, region_tree(), persons, kabupaten)
    people = build_population(rng, kecs, persons, date(y, m, 1))
    plan = make_plan(random.Random(f"{seed}/plan"), seed, people, kecs, month_list)

    inbox = out / "inbox"
    for d in (inbox, out / "truth"):
        if d.exists():
            shutil.rmtree(d)
    for folder in files.FOLDERS:
        (inbox / folder).mkdir(parents=True)

    # Big jobs first so that the workers finish at about the same time.
    todo = [*plan.slrt, *plan.tksk, *plan.psm]
    workers = workers or (2 if persons >= POOL_FROM else 1)
    results = _run_all(todo, inbox, workers)
    records = [r for recs, _ in results for r in recs]
    row_chunks = [text for _, text in results]

    case_rng = random.Random(f"{seed}/cases")
    copies = max(1, math.ceil(len(records) / 2000))
    records += cases.resends(case_rng, records, plan, inbox, copies)
    records += cases.CaseWriter(case_rng, plan, inbox, month_list).write(copies)
    write_truth(out / "truth", records, row_chunks, people)
    return {
        "files": len(records),
        "rows": sum(r.truth_rows for r in records),
        "persons": len(people),
        "seconds": round(time.perf_counter() - started, 2),
    }
