"""ppks nightly, generate and demo: run the pipeline, make inboxes, show it working."""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path

from ppks import settings
from ppks.cli.common import setting_arg

DEMO_QUERY = """
SELECT nama, persons, population, pct_population, per_1000
FROM mart_ppks_region
WHERE tingkat IN ('provinsi', 'kabupaten_kota') AND ppks_kode = 'SEMUA' AND persons > 0
ORDER BY tingkat DESC, persons DESC
"""


def register(sub) -> None:
    nightly = sub.add_parser(
        "nightly",
        help="run the nightly flow once",
        description="Read the inbox, validate and link the rows, and replace the warehouse "
        "in one step. Exits 0 when the run completed (even with rejected files or rows), "
        "3 when it completed but its reports could not be written (see ppks outbox), "
        "1 when it could not complete.",
    )
    setting_arg(nightly, "inbox", "inbox folder with tksk/, psm/ and slrt/")
    setting_arg(nightly, "warehouse", "DuckDB file to build")
    setting_arg(nightly, "outbox", "folder for the run's reports and feedback workbooks")
    nightly.add_argument(
        "--retrain",
        action="store_true",
        help="train the linkage model again and link every row from scratch (otherwise a "
        "night trains only when there is no model, the rules changed, or the rows grew by "
        "more than a third since training; see docs/linkage.md)",
    )
    nightly.set_defaults(run=_run_nightly)

    generate = sub.add_parser(
        "generate",
        help="write a synthetic inbox with its ground truth",
        description="Write OUT/inbox/{tksk,psm,slrt} following SOURCES.md, with every kind of "
        "problem real files have, and OUT/truth/ (files.csv, rows.csv, persons.csv).",
    )
    generate.add_argument("--out", type=Path, required=True, help="folder to write")
    generate.add_argument(
        "--persons", type=int, default=1000, help="persons (default: %(default)s)"
    )
    generate.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    generate.add_argument(
        "--months",
        type=int,
        default=3,
        help="report months, up to October 2026: the same persons recur over them "
        "(24 for a two-year history; default: %(default)s, August to October 2026)",
    )
    generate.add_argument(
        "--profile",
        choices=("default", "hard"),
        default="default",
        help="damage rates (docs/generator.md; default: %(default)s)",
    )
    generate.set_defaults(run=_run_generate)

    demo = sub.add_parser(
        "demo",
        help="generate a small inbox and run the nightly flow on it",
        description="Generate a demo inbox under PPKS_HOME/demo, run the nightly flow, and "
        "print where the warehouse is and the result of a sample query.",
    )
    demo.add_argument("--persons", type=int, default=400, help="persons (default: %(default)s)")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default: %(default)s)")
    demo.set_defaults(run=_run_demo)


# Exit status when the night is published but its reports could not be written.
EXIT_REPORTS_FAILED = 3


def _run_nightly(args) -> int:
    import sys

    outbox = settings.resolve("outbox", args.outbox).expanduser().resolve()
    result = _nightly(
        settings.resolve("inbox", args.inbox),
        settings.resolve("warehouse", args.warehouse),
        outbox,
        retrain=args.retrain,
    )
    # After the night: imported before it, DuckDB and the reports' modules delayed the
    # temporary Prefect server's start, which the night waits for.
    from ppks.reporting.outbox import OutboxFailed, ensure_outbox

    _print_counts(result, outbox)
    try:
        if ensure_outbox(result.warehouse, result.run_id, outbox) is not None:
            print(f"reports written again to {outbox / result.run_id}")
    except OutboxFailed as exc:
        print(f"ppks nightly: error: {exc}", file=sys.stderr)
        return EXIT_REPORTS_FAILED
    return 0


def _run_generate(args) -> int:
    from ppks_generator import generate_inbox
    from ppks_generator.write_inbox import last_months

    summary = generate_inbox(
        args.out,
        persons=args.persons,
        seed=args.seed,
        months=last_months(args.months),
        profile_name=args.profile,
    )
    print(f"wrote {args.out / 'inbox'} and {args.out / 'truth'}: {summary}")
    return 0


def _run_demo(args) -> int:
    import shutil

    import duckdb

    from ppks_generator import generate_inbox

    root = settings.home() / "demo"
    # A demo starts from nothing, so what it prints is the demo's and nothing older.
    shutil.rmtree(root, ignore_errors=True)
    generate_inbox(root, persons=args.persons, seed=args.seed)
    result = _nightly(root / "inbox", root / "ppks.duckdb", root / "outbox")
    with duckdb.connect(str(result.warehouse), read_only=True) as con:
        print(f"\nSample query:{DEMO_QUERY}")
        print(con.sql(DEMO_QUERY))
    _print_counts(result, root / "outbox")
    return 0


def _nightly(inbox: Path, warehouse: Path, outbox: Path | None = None, retrain: bool = False):
    settings.quiet_prefect()
    from ppks.ops import prefect_server

    # Without a configured server: a temporary one that dies with this command, even on
    # SIGKILL. It boots on the other core while this one checks the paths, asks whether
    # anything is new, then imports the flow and starts the readers' forkserver: a night
    # with something new waits for the server only as long as its boot outlasts that
    # work. Spawned first: the checks below import DuckDB (0.1-0.2 s), and the server's
    # boot is what the night waits for.
    booting = None if prefect_server.api_configured() else prefect_server.start_server()
    from ppks.warehouse.build import lock_is_free, preflight

    try:
        preflight(inbox.resolve(), warehouse.resolve())
        lock_is_free(warehouse.resolve())  # refused here, before Prefect logs a traceback
    except BaseException:
        if booting is not None:
            prefect_server.stop_server(booting)
        raise
    from ppks.ops import collector

    # Until the flow starts, the command imports and looks; no garbage to collect.
    with collector.paused():
        look = None
        if booting is not None:
            look = _look(inbox, warehouse, retrain)
            if look.quiet:
                prefect_server.stop_server(booting)
        if look is None or not look.quiet:
            # With `booting` None, this starts a server after all if Prefect finds no API.
            prefect_server.ensure_api(
                while_starting=lambda: _while_the_server_starts(look, warehouse),
                booting=booting,
            )
    if look is not None and look.quiet:
        # The same stages as the flow, as plain calls: waiting for the server would
        # cost more than the whole night (README, "A night with nothing new").
        from ppks.flows.night import run_night

        return run_night(
            inbox=inbox,
            warehouse=warehouse,
            outbox=outbox,
            retrain=retrain,
            discovered=look.discovered,
        )
    from ppks.flows import night
    from ppks.flows.nightly import nightly

    if look is not None and look.discovered is not None:
        # The inbox as the look just found it: the night walks and hashes it once.
        night.hand_over(inbox, warehouse, look.discovered)
    return nightly(inbox=inbox, warehouse=warehouse, outbox=outbox, retrain=retrain)


# Imported while the temporary server boots, on the other core: modules the night
# imports anyway, where it would wait for them (Splink and sqlglot at scoring,
# Prefect's engines at the flow's start, FastAPI's encoders, which Prefect imports to
# send the flow run's parameters when it creates the run, and the flow graph's
# tracker, which every call of a flow imports: graphviz).
NIGHT_MODULES = (
    "ppks.flows.nightly",
    "ppks.link.incremental",
    "splink",
    "prefect.flow_engine",
    "prefect.task_engine",
    "fastapi.encoders",
    "prefect.utilities.visualization",
)
# Prefect's client models are built at their first use (Pydantic's defer_build): these
# at the flow run's creation, once the server is up, where the night waits for the
# command (0.05 s of its CPU); built while the server boots instead.
NIGHT_MODELS = (
    ("prefect.client.schemas.actions", "FlowCreate"),
    ("prefect.client.schemas.actions", "FlowRunCreate"),
    ("prefect.client.schemas.objects", "FlowRun"),
    ("prefect.events.schemas.events", "Event"),
)


def _while_the_server_starts(look, warehouse: Path) -> None:
    from ppks.ingest.isolate import start_readers

    if look is not None and not look.quiet and not look.small:
        # A small night writes the live file in place (ppks.warehouse.in_place): a copy
        # made ahead would be read and written for nothing, and left beside the file.
        from ppks.warehouse import copy_ahead

        copy_ahead.start(warehouse)
    start_readers()
    if look is not None and look.to_read:
        from ppks.flows.night import read_ahead

        read_ahead(list(look.to_read))
    for module in NIGHT_MODULES:
        # Only ahead of time: a module missing here fails where the night needs it.
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    for module, name in NIGHT_MODELS:
        with contextlib.suppress(ImportError, AttributeError):
            getattr(importlib.import_module(module), name).model_rebuild()


def _look(inbox: Path, warehouse: Path, retrain: bool):
    """What is in the inbox, and whether nothing is new tonight (ppks.warehouse.quiet)."""
    import logging

    from ppks.warehouse.quiet import look

    warehouse = warehouse.resolve()
    found = look(
        inbox.resolve(), warehouse, settings.review_decisions_path(warehouse), retrain=retrain
    )
    if found.quiet:
        # Prefect is not there to print the night's log lines: the same lines, to stderr.
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s.%(msecs)03d | %(levelname)-7s | %(name)s - %(message)s", "%H:%M:%S"
            )
        )
        logger = logging.getLogger("ppks")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.info("nothing new in the inbox: the night runs without a Prefect server")
    return found


def _print_counts(result, outbox: Path | None = None) -> None:
    from ppks.reporting.progress import closing_summary

    c = result.counts
    print(
        f"run {result.run_id}: files loaded {c['files_loaded']}, rejected {c['files_rejected']}, "
        f"duplicate {c['files_duplicate']}, already loaded {c['files_skipped']}; "
        f"rows loaded {c['rows_loaded']}, rejected {c['rows_rejected']}\n"
        f"linkage: {_link_line(result.link)}\n"
        f"warehouse: {result.warehouse}"
    )
    folder = Path(outbox) / result.run_id if outbox else None
    print(
        closing_summary(
            result.warehouse,
            folder / "laporan_mutu.html" if folder else None,
            folder / "umpan_balik" if folder else None,
        )
    )


def _link_line(link: dict) -> str:
    if link["mode"] == "none":
        return "nothing new to link"
    how = (
        "trained a model and linked every row"
        if link["mode"] == "full"
        else (f"{link['rows_new']} new rows scored with model {link['model_version']}")
    )
    return (
        f"{how}; {link['persons']} persons ({link['persons_new']} new), "
        f"{link['merges']} merges, {link['splits']} splits, {link['rows_moved']} earlier rows moved"
    )
