"""The edition stage of one night alone, repeated, with the seconds of each step.

    python benchmarks/bench_edition_night.py --before DIR1 --after DIR2 [--runs 3]

DIR1 and DIR2 are copies of the warehouse folder (ppks.duckdb, ppks.key,
ppks_analyst.duckdb) taken after two nights in a row, e.g. nights 1 and 2 of
bench_nights.py's plan (99% of the files, then the other 1%). The stage is
replayed as the second night ran it: the second night's warehouse with the
edition cache of the first (what its staging copy held when the edition stage
began), and the first night's published edition to start from. Each run prints
the wall and CPU seconds (the process's, all threads) of `build_edition` and of
its steps; the CPU seconds vary less with other work on the machine.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))

from ppks.warehouse import analyst, edition_cache, edition_delta  # noqa: E402

STEPS = (
    (edition_cache.EditionCache, ("tokens", "names", "texts", "row_texts", "save")),
    (analyst, ("_start_from", "_write_table")),
)


def staging_of_second_night(before: Path, after: Path, work: Path) -> Path:
    """The second night's warehouse with the first night's edition cache and marker."""
    base = work / "base.duckdb"
    shutil.copyfile(after / "ppks.duckdb", base)
    with duckdb.connect(str(base)) as con:
        con.execute(f"ATTACH '{before / 'ppks.duckdb'}' AS first (READ_ONLY)")
        for table in (*edition_cache.TABLES, edition_delta.MARKER):
            con.execute(f"DELETE FROM main.{table}")
            con.execute(f"INSERT INTO main.{table} SELECT * FROM first.main.{table}")
    return base


def timed(seconds: dict, owner, name: str) -> None:
    """Wrap owner.name so its wall and CPU seconds add up in ``seconds``."""
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            total = seconds.setdefault(name.strip("_"), [0.0, 0.0])
            total[0] += time.perf_counter() - wall
            total[1] += time.process_time() - cpu

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.umask(0o077)  # the copies hold names
    seconds: dict[str, list[float]] = {}
    for owner, names in STEPS:
        for name in names:
            timed(seconds, owner, name)
    with tempfile.TemporaryDirectory(dir=os.environ.get("PPKS_BENCH_TMP")) as tmp:
        work = Path(tmp)
        base = staging_of_second_night(args.before, args.after, work)
        totals = []
        for number in range(1, args.runs + 1):
            run = work / f"run{number}"
            run.mkdir()
            staging = run / ".ppks.staging.duckdb"
            shutil.copyfile(base, staging)
            shutil.copyfile(args.before / "ppks_analyst.duckdb", run / "ppks_analyst.duckdb")
            shutil.copyfile(args.before / "ppks.key", run / "ppks.key")
            seconds.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            analyst.build_edition(
                staging, run / "ppks.duckdb", keep_cache=True, previous=run / "ppks_analyst.duckdb"
            )
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            with duckdb.connect(str(staging), read_only=True) as con:
                ((made,),) = con.execute("SELECT made FROM edition_built").fetchall()
            totals.append((wall, cpu))
            steps = ", ".join(f"{k} {w:.2f}/{c:.2f}" for k, (w, c) in seconds.items())
            print(f"run {number} ({made}): build_edition {wall:.2f} s wall, {cpu:.2f} s CPU")
            print(f"  steps, wall/CPU s: {steps}")
            shutil.rmtree(run)
    walls, cpus = sorted(w for w, _ in totals), sorted(c for _, c in totals)
    print(f"median of {len(totals)}: {walls[len(walls) // 2]:.2f} s wall, "
          f"{cpus[len(cpus) // 2]:.2f} s CPU")  # fmt: skip


if __name__ == "__main__":
    main()
