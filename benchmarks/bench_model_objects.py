"""Where a 1%-new night's load and model stages spend their time, object by object.

    python benchmarks/bench_model_objects.py --inbox GENERATED_DIR --work DIR [--repeat 3]

GENERATED_DIR is what `ppks generate --out DIR` wrote. Night 1 (99% of the early
files, as benchmarks/bench_nights.py plans them) is built once with `ppks nightly`
and kept in DIR (reused when there); each repeat copies it and runs night 2 (the
other 1%) in this process, through the plain stages of flows/night.py, timing
(wall and CPU seconds of the process, DuckDB's threads included) the load and
model stages and, inside them, every SQL file, the reference refresh, the history
comments and each insert. Prints the median of the repeats, largest first.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_nights import link_into, plan_nights, run_night  # noqa: E402

from flows import night  # noqa: E402
from ppks.warehouse import analyst, build, marts, schema, write_steps  # noqa: E402

# (repeat, what) -> [(wall, cpu)] of each call
TIMES: dict[tuple[int, str], list[tuple[float, float]]] = defaultdict(list)
REPEAT = [0]


@contextlib.contextmanager
def timed(name: str):
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        TIMES[REPEAT[0], name].append((time.perf_counter() - wall, time.process_time() - cpu))


def timing(original, label):
    def timed_call(*args, **kwargs):
        with timed(label(*args, **kwargs)):
            return original(*args, **kwargs)

    return timed_call


def wrap(module, attribute: str, label) -> None:
    setattr(module, attribute, timing(getattr(module, attribute), label))


def instrument() -> None:
    wrap(schema, "execute_file", lambda con, text, name="": f"sql {name}")
    wrap(marts, "history_comments", lambda con: "history_comments")
    wrap(write_steps, "refresh_reference", lambda con: "refresh_reference")
    wrap(write_steps, "write_thresholds", lambda con: "write_thresholds")
    wrap(write_steps, "insert_frame", lambda con, table, frame, *a, **k: f"insert {table}")
    wrap(write_steps, "apply_supersedes", lambda *a, **k: "apply_supersedes")
    # A stage is: open the night's copy, the work, COMMIT and close (the rest).
    wrap(build, "connect", lambda *a, **k: "open the copy (build.connect)")
    wrap(write_steps, "load_rows", lambda *a, **k: "load: the work")
    wrap(write_steps, "build_model", lambda *a, **k: "model: the work")
    night.PLAIN = night.Stages(
        load_rows=timing(night.load_rows, lambda *a, **k: "STAGE load"),
        build_model=timing(night.build_model, lambda *a, **k: "STAGE model"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inbox", type=Path, required=True, help="what ppks generate wrote")
    parser.add_argument("--work", type=Path, required=True, help="keeps night 1's warehouse")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    first, second, _, _ = plan_nights(args.inbox, args.seed)
    kept = args.work / "night1"
    if not (kept / "ppks.duckdb").exists():
        build_dir = args.work / "building"
        shutil.rmtree(build_dir, ignore_errors=True)
        link_into(build_dir / "inbox", args.inbox / "inbox", first)
        (build_dir / "warehouse").mkdir(parents=True)
        measured = run_night(
            build_dir / "inbox", build_dir / "warehouse" / "ppks.duckdb",
            build_dir / "outbox", build_dir / "prefect", None,
        )  # fmt: skip
        print(f"night 1: {measured['wall']:.1f} s", flush=True)
        shutil.copytree(build_dir / "warehouse", kept)
        shutil.copytree(build_dir / "inbox", args.work / "inbox1")
        shutil.rmtree(build_dir)
    instrument()
    for repeat in range(args.repeat):
        REPEAT[0] = repeat
        with tempfile.TemporaryDirectory(dir=args.work) as tmp:
            work = Path(tmp)
            shutil.copytree(kept, work / "warehouse")
            shutil.copytree(args.work / "inbox1", work / "inbox", copy_function=os.link)
            link_into(work / "inbox", args.inbox / "inbox", second)
            night.run_night(
                work / "inbox", work / "warehouse" / "ppks.duckdb", work / "outbox",
                run=night.PLAIN,
            )  # fmt: skip
            assert analyst.analyst_path(work / "warehouse" / "ppks.duckdb").exists()
    print(f"{'what':58} {'wall s':>8} {'cpu s':>8}  (median of {args.repeat})")
    rows = []
    for name in sorted({name for _, name in TIMES}):
        runs = [TIMES[repeat, name] for repeat in range(args.repeat)]
        walls = [sum(w for w, _ in calls) for calls in runs]
        cpus = [sum(c for _, c in calls) for calls in runs]
        rows.append((statistics.median(walls), statistics.median(cpus), name, len(runs[0])))
    for wall, cpu, name, per_run in sorted(rows, reverse=True):
        calls = f" x{per_run}" if per_run > 1 else ""
        print(f"{name + calls:58} {wall:8.3f} {cpu:8.3f}")


if __name__ == "__main__":
    main()
