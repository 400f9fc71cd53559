"""Whether tonight has nothing new: decided on the live warehouse, read-only, before a
Prefect server is started for the night.

A night with nothing new (every file of the inbox already in the warehouse, no
reviewer decision the last run did not read, no retrain due) records its run
and changes no data. Its work is a second; a temporary Prefect server costs
several. So ``ppks nightly``, when no Prefect server is configured, runs such a
night's stages without Prefect (flows/night.py, the same code the flow runs).

The answer only chooses how the stages are called, never what they do: the
night itself decides again, on the file it writes, what is new. If a file arrives
between this look and the night, the night loads it all the same (only without
Prefect). So the look may be cheap, and says "not quiet" whenever in doubt.

It opens the warehouse read-only, only when no read-write session holds it,
and closes it before the night starts (the night checks for writers again, with
a probe that must not run while this process has the file open: build.writer_pid).

Such a night, like every small night, is then written on the live file itself when
nobody has it open (ppks.warehouse.in_place), planned again under the night's lock;
otherwise on a copy. The look also tells a small night (`Look.small`): the command
then makes no copy of the warehouse ahead of it (ppks.warehouse.copy_ahead).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ppks import settings
from ppks.ingest.classify import InboxPlan
from ppks.ingest.classify import plan as plan_files
from ppks.ingest.inbox import InboxFile, Skipped, discover
from ppks.link import read_decisions
from ppks.link.store import current_model, features_match_rows, training_reason
from ppks.warehouse import access_log, build, in_place, tables

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
    # Small enough to be written in place (ppks.warehouse.in_place), if nobody holds
    # the file then: no copy is made ahead of it.
    small: bool = False


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
        # Whether tonight can be written in place, as far as a look can tell (a reader
        # may still hold the file then): without, the command copies the file ahead.
        small = (
            not in_place.left_beside(warehouse)
            and in_place.current(con)
            and in_place.small_enough(con, plan, settings.in_place_share())
        )
        return Look(discovered, quiet, tuple(plan.to_read), small)
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


def _quiet_given(con: duckdb.DuckDBPyConnection, plan: InboxPlan, decisions_path):
    if plan.to_read or plan.duplicates:
        return None
    rows = con.execute("SELECT count(*) FROM source_record").fetchall()[0][0]
    if training_reason(con, current_model(con), retrain=False, rows=rows) is not None:
        return None
    return plan if features_match_rows(con) and _decisions_as_read(con, decisions_path) else None
