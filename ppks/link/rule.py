"""The call the warehouse run makes: probabilistic linkage with stable ids.

`assign_person_ids(con)` used to be a plain NIK-or-name rule; it now runs
`ppks.link.link_persons` (docs/linkage.md). The run should pass its run_id
(and the reviewer decisions file); without one, a run id is made up from the
clock so that the identity history still says when a change happened.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

from ppks.link.persons import LinkSummary, link_persons

DECISIONS_ENV = "PPKS_REVIEW_DECISIONS"


def assign_person_ids(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str | None = None,
    decisions_path: Path | str | None = None,
    retrain: bool = False,
) -> LinkSummary:
    if run_id is None:
        run_id = "link-" + dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    if decisions_path is None:
        decisions_path = os.environ.get(DECISIONS_ENV) or None
    return link_persons(con, run_id=run_id, decisions_path=decisions_path, retrain=retrain)
