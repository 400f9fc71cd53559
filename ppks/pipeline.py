"""Files through the stages: read → normalise → validate.

Pure domain code: frames in, frames out. The Prefect flow in ``flows/``
decides how files are grouped into batches and when the warehouse is written.
A batch is normalised and validated as one frame per source, because
Pandera's and the normalisers' fixed costs per call would otherwise dominate
a night of many small files.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable

import pandera.polars as pa
import polars as pl

from ppks.ingest.inbox import InboxFile
from ppks.ingest.outcomes import BatchResult, FileOutcome
from ppks.ingest.readers import FileRead, raw_frame, read_file
from ppks.ingest.sniff import FileRejected
from ppks.normalise.record import to_canonical
from ppks.validate import split_rows

log = logging.getLogger(__name__)

TOO_LARGE = (
    "the file needs more memory to read than a night allows: it is far larger than a "
    "report; delete what lies outside the table and send it again"
)


def process_batch(
    items: list[InboxFile], before_each: Callable[[InboxFile | None], None] | None = None
) -> BatchResult:
    """Never raises for bad input: a file that cannot be loaded comes back rejected.

    ``before_each`` is called before each file is read, and with None before
    the batch is normalised: a worker process restarts its time limit there.
    """
    outcomes: dict[tuple[str, str], FileOutcome] = {}
    raws: dict[str, list[FileRead]] = {}
    sheets: list[dict] = []
    for item in items:
        if before_each is not None:
            before_each(item)
        try:
            read = read_file(item)
        except FileRejected as exc:
            outcomes[_key(item)] = FileOutcome(item, "rejected", exc.code, exc.reason)
            continue
        except MemoryError:
            outcomes[_key(item)] = FileOutcome(item, "rejected", "too_large", TOO_LARGE)
            continue
        except OSError:
            raise  # the flow retries I/O errors
        except BaseException as exc:  # a bug must not stop the night; the file says what happened
            # A panic inside a Rust reader arrives as pyo3's PanicException, a BaseException.
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            outcomes[_key(item)] = _internal_error(item, exc)
            continue
        note_code, note_text = read.note or (None, None)
        warning = below_blank_warning(read.rows_below_blank)
        outcomes[_key(item)] = FileOutcome(
            item,
            "loaded",
            note_code,
            "; ".join(t for t in (note_text, warning) if t) or None,
            sheets=read.sheets,
            rows_below_blank=read.rows_below_blank,
        )
        sheets += [
            {
                "source_file": item.name,
                "file_sha256": item.sha256,
                "sheet": h.sheet,
                "header_row": h.header_row,
                "headers": list(h.headers),
            }
            for h in read.headers
        ]
        read.columns.add_column("file_sha256", item.sha256)
        raws.setdefault(item.source, []).append(read)
    if before_each is not None:
        before_each(None)
    loaded, rejected = [], []
    for source, reads in _name_unique_groups(raws):
        try:
            good, bad = _normalise_and_validate(source, raw_frame([r.columns for r in reads]))
        except Exception:
            # Find the file that broke the batch; the others still load.
            log.warning("a %s batch failed as a whole; retrying file by file", source)
            good, bad = _file_by_file(source, [r.raw for r in reads], outcomes)
        loaded.append(good)
        rejected.append(bad)
    result = BatchResult(outcomes=[outcomes[_key(i)] for i in items])
    failed = {k for k, o in outcomes.items() if o.status != "loaded"}
    result.sheets = [s for s in sheets if (s["source_file"], s["file_sha256"]) not in failed]
    result.loaded = [f for f in loaded if f.height]
    result.rejected = [with_raw_json(f, result.sheets) for f in rejected if f.height]
    _count_rows(outcomes, result)
    return result


def _name_unique_groups(raws: dict[str, list[FileRead]]) -> list[tuple[str, list[FileRead]]]:
    """Reads per source, split so that no group holds two files of one name.

    A row is (file name, sheet, row number) within a frame; two subfolders may
    send files of one name, and they are normalised in separate frames.
    """
    groups = []
    for source, reads in raws.items():
        rounds: list[list[FileRead]] = []
        seen: dict[str, int] = {}
        for read in reads:
            name = read.columns.data["source_file"][0]
            k = seen[name] = seen.get(name, -1) + 1
            if k == len(rounds):
                rounds.append([])
            rounds[k].append(read)
        groups += [(source, group) for group in rounds]
    return groups


def _normalise_and_validate(source: str, raw: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    # The raw frame is not validated against its template's model (schemas/raw.py): its
    # columns and types are raw_frame's fixed schema, a row number starts at 1, and the
    # canonical record checks the rows' identity (file, sheet, row) again. Validating it
    # cost a batch some 15 ms of Pandera's own work per source (2-3% of the read stage),
    # for a check that could not fail; the models still say what a header must hold.
    return split_rows(to_canonical(raw, source))


def _file_by_file(source, frames, outcomes) -> tuple[pl.DataFrame, pl.DataFrame]:
    good, bad = [], []
    for frame in frames:
        key = (frame.get_column("source_file").item(0), frame.get_column("file_sha256").item(0))
        try:
            g, b = _normalise_and_validate(source, frame)
        except (Exception, pa.errors.SchemaErrors) as exc:
            outcomes[key] = _internal_error(outcomes[key].item, exc)
            continue
        good.append(g)
        bad.append(b)
    return (
        pl.concat(good, how="diagonal_relaxed") if good else pl.DataFrame(),
        pl.concat(bad, how="diagonal_relaxed") if bad else pl.DataFrame(),
    )


def with_raw_json(rejected: pl.DataFrame, sheets: list[dict]) -> pl.DataFrame:
    """The original row as {header: cell}, so a rejected row reads on its own."""
    headers = {(s["source_file"], s["sheet"]): s["headers"] for s in sheets}
    texts = [
        json.dumps(
            dict(zip(_unique(headers[(f, sh)]), values or [], strict=False)), ensure_ascii=False
        )
        for f, sh, values in rejected.select("source_file", "sheet", "raw_values").iter_rows()
    ]
    return rejected.with_columns(raw_json=pl.Series(texts, dtype=pl.Utf8))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def below_blank_warning(count: int) -> str | None:
    """For a loaded file: rows after an empty row that the contract does not load."""
    if not count:
        return None
    rows = "1 row looks" if count == 1 else f"{count:,} rows look"
    return (
        f"loaded, but {rows} like data below an empty row and {'was' if count == 1 else 'were'} "
        "not loaded (the table ends at its first empty row): remove the empty row and "
        "send the file again"
    )


def _key(item: InboxFile) -> tuple[str, str]:
    return item.name, item.sha256


def _internal_error(item: InboxFile, exc: BaseException) -> FileOutcome:
    log.error("internal error on %s:\n%s", item.name, traceback.format_exc())
    # The message stays in the log: it may quote cells (a Pandera dump of NIKs and
    # names), and the reason travels to the reporter's feedback and the reports.
    reason = (
        f"internal error while reading this file ({type(exc).__name__}); "
        "the details are in the run's log for the data engineers"
    )
    return FileOutcome(item, "rejected", "internal", reason)


def _count_rows(outcomes: dict[tuple[str, str], FileOutcome], result: BatchResult) -> None:
    for frames, attr in ((result.loaded, "rows_loaded"), (result.rejected, "rows_rejected")):
        for frame in frames:
            for name, sha, n in frame.group_by("source_file", "file_sha256").len().iter_rows():
                setattr(outcomes[(name, sha)], attr, n)
    for frame in result.loaded:
        per_file = frame.group_by("source_file", "file_sha256").agg(
            pl.col("bulan_laporan").drop_nulls().mode().sort().first(),
            pl.col("kode_kecamatan").drop_nulls().mode().sort().first(),
            pl.col("kode_desa").drop_nulls().mode().sort().first(),
            pl.col("source").first(),
        )
        for row in per_file.iter_rows(named=True):
            o = outcomes[(row["source_file"], row["file_sha256"])]
            o.kode_kecamatan = row["kode_kecamatan"]
            if row["source"] == "tksk":
                o.bulan_laporan = row["bulan_laporan"]
            if row["source"] == "psm":
                o.kode_desa = row["kode_desa"]
                if o.kode_desa:
                    # A PSM list is the list of its desa: its kecamatan is the desa's, so
                    # the file's desa and kecamatan never disagree (sql/README.md).
                    o.kode_kecamatan = o.kode_desa[:8]
