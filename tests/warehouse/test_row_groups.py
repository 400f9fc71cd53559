"""Large appends leave whole row groups, so the next night's checkpoint does not merge them."""

from __future__ import annotations

import duckdb
import pytest

from ppks.link import write
from ppks.warehouse import analyst, row_groups, schema, write_steps

ROWS = 400_000  # past what DuckDB's threads cut an Arrow stream's append at
FULL = 122_880


def layout(con: duckdb.DuckDBPyConnection, table: str) -> list[int]:
    """Rows per row group, in order (as checkpointed)."""
    con.execute("CHECKPOINT")
    return [
        n
        for _, n in con.execute(
            f"SELECT row_group_id, sum(count) FROM pragma_storage_info('{table}') "
            "WHERE column_id = 0 AND segment_type <> 'VALIDITY' GROUP BY 1 ORDER BY 1"
        ).fetchall()
    ]


def whole(groups: list[int]) -> bool:
    return all(n == FULL for n in groups[:-1])


@pytest.fixture
def pairs(tmp_path):
    """A warehouse with person_link, on two threads, and a night's pairs streamed from
    another DuckDB (as linkage's are)."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET threads = 2")
    schema.apply_file(con, "linkage/person_link.sql")
    mem = duckdb.connect()
    mem.execute("SET threads = 2")
    stream = mem.sql(
        "SELECT 'r1' AS run_id, i AS record_id_l, i + 1 AS record_id_r, 'match' AS status, "
        f"map(['nama'], [i::VARCHAR]) AS agreement FROM range({ROWS}) AS t(i)"
    ).arrow()
    yield con, stream
    con.close()
    mem.close()


def test_an_append_on_threads_cuts_row_groups_in_the_middle(pairs):
    # What the module is for: without it, DuckDB's threads each leave a partial group.
    con, stream = pairs
    con.register("_stream", stream)
    con.execute("INSERT INTO person_link BY NAME SELECT * FROM _stream")
    assert not whole(layout(con, "person_link"))


def test_linkage_appends_its_pairs_in_whole_row_groups(pairs):
    con, stream = pairs
    write.insert(con, "person_link", stream)
    groups = layout(con, "person_link")
    assert whole(groups) and sum(groups) == ROWS
    assert con.execute("SELECT current_setting('threads')").fetchall() == [(2,)]


def test_one_writer_restores_the_threads_when_the_statement_fails(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET threads = 2")
    with pytest.raises(duckdb.CatalogException), row_groups.one_writer(con):
        con.execute("INSERT INTO missing VALUES (1)")
    assert con.execute("SELECT current_setting('threads')").fetchall() == [(2,)]


class Spy:
    """A connection that notes the threads DuckDB had for each statement."""

    def __init__(self, con):
        self.con, self.seen = con, []

    def execute(self, sql, *args):
        ((threads,),) = self.con.execute("SELECT current_setting('threads')").fetchall()
        self.seen.append((sql, threads))
        return self.con.execute(sql, *args)


def test_a_whole_edition_writes_the_tables_later_nights_append_to_on_one_thread(tmp_path):
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"ATTACH {schema.literal(str(tmp_path / 'src.duckdb'))} AS src")
    con.execute(f"ATTACH {schema.literal(str(tmp_path / 'ed.duckdb'))} AS ed")
    con.execute("CREATE TABLE src.main.ppks_case AS SELECT 'P1' AS person_id, '01' AS ppks_kode")
    con.execute("CREATE TABLE src.main.mart_x AS SELECT 1 AS n")
    spy = Spy(con)
    analyst._write_table(spy, "ppks_case", analyst.ALL, None, None)
    analyst._write_table(spy, "mart_x", analyst.ALL, None, None)
    created = {sql.split()[2]: threads for sql, threads in spy.seen if sql.startswith("CREATE")}
    assert created == {'ed.main."ppks_case"': 1, 'ed.main."mart_x"': 2}
    assert con.execute("SELECT * FROM ed.main.ppks_case").fetchall() == [("P1", "01")]


def test_person_month_is_written_in_whole_row_groups(tmp_path):
    # Its insert is a UNION ALL of two windowed pipelines, which DuckDB's threads cut in
    # the middle: the next small night's checkpoint then rewrote the whole table.
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET threads = 2")
    schema.apply_file(con, "core/person_month.sql")
    con.execute(
        "CREATE TABLE source_record AS SELECT 'P' || (i // 3) AS person_id, "
        "['01', '02', '03'][i % 3 + 1] AS ppks_kode, NULL::DATE AS tanggal_kegiatan, "
        "DATE '2025-01-01' + CAST(i % 24 * 31 AS INTEGER) AS bulan_laporan "
        f"FROM range({ROWS}) AS t(i)"
    )
    con.execute("CREATE TEMP TABLE person_changed AS SELECT DISTINCT person_id FROM source_record")
    con.execute("CREATE TEMP TABLE person_touched AS SELECT * FROM person_changed")
    write_steps.apply_transform(con, "person_month_rows")
    groups = layout(con, "person_month")
    assert whole(groups) and sum(groups) == 2 * ROWS
    assert con.execute("SELECT current_setting('threads')").fetchall() == [(2,)]


def test_household_member_is_written_in_whole_row_groups(tmp_path):
    # Its insert numbers each card's members (a window per card): DuckDB's threads cut
    # it in the middle, and the next small night's checkpoint merged the groups again.
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET threads = 2")
    schema.apply_file(con, "core/person.sql")
    schema.apply_file(con, "core/household_member.sql")
    con.execute(
        "INSERT INTO person BY NAME SELECT 'P' || i AS person_id, 'K' || (i // 3) AS kk, "
        "1950 + i % 60 AS tahun_lahir, 1 AS records, ['tksk'] AS sources "
        f"FROM range({ROWS}) AS t(i)"
    )
    con.execute("CREATE TABLE source_record AS SELECT person_id, '01' AS ppks_kode FROM person")
    con.execute("CREATE TEMP TABLE person_changed AS SELECT person_id FROM person")
    con.execute("CREATE TEMP TABLE person_touched AS SELECT * FROM person_changed")
    write_steps.apply_transform(con, "household_member_rows")
    groups = layout(con, "household_member")
    assert whole(groups) and sum(groups) == ROWS
    assert con.execute("SELECT current_setting('threads')").fetchall() == [(2,)]
