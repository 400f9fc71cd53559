"""The contract between the stages: every code a stage writes and another reads.

One place for each fact, and the others are checked against it:

- `flags`: the flags a loaded row can carry (``source_record.flags``) and the
  groups of them the quality marts count;
- `reasons`: why a row is rejected (``rejected_row.reasons``) and why a file
  is rejected or loaded with a remark (``ingest_file.reason_code``);
- `statuses`: file statuses, row outcomes, person-link statuses and conflicts,
  person-id statuses;
- `columns`: the sources and the canonical ``source_record`` columns;
- `nik`: the layout of the 16-digit NIK.

Codes are English snake_case; the Indonesian words the reporters read live in
``ppks.reporting`` and ``ppks.validate``, keyed by these codes.
``docs/contracts.md`` and the SQL are tested against this package
(tests/contract/test_contract.py): a code in one and not in the other fails.
"""

from ppks.contract import columns, flags, nik, reasons, statuses

__all__ = ["columns", "flags", "nik", "reasons", "statuses"]
