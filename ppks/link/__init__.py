"""link stage: which loaded rows are the same person.

Public API:

- `link_persons(con, *, run_id, decisions_path=None) -> LinkSummary`: assign
  source_record.person_id on a warehouse connection with stable ids, and write
  person_link, person_identity, person_id_history, review_decision, link_run.
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
from ppks.link.persons import LinkSummary, link_persons

__all__ = [
    "Decision",
    "LinkSummary",
    "append_decisions",
    "export_review_workbook",
    "import_review_workbook",
    "link_persons",
    "read_decisions",
]
