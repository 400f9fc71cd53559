"""What reading a batch of files gives: per file its outcome, and the batch's frames.

Kept apart from ppks.pipeline (which imports the readers and Pandera) so that the
stages that only pass results along, and a night with nothing to read, import
neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ppks.ingest.inbox import InboxFile


@dataclass
class FileOutcome:
    item: InboxFile
    status: str
    reason_code: str | None = None
    reason: str | None = None
    sheets: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    bulan_laporan: object = None
    kode_kecamatan: str | None = None
    kode_desa: str | None = None
    rows_below_blank: int = 0


@dataclass
class BatchResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    loaded: list[pl.DataFrame] = field(default_factory=list)
    rejected: list[pl.DataFrame] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)

    @classmethod
    def joined(cls, batches: list[BatchResult]) -> BatchResult:
        """The night's batches as one result, in batch order (what the load stage takes)."""
        return cls(
            [o for b in batches for o in b.outcomes],
            [f for b in batches for f in b.loaded],
            [f for b in batches for f in b.rejected],
            [s for b in batches for s in b.sheets],
        )
