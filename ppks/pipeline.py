"""One file through the stages: read → normalise → validate.

Pure domain code: frames in, frames out. The Prefect flow in ``flows/``
decides how files are grouped into tasks and when the warehouse is written.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field

import polars as pl

from ppks.ingest.inbox import InboxFile
from ppks.ingest.readers import read_file
from ppks.ingest.sniff import FileRejected
from ppks.normalise.record import to_canonical
from ppks.validate import split_rows

log = logging.getLogger(__name__)


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


@dataclass
class BatchResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    loaded: list[pl.DataFrame] = field(default_factory=list)
    rejected: list[pl.DataFrame] = field(default_factory=list)


def process_file(item: InboxFile) -> tuple[FileOutcome, pl.DataFrame | None, pl.DataFrame | None]:
    """Never raises for bad input: a file that cannot be loaded comes back rejected."""
    try:
        read = read_file(item)
        canonical = to_canonical(read.raw, item.source, item.sha256)
        loaded, rejected = split_rows(canonical)
    except FileRejected as exc:
        return FileOutcome(item, "rejected", exc.code, exc.reason), None, None
    except OSError:
        raise  # the flow retries I/O errors
    except Exception as exc:  # a bug must not stop the night; the file says what happened
        log.error("internal error on %s:\n%s", item.name, traceback.format_exc())
        reason = f"internal error while reading ({type(exc).__name__}: {exc})"[:500]
        return FileOutcome(item, "rejected", "internal", reason), None, None
    outcome = FileOutcome(
        item,
        "loaded",
        sheets=read.sheets,
        rows_loaded=loaded.height,
        rows_rejected=rejected.height,
        bulan_laporan=_most_common(loaded, "bulan_laporan") if item.source == "tksk" else None,
        kode_kecamatan=_most_common(loaded, "kode_kecamatan"),
        kode_desa=_most_common(loaded, "kode_desa") if item.source == "psm" else None,
    )
    return outcome, loaded, rejected


def process_batch(items: list[InboxFile]) -> BatchResult:
    result = BatchResult()
    for item in items:
        outcome, loaded, rejected = process_file(item)
        result.outcomes.append(outcome)
        if loaded is not None and loaded.height:
            result.loaded.append(loaded)
        if rejected is not None and rejected.height:
            result.rejected.append(rejected)
    return result


def _most_common(frame: pl.DataFrame, column: str):
    values = frame.get_column(column).drop_nulls()
    if values.is_empty():
        return None
    return values.mode().sort().item(0)
