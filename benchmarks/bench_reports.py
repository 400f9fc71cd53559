"""The reports stage of a night on a finished warehouse, and its feedback writer alone.

    python benchmarks/bench_reports.py --warehouse COPY/ppks.duckdb --outbox /tmp/out
    python benchmarks/bench_reports.py --warehouse COPY/ppks.duckdb --outbox /tmp/out --writer 400

Without --writer: `write_outbox` as the night calls it (the HTML report and every
feedback workbook of the run, two writer processes), its wall time and the load.
With --writer N: the run's workbooks are planned as the stage plans them, then N of
them (every k-th) are written one after another in this process: the writer's CPU
per workbook, which the load of a shared machine disturbs far less than a wall time.
The run is the last in run_log unless --run says. Work on a copy: nothing is written
to the warehouse, but the outbox folder is replaced.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

import duckdb


def _last_run(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT run_id FROM run_log ORDER BY started_at DESC LIMIT 1"
        ).fetchone()[0]


def time_stage(warehouse: Path, run_id: str, outbox: Path) -> None:
    from ppks.reporting.outbox import write_outbox

    load = os.getloadavg()[0]
    started = time.perf_counter()
    result = write_outbox(warehouse, run_id, outbox)
    wall = time.perf_counter() - started
    print(
        f"reports {wall:.1f} s wall, {len(result.feedback)} workbooks, "
        f"load {load:.2f} -> {os.getloadavg()[0]:.2f}"
    )


def time_writer(warehouse: Path, run_id: str, outbox: Path, count: int) -> None:
    from ppks.reporting import feedback

    jobs: list[tuple] = []
    feedback._write_all = jobs.extend  # plan only: the sample is written below
    with duckdb.connect(str(warehouse), read_only=True) as con:
        feedback.write_feedback(con, run_id, outbox)
    sample = jobs[:: max(1, len(jobs) // count)][:count]
    started = time.process_time()
    for job in sample:
        feedback._write_job(job)
    cpu = time.process_time() - started
    print(
        f"writer {1000 * cpu / len(sample):.1f} ms CPU a workbook ({len(sample)} of {len(jobs)}, "
        f"{sum(len(j[5]) for j in sample)} rows)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--outbox", type=Path, required=True)
    parser.add_argument("--run")
    parser.add_argument("--writer", type=int, metavar="N")
    args = parser.parse_args()
    os.umask(0o077)  # as the night: the workbooks hold names and NIKs
    shutil.rmtree(args.outbox, ignore_errors=True)
    run_id = args.run or _last_run(args.warehouse)
    if args.writer:
        time_writer(args.warehouse, run_id, args.outbox, args.writer)
    else:
        time_stage(args.warehouse, run_id, args.outbox)


if __name__ == "__main__":
    main()
