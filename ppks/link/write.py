"""Write what a linkage night decided into the warehouse's link tables."""

from __future__ import annotations

import contextlib
import datetime as dt

import duckdb
import polars as pl

from ppks.link import model
from ppks.link.identity import IdentityChanges
from ppks.link.pairs import STATUS_TABLE, ScoredPairs
from ppks.link.pairs import TABLE as PAIRS_TABLE
from ppks.warehouse import row_groups

PAIR_SQL = """
SELECT
    $run_id AS run_id,
    p.unique_id_l AS record_id_l,
    p.unique_id_r AS record_id_r,
    p.match_weight,
    p.match_probability,
    s.status,
    s.conflict,
    CAST(p.match_key AS VARCHAR) AS blocking_rule,
    {agreement} AS agreement,
    {weights} AS weights
FROM {pairs} AS p
JOIN {status} AS s USING (unique_id_l, unique_id_r)
"""


def _pair_sql(settings: dict) -> str:
    labels = model.level_labels(settings)
    names = list(labels)
    cases = []
    weights = []
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        whens = " ".join(f"WHEN {g} THEN '{label}'" for g, label in sorted(labels[name].items()))
        cases.append(f"CASE p.gamma_{name} {whens} END")
        tf = model._has_tf(comparison)
        weights.append(f"p.mw_{name}" + (f" + p.mw_tf_adj_{name}" if tf else ""))
    keys = "[" + ", ".join(f"'{n}'" for n in names) + "]"
    return PAIR_SQL.format(
        pairs=PAIRS_TABLE,
        status=STATUS_TABLE,
        agreement=f"MAP({keys}, [{', '.join(cases)}])",
        weights=f"MAP({keys}, [{', '.join(f'CAST({w} AS DOUBLE)' for w in weights)}])",
    )


def insert(con: duckdb.DuckDBPyConnection, table: str, frame) -> None:
    if isinstance(frame, pl.DataFrame) and frame.is_empty():
        return
    con.register("_link_rows", frame)
    try:
        # One thread appends: a training night's pairs, streamed from linkage's DuckDB,
        # were cut in row groups that the next night's checkpoint merged again.
        with row_groups.one_writer(con):
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _link_rows")
    finally:
        # After a failed statement the transaction is aborted and unregistering raises
        # too: the first error is the one the operator must see.
        with contextlib.suppress(duckdb.TransactionException):
            con.unregister("_link_rows")


def identity_changes(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    changes: IdentityChanges,
    registered: list[tuple[str, int]],
    next_seq: int,
    considered: set[str],
    active_rows: set[int],
    retire_detail: str,
) -> list[str]:
    """person_identity, person_id_history and source_record.person_id; returns retired ids.

    considered: the active ids whose every row took part in this clustering (only
    they can be merged or left without rows); active_rows: the rows of the
    assignment still in source_record (rows of a replaced file are anchors only).
    """
    now = dt.datetime.now()
    created = list(registered)
    for pid in changes.created:
        created.append((pid, next_seq))
        next_seq += 1
    insert(
        con,
        "person_identity",
        pl.DataFrame(
            {
                "person_id": [pid for pid, _ in created],
                "created_run_id": [run_id] * len(created),
                "created_seq": [seq for _, seq in created],
                "status": ["active"] * len(created),
            },
            schema={
                "person_id": pl.Utf8,
                "created_run_id": pl.Utf8,
                "created_seq": pl.Int64,
                "status": pl.Utf8,
            },
        ),
    )
    in_use = {pid for uid, pid in changes.assignment.items() if uid in active_rows}
    merged = {old: new for old, new, _ in changes.merges}
    emptied = sorted(considered - in_use - set(merged))
    retired = [(old, merged[old]) for old in sorted(merged)] + [(pid, None) for pid in emptied]
    if retired:
        frame = pl.DataFrame(
            {"person_id": [r[0] for r in retired], "successor_id": [r[1] for r in retired]},
            schema={"person_id": pl.Utf8, "successor_id": pl.Utf8},
        )
        con.register("_retired", frame)
        try:
            con.execute(
                "UPDATE person_identity SET status = 'retired', successor_id = r.successor_id, "
                "retired_run_id = $run_id FROM _retired AS r "
                "WHERE person_identity.person_id = r.person_id",
                {"run_id": run_id},
            )
        finally:
            con.unregister("_retired")
    history = [
        (old, new, "merge", n, "joined by the model or a reviewer")
        for old, new, n in changes.merges
    ]
    history += [
        (old, new, "split", n, f"{n} rows moved to another person")
        for old, new, n in changes.splits
    ]
    history += [(pid, None, "retired", 0, retire_detail) for pid, succ in retired if succ is None]
    insert(
        con,
        "person_id_history",
        pl.DataFrame(
            history,
            schema={
                "old_person_id": pl.Utf8,
                "new_person_id": pl.Utf8,
                "reason": pl.Utf8,
                "records": pl.Int32,
                "detail": pl.Utf8,
            },
            orient="row",
        ).with_columns(run_id=pl.lit(run_id), recorded_at=pl.lit(now)),
    )
    mapping = pl.DataFrame(
        {
            "record_id": [uid for uid in changes.assignment if uid in active_rows],
            "person_id": [pid for uid, pid in changes.assignment.items() if uid in active_rows],
        },
        schema={"record_id": pl.Int64, "person_id": pl.Utf8},
    )
    con.register("_link_map", mapping)
    try:
        con.execute(
            "UPDATE source_record SET person_id = m.person_id FROM _link_map AS m "
            "WHERE source_record.record_id = m.record_id "
            "AND source_record.person_id IS DISTINCT FROM m.person_id"
        )
    finally:
        con.unregister("_link_map")
    return [pid for pid, _ in retired]


def links(
    con: duckdb.DuckDBPyConnection,
    mem: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    settings: dict,
    pairs: ScoredPairs,
    status_rows: list[tuple],
    replace_all: bool,
) -> None:
    """person_link: every pair scored tonight, and the new status of every pair clustered.

    pairs: tonight's scored pairs (table link_pairs on `mem`, their status in
    link_pair_status); status_rows: (l, r, status, conflict) of the other pairs
    clustered (decided, or stored and clustered again).
    replace_all: a training night scored every pair again; otherwise tonight's
    pairs are added, and stored pairs keep their weights (only their status and
    persons follow the clustering).
    """
    if replace_all:
        con.execute("DELETE FROM person_link")
    elif pairs.height:
        _forget_rescored(con, mem)
    if pairs.height:
        _scored_links(con, mem, run_id, settings)
    status = pl.DataFrame(
        status_rows,
        schema={
            "unique_id_l": pl.Int64,
            "unique_id_r": pl.Int64,
            "status": pl.Utf8,
            "conflict": pl.Utf8,
        },
        orient="row",
    )
    if pairs.height and status.height:
        mem.register("_others", status)
        try:
            status = mem.sql(
                f"SELECT * FROM _others ANTI JOIN {PAIRS_TABLE} USING (unique_id_l, unique_id_r)"
            ).pl()
        finally:
            mem.unregister("_others")
    if status.height:
        con.register("_others", status)
        try:
            # Stored pairs keep weight and run; a pair only a reviewer decided is added.
            con.execute(
                "UPDATE person_link SET status = o.status, conflict = o.conflict FROM _others AS o "
                "WHERE person_link.record_id_l = o.unique_id_l "
                "AND person_link.record_id_r = o.unique_id_r "
                "AND (person_link.status IS DISTINCT FROM o.status "
                "OR person_link.conflict IS DISTINCT FROM o.conflict)"
            )
            con.execute(
                "INSERT INTO person_link (run_id, record_id_l, record_id_r, status, conflict) "
                "SELECT $run_id, o.unique_id_l, o.unique_id_r, o.status, o.conflict "
                "FROM _others AS o ANTI JOIN person_link AS k "
                "ON k.record_id_l = o.unique_id_l AND k.record_id_r = o.unique_id_r",
                {"run_id": run_id},
            )
        finally:
            con.unregister("_others")


def _scored_links(con, mem, run_id: str, settings: dict) -> None:
    """Tonight's scored pairs into person_link, from linkage's tables on `mem`."""
    # With their persons (assigned before links are written): filling them in
    # afterwards rewrote every new pair, a minute for a month of reports. Joined on
    # linkage's own connection, which holds the pairs and has the larger memory share.
    ids = mem.sql(
        f"SELECT unique_id_l AS record_id FROM {PAIRS_TABLE} "
        f"UNION SELECT unique_id_r FROM {PAIRS_TABLE}"
    ).arrow()
    con.register("_pair_ids", ids)
    try:
        persons = (
            con.sql(
                "SELECT record_id, person_id FROM source_record "
                "SEMI JOIN _pair_ids USING (record_id)"
            )
            .arrow()
            .read_all()
        )
    finally:
        con.unregister("_pair_ids")
    mem.register("record_person", persons)
    try:
        scored = mem.sql(
            "SELECT s.*, a.person_id AS person_id_l, b.person_id AS person_id_r "
            f"FROM ({_pair_sql(settings)}) AS s "
            "LEFT JOIN record_person AS a ON a.record_id = s.record_id_l "
            "LEFT JOIN record_person AS b ON b.record_id = s.record_id_r",
            params={"run_id": run_id},
        ).arrow()
        # Streamed from one connection into the other: a training night's pairs,
        # held whole as Arrow beside both connections' buffers, made the night's peak.
        insert(con, "person_link", scored)
    finally:
        mem.unregister("record_person")


def _forget_rescored(con, mem) -> None:
    """Drop the stored pairs that tonight scored again, before tonight's are inserted.

    person_link has no primary key: its index over every pair ever scored (7.5 million
    after two years at provincial scale) was loaded into memory by each night's insert,
    a few hundred megabytes for a night of a few thousand pairs, and written whole by the
    checkpoint. A pair is stored once all the same: a training night empties the table
    first, other nights remove here any pair they score again (a hash join over the
    two id columns: 0.06 s for 7.5 million pairs).
    """
    keys = mem.sql(f"SELECT unique_id_l, unique_id_r FROM {PAIRS_TABLE}").arrow().read_all()
    con.register("_rescored", keys)
    try:
        con.execute(
            "DELETE FROM person_link USING _rescored AS k "
            "WHERE person_link.record_id_l = k.unique_id_l "
            "AND person_link.record_id_r = k.unique_id_r"
        )
    finally:
        con.unregister("_rescored")


def link_persons_of(con: duckdb.DuckDBPyConnection, record_ids: list[int] | None) -> None:
    """person_link.person_id_l/_r for pairs touching these rows (all pairs when None).

    Only the pairs whose persons changed are written: an UPDATE rewrites each row
    it touches (with its agreement and weight maps), and most pairs keep their persons.
    """
    pairs = "person_link"
    if record_ids is not None:
        if not record_ids:
            return
        con.register("_moved", pl.DataFrame({"rid": record_ids}, schema={"rid": pl.Int64}))
        pairs = (
            "(SELECT record_id_l, record_id_r, person_id_l, person_id_r "
            "FROM person_link SEMI JOIN _moved ON record_id_l = rid "
            "UNION SELECT record_id_l, record_id_r, person_id_l, person_id_r "
            "FROM person_link SEMI JOIN _moved ON record_id_r = rid)"
        )
    try:
        con.execute(
            "UPDATE person_link SET person_id_l = t.person_id_l, person_id_r = t.person_id_r "
            "FROM (SELECT k.record_id_l, k.record_id_r, "
            "             a.person_id AS person_id_l, b.person_id AS person_id_r "
            f"      FROM {pairs} AS k "
            "      JOIN source_record AS a ON a.record_id = k.record_id_l "
            "      JOIN source_record AS b ON b.record_id = k.record_id_r "
            "      WHERE k.person_id_l IS DISTINCT FROM a.person_id "
            "         OR k.person_id_r IS DISTINCT FROM b.person_id) AS t "
            "WHERE person_link.record_id_l = t.record_id_l "
            "AND person_link.record_id_r = t.record_id_r"
        )
    finally:
        if record_ids is not None:
            con.unregister("_moved")


def decisions(con: duckdb.DuckDBPyConnection, run_id: str, decision_rows: list[dict]) -> None:
    con.execute("DELETE FROM review_decision")
    if not decision_rows:
        return
    frame = pl.DataFrame(decision_rows, infer_schema_length=None).with_columns(
        pl.lit(run_id).alias("run_id")
    )
    insert(con, "review_decision", frame)
