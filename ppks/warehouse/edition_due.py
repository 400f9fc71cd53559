"""Whether the published analyst edition is behind the warehouse.

A night written on a copy builds the edition from the finished copy and publishes both
files together. A night written in place (ppks.warehouse.in_place) commits the warehouse
first and builds the edition after, from the live file: DuckDB writes one database per
transaction. If that build fails, or the process is killed between the commit and the
edition's rename, the night is still completed (its rows are in the warehouse and stay
there, as when its reports fail), and the published edition is the previous one.

Nothing needs remembering for it: the edition says which run it was made from
(``edition_info.run_id``), and ``run_log`` says which runs changed data since. Every
night, even one with nothing new, asks `behind` and builds the edition when it is
behind, so the next night heals what a failed or killed build left.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# A run that changed data: it brought a file (loaded, rejected whole or a duplicate) or
# linked something (a reviewer's decision), as flows/night.py decides that the model and
# the edition are to be rebuilt. link_mode is NULL in runs older than the column.
CHANGED_DATA = (
    "coalesce(files_loaded, 0) + coalesce(files_rejected, 0) + coalesce(files_duplicate, 0) > 0 "
    "OR link_mode IS DISTINCT FROM 'none'"
)


def made_from(edition: Path) -> tuple[bool, str | None]:
    """(whether the edition could be read, the run its edition_info names)."""
    try:
        with duckdb.connect(str(edition), read_only=True) as con:
            rows = con.execute("SELECT run_id FROM edition_info").fetchall()
    except duckdb.Error:  # not an edition, damaged, or held read-write by someone
        return False, None
    return len(rows) == 1, rows[0][0] if len(rows) == 1 else None


def behind(con: duckdb.DuckDBPyConnection, edition: Path) -> str | None:
    """Why the published ``edition`` is behind the warehouse open on ``con``, or None when
    no run changed data after the one it was made from.

    No edition at all is not behind: no night leaves the warehouse without one (the
    first night publishes both files together, and a later build replaces the file
    with one rename); one removed by hand is written by ``ppks edition``."""
    if not edition.is_file():
        return None
    readable, run_id = made_from(edition)
    if not readable:
        return "the analyst edition cannot be read"
    (later,) = con.execute(
        f"SELECT count(*) FROM run_log WHERE ({CHANGED_DATA}) AND finished_at > "
        "coalesce((SELECT finished_at FROM run_log WHERE run_id = ?), '-infinity'::TIMESTAMP)",
        [run_id],
    ).fetchall()[0]
    if later:
        return f"{later} run(s) changed the warehouse after the one the edition was made from"
    return None
