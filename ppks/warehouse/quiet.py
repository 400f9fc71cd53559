"""Whether tonight has nothing new: decided on the live warehouse, read-only, before a
Prefect server is started for the night.

A night with nothing new (every file of the inbox already in the warehouse, no
reviewer decision the last run did not read, no retrain due) records its run
and changes no data. Its work is a second; a temporary Prefect server costs
several. So ``ppks nightly``, when no Prefect server is configured, runs such a
night's stages without Prefect (flows/night.py, the same code the flow runs).

The answer only chooses how the stages are called, never what they do: the
night itself decides again, on its private copy, what is new. If a file arrives
between this look and the night, the night loads it all the same (only without
Prefect). So the look may be cheap, and says "not quiet" whenever in doubt.

It opens the warehouse read-only, only when no read-write session holds it,
and closes it before the night starts (the night checks for writers again, with
a probe that must not run while this process has the file open: build.writer_pid).

Such a night then records its run on the live file itself when nobody has it
open (``open_in_place``), asking ``quiet_plan`` again under the night's lock;
otherwise on a copy, like every other night.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ppks.ingest.classify import InboxPlan
from ppks.ingest.classify import plan as plan_files
from ppks.ingest.inbox import InboxFile, Skipped, discover
from ppks.link import read_decisions
from ppks.link.store import current_model, features_match_rows, training_reason
from ppks.warehouse import access_log, build, schema, tables, upgrade

Discovery = tuple[list[InboxFile], list[Skipped]]

# What a decision is, as the decisions file says it and review_decision keeps it.
DECISION_COLUMNS = (
    "file_a, sheet_a, row_a, file_b, sheet_b, row_b, decision, reviewer, decided_at, note"
)


@dataclass(frozen=True)
class Look:
    """What the look found: the inbox as discovered (None when it stopped before
    walking it), and whether tonight has nothing new."""

    discovered: Discovery | None
    quiet: bool
    # The files a night would read, as planned on the live file (a night reads them
    # ahead while its Prefect server boots: ppks.ingest.read_ahead).
    to_read: tuple[InboxFile, ...] = ()


NOT_LOOKED = Look(None, False)


def nothing_new(
    inbox: Path, warehouse: Path, decisions_path: Path | None, *, retrain: bool = False
) -> Discovery | None:
    """The inbox as discovered (files, things ignored) when tonight would load no file,
    link nothing and change no data; None otherwise, or when in doubt.

    The night reuses the discovery rather than hashing every file of the inbox again.
    """
    found = look(inbox, warehouse, decisions_path, retrain=retrain)
    return found.discovered if found.quiet else None


def look(
    inbox: Path, warehouse: Path, decisions_path: Path | None, *, retrain: bool = False
) -> Look:
    """`nothing_new`, with the inbox as discovered also when something is new: a night
    with new files reuses it too (flows/night.py `hand_over`)."""
    if retrain or not warehouse.is_file():
        return NOT_LOOKED
    if build.wal_path(warehouse).exists() or access_log.pending_path(warehouse).exists():
        return NOT_LOOKED  # a crashed session's work, or requests waiting: for the full night
    if build.writer_pid(warehouse) is not None:
        return NOT_LOOKED  # the night refuses it, with its own line
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return NOT_LOOKED
    discovered = None
    try:
        discovered = discover(inbox, build.inbox_hashes_path(warehouse))
        plan = plan_files(discovered[0], tables.known_files(con))
        quiet = _quiet_given(con, plan, decisions_path) is not None
        return Look(discovered, quiet, tuple(plan.to_read))
    except duckdb.Error:  # an older warehouse without some table: the night upgrades it
        return Look(discovered, False)
    finally:
        with contextlib.suppress(duckdb.Error):
            con.close()


def _decisions_as_read(con: duckdb.DuckDBPyConnection, decisions_path) -> bool:
    """The decisions file says exactly what the last run read from it (review_decision)."""
    in_file = Counter(
        (*d.a, *d.b, d.decision, d.reviewer, d.decided_at, d.note)
        for d in read_decisions(decisions_path)
    )
    stored = con.execute(f"SELECT {DECISION_COLUMNS} FROM review_decision").fetchall()
    return in_file == Counter(stored)


def open_in_place(warehouse: Path) -> duckdb.DuckDBPyConnection | None:
    """The live warehouse, read-write, to record a night with nothing new in place; None
    whenever the night should rather work on a copy and swap it in.

    Such a night adds a run_log and a link_run row and nothing else. Copying the whole
    file for them made its cost follow the warehouse's size (4 of 7 seconds on two
    years of reports). In place, the rows go in one transaction: a night that fails
    before its commit leaves the file as it was. The copy stays the way when anyone
    has the file open (DuckDB's lock: a reader would otherwise be refused for the
    fraction of a second the write takes), when a crashed session or a killed run left
    something beside it, or when the table files must be applied or upgraded.
    """
    if not warehouse.is_file() or build.wal_path(warehouse).exists():
        return None
    if access_log.pending_path(warehouse).exists():
        return None
    if any(warehouse.parent.glob(f".{warehouse.name}.*.building*")):
        return None  # a killed run's leftovers: the copy path tidies them
    if build.writer_pid(warehouse) is not None:
        return None
    try:
        con = build.connect(warehouse)
    except duckdb.Error:  # someone has it open, even read-only
        return None
    try:
        if schema.tables_current(con) and upgrade.primary_key(con, "ingest_file") in (
            None,
            upgrade.INGEST_FILE_KEY,
        ):
            return con
    except duckdb.Error:
        pass
    with contextlib.suppress(duckdb.Error):
        con.close()
    return None


def quiet_plan(
    con: duckdb.DuckDBPyConnection, files: list[InboxFile], decisions_path
) -> InboxPlan | None:
    """The plan of these files (every one known) when nothing is new on ``con``; else None.

    ``nothing_new`` asks it of the live file before the night, the night again of the
    file it writes, and loads with the plan it returns."""
    return _quiet_given(con, plan_files(files, tables.known_files(con)), decisions_path)


def _quiet_given(con: duckdb.DuckDBPyConnection, plan: InboxPlan, decisions_path):
    if plan.to_read or plan.duplicates:
        return None
    rows = con.execute("SELECT count(*) FROM source_record").fetchall()[0][0]
    if training_reason(con, current_model(con), retrain=False, rows=rows) is not None:
        return None
    return plan if features_match_rows(con) and _decisions_as_read(con, decisions_path) else None
