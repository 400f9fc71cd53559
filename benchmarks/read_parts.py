"""CPU seconds of each part of the read stage, summed over a night's batches, in one process.

    python benchmarks/read_parts.py --inbox DIR/inbox [--largest N]

Runs ``process_batch`` over the night's batches as the flow groups them, in this
process with Polars on one thread and the collector tuned as in the reader
workers, and charges each part its own CPU time (process time, so that the
machine's load weighs less than on wall time; a part's callees are charged to
them, not to it). Then pickles and unpickles the batches' results, which is
what sending them back from worker processes used to cost. ``--largest N``
reads only the N largest files, in one batch: the cost per row rather than per
file. Parts are wrapped by name, so a renamed function shows up missing.
"""

from __future__ import annotations

import argparse
import collections
import functools
import logging
import os
import pickle
import sys
import time
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "1")
sys.path.append(str(Path(__file__).resolve().parents[1]))

SECONDS: collections.Counter = collections.Counter()
CALLS: collections.Counter = collections.Counter()
_CHILDREN: list[float] = []


def charge(owner, name: str, label: str) -> None:
    inner = getattr(owner, name)

    @functools.wraps(inner)
    def timed(*args, **kwargs):
        start = time.process_time()
        _CHILDREN.append(0.0)
        try:
            return inner(*args, **kwargs)
        finally:
            spent = time.process_time() - start
            SECONDS[label] += spent - _CHILDREN.pop()
            CALLS[label] += 1
            if _CHILDREN:
                _CHILDREN[-1] += spent

    setattr(owner, name, timed)


def instrument() -> None:
    import ppks.ingest.grid as grid
    import ppks.ingest.readers as readers
    import ppks.normalise.record as record
    import ppks.pipeline as pipeline
    import ppks.validate.rules as rules
    from ppks.normalise import category, dates, gender, names, nik_kk, place

    parts = {
        grid: ["check_workbook_bytes", "too_large"],
        readers: [
            "read_csv",
            "read_xlsx",
            "find_header",
            "read_title_block",
            "_data_block",
            "_add_block",
            "_add_rows",
            "count_data_like",
            "_read_sheet",
        ],
        pipeline: [
            "read_file",
            "raw_frame",
            "_normalise_and_validate",
            "to_canonical",
            "split_rows",
            "with_raw_json",
            "_count_rows",
        ],
        record: ["_inputs"],
        rules: ["_reasons_by_row"],
        names: ["split_name_series"],
        nik_kk: ["parse_nik_series", "parse_kk_series", "nik_consistency_series"],
        gender: ["parse_gender_series"],
        dates: ["parse_birth_date_series", "age_to_birth_year_series"],
        place.PlaceResolver: ["resolve_frame"],
        category.CategoryResolver: ["resolve_series"],
    }
    for owner, names_ in parts.items():
        prefix = getattr(owner, "__name__", "").rsplit(".", 1)[-1]
        for name in names_:
            charge(owner, name, f"{prefix}.{name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--largest", type=int, default=0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from ppks.flows.night import batches

    from ppks.ingest.classify import Known, plan
    from ppks.ingest.inbox import discover
    from ppks.ingest.isolate import fewer_collections

    fewer_collections()
    instrument()
    import ppks.pipeline as pipeline

    files, _ = discover(args.inbox)
    todo = plan(files, Known(frozenset(), {})).to_read
    largest = sorted(todo, key=lambda f: -f.size)[: args.largest]
    groups = [largest] if args.largest else batches(todo)
    pipeline.process_batch(groups[0][:2])  # imports and first-call set-up out of the count
    SECONDS.clear()
    CALLS.clear()
    start = time.process_time()
    results = [pipeline.process_batch(g) for g in groups]
    total = time.process_time() - start
    start = time.process_time()
    blobs = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results]
    SECONDS["(pickling the results)"] = time.process_time() - start
    start = time.process_time()
    for blob in blobs:
        pickle.loads(blob)
    SECONDS["(unpickling the results)"] = time.process_time() - start
    rows = sum(o.rows_loaded + o.rows_rejected for r in results for o in r.outcomes)
    print(
        f"{len(groups)} batches, {sum(map(len, groups)):,} files, {rows:,} rows: process_batch "
        f"{total:.2f} s CPU ({total / rows * 1e6:.0f} us a row); "
        f"results pickled {sum(map(len, blobs)) / 1e6:.0f} MB"
    )
    for label, seconds in SECONDS.most_common():
        calls = CALLS[label]
        per_call = f"{seconds / calls * 1e3:8.3f} ms a call" if calls else ""
        print(f"{label:40s} {seconds:7.3f} s {seconds / total:6.1%} {calls:7d} calls {per_call}")


if __name__ == "__main__":
    main()
