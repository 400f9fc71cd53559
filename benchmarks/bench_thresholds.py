"""How the link weight, the review band and the weight caps move precision and
recall, on an inbox nothing was tuned on (issue #10: thresholds set without labels).

    python benchmarks/bench_linkage.py generated --persons 20000 --seed 202 \\
        --profile hard --work /tmp/hard202 --skip-tutorial
    python benchmarks/bench_thresholds.py --work /tmp/hard202 [--caps]

Reads the warehouse and `truth/rows.csv` that `bench_linkage.py generated`
left in --work. Labels only score.

- **link weight**: the stored pairs (`person_link`, every scored pair of
  weight >= 0) clustered again by `ppks.link.cluster` at each threshold, with
  the same conflict rules: pairwise precision, recall, F1, and the review
  queue a night would show (pairs in the band [threshold - 2, threshold)
  whose rows end in different persons, plus sure conflicts, weight >= 20).
- **review band**: at the link weight in use, for each lower bound of the
  band: pairs in the queue, how many are true pairs, and the share of the
  true pairs left apart that the queue shows a reviewer.
- **caps** (`--caps`): each household cap of `model.MAX_WEIGHT` set a few bits
  lower and higher, the whole warehouse linked again from scratch (retrain) on
  a copy, and scored.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
# The installed ppks first (ppks.sql, ppks.flows exist only as installed); the checkout
# is the fallback.
sys.path.append(str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_linkage import truth_of  # noqa: E402

from ppks.link import cluster as clustering  # noqa: E402
from ppks.link import model, persons, store  # noqa: E402
from ppks.link.evaluate import scores  # noqa: E402

LINK_WEIGHTS = (2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0)
REVIEW_BOUNDS = (0.0, 2.0, 3.0, 4.0, 5.0)
CAP_STEPS = (-2.0, -1.0, 0.0, 1.0, 2.0)


def _pairs(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, float]]:
    return con.execute(
        "SELECT record_id_l, record_id_r, match_weight FROM person_link "
        "WHERE run_id = (SELECT max(run_id) FROM link_run WHERE mode = 'full') "
        "ORDER BY record_id_l, record_id_r"
    ).fetchall()


def _rows(con: duckdb.DuckDBPyConnection) -> dict:
    stored = store.current_model(con)
    features = con.sql("SELECT * FROM link_feature ORDER BY unique_id").pl()
    return clustering.rows_from_features(features, stored.common)


def _persons(rows: dict, pairs, threshold: float) -> dict[int, int]:
    edges = [p for p in pairs if p[2] >= threshold]
    return clustering.cluster(rows, edges).cluster_of


def link_weight_curve(con, truth) -> list[dict]:
    rows, pairs = _rows(con), _pairs(con)
    out = []
    for threshold in LINK_WEIGHTS:
        person_of = _persons(rows, pairs, threshold)
        s = scores(person_of, truth)
        band = sum(
            1
            for a, b, w in pairs
            if threshold - 2 <= w < threshold and person_of[a] != person_of[b]
        )
        sure = sum(
            1
            for a, b, w in pairs
            if w >= persons.CONFLICT_REVIEW_WEIGHT and person_of[a] != person_of[b]
        )
        out.append(
            {
                "link_weight": threshold,
                "precision": round(s["precision"], 4),
                "recall": round(s["recall"], 4),
                "f1": round(s["f1"], 4),
                "review": band + sure,
            }
        )
    return out


def review_band_curve(con, truth) -> list[dict]:
    rows, pairs = _rows(con), _pairs(con)
    person_of = _persons(rows, pairs, persons.LINK_WEIGHT)
    apart_true = sum(
        1
        for a, b, _ in pairs
        if truth.get(a) is not None
        and truth.get(a) == truth.get(b)
        and person_of[a] != person_of[b]
    )
    out = []
    for low in REVIEW_BOUNDS:
        queue = [
            (a, b)
            for a, b, w in pairs
            if low <= w < persons.LINK_WEIGHT and person_of[a] != person_of[b]
        ]
        true = sum(1 for a, b in queue if truth.get(a) is not None and truth[a] == truth.get(b))
        out.append(
            {
                "review_from": low,
                "queue": len(queue),
                "true_in_queue": true,
                "share_true": round(true / len(queue), 4) if queue else None,
                "missed_scored_true_shown": round(true / apart_true, 4) if apart_true else None,
            }
        )
    return out


def caps_curve(warehouse: Path, truth) -> list[dict]:
    out = []
    original = dict(model.MAX_WEIGHT)
    try:
        for name, value in original.items():
            for step in CAP_STEPS:
                if step == 0 and out and any(r["cap"] == "(as built)" for r in out):
                    continue
                model.MAX_WEIGHT.clear()
                model.MAX_WEIGHT.update(original)
                model.MAX_WEIGHT[name] = value + step
                with tempfile.TemporaryDirectory(dir=warehouse.parent) as tmp:
                    copy = Path(tmp) / "w.duckdb"
                    shutil.copy(warehouse, copy)
                    con = duckdb.connect(str(copy))
                    persons.link_persons(con, run_id=f"caps-{name}-{step}", retrain=True)
                    linked = dict(
                        con.execute("SELECT record_id, person_id FROM source_record").fetchall()
                    )
                    con.close()
                s = scores(linked, truth)
                out.append(
                    {
                        "cap": "(as built)" if step == 0 else name,
                        "value": value + step,
                        "precision": round(s["precision"], 4),
                        "recall": round(s["recall"], 4),
                        "f1": round(s["f1"], 4),
                    }
                )
                print(out[-1], flush=True)
    finally:
        model.MAX_WEIGHT.clear()
        model.MAX_WEIGHT.update(original)
    return out


def markdown(title: str, rows: list[dict]) -> str:
    keys = list(rows[0])
    lines = [f"**{title}**", "", "| " + " | ".join(keys) + " |"]
    lines.append("| " + " | ".join("---:" for _ in keys) + " |")
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", required=True, help="--work of bench_linkage.py generated")
    parser.add_argument("--caps", action="store_true", help="also sweep the weight caps")
    args = parser.parse_args(argv)
    work = Path(args.work)
    warehouse = work / "ppks.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        truth = truth_of(con, work / "truth" / "rows.csv")
        print(markdown("link weight", link_weight_curve(con, truth)))
        print(markdown("review band", review_band_curve(con, truth)))
    if args.caps:
        print(markdown("caps", caps_curve(warehouse, truth)))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    sys.exit(main())
