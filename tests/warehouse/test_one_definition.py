"""One definition of each figure: the report, the feedback and the marts say the same.

On the warehouse the real nightly flow builds from the sample inbox (editions.py).
"""

from __future__ import annotations

import re
from collections import Counter

import duckdb

from ppks.link.persons import CONFLICT_REVIEW_WEIGHT
from ppks.reporting import feedback, html_report


def _first_run(con) -> str:
    return con.execute("SELECT min(run_id) FROM ingest_file").fetchall()[0][0]


def test_the_report_shows_the_marts_per_1000(built):
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        mart = con.execute(
            "SELECT nama, per_1000 FROM mart_ppks_region "
            "WHERE tingkat = 'kabupaten_kota' AND ppks_kode = 'SEMUA' AND persons > 0"
        ).fetchall()
        reported = html_report.per_1000_by_kabupaten(con)
        page = html_report.render(con, _first_run(con))
    assert mart, "the samples place persons in some kabupaten/kota"
    assert sorted(reported) == sorted(mart)
    # The page shows those very numbers (each bar's tooltip: "per 1.000: value").
    shown = [float(v) for v in re.findall(r"<title>per 1\.000: ([0-9.]+)</title>", page)]
    assert sorted(shown) == sorted(value for _, value in mart)


def test_the_marts_per_1000_counts_each_person_where_their_golden_record_is(built):
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        got = dict(
            con.execute(
                "SELECT kode, persons FROM mart_ppks_region "
                "WHERE tingkat = 'kabupaten_kota' AND ppks_kode = 'SEMUA' AND persons > 0"
            ).fetchall()
        )
        want = dict(
            con.execute(
                "SELECT kode_kabupaten, count(*) FROM person "
                "WHERE kode_kabupaten IS NOT NULL GROUP BY 1"
            ).fetchall()
        )
    assert got == want


def _file_kecamatan_from_rows(con) -> dict[tuple, str | None]:
    """The definition, restated as the oracle: a PSM list's desa's kecamatan, else the
    most common kecamatan of the file's loaded rows (ties: the smallest code)."""
    files = con.execute(
        "SELECT source_file, sha256, source, kode_desa FROM ingest_file WHERE status = 'loaded'"
    ).fetchall()
    rows = con.execute(
        "SELECT source_file, file_sha256, kode_kecamatan FROM source_record "
        "WHERE kode_kecamatan IS NOT NULL"
    ).fetchall()
    counts: dict[tuple, Counter] = {}
    for name, sha, kec in rows:
        counts.setdefault((name, sha), Counter())[kec] += 1
    out = {}
    for name, sha, source, desa in files:
        if source == "psm" and desa:
            out[(name, sha)] = desa[:8]
            continue
        c = counts.get((name, sha))
        out[(name, sha)] = min(c, key=lambda k: (-c[k], k)) if c else None
    return out


def test_one_kecamatan_per_file_for_the_pipeline_the_feedback_and_the_marts(built):
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        oracle = _file_kecamatan_from_rows(con)
        stored = dict(
            ((name, sha), kec)
            for name, sha, kec in con.execute(
                "SELECT source_file, sha256, kode_kecamatan FROM ingest_file "
                "WHERE status = 'loaded'"
            ).fetchall()
        )
        in_feedback = {}
        for (run_id,) in con.execute("SELECT DISTINCT run_id FROM ingest_file").fetchall():
            in_feedback.update(feedback.kecamatan_of_files(con, run_id))
        # mart_quality_reporter: the kecamatan of each loaded file's reporter.
        by_reporter = dict(
            ((name, sha), kec)
            for name, sha, kec in con.execute(
                """
                SELECT f.source_file, f.sha256, m.kode_kecamatan
                FROM ingest_file AS f
                JOIN mart_quality_reporter AS m
                  ON m.source = f.source
                 AND m.reporter_kode IS NOT DISTINCT FROM
                     CASE WHEN f.source = 'psm' THEN coalesce(f.kode_desa, f.kode_kecamatan)
                          ELSE f.kode_kecamatan END
                WHERE f.status = 'loaded'
                """
            ).fetchall()
        )
        # mart_quality_kecamatan: rejected rows count in their file's kecamatan.
        rejected_in_mart = dict(
            con.execute(
                "SELECT kode_kecamatan, rows_rejected FROM mart_quality_kecamatan "
                "WHERE rows_rejected > 0"
            ).fetchall()
        )
        rejected = con.execute("SELECT source_file, file_sha256 FROM rejected_row").fetchall()
    assert stored and any(v is not None for v in stored.values())
    assert stored == oracle
    assert in_feedback == stored
    assert by_reporter == stored
    want = Counter(stored.get(key) for key in rejected)
    assert rejected_in_mart == dict(want)


def test_review_queue_reads_the_threshold_of_the_code(built):
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        ((value,),) = con.execute("SELECT conflict_review_weight()").fetchall()
        ((definition,),) = con.execute(
            "SELECT sql FROM duckdb_views() WHERE view_name = 'review_queue'"
        ).fetchall()
    assert value == CONFLICT_REVIEW_WEIGHT
    assert "conflict_review_weight()" in definition
