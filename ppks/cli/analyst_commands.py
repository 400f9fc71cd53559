"""ppks export, subject, docs and edition: what analysts and the data-protection officer use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ppks import settings
from ppks.cli.common import setting_arg


def register(sub) -> None:
    export = sub.add_parser(
        "export",
        help="write the analyst edition's tables as Parquet",
        description="Write every table of the analyst edition (no direct identifiers) as "
        "DIR/<table>.parquet, for tools that do not read DuckDB files.",
    )
    export.add_argument("--parquet", type=Path, required=True, metavar="DIR", help="folder")
    _warehouse_arg(export)
    export.set_defaults(run=_run_export)

    subject = sub.add_parser(
        "subject",
        help="every record held about one person (UU PDP access request)",
        description="Find a person in the full warehouse by NIK, or by name and birth date, "
        "and print every record held about them with its lineage (file, sheet, row, run).",
    )
    subject.add_argument("--nik", help="16-digit NIK")
    subject.add_argument("--nama", help="name (with --lahir)")
    subject.add_argument("--lahir", type=dt.date.fromisoformat, help="birth date YYYY-MM-DD")
    subject.add_argument("--export", type=Path, metavar="FILE", help="also write an .xlsx")
    subject.add_argument(
        "--requested-by",
        metavar="WHO",
        help="who asked (kept in subject_access_log; default: the operating-system user)",
    )
    _warehouse_arg(subject)
    subject.set_defaults(run=_run_subject)

    docs = sub.add_parser(
        "docs",
        help="regenerate docs/warehouse.md from the comments",
        description="Write the description of every table, view and column, from their "
        "COMMENT ON, as markdown.",
    )
    _warehouse_arg(docs)
    docs.add_argument(
        "--out", type=Path, default=Path("docs/warehouse.md"), help="(default: %(default)s)"
    )
    docs.set_defaults(run=_run_docs)

    edition = sub.add_parser(
        "edition",
        help="(re)write the analyst edition beside an existing warehouse",
        description="Write the analyst edition (no NIK, KK or name in clear) beside the "
        "warehouse, as a nightly run does. Key: PPKS_SECRET_KEY, PPKS_SECRET_KEY_FILE, or "
        "the key file beside the warehouse (created on first use).",
    )
    _warehouse_arg(edition)
    edition.add_argument("--storage-version", help="DuckDB storage version (default: as nightly)")
    edition.set_defaults(run=_run_edition)


def _warehouse_arg(parser) -> None:
    setting_arg(parser, "warehouse", "the full warehouse file")


def _run_export(args) -> int:
    args.warehouse = settings.resolve("warehouse", args.warehouse)
    import duckdb

    from ppks.warehouse.analyst import analyst_path

    source = analyst_path(args.warehouse)
    if not source.exists():
        raise FileNotFoundError(f"no analyst edition at {source}: run nightly (or ppks edition)")
    args.parquet.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(source), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name, coalesce(comment, '') FROM duckdb_tables() "
            "WHERE schema_name = 'main' ORDER BY 1"
        ).fetchall()
        for name, comment in tables:
            target = args.parquet / f"{name}.parquet"
            text = comment.replace("'", "''")
            con.execute(
                f"COPY \"{name}\" TO '{str(target).replace(chr(39), chr(39) * 2)}' "
                f"(FORMAT parquet, KV_METADATA {{comment: '{text}'}})"
            )
    print(f"wrote {len(tables)} tables to {args.parquet} (from {source})")
    return 0


def _run_subject(args) -> int:
    args.warehouse = settings.resolve("warehouse", args.warehouse)

    from ppks.warehouse.build import exclusive_lock
    from ppks.warehouse.subject import export_workbook, format_report

    if not args.warehouse.exists():
        raise FileNotFoundError(f"warehouse not found: {args.warehouse}")
    if not args.nik and not (args.nama and args.lahir):
        raise ValueError("give --nik, or --nama with --lahir")
    # Under the run lock: a night that copied the file before this write would
    # drop the log line at its swap.
    with exclusive_lock(args.warehouse):
        report = _subject_logged(args)
    print(format_report(report))
    if args.export:
        export_workbook(report, args.export)
        print(f"\nwritten: {args.export}")
    return 0


def _subject_logged(args):
    """Answer and log; with readers on the warehouse, log to the pending file (access_log)."""
    import duckdb

    from ppks.warehouse import access_log
    from ppks.warehouse.subject import access_entry, find_subject

    def answer(con):
        report = find_subject(con, nik=args.nik, nama=args.nama, tanggal_lahir=args.lahir)
        entry = access_entry(report, requested_by=args.requested_by, exported_to=args.export)
        return report, entry

    try:
        con = duckdb.connect(str(args.warehouse))
    except duckdb.IOException:  # a reader holds the file: answer read-only, log to the side
        with duckdb.connect(str(args.warehouse), read_only=True) as con:
            report, entry = answer(con)
        access_log.append_pending(args.warehouse, entry)
        return report
    with con:
        report, entry = answer(con)
        access_log.move_pending(con, args.warehouse)
        access_log.insert(con, [entry])
    access_log.pending_path(args.warehouse).unlink(missing_ok=True)
    return report


def _run_docs(args) -> int:
    args.warehouse = settings.resolve("warehouse", args.warehouse)
    from ppks.warehouse.docs import generate

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(generate(args.warehouse), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _run_edition(args) -> int:
    args.warehouse = settings.resolve("warehouse", args.warehouse)
    from ppks.warehouse.analyst import publish_analyst_edition
    from ppks.warehouse.build import DEFAULT_STORAGE_VERSION

    if not args.warehouse.exists():
        raise FileNotFoundError(f"warehouse not found: {args.warehouse}")
    path = publish_analyst_edition(
        args.warehouse,
        args.warehouse,
        storage_version=args.storage_version or DEFAULT_STORAGE_VERSION,
    )
    print(f"wrote {path}")
    return 0
