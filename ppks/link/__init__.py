"""link stage: which loaded rows are the same person.

Public API:

- `link_persons(con, *, run_id, decisions_path=None, retrain=False) -> LinkSummary`:
  one night of linkage (full when a model must be trained, else only what is new):
  assign source_record.person_id with stable ids, and write person_link,
  person_identity, person_id_history, review_decision, link_run and the stored
  model, features and term counts.
- `memory_limit(share)`: the night's DuckDB memory limit (ppks.settings: memory_limit,
  PPKS_MEMORY_LIMIT, default 3GB), or a share of it; while linkage runs, its
  own connection has `LINKAGE_SHARE` of it and the warehouse's the rest.
- `export_review_workbook(con, path)` / `import_review_workbook(path, decisions_path)`:
  the reviewer's round trip; `read_decisions` / `append_decisions` for the file.

See docs/linkage.md for the method.
"""

from ppks.link.decisions import (
    Decision,
    append_decisions,
    export_review_workbook,
    import_review_workbook,
    read_decisions,
)
from ppks.link.persons import LINKAGE_SHARE, LinkSummary, link_persons, memory_limit

__all__ = [
    "LINKAGE_SHARE",
    "Decision",
    "LinkSummary",
    "append_decisions",
    "export_review_workbook",
    "import_review_workbook",
    "link_persons",
    "memory_limit",
    "read_decisions",
]
