"""The analysts' model: honest counting, comments everywhere, generated docs, cookbook."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from editions import cookbook_queries, query

from ppks.warehouse import docs

ROOT = Path(__file__).resolve().parents[2]


def test_province_total_counts_distinct_persons_once(built):
    ((persons, population, pct, per_1000),) = query(
        built.warehouse,
        "SELECT persons, population, pct_population, per_1000 FROM mart_ppks_region "
        "WHERE tingkat = 'provinsi' AND ppks_kode = 'SEMUA'",
    )
    ((distinct,),) = query(built.warehouse, "SELECT count(DISTINCT person_id) FROM ppks_case")
    ((in_person,),) = query(built.warehouse, "SELECT count(*) FROM person")
    ((pop,),) = query(built.warehouse, "SELECT total FROM population WHERE kode = '35'")
    assert persons == distinct == in_person > 0
    assert population == pop
    assert pct == pytest.approx(round(100 * persons / pop, 6))
    assert per_1000 == pytest.approx(round(1000 * persons / pop, 4))


def test_a_person_in_two_categories_counts_once_in_total_and_once_in_each(built):
    several = query(
        built.warehouse,
        "SELECT person_id FROM ppks_case GROUP BY person_id HAVING count(*) > 1",
    )
    assert several, "the sample has persons in several categories"
    rows = dict(
        query(
            built.warehouse,
            "SELECT ppks_kode, persons FROM mart_ppks_region WHERE tingkat = 'provinsi'",
        )
    )
    per_category = dict(
        query(
            built.warehouse, "SELECT ppks_kode, count(DISTINCT person_id) FROM ppks_case GROUP BY 1"
        )
    )
    assert {k: v for k, v in rows.items() if k != "SEMUA"} == per_category
    assert sum(per_category.values()) == rows["SEMUA"] + sum(
        n - 1
        for (n,) in query(built.warehouse, "SELECT count(*) FROM ppks_case GROUP BY person_id")
    )


def test_every_level_total_is_distinct_persons_of_that_region(built):
    got = dict(
        query(
            built.warehouse,
            "SELECT kode, persons FROM mart_ppks_region "
            "WHERE tingkat = 'kecamatan' AND ppks_kode = 'SEMUA'",
        )
    )
    want = dict(
        query(
            built.warehouse,
            "SELECT kode_kecamatan, count(*) FROM person "
            "WHERE kode_kecamatan IS NOT NULL GROUP BY 1",
        )
    )
    assert got == want


def test_source_coverage_and_monthly_add_up(built):
    ((covered,),) = query(
        built.warehouse,
        "SELECT sum(persons) FROM mart_source_coverage WHERE tingkat = 'provinsi'",
    )
    ((persons,),) = query(built.warehouse, "SELECT count(*) FROM person")
    assert covered == persons
    ((to_date, new),) = query(
        built.warehouse,
        "SELECT max(persons_to_date), sum(persons_new) FROM mart_ppks_monthly "
        "WHERE tingkat = 'provinsi' AND ppks_kode = 'SEMUA'",
    )
    ((dated,),) = query(built.warehouse, "SELECT count(*) FROM person WHERE first_seen IS NOT NULL")
    assert to_date == new == dated


def test_quality_marts_account_for_every_row(built):
    for mart in ("mart_quality_reporter", "mart_quality_kecamatan"):
        ((loaded, rejected),) = query(
            built.warehouse, f"SELECT sum(rows_loaded), sum(rows_rejected) FROM {mart}"
        )
        assert loaded == query(built.warehouse, "SELECT count(*) FROM source_record")[0][0]
        assert rejected == query(built.warehouse, "SELECT count(*) FROM rejected_row")[0][0]


def test_every_object_and_column_has_a_comment(built):
    """Every table, view and column of both editions, the linkage's included."""
    for path in (built.warehouse, built.edition):
        missing = docs.missing_comments(path)
        assert missing == [], f"{path.name}: add COMMENT ON for {missing}"


def test_docs_warehouse_md_is_generated_from_the_comments(built):
    expected = docs.generate(built.warehouse, built.edition)
    current = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert current == expected, "docs/warehouse.md is stale: run ppks docs --warehouse FILE"


@pytest.mark.parametrize("edition", ["full", "analyst"])
def test_every_cookbook_query_runs(built, edition):
    path = built.warehouse if edition == "full" else built.edition
    queries = cookbook_queries()
    assert len(queries) >= 10
    with duckdb.connect(str(path), read_only=True) as con:
        for sql in queries:
            con.execute(sql).fetchall()


def test_a_night_writes_again_only_the_counts_that_moved(built, tmp_path):
    """transforms/mart_counts_after.sql: a row that moves to another person changes the
    counts of the places and categories of the two persons, and only those are written
    again (deleted and inserted); the rest keep their rows. The counts stay those of a
    count from scratch (tests/flows/test_incremental_nights.py)."""
    import shutil

    from ppks.warehouse.write_steps import build_model

    copy = tmp_path / "wh.duckdb"
    shutil.copyfile(built.warehouse, copy)
    counts = ("ppks_region_count", "ppks_monthly_count", "source_coverage_count")
    with duckdb.connect(str(copy)) as con:
        before = {t: con.execute(f"SELECT rowid, * FROM {t}").fetchall() for t in counts}
        con.execute(
            "UPDATE source_record SET person_id = 'moved-out' WHERE record_id = "
            "(SELECT max(record_id) FROM source_record WHERE source = 'tksk')"
        )
        build_model(con)
        after = {t: con.execute(f"SELECT rowid, * FROM {t}").fetchall() for t in counts}
    for table in counts:
        kept = set(before[table]) & set(after[table])
        assert kept, f"{table}: every count written again"
        assert len(kept) < len(after[table]), f"{table}: the moved row's counts not written"
