"""ppks serve and config: the nightly job as a scheduled service, and its settings."""

from __future__ import annotations

from ppks import settings
from ppks.cli.common import setting_arg


def register(sub) -> None:
    serve = sub.add_parser(
        "serve",
        help="register the scheduled nightly deployment and serve it",
        description="Register the nightly deployment with the Prefect server in "
        "PREFECT_API_URL, on the configured cron schedule (default 02:00 Asia/Jakarta), and "
        "run its flow runs until stopped. Settings: see `ppks config`.",
    )
    serve.add_argument("--schedule", help="cron line, overrides the settings (e.g. '0 2 * * *')")
    serve.add_argument("--timezone", help="IANA time zone, overrides the settings")
    serve.set_defaults(run=_run_serve)

    config = sub.add_parser(
        "config",
        help="show the settings in force and where each comes from",
        description="Every command takes a setting from its flag, else the environment ("
        + ", ".join(env for env, _ in settings.SETTINGS.values())
        + "), else the settings file (PPKS_CONFIG, else $PPKS_HOME/ppks.toml), else the "
        "default.",
    )
    config.set_defaults(run=_run_config)

    outbox = sub.add_parser(
        "outbox",
        help="write the reports and feedback workbooks of a past run again",
        description="Write OUTBOX/RUN/laporan_mutu.html and the feedback workbooks of a run "
        "from the warehouse, e.g. after a night whose outbox was not writable.",
    )
    outbox.add_argument(
        "--run", dest="run_id", required=True, metavar="ID", help="run id (see run_log)"
    )
    setting_arg(outbox, "warehouse", "warehouse the run wrote")
    setting_arg(outbox, "outbox", "folder for the reports and feedback workbooks")
    outbox.set_defaults(run=_run_outbox)


def _run_serve(args) -> int:
    from ppks.ops.serve import serve

    values = settings.current()
    if args.schedule:
        values["schedule"] = args.schedule
    if args.timezone:
        values["timezone"] = args.timezone
    settings.quiet_prefect()
    print(
        f"serving deployment nightly/{values['deployment']}: '{values['schedule']}' "
        f"({values['timezone']}), inbox {values['inbox']}, warehouse {values['warehouse']}",
        flush=True,
    )
    serve(values)
    return 0


def _run_outbox(args) -> int:
    from ppks.reporting.outbox import OutboxFailed, write_outbox

    warehouse = settings.resolve("warehouse", args.warehouse)
    outbox = settings.resolve("outbox", args.outbox).expanduser().resolve()
    if not warehouse.exists():
        raise FileNotFoundError(f"warehouse not found: {warehouse}")
    try:
        result = write_outbox(warehouse, args.run_id, outbox)
    except OSError as exc:
        raise OutboxFailed(f"cannot write to {outbox}: {exc.strerror or exc}") from exc
    print(f"wrote {result.report} and {len(result.feedback)} feedback workbooks")
    return 0


def _run_config(args) -> int:
    from ppks.ops.config import describe

    print(describe())
    return 0
