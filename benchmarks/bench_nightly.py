"""Time the nightly run against merely reading every sheet of every file.

    python benchmarks/bench_nightly.py --persons 10000 --seed 7 [--write docs/PERFORMANCE.md]

Reading is the floor of the whole job: the run (ingest, normalise, validate,
load; linkage as it stands) is compared with a bare fastexcel read of every
sheet of every workbook and a plain read of every CSV, once sequentially and
once on the same two threads the flow uses.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import fastexcel

ROOT = Path(__file__).resolve().parents[1]
# The installed ppks first (ppks.sql, ppks.flows exist only as installed); the checkout
# is the fallback.
sys.path.append(str(ROOT))


def bare_read(path: Path) -> int:
    if path.suffix.lower() == ".csv":
        return len(path.read_bytes().splitlines())
    try:
        reader = fastexcel.read_excel(path)
        return sum(reader.load_sheet(name).to_polars().height for name in reader.sheet_names)
    except Exception:
        return 0  # corrupt and password-protected files cost nothing to skip


def files_of(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.rglob("*") if p.is_file())


def time_bare(files: list[Path], threads: int) -> tuple[float, int]:
    start = time.perf_counter()
    if threads == 1:
        rows = sum(bare_read(p) for p in files)
    else:
        with ThreadPoolExecutor(threads) as pool:
            rows = sum(pool.map(bare_read, files))
    return time.perf_counter() - start, rows


def time_pipeline(inbox: Path, warehouse: Path) -> float:
    """Read, normalise, validate and load, in this process, without linkage or Prefect."""
    import datetime as dt

    from ppks.flows.nightly import batches

    from ppks.ingest.classify import Known, plan
    from ppks.ingest.inbox import discover
    from ppks.ingest.isolate import read_batches
    from ppks.ingest.outcomes import BatchResult
    from ppks.warehouse import build, schema
    from ppks.warehouse.write_steps import write_results

    start = time.perf_counter()
    files, _ = discover(inbox)
    work = plan(files, Known(frozenset(), {}))
    read = BatchResult.joined(read_batches(batches(work.to_read)))
    con = build.connect(warehouse)
    schema.apply_tables(con)
    write_results(
        con,
        run_id="bench",
        started_at=dt.datetime.now(),
        inbox=str(inbox),
        plan=work,
        outcomes=read.outcomes,
        loaded=read.loaded,
        rejected=read.rejected,
        sheets=read.sheets,
        link=lambda con, **_: None,
    )
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - start


def time_nightly(inbox: Path, warehouse: Path) -> tuple[float, float, dict]:
    """Run the flow in a fresh process, as the night does; (seconds, peak RSS MB, counts)."""
    code = (
        "import json, time, sys\n"
        "from ppks.settings import quiet_prefect; quiet_prefect()\n"
        "from ppks.flows.nightly import nightly\n"
        "t = time.perf_counter()\n"
        f"r = nightly(inbox={str(inbox)!r}, warehouse={str(warehouse)!r})\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'counts': r.counts}))\n"
    )
    env = dict(os.environ, PREFECT_LOGGING_LEVEL="WARNING")
    out = (
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    import json

    data = json.loads(out)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return data["seconds"], peak, data["counts"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path, help="append the results to this markdown file")
    args = parser.parse_args()

    from ppks_generator import generate_inbox

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        generate_inbox(root, persons=args.persons, seed=args.seed)
        generated = time.perf_counter() - t
        inbox = root / "inbox"
        files = files_of(inbox)
        bare1, rows = time_bare(files, 1)
        bare2, _ = time_bare(files, 2)
        pipeline = time_pipeline(inbox, root / "pipeline.duckdb")
        run, peak, counts = time_nightly(inbox, root / "ppks.duckdb")
    data_rows = counts["rows_loaded"] + counts["rows_rejected"]
    lines = [
        f"### Nightly run vs bare read: {args.persons:,} persons, seed {args.seed}",
        "",
        f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}",
        f"- Command: `python benchmarks/bench_nightly.py --persons {args.persons} "
        f"--seed {args.seed}`",
        f"- Inbox: {len(files):,} files, {data_rows:,} data rows "
        f"({counts['rows_loaded']:,} loaded, {counts['rows_rejected']:,} rejected); "
        f"generated in {generated:.1f} s",
        "",
        "| measurement | seconds | vs bare read (1 thread) |",
        "| --- | ---: | ---: |",
        f"| bare fastexcel read, every sheet, 1 thread | {bare1:.2f} | 1.00 |",
        f"| bare fastexcel read, every sheet, 2 threads | {bare2:.2f} | {bare2 / bare1:.2f} |",
        f"| run without linkage: read, normalise, validate (2 worker processes), load "
        f"| {pipeline:.2f} | {pipeline / bare1:.2f} |",
        f"| full nightly flow: the above + linkage, analyst edition, reports, "
        f"Prefect's temporary server (fresh process) | {run:.2f} | {run / bare1:.2f} |",
        "",
        f"Peak memory of the nightly process: {peak:,.0f} MB. Sheet rows read bare: {rows:,}.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        with args.write.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
