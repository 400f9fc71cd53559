"""The states a file, a row, a pair of rows and a person id can be in."""

from __future__ import annotations

# ingest_file.status
LOADED = "loaded"
REJECTED = "rejected"
DUPLICATE = "duplicate"
SUPERSEDED = "superseded"
FILE_STATUSES: dict[str, str] = {
    LOADED: "its data rows are in source_record or rejected_row",
    REJECTED: "rejected whole, with a reason",
    DUPLICATE: "the same bytes as a file already loaded, under another name",
    SUPERSEDED: "replaced by a corrected file; its rows moved to the *_history tables",
}

# Where a data row goes: source_record (loaded) or rejected_row (rejected).
ROW_OUTCOMES: dict[str, str] = {
    LOADED: "in source_record, with flags",
    REJECTED: "in rejected_row, with every reason",
}

# person_link.status
LINK_STATUSES: dict[str, str] = {
    "linked": "this pair joined the two rows",
    "same_person": "already joined by stronger pairs",
    "conflict": "refused: the rows clearly differ (see conflict)",
    "review": "uncertain band, not joined",
    "not_linked": "below the review band",
    "reviewer_same": "a reviewer said same",
    "reviewer_different": "a reviewer said different",
    "reviewer_conflict": "a reviewer said same, but another decision says different",
}

# person_link.conflict: comma-separated codes. English codes, like every code;
# person_link.agreement is keyed by comparison, each named after the
# source_record column it compares (nik, nama, tanggal_lahir, ...).
LINK_CONFLICTS: dict[str, str] = {
    "gender": "different written genders",
    "name": "clearly different names",
    "birth_date": "clearly different birth dates",
    "nasab": "different bin/binti parts",
    "nik": "two clean NIKs that each fit their row",
    "one_report": "two rows of one TKSK monthly report, which lists each person once",
    "reviewer_different": "a reviewer said different",
    "established_persons": "would join two persons of earlier nights: only a reviewer can",
}

# person_identity.status
PERSON_ID_STATUSES: dict[str, str] = {
    "active": "the id names a person now",
    "retired": "merged into successor_id, or without rows any more (successor_id null)",
}
