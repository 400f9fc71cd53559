"""The marts follow the night (ppks.warehouse.mart_delta) through real nights on a
generated inbox: nights 2 and 3, written in place, write again only the rows of the
keys they moved, and every mart is then what a whole rebuild of it gives."""

from __future__ import annotations

import csv
import logging
import re
import shutil

import duckdb
import pytest
from ppks.flows.night import run_night

from ppks.warehouse import analyst, mart_delta, schema
from ppks_generator import generate_inbox

MARTS = sorted(mart_delta.MOVED_KEYS)


def whole_rebuild(con: duckdb.DuckDBPyConnection, mart: str) -> str:
    """A TEMP table holding every row of the mart as its file builds it whole."""
    schema.apply(con, "macros")
    schema.apply(con, "intermediate")
    for name, keys in mart_delta.MOVED_KEYS.items():
        columns = ", ".join(f"{k} VARCHAR" for k in keys)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {mart_delta.moved_table(name)} ({columns})")
    con.execute("CREATE OR REPLACE TEMP MACRO mart_whole() AS true")
    query = mart_delta._query(mart, schema.sql_text(f"marts/{mart}.sql"))
    con.execute(f"CREATE OR REPLACE TEMP TABLE whole_{mart} AS {query}")
    return f"whole_{mart}"


def differences(warehouse) -> dict[str, tuple[int, int, int]]:
    """Per mart: rows only in the stored mart, rows only in a whole rebuild, rows."""
    out = {}
    with duckdb.connect(str(warehouse)) as con:  # TEMP tables only: nothing is written
        for mart in MARTS:
            whole = whole_rebuild(con, mart)
            out[mart] = con.execute(
                f"SELECT (SELECT count(*) FROM (FROM {mart} EXCEPT ALL FROM {whole})), "
                f"(SELECT count(*) FROM (FROM {whole} EXCEPT ALL FROM {mart})), "
                f"(SELECT count(*) FROM {mart})"
            ).fetchall()[0]
    return out


class MartLines(logging.Handler):
    """The model stage's line on how it built the marts, night by night."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """A generated inbox in three nights: most files; a few more; a few more and the
    corrected resends (their originals are superseded: their rows leave, their status
    changes). The marts' differences from a whole rebuild after nights 2 and 3, how
    many files were superseded, and the model stage's line on the marts."""
    root = tmp_path_factory.mktemp("mart_nights")
    generated = root / "generated"
    generate_inbox(generated, persons=300, seed=5)
    with (generated / "truth" / "files.csv").open(encoding="utf-8") as fh:
        files = list(csv.DictReader(fh))
    corrections = [f for f in files if f["supersedes"]]
    plain = [f for f in files if not f["supersedes"] and f["expected"] == "load"]
    assert corrections and len(plain) > 20
    later = {2: plain[5:9], 3: plain[-4:] + corrections}
    inbox = root / "inbox"
    held = {n: [(f["folder"], f["source_file"]) for f in fs] for n, fs in later.items()}
    shutil.copytree(generated / "inbox", inbox)
    for n, names in held.items():
        for folder, name in names:
            (root / f"night{n}" / folder).mkdir(parents=True, exist_ok=True)
            shutil.move(inbox / folder / name, root / f"night{n}" / folder / name)
    warehouse = root / "wh" / "ppks.duckdb"
    mp = pytest.MonkeyPatch()
    mp.delenv(analyst.KEY_ENV, raising=False)
    mp.delenv(analyst.KEY_FILE_ENV, raising=False)
    mp.setenv("PPKS_IN_PLACE_SHARE", "1")  # nights 2 and 3 in place
    # Every mart follows the keys, however many of a small world's rows they hold.
    mp.setattr(mart_delta, "MOVED_SHARE", 1.0)
    diffs, superseded, written = {}, {}, {}
    lines = MartLines()
    logger = logging.getLogger(mart_delta.__name__)
    logger.addHandler(lines)
    level, logger.level = logger.level, logging.INFO
    try:
        run_night(inbox, warehouse, root / "outbox")
        for n, names in held.items():
            for folder, name in names:
                shutil.move(root / f"night{n}" / folder / name, inbox / folder / name)
            lines.lines.clear()
            run_night(inbox, warehouse, root / "outbox")
            written[n] = lines.lines[-1] if lines.lines else None
            diffs[n] = differences(warehouse)
            with duckdb.connect(str(warehouse), read_only=True) as con:
                superseded[n] = con.execute(
                    "SELECT count(*) FROM ingest_file WHERE status = 'superseded'"
                ).fetchall()[0][0]
    finally:
        mp.undo()
        logger.removeHandler(lines)
        logger.level = level
    return diffs, superseded, written


@pytest.mark.parametrize("night", [2, 3])
def test_each_mart_after_a_night_is_what_a_whole_rebuild_gives(nights, night):
    diffs, superseded, _ = nights
    for mart, (only_stored, only_whole, rows) in diffs[night].items():
        assert rows > 0, mart
        assert (only_stored, only_whole) == (0, 0), f"{mart} after night {night}"
    if night == 3:
        assert superseded[3] > superseded[2], "night 3 supersedes the corrected files' originals"


@pytest.mark.parametrize("night", [2, 3])
def test_a_night_writes_again_only_the_rows_of_the_keys_it_moved(nights, night):
    """Each mart followed the night (its log line), writing a few of its rows: those of
    the keys that moved (the large marts: under half their rows, in a small world)."""
    diffs, _, written = nights
    line = written[night]
    assert line is not None and "built whole: none" in line, line
    for mart in MARTS:
        rows = re.search(rf"{mart} ([\d,]+)", line)
        assert rows is not None, (mart, line)
        count = int(rows[1].replace(",", ""))
        if mart in ("mart_ppks_region", "mart_quality_reporter"):
            assert 0 < 2 * count < diffs[night][mart][2], (mart, line)
