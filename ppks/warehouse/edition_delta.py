"""A night's analyst edition made from the previous one: only the rows that changed.

Writing every table of the edition again was most of a 1%-new night's edition
stage (DuckDB compressing and committing half a million rows it had written the
night before). So a night copies the published edition (in the kernel, like the
warehouse: ppks.ops.private.copy_private; a reader holding it open is not in the
way) and, in the copy, deletes and inserts again the rows whose edition row can
differ from last night's; the rejected rows and the sheets of the files that came or
left too, and the small tables (files, runs, reference, marts) are written whole.

An edition row depends on its warehouse row, the tokens of its NIK/KK (fixed
under one key), the scrubs of its texts, and for row-level columns the names of
its person's rows. Loaded rows are never edited, only added, moved between
persons or removed (a corrected file), so what can differ is found by
comparing the copy with the warehouse:

- the rows added, removed or moved (``source_record`` of the two, by record_id),
  and the persons they left or joined: those persons' golden records, cases,
  household rows, households and service events, and all their rows (their
  names make the row-level scrubs);
- the texts scrubbed anew tonight (``edition_cache``: new texts, and the kept
  texts a name that came or went can change): every row that holds one.

Everything else an edition row reads is in the rules fingerprint (`rules`):
the edition's code, the scrubber, the tables, columns and comments it copies,
the storage version, the golden-record rules (new rules rebuild every person).
The copy is used only if the warehouse says it is the edition its cache was
saved with (``edition_built``: same run, same build time, same rules) and it
was made with the same key; else, or when many rows moved (a retrain), or when
the copy has grown past twice the last whole edition (DuckDB keeps the space of
deleted rows), the edition is built whole. tests/flows/test_edition_delta.py checks nights of
each kind against the edition built from scratch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ppks.warehouse import schema

# Past this share of rows moved (a retrain, a re-key), writing the tables whole is cheaper.
MOVED_SHARE = 0.25
# Rows deleted leave space in the file: past this size against the last whole build, the
# edition is built whole again (compact).
GROWTH = 2.0

MARKER = "edition_built"
# Record ids compared by blocks of 2**12 (`changes`): 130 blocks for half a million rows.
BLOCK_BITS = 12


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def rules(con: duckdb.DuckDBPyConnection, storage_version: str) -> str:
    """Fingerprint of everything an edition row is made with besides the rows themselves
    (``con`` has the warehouse attached as ``src``)."""
    from ppks.warehouse import scrub

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("analyst.py", "edition_delta.py"):
        digest.update((here / name).read_bytes())
    digest.update(f"{scrub.rules()}|{storage_version}".encode())
    shape = con.execute(
        """
        SELECT string_agg(concat_ws('|', table_name, column_name, data_type, comment), '\n'
                          ORDER BY table_name, column_index)
        FROM duckdb_columns() WHERE database_name = 'src' AND schema_name = 'main'
        """
    ).fetchall()[0][0]
    objects = con.execute(
        """
        SELECT string_agg(concat_ws('|', name, comment, sql), '\n' ORDER BY name) FROM (
            SELECT table_name AS name, comment, NULL AS sql FROM duckdb_tables()
            WHERE database_name = 'src' AND schema_name = 'main'
            UNION ALL
            SELECT view_name, comment, sql FROM duckdb_views()
            WHERE database_name = 'src' AND schema_name = 'main' AND NOT internal
        )
        """
    ).fetchall()[0][0]
    digest.update(f"{shape}\n{objects}".encode())
    if _has(con, "src", "person_rows"):
        (golden,) = con.execute(
            "SELECT coalesce(string_agg(DISTINCT rules, ','), '') FROM src.main.person_rows"
        ).fetchall()[0]
        digest.update(golden.encode())
    return digest.hexdigest()[:16]


def _has(con, database: str, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
            "AND table_name = ?",
            [database, table],
        ).fetchall()[0][0]
    )


WHOLE, CHANGED_ROWS = "whole", "changed rows"


def remember(
    con: duckdb.DuckDBPyConnection, run_id, built_at, rules_now: str, built: Path, whole: bool
) -> None:
    """Say in the warehouse which edition its cache goes with (in the cache's
    transaction), how it was made, and the size of the last whole one."""
    if whole:
        size = built.stat().st_size
    else:
        ((size,),) = con.execute(f"SELECT whole_bytes FROM src.main.{MARKER}").fetchall()
    con.execute(f"DELETE FROM src.main.{MARKER}")
    con.execute(
        f"INSERT INTO src.main.{MARKER} (run_id, built_at, rules, made, whole_bytes) "
        "VALUES (?, ?, ?, ?, ?)",
        [run_id, built_at, rules_now, WHOLE if whole else CHANGED_ROWS, size],
    )


def marker(con: duckdb.DuckDBPyConnection, previous: Path, rules_now: str, tables: set):
    """(run_id, built_at) of the edition the warehouse's cache was saved with, if made
    under these rules and ``previous`` (the published edition) is there to copy and has
    not grown past `GROWTH` times the last whole one."""
    from ppks.warehouse.build import wal_path

    if not previous.is_file() or wal_path(previous).exists() or MARKER not in tables:
        return None
    rows = con.execute(
        f"SELECT run_id, built_at, rules, whole_bytes FROM src.main.{MARKER}"
    ).fetchall()
    if len(rows) != 1 or rows[0][2] != rules_now:
        return None
    if previous.stat().st_size > GROWTH * rows[0][3]:
        return None
    return rows[0][:2]


def is_that_edition(con: duckdb.DuckDBPyConnection, wanted: tuple, key_id: str) -> bool:
    """Whether the copy attached as ``ed`` is the edition ``wanted`` (run_id, built_at) of
    `marker`, made with this key. Read in the copy: the published file is never opened,
    so whoever holds it (even read-write) is not in the way."""
    try:
        info = con.execute("SELECT run_id, built_at, key_id FROM ed.main.edition_info").fetchall()
    except duckdb.Error:
        return False
    return info == [(*wanted, key_id)]


@dataclass
class Changes:
    """What differs between the copied edition (``ed``) and the warehouse (``src``), as
    TEMP tables: ``_moved(record_id)``, ``_added(record_id)``, ``_persons(person_id)``."""

    rows_moved: int
    persons: int
    # Whether the values of the rows that left are known (none left, or a corrected file
    # moved them into source_record_history and rejected_row_history): TEMP table
    # _removed(record_id), and _rejected_gone(file_sha256) when rejected_row is there.
    by_change: bool


def changes(con: duckdb.DuckDBPyConnection) -> Changes | None:
    """The rows added, removed or moved and the persons they touch; None when too many
    moved for the copy to be worth it."""
    # The two editions' rows compared by blocks of record ids first (count and fingerprint
    # of each block's ids and persons), then row by row in the blocks that differ: the
    # full join of every loaded row of both was the largest statement of the stage, for
    # a night whose rows came in a few blocks at the end. (hash(a, b) combines the two
    # hashes linearly: two rows that swap persons would leave the block's xor as it was.)
    blocks = (
        "SELECT record_id >> {bits} AS block, count(*) AS n, "
        "bit_xor(hash(xor(hash(person_id), record_id::UBIGINT))) AS fingerprint "
        "FROM {db}.main.source_record GROUP BY 1"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _moving_block AS "
        f"SELECT block FROM ({blocks.format(bits=BLOCK_BITS, db='src')}) AS n "
        f"FULL JOIN ({blocks.format(bits=BLOCK_BITS, db='ed')}) AS o USING (block) "
        "WHERE n.n IS DISTINCT FROM o.n OR n.fingerprint IS DISTINCT FROM o.fingerprint"
    )
    rows = (
        "(SELECT record_id, person_id FROM {db}.main.source_record "
        f"WHERE record_id >> {BLOCK_BITS} IN (SELECT block FROM _moving_block))"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _moving AS
        SELECT coalesce(n.record_id, o.record_id) AS record_id,
               o.person_id AS before, n.person_id AS after,
               o.record_id IS NULL AS added, n.record_id IS NULL AS removed
        FROM {rows.format(db="src")} AS n
        FULL JOIN {rows.format(db="ed")} AS o ON o.record_id = n.record_id
        WHERE n.record_id IS NULL OR o.record_id IS NULL OR n.person_id IS DISTINCT FROM o.person_id
        """
    )
    moved, removed, total = con.execute(
        "SELECT (SELECT count(*) FROM _moving), (SELECT count(*) FROM _moving WHERE removed), "
        "(SELECT count(*) FROM src.main.source_record)"
    ).fetchall()[0]
    if moved > MOVED_SHARE * max(total, 1):
        return None
    con.execute("CREATE OR REPLACE TEMP TABLE _moved AS SELECT record_id FROM _moving")
    con.execute("CREATE OR REPLACE TEMP TABLE _added AS SELECT record_id FROM _moving WHERE added")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _removed AS SELECT record_id FROM _moving WHERE removed"
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _persons AS
        SELECT before AS person_id FROM _moving WHERE before IS NOT NULL
        UNION SELECT after FROM _moving WHERE after IS NOT NULL
        """
    )
    persons = con.execute("SELECT count(*) FROM _persons").fetchall()[0][0]
    known = (not removed or _kept(con, "source_record", "record_id", "_removed")) and (
        _rejected_rows_known(con)
    )
    return Changes(moved, persons, known)


def _kept(con: duckdb.DuckDBPyConnection, table: str, key: str, gone: str) -> bool:
    """Whether every ``key`` of the TEMP table ``gone`` is in ``table``'s history (a
    corrected file's rows moved there, ppks.warehouse.supersede)."""
    if not con.execute(f"SELECT count(*) FROM {gone}").fetchall()[0][0]:
        return True
    if not _has(con, "src", f"{table}_history"):
        return False
    return not con.execute(
        f"SELECT count(*) FROM (SELECT {key} FROM {gone} "
        f"EXCEPT SELECT {key} FROM src.main.{table}_history)"
    ).fetchall()[0][0]


def _rejected_rows_known(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the files whose rejected rows left (in the copy, not in the warehouse:
    TEMP table _rejected_gone) have them in rejected_row_history."""
    if not (_has(con, "src", "rejected_row") and _has(con, "ed", "rejected_row")):
        return not _has(con, "ed", "rejected_row")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _rejected_gone AS "
        "SELECT DISTINCT file_sha256 FROM ed.main.rejected_row "
        "EXCEPT SELECT DISTINCT file_sha256 FROM src.main.rejected_row"
    )
    return _kept(con, "rejected_row", "file_sha256", "_rejected_gone")


def _holding(table: str, key: str, columns: list[tuple[str, bool]]) -> list[str]:
    """SELECTs of the ``key`` of the warehouse's rows of ``table`` that hold a text scrubbed
    anew tonight in one of these (column, is a list)."""
    # ``key`` may be an expression (rejected_row's file): named k inside the subquery.
    return [
        f"SELECT k FROM (SELECT {key} AS k, unnest({_q(c)}) AS text FROM src.main.{table}) "
        "SEMI JOIN _rescrubbed USING (text)"
        if is_list
        else f"SELECT {key} AS k FROM src.main.{table} "
        f"WHERE {_q(c)} IN (SELECT text FROM _rescrubbed)"
        for c, is_list in columns
    ]


def _listing(database: str, table: str, key: str, column: str, among: str) -> str:
    """SELECT of the ``key`` of the rows whose list ``column`` has an element of ``among``
    (a TEMP table of one column); a semi join, not list_has_any against a list per row."""
    return (
        f"SELECT {key} FROM (SELECT {key}, unnest({column}) AS element "
        f"FROM {database}.main.{table}) AS l SEMI JOIN {among} AS a ON a.element = l.element"
    )


# The tables written row by row: name -> how the rows to write again are found.
KEYED = ("source_record", "service_event", "person", "ppks_case", "household_member", "household")
KK_KEYED = ("household_member", "household")
# Rejected rows come and go with their file; so do a file's sheets (never edited, and
# their 50,000 rows written whole were a tenth of a 1%-new night's edition). A file's
# rows are written again when their count differs between the copy and the warehouse
# (rows are added and removed, never edited), or when one holds a text scrubbed anew.
BY_FILE = ("rejected_row", "source_sheet")


def keys(
    con: duckdb.DuckDBPyConnection,
    scrubbed: dict[str, list[tuple[str, bool]]],
    present,
    rescrubbed: str,
):
    """TEMP key tables of the rows to write again, read before the copy is touched; returns
    table -> (WHERE of the copy's rows to delete, WHERE of the warehouse's rows to insert).
    ``rescrubbed``: the TEMP table of texts scrubbed anew tonight (column ``text``)."""
    out: dict[str, tuple[str, str]] = {}
    con.execute(f"CREATE OR REPLACE TEMP TABLE _rescrubbed AS SELECT text FROM {rescrubbed}")
    in_p = "IN (SELECT person_id FROM _persons)"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _moved_element AS SELECT record_id AS element FROM _moved"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _person_element AS SELECT person_id AS element FROM _persons"
    )

    def union(*parts: str | list[str]) -> str:
        flat = [p for part in parts for p in ([part] if isinstance(part, str) else part)]
        return " UNION ".join(flat)

    if "source_record" in present:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _k_source_record AS "
            + union(
                "SELECT record_id AS k FROM _moved",
                f"SELECT record_id FROM src.main.source_record WHERE person_id {in_p}",
                _holding("source_record", "record_id", scrubbed.get("source_record", [])),
            )
        )
        where = "record_id IN (SELECT k FROM _k_source_record)"
        out["source_record"] = (where, f"src_t.{where}")
    if "service_event" in present:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _k_service_event AS "
            + union(
                *(
                    [
                        f"SELECT record_id AS k FROM {db}.main.service_event "
                        f"WHERE person_id {in_p}",
                        _listing(db, "service_event", "record_id", "record_ids", "_moved_element"),
                    ]
                    for db in ("ed", "src")
                ),
                _holding("service_event", "record_id", scrubbed.get("service_event", [])),
            )
        )
        where = "record_id IN (SELECT k FROM _k_service_event)"
        out["service_event"] = (where, f"src_t.{where}")
    if "person" in present:
        out["person"] = (f"person_id {in_p}", f"src_t.person_id {in_p}")
    if "ppks_case" in present:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _k_ppks_case AS "
            + union(
                "SELECT person_id AS k FROM _persons",
                _holding("ppks_case", "person_id", scrubbed.get("ppks_case", [])),
            )
        )
        where = "person_id IN (SELECT k FROM _k_ppks_case)"
        out["ppks_case"] = (where, f"src_t.{where}")
    _household_keys(con, present, in_p, out)
    for table in BY_FILE:
        if table in present:
            file = "coalesce(file_sha256, '')"
            counted = "SELECT {f} AS k, count(*) FROM {db}.main.{t} GROUP BY ALL"
            src, ed = (counted.format(f=file, db=db, t=table) for db in ("src", "ed"))
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _k_{table} AS "
                + union(
                    f"SELECT k FROM ({src} EXCEPT {ed})",
                    f"SELECT k FROM ({ed} EXCEPT {src})",
                    _holding(table, file, scrubbed.get(table, [])),
                )
            )
            where = "{}file_sha256, '') IN (SELECT k FROM _k_" + table + ")"
            out[table] = (where.format("coalesce("), where.format("coalesce(src_t."))
    return out


def _household_keys(con, present, in_p: str, out: dict) -> None:
    """Households and their rows, by card: those the touched persons were on (the copy's
    tokens) and those their golden records name now.

    The night's cards are found first and the warehouse's rows taken by them as a
    constant list: written as ``IN (SELECT ...)``, the filter was a join DuckDB placed
    after the edition's own joins, so every household row of the warehouse met the
    token and text tables before the night's few were kept. (The copy's rows are
    deleted by their tokens through a semi join: that side has no other join.)"""
    if not set(KK_KEYED) & set(present):
        return
    sides = []
    if "household_member" in present:
        sides.append(
            f"SELECT kk_token AS token FROM ed.main.household_member WHERE person_id {in_p}"
        )
    if "household" in present:
        sides.append(_listing("ed", "household", "kk_token", "person_ids", "_person_element"))
    cards = ["SELECT kk FROM src.main.person WHERE person_id " + in_p]
    if "household_member" in present:
        cards.append(f"SELECT kk FROM src.main.household_member WHERE person_id {in_p}")
    sides.append(
        "SELECT t.token FROM _tokens AS t WHERE t.kind = 'kk' AND t.value IN "
        f"({' UNION '.join(cards)})"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _k_household AS "
        f"SELECT token AS k FROM ({' UNION '.join(sides)}) WHERE token IS NOT NULL"
    )
    kks = con.execute(
        "SELECT DISTINCT t.value FROM _tokens AS t SEMI JOIN _k_household AS h ON h.k = t.token "
        "WHERE t.kind = 'kk' ORDER BY 1"
    ).fetchall()
    for table in KK_KEYED:
        if table in present:
            out[table] = (
                "kk_token IN (SELECT k FROM _k_household)",
                f"src_t.kk IN {_in(kk for (kk,) in kks)}",
            )


def _in(values) -> str:
    """A constant list for IN; one that matches nothing when empty."""
    texts = [str(v) for v in values]
    if not texts:
        return "(SELECT NULL WHERE false)"
    return "(" + ", ".join(schema.literal(t) for t in texts) + ")"


def records_to_scrub(con: duckdb.DuckDBPyConnection) -> str:
    """TEMP table of the record_ids whose row-level scrubs the written rows read."""
    parts = []
    for table in ("source_record", "service_event"):
        if _has(con, "temp", f"_k_{table}"):
            parts.append(f"SELECT k AS record_id FROM _k_{table}")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _scrub_records AS "
        + (" UNION ".join(parts) or "SELECT NULL::BIGINT AS record_id WHERE false")
    )
    return "_scrub_records"


def copy_previous(previous: Path, target: Path) -> None:
    """The published edition copied to the hidden file the night builds (0600 until the
    build opens it up, like a built one)."""
    from ppks.ops.private import copy_private

    target.unlink(missing_ok=True)
    copy_private(previous, target)
