"""Nights one after another, as cron runs them, at the scale users run.

    python benchmarks/bench_nights.py --inbox GENERATED_DIR [--write docs/PERFORMANCE.md]
    python benchmarks/bench_nights.py --persons 300000 --seed 7   # generates first
    python benchmarks/bench_nights.py --inbox DIR --prefect-server  # as a site with a server

GENERATED_DIR is what `ppks generate --out DIR` wrote (DIR/inbox and DIR/truth).
The inbox is replayed as four nights, each a fresh `ppks nightly` process:

1. 99% of the files that do not report on the last month;
2. the other 1% of them;
3. nothing new;
4. the last month's files (TKSK and SLRT files whose rows report on it).

For each night: whole-process wall time and peak RSS (`/usr/bin/time`), the
stage seconds (run_log), what linkage did (link_run) and the ids that moved.
In the same run: the bare fastexcel read of night 1's files (the floor), and
the partition the nights built against one full re-link of the same rows
from scratch (pairwise F1), both scored against the truth.

By default each night starts Prefect's temporary server, as cron does on a machine
with no Prefect server configured. With --prefect-server a Prefect server is
started once before night 1 and kept running, as a site that keeps one for its UI
does (README, "Operations"): each night connects to it (PREFECT_API_URL), and the
server's start is not counted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
# The installed ppks first (ppks.sql, ppks.flows exist only as installed); the checkout
# is the fallback.
sys.path.append(str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_nightly import time_bare  # noqa: E402

from ppks.link import link_persons  # noqa: E402
from ppks.link.evaluate import scores  # noqa: E402


def plan_nights(generated: Path, seed: int, night2_files: int | None = None) -> list[list[Path]]:
    """The four nights' files; night 2 is 1% of the early files, or ``night2_files`` of
    them (the same number at every history, to tell history from arrival size)."""
    inbox = generated / "inbox"
    rows = pl.read_csv(generated / "truth" / "rows.csv", infer_schema_length=0)
    files = pl.read_csv(generated / "truth" / "files.csv", infer_schema_length=0)
    months = rows.filter(pl.col("bulan").is_not_null() & (pl.col("bulan") != ""))
    last = months["bulan"].max()
    late = set(
        months.group_by("source_file")
        .agg(pl.col("bulan").max())
        .filter(pl.col("bulan") == last)["source_file"]
        .to_list()
    )
    everything = sorted(
        (inbox / folder / name)
        for name, folder in files.select("source_file", "folder").iter_rows()
        if (inbox / folder / name).is_file()
    )
    early = [p for p in everything if p.name not in late]
    rng = random.Random(seed)
    count = max(1, len(early) // 100) if night2_files is None else night2_files
    one_percent = set(rng.sample(early, min(count, len(early))))
    first = [p for p in early if p not in one_percent]
    return [first, sorted(one_percent), [], [p for p in everything if p.name in late]]


def link_into(night_inbox: Path, inbox: Path, files: list[Path]) -> None:
    for path in files:
        target = night_inbox / path.relative_to(inbox)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)


def run_night(
    night_inbox: Path, warehouse: Path, outbox: Path, home: Path, api: str | None
) -> dict:
    env = dict(
        os.environ,
        **({"PREFECT_API_URL": api} if api else {}),
        PREFECT_HOME=str(home),
        PREFECT_LOGGING_LEVEL="WARNING",
        DO_NOT_TRACK="1",
        PPKS_PROGRESS="0",
    )
    ppks = Path(sys.executable).with_name("ppks")
    # Cron's nights are a day apart: what the night before wrote (or a benchmark's copy of
    # a snapshot) is on disk by then, not gigabytes of dirty pages the night's own copy of
    # the warehouse would be throttled behind.
    os.sync()
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "PEAK_KB %M", str(ppks), "nightly", "--inbox", str(night_inbox),
         "--warehouse", str(warehouse), "--outbox", str(outbox)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"night failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    peak = int(re.search(r"PEAK_KB (\d+)", done.stderr)[1]) / 1024
    return {"wall": wall, "peak_mb": peak}


@contextlib.contextmanager
def operators_server(home: Path, wanted: bool):
    """A Prefect server that outlives the nights, as a site runs one; None without."""
    if not wanted:
        yield None
        return
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PREFECT_HOME=str(home), DO_NOT_TRACK="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the Prefect server for the nights did not start")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def night_facts(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        run_id, stages, link_mode, counts = con.execute(
            "SELECT run_id, stage_seconds, link_mode, counts_json FROM run_log "
            "ORDER BY started_at DESC LIMIT 1"
        ).fetchall()[0]
        link = con.sql("SELECT * FROM link_run WHERE run_id = $r", params={"r": run_id}).pl()
        rows = con.execute("SELECT count(*) FROM source_record").fetchall()[0][0]
    link = link.to_dicts()[0] if link.height else {}
    # Stages after the swap (edition publish, reports) are in the run's note, which
    # the next night copies into run_log.
    note = warehouse.with_name(f".{warehouse.name}.last-run.json")
    if note.exists() and json.loads(note.read_text())["run_id"] == run_id:
        stages = json.dumps(json.loads(note.read_text())["stage_seconds"])
    return {
        "run_id": run_id,
        "stages": json.loads(stages or "{}"),
        "link": link,
        "rows": rows,
        "counts": json.loads(counts),
        "mode": link_mode,
    }


def partition(con) -> dict:
    return dict(
        con.execute("SELECT source_file || '|' || coalesce(sheet, '') || '|' || row_number, "
                    "person_id FROM source_record").fetchall()
    )  # fmt: skip


def from_scratch(warehouse: Path, work: Path) -> tuple[dict, float]:
    copy = work / "scratch.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE source_record SET person_id = NULL")
        for table in ("person_identity", "person_id_history", "person_link", "link_model"):
            con.execute(f"DELETE FROM {table}")
        started = time.perf_counter()
        link_persons(con, run_id="scratch", retrain=True)
        seconds = time.perf_counter() - started
        return partition(con), seconds


def truth_partition(generated: Path) -> dict:
    rows = pl.read_csv(generated / "truth" / "rows.csv", infer_schema_length=0)
    rows = rows.filter(pl.col("expected") == "load")
    return {
        f"{f}|{s or ''}|{r}": p
        for f, s, r, p in rows.select("source_file", "sheet", "row_number", "person_id").iter_rows()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", type=Path, help="a folder written by ppks generate")
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path, help="append the results to this markdown file")
    parser.add_argument(
        "--no-relink",
        action="store_true",
        help="skip the full re-link from scratch (minutes on a two-year history)",
    )
    parser.add_argument(
        "--night2-files",
        type=int,
        help="night 2 brings this many of the early files instead of 1%% of them: the same "
        "arrival at six months and at two years",
    )
    parser.add_argument(
        "--prefect-server",
        action="store_true",
        help="run the nights against one long-lived Prefect server instead of a temporary "
        "one per night",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=os.environ.get("PPKS_BENCH_TMP")) as tmp:
        work = Path(tmp)
        generated = args.inbox
        if generated is None:
            from ppks_generator import generate_inbox

            generated = work / "generated"
            generate_inbox(generated, persons=args.persons, seed=args.seed)
        nights = plan_nights(generated, args.seed, args.night2_files)
        bare, _ = time_bare(nights[0], 2)
        night_inbox, warehouse = work / "inbox", work / "warehouse" / "ppks.duckdb"
        for source in ("tksk", "psm", "slrt"):
            (night_inbox / source).mkdir(parents=True, exist_ok=True)
        results = []
        with operators_server(work / "prefect", args.prefect_server) as api:
            for number, files in enumerate(nights, start=1):
                link_into(night_inbox, generated / "inbox", files)
                measured = run_night(night_inbox, warehouse, work / "outbox", work / "prefect", api)
                measured.update(night_facts(warehouse), files=len(files), night=number)
                results.append(measured)
                print(json.dumps({k: v for k, v in measured.items() if k != "counts"}, default=str))
        with duckdb.connect(str(warehouse), read_only=True) as con:
            nightly_partition = partition(con)
        scratch, scratch_seconds = (None, 0.0) if args.no_relink else from_scratch(warehouse, work)
    truth = truth_partition(generated)
    agreement = scores(nightly_partition, scratch) if scratch else None
    night_vs_truth = scores(nightly_partition, truth)
    scratch_vs_truth = scores(scratch, truth) if scratch else None
    text = report(args, generated, bare, results, agreement, night_vs_truth, scratch_vs_truth,
                  scratch_seconds)  # fmt: skip
    print(text)
    if args.write:
        with args.write.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")


def report(args, generated, bare, results, agreement, nightly, scratch, scratch_seconds) -> str:
    first = results[0]["wall"]
    lines = [
        f"### Nights one after another: {generated.name}, seed {args.seed}",
        "",
        f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"command: `python benchmarks/bench_nights.py --inbox {generated}"
        f"{' --prefect-server' if args.prefect_server else ''}"
        f"{f' --night2-files {args.night2_files}' if args.night2_files else ''}"
        f"{' --no-relink' if args.no_relink else ''}`",
        "- Prefect: "
        + (
            "one server started before night 1 and kept (not counted), each night a flow run there"
            if args.prefect_server
            else "no server configured: each night starts the temporary one (counted)"
        ),
        f"- Floor: bare fastexcel read of night 1's {len(results) and results[0]['files']:,} "
        f"files on 2 threads: {bare:.1f} s",
        "",
        "| night | files | rows after | wall | vs night 1 | peak RSS | linkage | rows new "
        "| pairs scored | persons touched | rows moved | merges | splits | stages (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: "
        "| ---: | --- |",
    ]
    for r in results:
        link = r["link"]
        stages = ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["stages"].items()))
        lines.append(
            f"| {r['night']} | {r['files']:,} | {r['rows']:,} | {r['wall']:.1f} s "
            f"| {r['wall'] / first:.1%} | {r['peak_mb']:,.0f} MB | {r['mode']} "
            f"| {link.get('rows_new', 0):,} | {link.get('pairs_scored', 0):,} "
            f"| {link.get('persons_touched', 0):,} | {link.get('rows_moved', 0):,} "
            f"| {link.get('merges', 0)} | {link.get('splits', 0)} | {stages} |"
        )
    lines.append("")
    if agreement is None:
        lines.append("No full re-link from scratch in this run (--no-relink).")
        lines.append(
            f"Against the truth: nights precision {nightly['precision']:.4f}, "
            f"recall {nightly['recall']:.4f}."
        )
    else:
        lines += [
            f"Nights against one full re-link of the same rows from scratch "
            f"({scratch_seconds:.0f} s): pairwise F1 {agreement['f1']:.5f} "
            f"(precision {agreement['precision']:.5f}, recall {agreement['recall']:.5f}).",
            f"Against the truth: nights precision {nightly['precision']:.4f}, recall "
            f"{nightly['recall']:.4f}; from scratch precision {scratch['precision']:.4f}, "
            f"recall {scratch['recall']:.4f}.",
        ]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
