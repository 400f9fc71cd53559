"""Where one linkage run's time and memory go, step by step.

    python benchmarks/bench_link_steps.py --warehouse FILE [--retrain] [--out FILE.json]
    python benchmarks/bench_link_steps.py --warehouse FILE --inbox DIR   # a whole night

Runs link_persons on a private copy of FILE (with --retrain: every row from scratch,
as a first night or `ppks nightly --retrain` does), or with --inbox the whole nightly
flow in this process on that copy (FILE need not exist: a first night), and times
the steps inside linkage by
wrapping the functions persons.py calls (features, training, scoring, the given-name
adjustment, clustering, identities, person_link, ...). For each step: wall and CPU
seconds (DuckDB's threads run in this process, so CPU counts them), calls, and the
process's peak RSS once the step ended: the step after which the peak rose is the
one that raised it. Steps nest (given-name adjustment inside scoring): seconds are
inclusive. Functions a version of the code lacks are left out, so one command
measures the code before and after a change.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))

from ppks.link import cluster, given_names, model, persons, store, write  # noqa: E402

try:  # the pairs kept in DuckDB (issue #9); older code has no such module
    from ppks.link import pairs
except ImportError:
    pairs = None

# (module, function name, step label): the calls a night of linkage makes.
STEPS = [
    (persons, "build_features", "features"),
    (model, "train", "train"),
    (store, "save_model", "store model"),
    (store, "replace_features", "store features"),
    (store, "add_features", "store features"),
    (persons, "_score_new", "score (incremental)"),
    (model, "predict", "predict"),
    (given_names, "adjust", "given-name adjust"),
    (given_names, "adjust_table", "given-name adjust"),
    (persons, "_resolve_decisions", "decisions"),
    (cluster, "rows_from_features", "cluster rows"),
    (persons, "_strong", "strong edges"),
    (getattr(pairs, "ScoredPairs", None), "strong", "strong edges"),
    (getattr(pairs, "ScoredPairs", None), "row_ids", "pair rows"),
    (cluster, "cluster", "clustering"),
    (persons, "_assign_and_write", "identities"),
    (persons, "_pair_status", "pair status"),
    (pairs, "write_status", "pair status (SQL)"),
    (write, "links", "write.links"),
    (write, "link_persons_of", "link persons"),
    (persons, "_summary", "summary"),
    (persons, "apply_views", "views"),
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def instrument(log: dict) -> None:
    for module, name, label in STEPS:
        original = getattr(module, name, None) if module is not None else None
        if original is None:
            continue

        @functools.wraps(original)
        def timed(*args, _f=original, _label=label, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return _f(*args, **kwargs)
            finally:
                step = log.setdefault(_label, {"seconds": 0.0, "cpu": 0.0, "calls": 0})
                step["seconds"] += time.perf_counter() - wall
                step["cpu"] += time.process_time() - cpu
                step["calls"] += 1
                step["peak_mb_after"] = round(peak_mb())

        setattr(module, name, timed)


def _link(warehouse: Path, spill: Path, retrain: bool):
    """link_persons on a connection set up as the night's link stage sets it up
    (flows/night.py): the warehouse's share of the memory limit, one transaction."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
        con.execute(f"SET memory_limit = '{persons.memory_limit(1 - persons.LINKAGE_SHARE)}'")
        con.execute(f"SET temp_directory = '{spill}'")
        con.execute("BEGIN")
        summary = persons.link_persons(con, run_id="bench", retrain=retrain, temp_directory=spill)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    return summary


def _night(inbox: Path, warehouse: Path, outbox: Path, retrain: bool):
    """One nightly flow in this process; its linkage as a summary-like object."""
    from types import SimpleNamespace

    from ppks.flows.nightly import nightly

    nightly(inbox=inbox, warehouse=warehouse, outbox=outbox, retrain=retrain)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        run_id, stages = con.execute(
            "SELECT run_id, stage_seconds FROM run_log ORDER BY started_at DESC LIMIT 1"
        ).fetchall()[0]
        row = con.sql("SELECT * FROM link_run WHERE run_id = $r", params={"r": run_id}).pl()
    print("stages:", stages)
    return SimpleNamespace(**row.row(0, named=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--out", type=Path, help="write the measurement as JSON here")
    parser.add_argument("--keep", type=Path, help="keep the linked copy here")
    parser.add_argument("--inbox", type=Path, help="run the nightly flow on this inbox")
    args = parser.parse_args()
    log: dict = {}
    instrument(log)
    with tempfile.TemporaryDirectory(dir=args.warehouse.parent) as tmp:
        copy = Path(tmp) / "ppks.duckdb"
        if args.warehouse.exists():
            shutil.copyfile(args.warehouse, copy)
        start_peak = peak_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        if args.inbox:
            summary = _night(args.inbox, copy, Path(tmp) / "outbox", args.retrain)
        else:
            summary = _link(copy, Path(tmp) / "spill", args.retrain)
        result = {
            "wall": round(time.perf_counter() - wall, 1),
            "cpu": round(time.process_time() - cpu, 1),
            "peak_mb": round(peak_mb()),
            "peak_mb_before": round(start_peak),
            "pairs_scored": summary.pairs_scored,
            "links": summary.links,
            "persons": summary.persons,
            "steps": {
                k: {**v, "seconds": round(v["seconds"], 1), "cpu": round(v["cpu"], 1)}
                for k, v in log.items()
            },
        }
        if args.keep:
            shutil.copyfile(copy, args.keep)
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
