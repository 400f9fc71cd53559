"""link_persons: score, cluster, keep ids stable, write the link tables."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import polars as pl

from ppks.link import cluster as clustering
from ppks.link import identity, model
from ppks.link.decisions import latest, read_decisions
from ppks.link.features import build_features
from ppks.warehouse import schema

# Pairs at or above LINK_WEIGHT join rows (unless a conflict refuses);
# REVIEW_WEIGHT <= weight < LINK_WEIGHT is the uncertain band (review queue);
# pairs from FLOOR_WEIGHT up are kept in person_link to explain what was not linked.
# A conflict refusing a pair of weight >= CONFLICT_REVIEW_WEIGHT (the view
# review_queue) also goes to review: the model is sure, a rule says no.
LINK_WEIGHT = 6.0
REVIEW_WEIGHT = 4.0
FLOOR_WEIGHT = 0.0
CONFLICT_REVIEW_WEIGHT = 20.0
MEMORY_LIMIT = "4GB"
TABLE_FILES = (
    "person_link.sql",
    "person_id_history.sql",
    "person_identity.sql",
    "review_decision.sql",
    "link_run.sql",
)


@dataclass
class LinkSummary:
    run_id: str
    rows: int
    pairs_scored: int
    links: int
    conflicts: int
    review_pairs: int
    persons: int
    persons_new: int
    merges: int
    splits: int
    decisions_applied: int
    trained: bool
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name in TABLE_FILES:
        con.execute(schema.sql_text(f"01_tables/{name}"))


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    schema.apply(con, "03_views")


def _ref_year(con: duckdb.DuckDBPyConnection) -> int:
    year = con.execute(
        "SELECT max(year(coalesce(tanggal_kegiatan, bulan_laporan))) FROM source_record"
    ).fetchall()[0][0]
    return int(year) if year else dt.date.today().year


def _row_identity(file: str, sheet: str, row: int) -> str:
    return f"{file}\x1f{sheet}\x1f{row}"


def _resolve_decisions(features: pl.DataFrame, decisions_path):
    """The latest decision per pair, resolved to record ids: (table rows, must, cannot)."""
    by_row: dict[tuple, int] = {}
    for uid, f, s, r in features.select(
        "unique_id", "source_file", "sheet", "row_number"
    ).iter_rows():
        by_row.setdefault((f, s or "", int(r)), uid)  # a row reloaded twice: the first
    all_decisions = read_decisions(decisions_path)
    final = latest(all_decisions)
    table, must, cannot = [], [], []
    for d in all_decisions:
        ua, ub = by_row.get(d.a), by_row.get(d.b)
        if final[d.pair] is not d:
            applied = "overridden"
        elif ua is None or ub is None:
            applied = "rows_not_found"
        else:
            applied = "applied"
            (must if d.decision == "same" else cannot).append((min(ua, ub), max(ua, ub)))
        table.append(
            {
                "file_a": d.a[0], "sheet_a": d.a[1], "row_a": d.a[2],
                "file_b": d.b[0], "sheet_b": d.b[1], "row_b": d.b[2],
                "decision": d.decision, "reviewer": d.reviewer, "decided_at": d.decided_at,
                "note": d.note, "record_id_a": ua, "record_id_b": ub, "applied": applied,
            }
        )  # fmt: skip
    return table, must, cannot


def _registry(con: duckdb.DuckDBPyConnection, features: pl.DataFrame):
    """Age of every id ever given, registering ids found on rows but unknown (older rules)."""
    known = con.execute(
        "SELECT person_id, created_seq, status FROM person_identity ORDER BY created_seq"
    ).fetchall()
    age = {pid: (seq, pid) for pid, seq, _ in known}
    active = {pid for pid, _, status in known if status == "active"}
    next_seq = max((seq for _, seq, _ in known), default=0) + 1
    legacy = (
        features.filter(pl.col("previous_person_id").is_not_null())
        .group_by("previous_person_id")
        .agg(pl.col("unique_id").min())
        .sort("unique_id")
    )
    registered = []
    for pid, _ in legacy.iter_rows():
        if pid not in age:
            age[pid] = (next_seq, pid)
            registered.append((pid, next_seq))
            active.add(pid)
            next_seq += 1
    return age, active, registered, next_seq


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
FROM pairs AS p
JOIN pair_status AS s USING (unique_id_l, unique_id_r)
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
        agreement=f"MAP({keys}, [{', '.join(cases)}])",
        weights=f"MAP({keys}, [{', '.join(f'CAST({w} AS DOUBLE)' for w in weights)}])",
    )


def link_persons(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    decisions_path: Path | str | None = None,
    link_weight: float = LINK_WEIGHT,
    review_weight: float = REVIEW_WEIGHT,
) -> LinkSummary:
    """Assign source_record.person_id on `con`, keeping ids stable, and write the link tables.

    Reads every row of source_record (the previous night's person_id included),
    scores candidate pairs with the Fellegi-Sunter model trained on these rows,
    applies the reviewer decisions in `decisions_path`, clusters without
    chaining, maps the groups onto the previous ids, and rewrites person_link,
    review_decision and link_run; person_identity and person_id_history grow.
    """
    started = time.perf_counter()
    ensure_tables(con)
    mem = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    try:
        features, common = build_features(con, mem, ref_year=_ref_year(con))
        rows = features.height
        trained = model.train(mem, rows)
        pairs = (
            model.predict(mem, trained.settings, floor_weight=min(FLOOR_WEIGHT, review_weight))
            if rows > 1
            else pl.DataFrame()
        )
        decision_rows, must, cannot = _resolve_decisions(features, decisions_path)

        record_rows = clustering.rows_from_features(features, common)
        if pairs.height:
            strong = pairs.filter(pl.col("match_weight") >= link_weight)
            edges = list(strong.select("unique_id_l", "unique_id_r", "match_weight").iter_rows())
        else:
            edges = []
        result = clustering.cluster(record_rows, edges, must_link=must, cannot_link=cannot)

        previous = {
            uid: pid
            for uid, pid in features.select("unique_id", "previous_person_id").iter_rows()
            if pid is not None
        }
        row_identity = {
            uid: _row_identity(f, s or "", r)
            for uid, f, s, r in features.select(
                "unique_id", "source_file", "sheet", "row_number"
            ).iter_rows()
        }
        age, active, registered, next_seq = _registry(con, features)
        taken = set(age)
        changes = identity.assign(
            result.cluster_of,
            previous,
            row_identity,
            {pid: age[pid] for pid in active},
            taken,
        )
        now = dt.datetime.now()
        _write_identity(con, run_id, now, changes, registered, next_seq, active)

        person_of = changes.assignment
        status_rows = _pair_status(
            pairs, result, person_of, must, cannot, link_weight, review_weight
        )
        _write_links(con, mem, run_id, trained.settings, pairs, status_rows, person_of)
        _write_decisions(con, run_id, decision_rows)
        apply_views(con)

        statuses = [s for _, _, s, _ in status_rows]
        weight_of = {
            (a, b): w
            for a, b, w in (
                pairs.select("unique_id_l", "unique_id_r", "match_weight").iter_rows()
                if pairs.height
                else []
            )
        }
        sure_conflicts = sum(
            1
            for a, b, s, _ in status_rows
            if s == "conflict" and weight_of.get((a, b), 0) >= CONFLICT_REVIEW_WEIGHT
        )
        summary = LinkSummary(
            run_id=run_id,
            rows=rows,
            pairs_scored=pairs.height,
            links=statuses.count("linked"),
            conflicts=statuses.count("conflict"),
            review_pairs=statuses.count("review") + sure_conflicts,
            persons=len(set(person_of.values())),
            persons_new=len(changes.created),
            merges=len(changes.merges),
            splits=len(changes.splits),
            decisions_applied=sum(1 for d in decision_rows if d["applied"] == "applied"),
            trained=trained.trained,
            seconds=round(time.perf_counter() - started, 2),
        )
        con.execute(
            "INSERT OR REPLACE INTO link_run VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id, rows, summary.pairs_scored, summary.links, summary.conflicts,
                summary.review_pairs, summary.persons, summary.persons_new, summary.merges,
                summary.splits, summary.decisions_applied, link_weight, review_weight,
                trained.trained, summary.seconds, json.dumps(trained.settings, default=str),
                "; ".join(trained.notes) or None,
            ],
        )  # fmt: skip
        return summary
    finally:
        mem.close()


def _pair_status(pairs, result, person_of, must, cannot, link_weight, review_weight):
    """(l, r, status, conflict) for every scored pair and every decided pair."""
    out = []
    seen = set()
    must_set, cannot_set = set(must), set(cannot)
    if pairs.height:
        for a, b, w in pairs.select("unique_id_l", "unique_id_r", "match_weight").iter_rows():
            key = (a, b)
            seen.add(key)
            status = result.edge_status.get(key)
            if status is None and key in cannot_set:
                status = "reviewer_different"
            if status is None:
                if w >= link_weight:
                    status = "same_person"  # unreachable in practice: every strong edge is seen
                elif person_of[a] == person_of[b]:
                    status = "same_person"
                else:
                    status = "review" if w >= review_weight else "not_linked"
            out.append((a, b, status, result.edge_conflict.get(key)))
    for a, b in [*must, *cannot]:
        if (a, b) not in seen:
            seen.add((a, b))
            status = result.edge_status.get((a, b)) or (
                "reviewer_same" if (a, b) in must_set else "reviewer_different"
            )
            out.append((a, b, status, result.edge_conflict.get((a, b))))
    return out


def _insert(con, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    con.register("_link_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _link_rows")
    finally:
        con.unregister("_link_rows")


def _write_identity(con, run_id, now, changes, registered, next_seq, active):
    created = [(pid, seq) for pid, seq in registered]
    for pid in changes.created:
        created.append((pid, next_seq))
        next_seq += 1
    _insert(
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
    in_use = set(changes.assignment.values())
    merged = {old: new for old, new, _ in changes.merges}
    retired = [(old, merged[old]) for old in sorted(merged)]
    retired += [(pid, None) for pid in sorted(active - in_use - set(merged))]
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
    ] + [
        (old, new, "split", n, f"{n} rows moved to another person")
        for old, new, n in changes.splits
    ]
    _insert(
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
            "record_id": list(changes.assignment),
            "person_id": list(changes.assignment.values()),
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


def _write_links(con, mem, run_id, settings, pairs, status_rows, person_of):
    con.execute("DELETE FROM person_link")
    if not status_rows:
        return
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
    if pairs.height:
        mem.register("pairs", pairs)
        mem.register("pair_status", status)
        try:
            scored = mem.sql(_pair_sql(settings), params={"run_id": run_id}).arrow().read_all()
        finally:
            mem.unregister("pairs")
            mem.unregister("pair_status")
        con.register("_links", scored)
        try:
            con.execute("INSERT INTO person_link BY NAME SELECT * FROM _links")
        finally:
            con.unregister("_links")
    decided_only = status.join(
        pairs.select("unique_id_l", "unique_id_r") if pairs.height else status.clear(),
        on=["unique_id_l", "unique_id_r"],
        how="anti",
    ).select(
        pl.lit(run_id).alias("run_id"),
        pl.col("unique_id_l").alias("record_id_l"),
        pl.col("unique_id_r").alias("record_id_r"),
        "status",
        "conflict",
    )
    if decided_only.height:
        con.register("_decided", decided_only)
        try:
            con.execute("INSERT INTO person_link BY NAME SELECT * FROM _decided")
        finally:
            con.unregister("_decided")
    con.execute(
        "UPDATE person_link SET person_id_l = a.person_id, person_id_r = b.person_id "
        "FROM source_record AS a, source_record AS b "
        "WHERE a.record_id = person_link.record_id_l AND b.record_id = person_link.record_id_r"
    )


def _write_decisions(con, run_id, decision_rows):
    con.execute("DELETE FROM review_decision")
    if not decision_rows:
        return
    frame = pl.DataFrame(decision_rows, infer_schema_length=None).with_columns(
        pl.lit(run_id).alias("run_id")
    )
    con.register("_decisions", frame)
    try:
        con.execute("INSERT INTO review_decision BY NAME SELECT * FROM _decisions")
    finally:
        con.unregister("_decisions")
