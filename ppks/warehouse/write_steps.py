"""Everything one run writes, in order, into the staging copy of the warehouse."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from ppks.ingest.classify import InboxPlan
from ppks.ingest.outcomes import FileOutcome
from ppks.link import link_persons
from ppks.link.persons import write_thresholds
from ppks.warehouse import row_groups, schema
from ppks.warehouse.marts import apply_model
from ppks.warehouse.supersede import apply_supersedes, note_in_run_log
from ppks.warehouse.tables import (
    insert_frame,
    next_record_id,
    refresh_reference,
    with_record_ids,
    write_run_log,
)


@dataclass
class RunCounts:
    files: Counter = field(default_factory=Counter)
    rows_loaded: Counter = field(default_factory=Counter)
    rows_rejected: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    file_reasons: Counter = field(default_factory=Counter)
    files_skipped: int = 0
    files_elsewhere: int = 0

    def as_dict(self) -> dict:
        return {
            "files_seen": sum(self.files.values()) + self.files_skipped,
            "files_loaded": self.files["loaded"],
            "files_rejected": self.files["rejected"],
            "files_duplicate": self.files["duplicate"],
            "files_superseded": self.files["superseded"],
            "files_skipped": self.files_skipped,
            "files_outside_source_folders": self.files_elsewhere,
            "rows_loaded": sum(self.rows_loaded.values()),
            "rows_rejected": sum(self.rows_rejected.values()),
            "rows_loaded_by_source": dict(self.rows_loaded),
            "rows_rejected_by_source": dict(self.rows_rejected),
            "reject_reasons": dict(self.reasons),
            "file_reject_reasons": dict(self.file_reasons),
        }


def file_rows(
    outcomes: list[FileOutcome], plan: InboxPlan, run_id: str, now: dt.datetime
) -> list[dict]:
    """ingest_file rows: read files, then duplicates (a copy of a rejected file is rejected too)."""
    # A duplicate has its original's bytes: the hash finds it even when two files share a name.
    by_hash = {o.item.sha256: o for o in outcomes}
    rows = []
    for o in outcomes:
        rows.append(_file_row(o, run_id, now))
    for item, original in plan.duplicates:
        first = by_hash.get(item.sha256)
        if first is not None and first.status == "rejected":
            dup = FileOutcome(
                item,
                "rejected",
                first.reason_code,
                f"same content as '{original}', which was rejected: {first.reason}",
            )
        else:
            dup = FileOutcome(item, "duplicate", reason=f"same content as '{original}'")
        row = _file_row(dup, run_id, now)
        row["duplicate_of"] = original if dup.status == "duplicate" else None
        rows.append(row)
    return rows


def _file_row(o: FileOutcome, run_id: str, now: dt.datetime) -> dict:
    return {
        "source_file": o.item.name,
        "source_path": o.item.inbox_path,
        "source": o.item.source,
        "sha256": o.item.sha256,
        "status": o.status,
        "reason": o.reason,
        "reason_code": o.reason_code,
        "duplicate_of": None,
        "size_bytes": o.item.size,
        "sheets": o.sheets,
        "rows_loaded": o.rows_loaded,
        "rows_rejected": o.rows_rejected,
        "bulan_laporan": o.bulan_laporan,
        "kode_kecamatan": o.kode_kecamatan,
        "kode_desa": o.kode_desa,
        "rows_below_blank": o.rows_below_blank,
        "run_id": run_id,
        "ingested_at": now,
    }


def load_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    started_at: dt.datetime,
    inbox: str,
    plan: InboxPlan,
    outcomes: list[FileOutcome],
    loaded: list[pl.DataFrame],
    rejected: list[pl.DataFrame],
    sheets: list[dict],
    files_elsewhere: int = 0,
) -> tuple[RunCounts, list]:
    """ingest_file, source_sheet, source_record, rejected_row; then replaced files leave.

    Returns the counts and the files superseded tonight.
    """
    counts = RunCounts(files_skipped=len(plan.skipped), files_elsewhere=files_elsewhere)
    files = file_rows(outcomes, plan, run_id, started_at)
    for row in files:
        counts.files[row["status"]] += 1
        if row["status"] == "rejected":
            counts.file_reasons[row["reason_code"]] += 1
    if files:
        insert_frame(con, "ingest_file", pl.DataFrame(files, infer_schema_length=None))

    if sheets:
        insert_frame(con, "source_sheet", pl.DataFrame(sheets).with_columns(run_id=pl.lit(run_id)))
    if loaded:
        records = pl.concat(loaded, how="diagonal_relaxed").with_columns(run_id=pl.lit(run_id))
        insert_frame(con, "source_record", with_record_ids(records, next_record_id(con)))
        counts.rows_loaded.update(dict(records.group_by("source").len().iter_rows()))
    if rejected:
        rows = pl.concat(rejected, how="diagonal_relaxed").with_columns(run_id=pl.lit(run_id))
        insert_frame(con, "rejected_row", rows)
        counts.rows_rejected.update(dict(rows.group_by("source").len().iter_rows()))
        counts.reasons.update(dict(rows.explode("reasons").group_by("reasons").len().iter_rows()))

    # Before linkage: rows of a replaced file leave the current tables first.
    superseded = apply_supersedes(con, run_id, inbox) if files else []
    counts.files["superseded"] = len(superseded)
    return counts, superseded


# The steps of sql/transforms, in order: which persons changed first, what they
# counted in the marts' counts before they are rebuilt, the golden record, the
# tables kept with it, their new counts, the quality marts' counts (of the persons
# and the files whose rows changed), the bookkeeping last.
TRANSFORMS = (
    "person_touched",
    "mart_counts_before",
    "person_golden_record",
    "ppks_case_rows",
    "household_member_rows",
    "service_event_rows",
    "person_month_rows",
    "mart_counts_after",
    "kecamatan_person_rows",
    "quality_file_rows",
    "person_rows_kept",
)
# Transforms whose insert DuckDB's threads cut into partial row groups in the middle of
# the table (person_month: a UNION ALL of two windowed pipelines; household_member: a
# window per family card): after a whole build, or a month that touched many persons,
# the next small night's checkpoint merged them again (its vacuum: all of person_month
# at six months of provincial history, 743,000 rows; household_member's 281,000, about
# 0.1-0.17 s CPU of that night).
ONE_WRITER = frozenset({"person_month_rows", "household_member_rows"})


def build_model(con: duckdb.DuckDBPyConnection) -> None:
    """Reference tables, the golden record and the core tables and mart counts kept
    with it (for the persons whose rows changed), then views and marts, with comments."""
    schema.apply(con, "macros")
    reference_changed = refresh_reference(con)
    _golden_record_rules(con)
    # The rows as the quality marts count them: their counts are kept by a transform.
    schema.apply(con, "intermediate")
    for step in TRANSFORMS:
        apply_transform(con, step)
    write_thresholds(con)
    apply_model(con, reference_changed)


def apply_transform(con: duckdb.DuckDBPyConnection, step: str) -> None:
    with row_groups.one_writer(con, when=step in ONE_WRITER):
        schema.apply_file(con, f"transforms/{step}.sql")


def _golden_record_rules(con: duckdb.DuckDBPyConnection) -> None:
    """golden_record_rules(): a fingerprint of everything a person's derived rows are
    built with (the SQL of macros, transforms and core tables, the category names,
    the province, which the marts' counts place persons in), so
    that new rules rebuild every person and unchanged ones only the persons touched."""
    files = [*schema.sql_files("macros"), *schema.sql_files("transforms")]
    files += schema.table_files("core")
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    categories = con.execute(
        "SELECT coalesce(string_agg(kode || '=' || nama, '|' ORDER BY kode), '') "
        "|| coalesce((SELECT '|' || string_agg(kode, ',') FROM region "
        "WHERE tingkat = 'provinsi'), '') "
        "FROM ppks_category"
    ).fetchall()[0][0]
    rules = hashlib.sha256((text + categories).encode("utf-8")).hexdigest()[:16]
    con.execute(f"CREATE OR REPLACE TEMP MACRO golden_record_rules() AS '{rules}'")


def record_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    started_at: dt.datetime,
    inbox: str,
    counts: RunCounts,
    superseded: list,
    extra: dict | None = None,
) -> None:
    write_run_log(
        con,
        run_id=run_id,
        started_at=started_at,
        inbox=inbox,
        counts=counts.as_dict(),
        extra=extra or {},
    )
    note_in_run_log(con, run_id, superseded)


def write_results(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    started_at: dt.datetime,
    inbox: str,
    plan: InboxPlan,
    outcomes: list[FileOutcome],
    loaded: list[pl.DataFrame],
    rejected: list[pl.DataFrame],
    sheets: list[dict],
    files_elsewhere: int = 0,
    link=link_persons,
    decisions_path: Path | None = None,
) -> RunCounts:
    """Every stage in one call (tests and benchmarks); the flow runs them as tasks.

    ``link`` assigns person ids on the connection; benchmarks pass another to time without it.
    """
    counts, superseded = load_rows(
        con, run_id=run_id, started_at=started_at, inbox=inbox, plan=plan, outcomes=outcomes,
        loaded=loaded, rejected=rejected, sheets=sheets, files_elsewhere=files_elsewhere,
    )  # fmt: skip
    link(con, run_id=run_id, decisions_path=decisions_path)
    build_model(con)
    record_run(
        con, run_id=run_id, started_at=started_at, inbox=inbox, counts=counts,
        superseded=superseded,
    )  # fmt: skip
    return counts
