"""ppks review: uncertain person links out to a reviewer as a workbook, decisions back in."""

from __future__ import annotations

from pathlib import Path

from ppks import settings
from ppks.cli.common import setting_arg


def register(sub) -> None:
    review = sub.add_parser(
        "review",
        help="export the review queue as a workbook, or import a reviewer's decisions",
        description="Pairs of rows the linkage is unsure about go to a reviewer as a "
        "workbook (column 'keputusan': SAMA = same person, BEDA = different persons). "
        "Imported decisions go to the decisions file, which every later run applies "
        "over the model.",
    )
    actions = review.add_subparsers(dest="action", metavar="ACTION", required=True)

    export = actions.add_parser("export", help="write the review queue to a workbook")
    setting_arg(export, "warehouse", "the full warehouse file")
    export.add_argument("--out", type=Path, required=True, help="workbook to write (.xlsx)")
    export.set_defaults(run=_export)

    imp = actions.add_parser("import", help="add a filled-in workbook's decisions")
    imp.add_argument("workbook", type=Path, help="the filled-in review workbook")
    setting_arg(imp, "review_decisions", "decisions file the night applies", "--decisions")
    setting_arg(imp, "warehouse", "the full warehouse file (decisions go beside it)")
    imp.add_argument("--reviewer", help="name recorded with each decision")
    imp.set_defaults(run=_import)


def _warehouse(args) -> Path:
    return settings.resolve("warehouse", args.warehouse)


def _export(args) -> int:
    import duckdb

    from ppks.link.decisions import export_review_workbook

    warehouse = _warehouse(args)
    if not warehouse.exists():
        raise FileNotFoundError(f"warehouse not found: {warehouse}")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        pairs = export_review_workbook(con, args.out)
    print(f"{pairs} pairs to review written to {args.out}")
    return 0


def _import(args) -> int:
    from ppks.link.decisions import import_review_workbook

    # The same file the night reads (settings.review_decisions_path).
    decisions = settings.review_decisions_file(_warehouse(args), args.review_decisions)
    added = import_review_workbook(args.workbook, decisions, reviewer=args.reviewer)
    print(f"{added} decisions added to {decisions}; the next run applies them")
    return 0
