"""When a night writes the live warehouse in place, in one DuckDB transaction, rather
than on a private copy swapped in at the end (ppks.warehouse.build).

The copy is the whole file: at two years of provincial history 2.1 GB, 6-16 s of a night
that brings 88 files, and most of what such a night's cost grew by with the history. In
place, the night's stages (prepare, load, link, model, record) run on one connection to
the live file inside one transaction (flows/night.py): a night that fails before its
COMMIT rolls back whole and the file's tables are as they were; one killed before it
left nothing DuckDB replays (DuckDB writes its WAL at the commit).

A night works in place only when all of these hold (`open_in_place`, `plan_in_place`):

- nobody has the file open: DuckDB locks the file for writing, so a reader (even
  read-only) already holding it keeps the night on a copy and is never in the way;
  one that opens the file while the night writes is refused at once ("Could not set
  lock") and can open it again after the night;
- nothing is left beside it: no ``.wal`` (a crashed session's work: the copy replays
  it), no killed run's copy or spill folder (the copy path tidies them), no subject
  requests waiting to be logged;
- nothing to upgrade: the table files applied as they are now, the keys of today;
- no model to train (`store.training_reason`), no ``--retrain``;
- the night is small: the bytes of the files to read are at most ``in_place_share``
  (settings, default 5%) of the bytes of the files already loaded. A night with
  nothing new is always small. A first night (no file yet) and a larger night (a
  month of reports) take the copy: in place they would keep readers out for minutes,
  and the copy is a small part of their cost.

The analyst edition cannot be written in the same transaction (DuckDB writes one
database per transaction): an in-place night builds it after the commit, from the
live file (ppks.warehouse.edition_due says what a failed build leaves).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb

from ppks.ingest.classify import InboxPlan
from ppks.ingest.classify import plan as plan_files
from ppks.ingest.inbox import InboxFile
from ppks.link.store import current_model, training_reason
from ppks.warehouse import access_log, build, schema, tables, upgrade


def left_beside(warehouse: Path) -> bool:
    """Something beside the file that only the copy path handles: a crashed session's
    ``.wal`` (the copy replays it), a killed run's copy or spill folder (removed), subject
    requests waiting to be logged (moved in)."""
    return (
        build.wal_path(warehouse).exists()
        or access_log.pending_path(warehouse).exists()
        or any(warehouse.parent.glob(f".{warehouse.name}.*.building*"))
    )


def current(con: duckdb.DuckDBPyConnection) -> bool:
    """Nothing to upgrade and no model to train on the warehouse open on ``con``: the table
    files applied as they are now, today's keys, the stored model still the one to use."""
    if not (
        schema.tables_current(con)
        and upgrade.primary_key(con, "ingest_file") in (None, upgrade.INGEST_FILE_KEY)
        and upgrade.primary_key(con, "person_link") is None
    ):
        return False
    rows = con.execute("SELECT count(*) FROM source_record").fetchall()[0][0]
    return training_reason(con, current_model(con), retrain=False, rows=rows) is None


def open_in_place(warehouse: Path) -> duckdb.DuckDBPyConnection | None:
    """The live warehouse, read-write, for a night to write in place; None whenever the
    night should rather work on a copy and swap it in (see the module's conditions)."""
    if not warehouse.is_file() or left_beside(warehouse):
        return None
    if build.writer_pid(warehouse) is not None:
        return None
    try:
        con = build.connect(warehouse)
    except duckdb.Error:  # someone has it open, even read-only
        return None
    try:
        if current(con):
            return con
    except duckdb.Error:
        pass
    with contextlib.suppress(duckdb.Error):
        con.close()
    return None


def small_enough(con: duckdb.DuckDBPyConnection, plan: InboxPlan, share: float) -> bool:
    """The files this plan reads come to at most ``share`` of the bytes already loaded."""
    to_read = sum(item.size for item in plan.to_read)
    if not to_read:
        return True
    (stored,) = con.execute(
        "SELECT coalesce(sum(size_bytes), 0) FROM ingest_file WHERE status = 'loaded'"
    ).fetchall()[0]
    return to_read <= share * stored


def plan_in_place(
    con: duckdb.DuckDBPyConnection, files: list[InboxFile], share: float
) -> InboxPlan | None:
    """The night's plan of these files when it is to be written in place on ``con`` (the
    live file, opened by `open_in_place`); None: the night takes a copy."""
    plan = plan_files(files, tables.known_files(con))
    return plan if small_enough(con, plan, share) else None
