"""Nights one after another through the real flow: two nights build the persons one
night builds, a quiet night changes no data, a corrected file keeps its persons' ids."""

from __future__ import annotations

import shutil

import duckdb
import openpyxl
import pytest
from helpers import (
    CORRECTED,
    LATER,
    ORIGINAL,
    QUIET_NIGHT_TABLES,
    SAMPLES,
    assert_same_edition,
    edition_from_scratch,
    send_correction,
    warehouse_tables,
)
from ppks.flows.nightly import nightly

from ppks.warehouse import analyst, mart_delta


def groups(path) -> set[frozenset]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT person_id, list(source_file || '|' || coalesce(sheet, '') || '|' || "
            "row_number) FROM source_record GROUP BY person_id"
        ).fetchall()
    return {frozenset(members) for _, members in rows}


def keep_night(warehouse, folder) -> None:
    """The warehouse and the analyst edition a night published, as they were."""
    folder.mkdir()
    shutil.copyfile(warehouse, folder / warehouse.name)
    shutil.copyfile(analyst.analyst_path(warehouse), folder / "edition.duckdb")


def assert_edition_as_from_scratch(warehouse, edition, folder, key) -> None:
    assert_same_edition(edition, edition_from_scratch(warehouse, folder, key))


@pytest.fixture(scope="module", autouse=True)
def marts_follow_every_night():
    """The marts written again for the keys each night moved, however many of the
    samples' few rows they are (ppks.warehouse.mart_delta): every night here checks
    them against a whole rebuild."""
    mp = pytest.MonkeyPatch()
    mp.setattr(mart_delta, "MOVED_SHARE", 1.0)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    root = tmp_path_factory.mktemp("nights")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES / "inbox", inbox)
    later = root / "later"
    for relative in LATER:
        (later / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(inbox / relative, later / relative)
    warehouse = root / "nights.duckdb"
    first = nightly(inbox=inbox, warehouse=warehouse)
    keep_night(warehouse, root / "night1")
    for relative in LATER:
        shutil.move(later / relative, inbox / relative)
    second = nightly(inbox=inbox, warehouse=warehouse)
    keep_night(warehouse, root / "night2")
    before_quiet = warehouse_tables(warehouse)
    quiet = nightly(inbox=inbox, warehouse=warehouse)
    return root, warehouse, first, second, quiet, before_quiet


def test_two_nights_build_the_persons_one_night_builds(two_nights, samples_first_night):
    _, warehouse, first, second, _, _ = two_nights
    assert first.link["mode"] == "full"
    assert second.link["mode"] == "incremental" and second.link["rows_new"] > 0
    # One night over the whole samples inbox: the session's (conftest), read only.
    at_once = samples_first_night
    assert at_once.result.link["mode"] == "full"
    assert groups(warehouse) == groups(at_once.warehouse)


def test_each_night_s_analyst_edition_is_the_one_built_from_scratch(two_nights, tmp_path):
    """The second night reuses the tokens and scrubs the first kept in the warehouse; its
    edition has the same tables, rows and comments as one built with nothing kept."""
    root, warehouse, _, _, _, _ = two_nights
    for night in ("night1", "night2"):
        kept = root / night / warehouse.name
        with duckdb.connect(str(kept), read_only=True) as con:
            cached = con.execute("SELECT count(*) FROM edition_text").fetchall()[0][0]
        assert cached > 0, "the night kept its scrubs for the next"
        edition = root / night / "edition.duckdb"
        key = analyst.load_key(warehouse)  # the key file beside the warehouse the nights ran on
        assert_edition_as_from_scratch(kept, edition, tmp_path / night, key)


def _feedback_rows_of_the_files(con, run_id) -> list[tuple]:
    """The rejected and flagged rows of the files the run loaded, found by file alone."""
    return con.execute(
        """
        WITH files AS (
          SELECT source_file, sha256 FROM ingest_file WHERE run_id = ? AND status = 'loaded'
        )
        SELECT r.source_file, r.file_sha256, r.sheet, r.row_number, 'rejected'
        FROM rejected_row r
        JOIN files f ON (f.source_file, f.sha256) = (r.source_file, r.file_sha256)
        UNION ALL
        SELECT s.source_file, s.file_sha256, s.sheet, s.row_number, 'flagged'
        FROM source_record s
        JOIN files f ON (f.source_file, f.sha256) = (s.source_file, s.file_sha256)
        WHERE len(s.flags) > 0
        ORDER BY ALL
        """,
        [run_id],
    ).fetchall()


def test_each_night_s_feedback_holds_its_own_files_rows_and_stays_as_it_was(two_nights):
    """Feedback reads a night's rows by its run first (feedback._rows): it holds every
    rejected and flagged row of the files the night loaded, none of another night's, and
    night 1's feedback read from the two-night warehouse is the one night 1 wrote."""
    from ppks.reporting.feedback import _rows

    root, warehouse, first, second, _, _ = two_nights
    with duckdb.connect(str(warehouse), read_only=True) as con:
        now = {run.run_id: _rows(con, run.run_id) for run in (first, second)}
        for run in (first, second):
            found = sorted((r[1], r[2], r[3], r[4], r[5]) for r in now[run.run_id])
            assert found == _feedback_rows_of_the_files(con, run.run_id)
    assert now[first.run_id] and now[second.run_id]
    with duckdb.connect(str(root / "night1" / warehouse.name), read_only=True) as con:
        assert _rows(con, first.run_id) == now[first.run_id]


def test_a_quiet_night_records_its_run_and_changes_no_data(two_nights):
    _, warehouse, _, _, quiet, before = two_nights
    assert quiet.link["mode"] == "none" and quiet.link["pairs_scored"] == 0
    after = warehouse_tables(warehouse)
    for name, rows in before.items():
        if name not in QUIET_NIGHT_TABLES:
            assert after[name] == rows, f"a quiet night changed {name}"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mode, stages = con.execute(
            "SELECT link_mode, stage_seconds FROM run_log WHERE run_id = ?", [quiet.run_id]
        ).fetchall()[0]
        assert mode == "none"
        assert '"model"' not in stages and '"edition"' not in stages  # skipped
        trained = con.execute("SELECT count(*) FROM link_model").fetchall()[0][0]
        assert trained == 1
        # The second night's note (its reports, its end) was filled in by the quiet one.
        published = con.execute(
            "SELECT published_at, stage_seconds FROM run_log WHERE run_id = ?",
            [two_nights[3].run_id],
        ).fetchall()[0]
        assert published[0] is not None and '"reports"' in published[1]


def test_each_run_records_the_persons_its_link_stage_counted(two_nights):
    root, warehouse, first, second, quiet, _ = two_nights
    for night, path in ((first, root / "night1" / warehouse.name), (second, warehouse)):
        with duckdb.connect(str(path), read_only=True) as con:
            logged, linked, counted = con.execute(
                "SELECT r.persons, l.persons, (SELECT count(DISTINCT person_id) "
                "FROM source_record) FROM run_log AS r JOIN link_run AS l USING (run_id) "
                "WHERE run_id = ?",
                [night.run_id],
            ).fetchall()[0]
        assert logged == linked == counted > 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        persons = con.execute(
            "SELECT persons FROM run_log WHERE run_id IN (?, ?) ORDER BY started_at",
            [second.run_id, quiet.run_id],
        ).fetchall()
    assert persons[0] == persons[1]


def test_a_corrected_file_keeps_the_ids_of_the_persons_it_names(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "inbox", inbox)
    warehouse = tmp_path / "ppks.duckdb"
    nightly(inbox=inbox, warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = dict(
            con.execute(
                "SELECT row_number, person_id FROM source_record WHERE source_file = ?",
                [ORIGINAL],
            ).fetchall()
        )
    corrected = openpyxl.load_workbook(inbox / "tksk" / ORIGINAL)
    corrected.save(inbox / "tksk" / CORRECTED)  # the same rows, sent again as a correction
    second = nightly(inbox=inbox, warehouse=warehouse)
    assert second.link["mode"] == "incremental" and second.link["rows_removed"] == len(before)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        status = con.execute(
            "SELECT status FROM ingest_file WHERE source_file = ?", [ORIGINAL]
        ).fetchall()
        assert status == [("superseded",)]
        after = dict(
            con.execute(
                "SELECT row_number, person_id FROM source_record WHERE source_file = ?",
                [CORRECTED],
            ).fetchall()
        )
        assert after == before
        retired = con.execute(
            "SELECT count(*) FROM person_id_history WHERE run_id = ?", [second.run_id]
        ).fetchall()[0][0]
        assert retired == 0
    # A night whose corrected file replaced rows: its edition is the one built from scratch.
    edition, key = analyst.analyst_path(warehouse), analyst.load_key(warehouse)
    assert_edition_as_from_scratch(warehouse, edition, tmp_path / "scratch", key)


def test_the_golden_record_rebuilt_for_the_persons_touched_equals_a_rebuild_of_all(
    two_nights, tmp_path
):
    """After two nights, each rebuilding only the persons whose rows changed, the person
    table is the one a rebuild of every person gives."""
    from ppks.warehouse.write_steps import build_model

    _, warehouse, _, second, _, _ = two_nights
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        kept = con.execute("SELECT * FROM person ORDER BY person_id").fetchall()
        persons = len(kept)
        assert second.link["persons"] == persons
        con.execute("DELETE FROM person_rows")
        con.execute("DELETE FROM person")
        build_model(con)
        assert con.execute("SELECT * FROM person ORDER BY person_id").fetchall() == kept
        rules = con.execute("SELECT DISTINCT rules FROM person_rows").fetchall()
        assert len(rules) == 1 and len(con.execute("SELECT * FROM person_rows").fetchall()) == (
            persons
        )


def test_a_night_rebuilds_the_golden_record_of_the_persons_it_touched_only(two_nights, tmp_path):
    from ppks.warehouse.write_steps import build_model

    _, warehouse, _, _, _, _ = two_nights
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        # A value no survivorship rule would write: kept when the person is not rebuilt.
        last, first = con.execute("SELECT max(person_id), min(person_id) FROM person").fetchall()[0]
        con.execute("UPDATE person SET alamat = 'untouched' WHERE person_id = ?", [first])
        build_model(con)
        assert con.execute("SELECT count(*) FROM person WHERE alamat = 'untouched'").fetchall() == [
            (1,)
        ]
        # A row of the last person moves to the first: the first is rebuilt.
        con.execute(
            "UPDATE source_record SET person_id = ? WHERE record_id = "
            "(SELECT min(record_id) FROM source_record WHERE person_id = ?)",
            [first, last],
        )
        build_model(con)
        assert con.execute("SELECT count(*) FROM person WHERE alamat = 'untouched'").fetchall() == [
            (0,)
        ]


# Tables a full rebuild starts from empty: the golden record, its bookkeeping, the
# core tables kept with it and the marts' counts. Everything else is rebuilt by
# build_model whatever it holds; the marts, which follow the night, are dropped so that
# it builds them whole.
DERIVED = (
    "person_rows", "person", "ppks_case", "household_member", "service_event", "person_month",
    "ppks_region_count", "ppks_monthly_count", "source_coverage_count", "kecamatan_person",
    "quality_file_count",
)  # fmt: skip


def built_from_scratch(warehouse, tmp_path) -> dict[str, list]:
    """Every table of a copy whose derived tables were emptied and built again."""
    from ppks.warehouse.write_steps import build_model

    copy = tmp_path / f"scratch-{warehouse.name}"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        for table in DERIVED:
            con.execute(f"DELETE FROM {table}")
        for mart in mart_delta.MOVED_KEYS:
            con.execute(f"DROP TABLE {mart}")
        build_model(con)
    return warehouse_tables(copy)


# The province's figures of the marts kept as counts, counted here straight from the
# rows and the persons, as the marts did before they were kept night by night.
PROVINCE_FROM_ROWS = {
    "SELECT ppks_kode, persons FROM mart_ppks_region WHERE tingkat = 'provinsi'": """
        SELECT ppks_kode, count(*) FROM ppks_case GROUP BY ALL
        UNION ALL SELECT 'SEMUA', count(DISTINCT person_id) FROM ppks_case""",
    "SELECT bulan, persons, persons_new, records FROM mart_ppks_monthly "
    "WHERE tingkat = 'provinsi' AND ppks_kode = 'SEMUA'": """
        WITH dated AS (
            SELECT person_id, date_trunc('month', coalesce(tanggal_kegiatan, bulan_laporan))::DATE
                AS bulan
            FROM source_record SEMI JOIN person USING (person_id)
            WHERE coalesce(tanggal_kegiatan, bulan_laporan) IS NOT NULL
        ), firsts AS (SELECT person_id, min(bulan) AS first FROM dated GROUP BY ALL)
        SELECT bulan, count(DISTINCT person_id),
               count(DISTINCT person_id) FILTER (WHERE bulan = first), count(*)
        FROM dated JOIN firsts USING (person_id) GROUP BY ALL""",
    "SELECT sources, persons FROM mart_source_coverage WHERE tingkat = 'provinsi'": """
        SELECT array_to_string(list_sort(sources), '+'), count(*) FROM person GROUP BY ALL""",
}


# The quality marts' figures counted here straight from every row, as the marts did
# before they were kept by file (core/quality_file_count.sql, kecamatan_person.sql).
_ROWS = """
    WITH rows AS (
        SELECT source_file, file_sha256, kode_kecamatan, person_id, flags,
               NULL::VARCHAR[] AS reasons, true AS loaded,
               list_has_any(flags, ['nik_missing', 'nik_malformed', 'nik_excel_damaged',
                                    'nik_invalid_date']) AS nik,
               list_has_any(flags, ['dob_missing', 'dob_unparseable', 'dob_placeholder',
                                    'dob_implausible']) AS dob
        FROM source_record
        UNION ALL
        SELECT r.source_file, r.file_sha256, f.kode_kecamatan, NULL, r.flags, r.reasons, false,
               false, false
        FROM rejected_row AS r
        LEFT JOIN ingest_file AS f ON f.source_file = r.source_file AND f.sha256 = r.file_sha256
    ),
    reporter_rows AS (
        SELECT f.source, CASE WHEN f.source = 'psm' THEN coalesce(f.kode_desa, f.kode_kecamatan)
               ELSE f.kode_kecamatan END AS reporter_kode, r.*
        FROM (SELECT * EXCLUDE (kode_kecamatan) FROM rows) AS r
        JOIN ingest_file AS f ON f.source_file = r.source_file AND f.sha256 = r.file_sha256
    )
"""
QUALITY_FROM_ROWS = {
    "SELECT kode_kecamatan, files, rows, rows_loaded, rows_rejected, rows_flagged, "
    "rows_nik_problem, rows_dob_problem, persons FROM mart_quality_kecamatan": _ROWS
    + """
        SELECT kode_kecamatan, count(DISTINCT (source_file, file_sha256)), count(*),
               count(*) FILTER (WHERE loaded), count(*) FILTER (WHERE NOT loaded),
               count(*) FILTER (WHERE loaded AND len(flags) > 0), count(*) FILTER (WHERE nik),
               count(*) FILTER (WHERE dob), count(DISTINCT person_id)
        FROM rows GROUP BY ALL""",
    "SELECT kode_kecamatan, e.key, e.value FROM (SELECT kode_kecamatan, "
    "unnest(map_entries(flags)) AS e FROM mart_quality_kecamatan)": _ROWS
    + """
        SELECT kode_kecamatan, flag, count(*)
        FROM (SELECT kode_kecamatan, unnest(flags) AS flag FROM rows WHERE loaded)
        GROUP BY ALL""",
    "SELECT kode_kecamatan, e.key, e.value FROM (SELECT kode_kecamatan, "
    "unnest(map_entries(reject_reasons)) AS e FROM mart_quality_kecamatan)": _ROWS
    + """
        SELECT kode_kecamatan, reason, count(*)
        FROM (SELECT kode_kecamatan, unnest(reasons) AS reason FROM rows WHERE NOT loaded)
        GROUP BY ALL""",
    "SELECT source, reporter_kode, rows, rows_loaded, rows_rejected, rows_flagged, "
    "rows_nik_problem, rows_dob_problem FROM mart_quality_reporter WHERE rows > 0": _ROWS
    + """
        SELECT source, reporter_kode, count(*), count(*) FILTER (WHERE loaded),
               count(*) FILTER (WHERE NOT loaded),
               count(*) FILTER (WHERE loaded AND len(flags) > 0), count(*) FILTER (WHERE nik),
               count(*) FILTER (WHERE dob)
        FROM reporter_rows GROUP BY ALL""",
    "SELECT source, reporter_kode, e.key, e.value FROM (SELECT source, reporter_kode, "
    "unnest(map_entries(flags)) AS e FROM mart_quality_reporter)": _ROWS
    + """
        SELECT source, reporter_kode, flag, count(*)
        FROM (SELECT source, reporter_kode, unnest(flags) AS flag FROM reporter_rows
              WHERE loaded)
        GROUP BY ALL""",
}


def assert_as_rebuilt(warehouse, tmp_path) -> None:
    kept, rebuilt = warehouse_tables(warehouse), built_from_scratch(warehouse, tmp_path)
    assert kept.keys() == rebuilt.keys()
    assert rebuilt["ppks_case"] and rebuilt["service_event"] and rebuilt["household_member"]
    assert rebuilt["ppks_monthly_count"] and rebuilt["mart_ppks_monthly"]
    for name, rows in rebuilt.items():
        assert kept[name] == rows, f"{name} differs from a full rebuild"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart, direct in {**PROVINCE_FROM_ROWS, **QUALITY_FROM_ROWS}.items():
            want = sorted(con.execute(direct).fetchall(), key=str)
            assert want, mart
            assert sorted(con.execute(mart).fetchall(), key=str) == want, mart


def test_nights_one_after_another_keep_every_table_as_a_full_rebuild_gives(two_nights, tmp_path):
    """Core tables and marts follow the persons whose rows changed, night after night:
    new files, a corrected file whose rows leave, rows that move between persons. The
    quality marts, added up from counts kept by file and by kecamatan and person, are
    what counting every row gives."""
    from ppks.warehouse.write_steps import build_model

    root, warehouse, _, _, _, _ = two_nights
    assert_as_rebuilt(warehouse, tmp_path)
    # A third night: a corrected TKSK file replaces its original (the rows leave).
    inbox, copy = tmp_path / "inbox", tmp_path / "nights.duckdb"
    shutil.copytree(root / "inbox", inbox)
    shutil.copyfile(warehouse, copy)
    send_correction(inbox)  # the correction drops a row
    third = nightly(inbox=inbox, warehouse=copy)
    assert third.link["rows_removed"] > 0
    assert_as_rebuilt(copy, tmp_path)
    # Rows move between persons, as a merge, a split or a reviewer's decision moves
    # them: every row of an SLRT person to the person of a TKSK row (the first person
    # is gone), and a TKSK row to a person of its own.
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "UPDATE source_record SET person_id = (SELECT min(person_id) FROM source_record "
            "WHERE source = 'tksk') WHERE person_id = (SELECT max(person_id) FROM source_record "
            "WHERE source = 'slrt' AND id_layanan IS NOT NULL)"
        )
        con.execute(
            "UPDATE source_record SET person_id = 'moved-out' WHERE record_id = "
            "(SELECT max(record_id) FROM source_record WHERE source = 'tksk')"
        )
        build_model(con)
    assert_as_rebuilt(copy, tmp_path)
