"""Night 2 of bench_nights.py again and again, on copies of one warehouse after night 1.

    python benchmarks/bench_night_replay.py setup --inbox GENERATED_DIR --snapshot DIR \
        [--night2-files N]
    python benchmarks/bench_night_replay.py night2 --inbox GENERATED_DIR --snapshot DIR \
        --work DIR [--night2-files N]

`setup` runs night 1 of bench_nights.py (the early files less night 2's) once into
DIR; `night2` copies DIR to --work and runs night 2 there as a fresh `ppks nightly`
process, printing its wall time, peak RSS, stage seconds and what linkage did.
Night 1 of a two-year history takes many minutes; night 2 a minute: the code of two
checkouts can be compared on the same night, runs interleaved (A, B, A, B), with
each checkout's own interpreter running this script. --night2-files gives night 2
the same number of files at every history (issue #9: a night's cost must follow
what arrived, not the history). Use the same --night2-files for setup and night2.

Before the timed night, `night2` boots the temporary Prefect server once on the
copied PREFECT_HOME and stops it, as the night before did on a cron machine: the
server registers Prefect's block types again whenever its home is at a path it has
not seen (the memo holds the database's URL), which a cron night's home never is,
and every copy of the snapshot is (0.3-0.4 s of the boot the night waits for;
docs/PERFORMANCE.md, boot28). It also hashes the copied inbox once, as the night
before did: the inbox's hash cache (ppks.ingest.hash_cache) knows a file by its inode
and change time, which every copy changes, so a night on a fresh copy hashed its whole
inbox again (0.3 s of CPU at six months) where a cron night hashes what arrived
(docs/PERFORMANCE.md, boot30). --as-copied times the night without either.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_nights import link_into, night_facts, plan_nights, run_night  # noqa: E402

# The temporary server booted on a PREFECT_HOME and stopped (the ppks of the interpreter
# running this script: each checkout's own).
BOOT_ONCE = (
    "from ppks import settings; settings.quiet_prefect(); "
    "from ppks.ops import prefect_server; prefect_server.ensure_api()"
)


def boot_as_the_night_before(home: Path) -> None:
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_LOGGING_LEVEL="WARNING")
    subprocess.run([sys.executable, "-c", BOOT_ONCE], env=env, check=True)


def hash_as_the_night_before(inbox: Path, warehouse: Path) -> None:
    """The copied inbox's hashes remembered, as the night before left them."""
    from ppks.ingest.hash_cache import RACY_MARGIN_NS
    from ppks.ingest.inbox import discover
    from ppks.warehouse.build import inbox_hashes_path

    # Files changed within the margin before hashing are not remembered: the copy's.
    time.sleep(RACY_MARGIN_NS / 1e9 + 0.1)
    discover(inbox, inbox_hashes_path(warehouse))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["setup", "night2"])
    parser.add_argument("--inbox", type=Path, required=True, help="written by ppks generate")
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--work", type=Path, help="night2: where the copy is made (emptied)")
    parser.add_argument("--night2-files", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--as-copied",
        action="store_true",
        help="night2: no boot of the copied PREFECT_HOME before the night (the night "
        "registers Prefect's block types again, as no cron night does)",
    )
    args = parser.parse_args()
    first, second, _, _ = plan_nights(args.inbox, args.seed, args.night2_files)
    if args.step == "setup":
        where, files = args.snapshot, first
        shutil.rmtree(where, ignore_errors=True)
    else:
        where, files = args.work, second
        shutil.rmtree(where, ignore_errors=True)
        shutil.copytree(args.snapshot, where)
        if not args.as_copied:
            boot_as_the_night_before(where / "prefect")
            hash_as_the_night_before(where / "inbox", where / "warehouse" / "ppks.duckdb")
    inbox = where / "inbox"
    for source in ("tksk", "psm", "slrt"):
        (inbox / source).mkdir(parents=True, exist_ok=True)
    link_into(inbox, args.inbox / "inbox", files)
    warehouse = where / "warehouse" / "ppks.duckdb"
    measured = run_night(inbox, warehouse, where / "outbox", where / "prefect", None)
    facts = night_facts(warehouse)
    link = facts["link"]
    print(
        json.dumps(
            {
                "step": args.step, "files": len(files), "wall": round(measured["wall"], 2),
                "home_booted_before": args.step == "night2" and not args.as_copied,
                "peak_mb": round(measured["peak_mb"]), "rows": facts["rows"],
                "mode": facts["mode"], "rows_new": link.get("rows_new"),
                "pairs_scored": link.get("pairs_scored"),
                "persons_touched": link.get("persons_touched"),
                "rows_moved": link.get("rows_moved"),
                "stages": {k: round(v, 2) for k, v in sorted(facts["stages"].items())},
            }
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
