"""The analyst edition made from the previous night's (ppks.warehouse.edition_delta):
a night copies the published edition and writes only the rows that changed, and the
edition is, table by table, the one built from scratch; a night that cannot start
from it builds it whole; a failed night leaves it as it was."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from helpers import (
    LATER,
    SAMPLES,
    assert_cache_as_from_scratch,
    assert_same_edition,
    edition_from_scratch,
    send_correction,
)
from ppks.flows import night

from ppks.warehouse import analyst, build, edition_delta
from ppks.warehouse.write_steps import build_model

NEW_NAME = "WATI KUSUMAWARDANI"
TEXT = "dirujuk bersama Wati Kusumawardani ke puskesmas"


def run(inbox, warehouse, **kwargs):
    """A night as cron runs it (the same stages as the Prefect flow, without a server)."""
    return night.run_night(inbox, warehouse, warehouse.parent / "outbox", **kwargs)


def made(warehouse) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ((how,),) = con.execute("SELECT made FROM edition_built").fetchall()
    return how


def assert_as_from_scratch(warehouse, folder) -> None:
    edition = analyst.analyst_path(warehouse)
    key = analyst.load_key(warehouse)
    assert_same_edition(edition, edition_from_scratch(warehouse, folder, key))
    assert os.stat(edition).st_mode & 0o777 == analyst.ANALYST_MODE
    assert_cache_as_from_scratch(warehouse, folder / "cache", key)


def edition_night(warehouse, change) -> None:
    """A night whose only news is ``change(con)`` on its staging copy (rows moved between
    persons, as linkage or a reviewer moves them), with the night's own stages."""
    staging = build.start_copy(warehouse, "test-run")
    with build.connect(staging) as con:
        change(con)
        build_model(con)
    built = night.analyst_edition(staging, warehouse, build.DEFAULT_STORAGE_VERSION)
    build.publish(staging, warehouse)
    analyst.publish_edition(built, warehouse)


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    """Night 1 without three files, night 2 with them, once for the module: the folder."""
    root = tmp_path_factory.mktemp("delta")
    inbox, later = root / "inbox", root / "later"
    shutil.copytree(SAMPLES / "inbox", inbox)
    for relative in LATER:
        (later / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(inbox / relative, later / relative)
    warehouse = root / "wh" / "ppks.duckdb"
    run(inbox, warehouse)
    assert made(warehouse) == edition_delta.WHOLE  # nothing to start from
    for relative in LATER:
        shutil.move(later / relative, inbox / relative)
    run(inbox, warehouse)
    return root


@pytest.fixture
def nights(two_nights, tmp_path):
    """A copy of the two nights for one test to change: (inbox, warehouse)."""
    root = tmp_path / "delta"
    shutil.copytree(two_nights, root, symlinks=True)  # modes and times kept
    return root / "inbox", root / "wh" / "ppks.duckdb"


def test_nights_write_the_changed_rows_and_give_the_edition_from_scratch(nights, tmp_path):
    inbox, warehouse = nights
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    assert_as_from_scratch(warehouse, tmp_path / "new files")
    # A corrected file replaces its original: its rows leave, the new ones come.
    send_correction(inbox)
    assert run(inbox, warehouse).link["rows_removed"] > 0
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    assert_as_from_scratch(warehouse, tmp_path / "correction")
    # A retrain, which may move rows between persons.
    run(inbox, warehouse, retrain=True)
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    assert_as_from_scratch(warehouse, tmp_path / "retrain")


def test_a_merge_and_a_split_rewrite_the_persons_they_touch(nights, tmp_path):
    _, warehouse = nights

    def merge_and_split(con):
        # Every row of an SLRT person (with service events) to the person of a TKSK row,
        # and a TKSK row of a person with several to a person of its own.
        con.execute(
            "UPDATE source_record SET person_id = (SELECT min(person_id) FROM source_record "
            "WHERE source = 'tksk') WHERE person_id = (SELECT max(person_id) FROM "
            "source_record WHERE source = 'slrt' AND id_layanan IS NOT NULL)"
        )
        con.execute(
            "UPDATE source_record SET person_id = 'split-off' WHERE record_id = (SELECT "
            "max(record_id) FROM source_record WHERE person_id IN (SELECT person_id FROM "
            "source_record GROUP BY ALL HAVING count(*) > 1))"
        )

    with duckdb.connect(str(warehouse), read_only=True) as con:
        cases = con.execute(
            "SELECT case_id FROM ppks_case WHERE person_id = (SELECT max(person_id) FROM "
            "source_record WHERE source = 'slrt' AND id_layanan IS NOT NULL)"
        ).fetchall()
    assert cases and cached_texts(warehouse, cases) == len(cases)
    edition_night(warehouse, merge_and_split)
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    # The merged person's cases left with it: so did their texts, though no row left.
    assert cached_texts(warehouse, cases) == 0
    assert_as_from_scratch(warehouse, tmp_path / "moved")
    with duckdb.connect(str(analyst.analyst_path(warehouse)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM person WHERE person_id = 'split-off'").fetchall()[
            0
        ] == (1,)


def cached_texts(warehouse, texts) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT count(*) FROM edition_text WHERE text IN (SELECT unnest(?))",
            [[t for (t,) in texts]],
        ).fetchall()[0][0]


@pytest.mark.parametrize("kept", [True, False], ids=["replaced", "deleted"])
def test_a_name_and_a_nik_whose_last_row_leaves_leave_the_cache(nights, tmp_path, kept):
    """A row of a name and NIK nobody else has, and an old text naming her: when the row
    leaves, so do the name and the NIK, and the text no longer hides her name. Replaced
    (kept in source_record_history, as a corrected file does), the night reads the row
    that left; deleted, it reads every value of the warehouse."""
    _, warehouse = nights
    nik = "3578990101900001"
    ((old,),) = (
        duckdb.connect(str(warehouse), read_only=True)
        .execute("SELECT min(record_id) FROM source_record WHERE source = 'tksk'")
        .fetchall()
    )

    def arrives(con):  # the edition made whole from it (other rules): rows were edited
        con.execute("UPDATE source_record SET program_rujukan = ? WHERE record_id = ?", [TEXT, old])
        con.execute(
            "INSERT INTO source_record BY NAME SELECT * REPLACE ((SELECT max(record_id) + 1 "
            "FROM source_record) AS record_id, ? AS nama, ? AS nik, 'newcomer' AS person_id, "
            "row_number + 10000 AS row_number) FROM source_record WHERE record_id = ?",
            [NEW_NAME, nik, old],
        )
        con.execute("UPDATE edition_built SET rules = 'older'")

    def leaves(con):
        if kept:
            con.execute(
                "INSERT INTO source_record_history BY NAME "
                "SELECT * FROM source_record WHERE person_id = 'newcomer'"
            )
        con.execute("DELETE FROM source_record WHERE person_id = 'newcomer'")

    def cached():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(
                "SELECT (SELECT count(*) FROM edition_name WHERE name = ?), "
                "(SELECT count(*) FROM edition_token WHERE value = ?), "
                "(SELECT scrubbed FROM edition_text WHERE text = ?)",
                [NEW_NAME, nik, TEXT],
            ).fetchall()[0]

    edition_night(warehouse, arrives)
    assert cached() == (1, 1, "dirujuk bersama [nama] ke puskesmas")
    edition_night(warehouse, leaves)
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    assert cached() == (0, 0, TEXT)
    assert_as_from_scratch(warehouse, tmp_path / "left")


def test_an_internal_error_whose_file_is_replaced_leaves_the_cache(nights, tmp_path):
    """The edition shows an internal error as one fixed sentence, so its text cannot be
    told from the copied edition: a night that changes such a file reads the texts whole."""
    _, warehouse = nights
    detail = "Traceback: reader crashed in /srv/inbox/tksk/Data Wati.xlsx"

    def crashed(con):
        con.execute(
            "UPDATE ingest_file SET reason_code = 'internal', reason = ? WHERE sha256 = "
            "(SELECT min(sha256) FROM ingest_file WHERE status = 'loaded')",
            [detail],
        )
        con.execute("UPDATE edition_built SET rules = 'older'")

    def replaced(con):
        con.execute(
            "UPDATE ingest_file SET status = 'superseded', reason = 'replaced' "
            "WHERE reason_code = 'internal'"
        )

    edition_night(warehouse, crashed)
    assert cached_texts(warehouse, [(detail,)]) == 1
    edition_night(warehouse, replaced)
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    assert cached_texts(warehouse, [(detail,)]) == 0
    assert_as_from_scratch(warehouse, tmp_path / "replaced")


def test_a_night_that_cannot_start_from_the_edition_builds_it_whole(nights, tmp_path):
    _, warehouse = nights
    edition = analyst.analyst_path(warehouse)

    # Most rows moved (a re-key): writing them row by row would cost more.
    def rekey(con):
        con.execute("UPDATE source_record SET person_id = 'R' || person_id")

    edition_night(warehouse, rekey)
    assert made(warehouse) == edition_delta.WHOLE
    assert_as_from_scratch(warehouse, tmp_path / "rekey")
    # The edition rewritten by hand (`ppks edition`): not the one the cache went with.
    analyst.publish_analyst_edition(warehouse, warehouse)
    edition_night(warehouse, lambda con: None)
    assert made(warehouse) == edition_delta.WHOLE
    edition_night(warehouse, lambda con: None)
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    # A copy grown past twice the last whole edition (deleted rows leave space): compacted.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE edition_built SET whole_bytes = 1")
    edition_night(warehouse, lambda con: None)
    assert made(warehouse) == edition_delta.WHOLE
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ((size,),) = con.execute("SELECT whole_bytes FROM edition_built").fetchall()
    assert size == edition.stat().st_size
    # Other rules (a new version of the edition or the scrubber).
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE edition_built SET rules = 'older'")
    edition_night(warehouse, lambda con: None)
    assert made(warehouse) == edition_delta.WHOLE
    # No edition published.
    edition.unlink()
    edition_night(warehouse, lambda con: None)
    assert made(warehouse) == edition_delta.WHOLE
    assert_as_from_scratch(warehouse, tmp_path / "none")


def test_a_reader_keeps_the_old_edition_and_a_failed_night_changes_nothing(
    nights, tmp_path, monkeypatch
):
    inbox, warehouse = nights
    edition = analyst.analyst_path(warehouse)
    send_correction(inbox)
    # On a copy: the edition is built before the night publishes anything (a night in
    # place builds it after its commit: tests/flows/test_night_in_place.py).
    monkeypatch.setenv("PPKS_IN_PLACE_SHARE", "0")

    def fails_after_the_edition(staging, warehouse, storage_version):
        night.analyst_edition(staging, warehouse, storage_version)
        raise RuntimeError("the disk filled up")

    before = edition.read_bytes()
    with pytest.raises(RuntimeError, match="disk filled"):
        run(inbox, warehouse, run=night.Stages(analyst_edition=fails_after_the_edition))
    assert edition.read_bytes() == before
    assert not list(edition.parent.glob(".*building*"))
    # A reader holding the edition open is not in the way, and keeps reading the old one.
    with duckdb.connect(str(edition), read_only=True) as reader:
        old = reader.execute("SELECT run_id FROM edition_info").fetchall()
        result = run(inbox, warehouse)
        assert reader.execute("SELECT run_id FROM edition_info").fetchall() == old
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    with duckdb.connect(str(edition), read_only=True) as con:
        assert con.execute("SELECT run_id FROM edition_info").fetchall() == [(result.run_id,)]
    assert_as_from_scratch(warehouse, tmp_path / "after")


def test_a_name_that_arrives_rescrubs_the_old_rows_that_hold_it(nights, tmp_path):
    """An old row's text names someone the warehouse did not know; a night brings a row
    of that name: the old row (not otherwise touched) is written again, scrubbed."""
    _, warehouse = nights
    text = TEXT
    ((old,),) = (
        duckdb.connect(str(warehouse), read_only=True)
        .execute("SELECT min(record_id) FROM source_record WHERE source = 'tksk'")
        .fetchall()
    )

    def old_text(con):  # as if loaded so; the edition made whole from it (other rules)
        con.execute("UPDATE source_record SET program_rujukan = ? WHERE record_id = ?", [text, old])
        con.execute("UPDATE edition_built SET rules = 'older'")

    def new_row(con):
        con.execute(
            "INSERT INTO source_record BY NAME SELECT * REPLACE ((SELECT max(record_id) + 1 "
            "FROM source_record) AS record_id, 'WATI KUSUMAWARDANI' AS nama, "
            "'newcomer' AS person_id, row_number + 10000 AS row_number) "
            "FROM source_record WHERE record_id = ?",
            [old],
        )

    def scrubbed():
        with duckdb.connect(str(analyst.analyst_path(warehouse)), read_only=True) as con:
            return con.execute(
                "SELECT program_rujukan FROM source_record WHERE record_id = ?", [old]
            ).fetchall()[0][0]

    edition_night(warehouse, old_text)
    assert made(warehouse) == edition_delta.WHOLE and scrubbed() == text
    edition_night(warehouse, new_row)
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    assert scrubbed() == "dirujuk bersama [nama] ke puskesmas"
    assert_as_from_scratch(warehouse, tmp_path / "name")


def test_the_sheets_of_a_file_that_comes_again_under_another_name_are_written(nights, tmp_path):
    """Sheets are written by file (edition_delta.BY_FILE), not whole: the same bytes
    read again under another name (after a rejected first copy) are written too."""
    _, warehouse = nights

    def same_bytes_again(con):
        con.execute(
            "INSERT INTO source_sheet SELECT 'kirim ulang ' || source_file, file_sha256, sheet, "
            "header_row, headers, run_id FROM source_sheet "
            "WHERE source_file = (SELECT min(source_file) FROM source_sheet)"
        )

    edition_night(warehouse, same_bytes_again)
    assert made(warehouse) == edition_delta.CHANGED_ROWS
    assert_as_from_scratch(warehouse, tmp_path / "again")
    with duckdb.connect(str(analyst.analyst_path(warehouse)), read_only=True) as con:
        ((again,),) = con.execute(
            "SELECT count(*) FROM source_sheet WHERE source_file LIKE 'kirim ulang %'"
        ).fetchall()
    assert again > 0
