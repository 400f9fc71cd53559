"""link_persons: one night of linkage, full or incremental (docs/linkage.md).

A night trains a model and links every row only when it must
(`store.training_reason`): no model yet, a retrain asked for, new linkage
rules in the code, or rows grown by more than a third. Every other night
scores only pairs with at least one new row, with the stored model and term
frequencies, and clusters only the persons those pairs touch: persons of
earlier nights start whole and are joined only on a reviewer's word, so an old
row changes person only on evidence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from ppks.link import cluster as clustering
from ppks.link import identity, model, store, write
from ppks.link import pairs as scored_pairs
from ppks.link.decisions import latest, previous_decisions, read_decisions
from ppks.link.features import build_features
from ppks.link.pairs import ScoredPairs
from ppks.settings import memory_limit
from ppks.warehouse import schema
from ppks.warehouse.tables import insert_row

# Pairs at or above LINK_WEIGHT join rows (unless a conflict refuses);
# REVIEW_WEIGHT <= weight < LINK_WEIGHT is the uncertain band (review queue);
# pairs from FLOOR_WEIGHT up are kept in person_link to explain what was not linked.
# A conflict refusing a pair of weight >= CONFLICT_REVIEW_WEIGHT (the view
# review_queue) also goes to review: the model is sure, a rule says no.
LINK_WEIGHT = 6.0
REVIEW_WEIGHT = 4.0
FLOOR_WEIGHT = 0.0
CONFLICT_REVIEW_WEIGHT = 20.0
# Linkage runs on a DuckDB connection of its own: bounded (settings.memory_limit),
# spilling to disk, so that the night fits the machine beside the reader processes.
TABLE_FILES = (
    "person_link.sql",
    "person_id_history.sql",
    "person_identity.sql",
    "review_decision.sql",
    "link_run.sql",
    "link_model.sql",
    "link_feature.sql",
    "link_term_count.sql",
)
MIGRATIONS = (
    "ALTER TABLE person_id_history ALTER COLUMN new_person_id DROP NOT NULL",
    "ALTER TABLE link_run DROP COLUMN IF EXISTS model_json",
)


@dataclass
class LinkSummary:
    run_id: str
    mode: str
    rows: int
    rows_new: int
    rows_removed: int
    pairs_scored: int
    links: int
    conflicts: int
    review_pairs: int
    persons: int
    persons_touched: int
    persons_new: int
    merges: int
    splits: int
    retired: int
    rows_moved: int
    decisions_applied: int
    trained: bool
    model_version: int | None
    seconds: float
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _add_new_columns(con: duckdb.DuckDBPyConnection, ddls: list[str]) -> None:
    """Columns newer DDL files have and the warehouse's tables lack (before their COMMENTs).

    One scratch database for all the files: opening one costs tens of milliseconds,
    paid every night.
    """
    scratch = duckdb.connect()
    try:
        for ddl in ddls:
            scratch.execute(ddl)
        wanted = scratch.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() ORDER BY column_index"
        ).fetchall()
    finally:
        scratch.close()
    have = set(con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall())
    tables = {t for t, _ in have}
    for table, column, dtype in wanted:
        if table in tables and (table, column) not in have:
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {dtype}')


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    # Files applied whole as they are now (schema.apply_tables) need no second pass: a
    # changed file, or a new column whose comment could not apply yet, is not current.
    if not schema.tables_current(con):
        ddls = [schema.sql_text(f"linkage/{name}") for name in TABLE_FILES]
        _add_new_columns(con, ddls)
        for ddl in ddls:
            con.execute(ddl)
    dropped = con.execute(
        "SELECT count(*) FROM duckdb_columns() "
        "WHERE table_name = 'link_run' AND column_name = 'model_json'"
    ).fetchall()[0][0]
    for statement in MIGRATIONS:
        if "model_json" in statement and not dropped:
            continue
        con.execute(statement)
    # Runs of an older warehouse linked every row from scratch.
    con.execute("UPDATE link_run SET mode = 'full' WHERE mode IS NULL")


def write_thresholds(con: duckdb.DuckDBPyConnection) -> None:
    """The thresholds the warehouse's SQL reads (review_queue), from the constants above.

    A macro stored in the warehouse, so the view and the code share one number.
    """
    con.execute(
        "CREATE OR REPLACE MACRO conflict_review_weight() AS "
        f"CAST({float(CONFLICT_REVIEW_WEIGHT)!r} AS DOUBLE)"
    )
    con.execute(
        "COMMENT ON MACRO conflict_review_weight IS 'Match weight from which a pair a conflict "
        "rule refused goes to review (CONFLICT_REVIEW_WEIGHT in ppks/link/persons.py).'"
    )


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    write_thresholds(con)
    schema.apply_models(con, ("linkage",))


def _ref_year(con: duckdb.DuckDBPyConnection) -> int:
    year = con.execute(
        "SELECT max(year(coalesce(tanggal_kegiatan, bulan_laporan))) FROM source_record"
    ).fetchall()[0][0]
    return int(year) if year else dt.date.today().year


def _row_identity(file: str, sheet: str, row: int) -> str:
    return f"{file}\x1f{sheet}\x1f{row}"


def _resolve_decisions(features: pl.DataFrame, decisions_path):
    """The latest decision per pair, resolved to record ids: (table rows, must, cannot).

    `features` holds unique_id, source_file, sheet, row_number of every row
    that a decision may name.
    """
    all_decisions = read_decisions(decisions_path)
    if not all_decisions:  # a map of every row is a Python object per row: none needed
        return [], [], []
    by_row: dict[tuple, int] = {}
    for uid, f, s, r in (
        features.select("unique_id", "source_file", "sheet", "row_number")
        .sort("unique_id")
        .iter_rows()
    ):
        by_row.setdefault((f, s or "", int(r)), uid)  # a row reloaded twice: the first
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


def _registry(con: duckdb.DuckDBPyConnection, features: pl.DataFrame, ids: set[str]):
    """Age and status of the ids this clustering can see (the previous ids of its rows and
    ``ids``), registering ids found on rows but unknown (older rules).

    Only those ids are read: a night that touches a few persons must not read every id
    ever given. ``given_of`` says which of some new ids were handed out before.
    """
    legacy = (
        features.filter(pl.col("previous_person_id").is_not_null())
        .group_by("previous_person_id")
        .agg(pl.col("unique_id").min())
        .sort("unique_id")
    )
    wanted = sorted(ids | set(legacy["previous_person_id"].to_list()))
    known = _identities(con, wanted)
    age = {pid: (seq, pid) for pid, seq, _ in known}
    active = {pid for pid, _, status in known if status == "active"}
    next_seq = (
        con.execute("SELECT coalesce(max(created_seq), 0) FROM person_identity").fetchall()[0][0]
        + 1
    )
    registered = []
    for pid, _ in legacy.iter_rows():
        if pid not in age:
            age[pid] = (next_seq, pid)
            registered.append((pid, next_seq))
            active.add(pid)
            next_seq += 1
    fresh = {pid for pid, _ in registered}

    def given_of(candidates: list[str]) -> set[str]:
        return {pid for pid, _, _ in _identities(con, candidates)} | (fresh & set(candidates))

    return age, active, registered, next_seq, given_of


def _identities(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[tuple]:
    """(person_id, created_seq, status) of these ids in person_identity."""
    if not ids:
        return []
    con.register("_pids", pl.DataFrame({"person_id": ids}, schema={"person_id": pl.Utf8}))
    try:
        return con.execute(
            "SELECT person_id, created_seq, status FROM person_identity "
            "SEMI JOIN _pids USING (person_id) ORDER BY created_seq"
        ).fetchall()
    finally:
        with contextlib.suppress(duckdb.TransactionException):
            con.unregister("_pids")


# While linkage runs, its own connection and the warehouse's share the one limit:
# two connections with the whole limit each were the first night's peak.
LINKAGE_SHARE = 2 / 3


def _connect_linkage(temp_directory: Path | None) -> duckdb.DuckDBPyConnection:
    config = {"memory_limit": memory_limit(LINKAGE_SHARE)}
    if temp_directory is not None:
        config["temp_directory"] = str(temp_directory)
    return duckdb.connect(config=config)


def link_persons(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    decisions_path: Path | str | None = None,
    retrain: bool = False,
    link_weight: float = LINK_WEIGHT,
    review_weight: float = REVIEW_WEIGHT,
    temp_directory: Path | None = None,
) -> LinkSummary:
    """Assign source_record.person_id on `con` for this night and write the link tables.

    Trains and links every row when `store.training_reason` says so (or
    `retrain`); otherwise links only what is new since the last night: new
    rows, rows that left with a replaced file, new reviewer decisions. Writes
    person_link, person_identity, person_id_history, review_decision, link_run,
    and the stored state (link_model, link_feature, link_term_count).
    """
    started = time.perf_counter()
    ensure_tables(con)
    rows = con.execute("SELECT count(*) FROM source_record").fetchall()[0][0]
    stored = store.current_model(con)
    reason = store.training_reason(con, stored, retrain=retrain, rows=rows)
    mem = _connect_linkage(temp_directory)
    try:
        if reason is not None:
            summary = _link_all(
                con, mem, run_id, decisions_path, reason, link_weight, review_weight
            )
        else:
            summary = _link_new(
                con, mem, run_id, decisions_path, stored, link_weight, review_weight
            )
    finally:
        mem.close()
    if summary.mode != "none":  # recreating a view drops its comments: only when data moved
        apply_views(con)
    summary.seconds = round(time.perf_counter() - started, 2)
    _write_run(con, summary, link_weight, review_weight)
    return summary


# The columns of the features a first night reads after clustering (_assign_and_write).
KEPT_FEATURES = ("unique_id", "source_file", "sheet", "row_number", "previous_person_id")
# What an incremental night reads of the stored features of the rows it clusters: their
# Row (clustering) and their place in their file. Every stored column (the lists of
# address and household tokens among them) was read of every row of the history to
# keep these rows'.
CLUSTERED_FEATURES = (*clustering.ROW_COLUMNS, "source_file", "sheet", "row_number")


def _link_all(con, mem, run_id, decisions_path, reason, link_weight, review_weight) -> LinkSummary:
    features, common = build_features(con, mem, ref_year=_ref_year(con))
    feature_columns = features.head(0)  # a night's new rows have these (_prime_scoring_sql)
    rows = features.height
    trained = model.train(mem, rows)
    saved = store.save_model(
        con, run_id=run_id, reason=reason, rows=rows, trained=trained, common=common
    )
    store.replace_features(con, features)
    pairs = (
        model.predict(
            mem,
            trained.settings,
            floor_weight=min(FLOOR_WEIGHT, review_weight),
            term_frequencies=store.term_frequency_tables(con, trained.settings),
            token_frequencies=store.token_frequency_table(con),
        )
        if rows > 1
        else ScoredPairs.empty()
    )
    decision_rows, must, cannot = _resolve_decisions(features, decisions_path)
    record_rows = clustering.rows_from_features(features, common)
    # What the rest of the night reads of the features: the row's place in its file and
    # its previous person. Every other column (names, tokens, dates) was a second copy of
    # the rows beside their Row objects until the night's end.
    features = features.select(KEPT_FEATURES)
    strong = pairs.strong(link_weight)
    result = clustering.cluster(
        record_rows, strong.iter_rows(), must_link=must, cannot_link=cannot, in_order=True
    )
    ordered = scored_pairs.ordered_statuses(strong, result.ordered_status, result.ordered_conflict)
    del strong
    result.ordered_status = None
    result.ordered_conflict = {}
    all_rows = set(record_rows)
    del record_rows  # a Python object per row and per name token: not needed past clustering
    previous = {
        uid: pid
        for uid, pid in features.select("unique_id", "previous_person_id").iter_rows()
        if pid is not None
    }
    considered = {
        pid
        for (pid,) in con.execute(
            "SELECT person_id FROM person_identity WHERE status = 'active'"
        ).fetchall()
    }
    counts = _assign_and_write(
        con, run_id, features, result, previous, considered, all_rows,
        "every row of the person left the warehouse; a retrain found no row for it",
    )  # fmt: skip
    del features, previous, all_rows
    status_rows = _pair_status(
        pairs, result, counts.pop("person_of"), must, cannot, review_weight, ordered
    )
    del result, ordered  # a status per strong pair, now in table link_pair_status
    write.links(
        con, mem, run_id=run_id, settings=trained.settings, pairs=pairs,
        status_rows=status_rows, replace_all=True,
    )  # fmt: skip
    write.link_persons_of(con, None)
    write.decisions(con, run_id, decision_rows)
    _prime_scoring_sql(con, mem, saved, feature_columns, review_weight)
    return _summary(
        run_id, "full", con, saved, rows_new=rows, rows_removed=0, pairs=pairs,
        status_rows=status_rows, counts=counts, decision_rows=decision_rows,
        trained=True, notes=[f"trained: {reason}", *trained.notes],
    )  # fmt: skip


def _link_new(con, mem, run_id, decisions_path, stored, link_weight, review_weight) -> LinkSummary:
    new_ids, removed = store.rows_without_features_and_back(con)
    rows_new = len(new_ids)
    decision_rows, must, cannot = [], [], []
    if read_decisions(decisions_path):  # mapping every row to its identity costs a second
        everyone = con.sql(
            "SELECT record_id AS unique_id, source_file, sheet, row_number FROM source_record"
        ).pl()
        decision_rows, must, cannot = _resolve_decisions(everyone, decisions_path)
    fresh = _new_decisions(con, decision_rows)
    if not rows_new and not removed and not fresh:
        write.decisions(con, run_id, decision_rows)
        return _summary(
            run_id, "none", con, stored, rows_new=0, rows_removed=0, pairs=ScoredPairs.empty(),
            status_rows=[], counts=None, decision_rows=decision_rows, trained=False, notes=[],
        )  # fmt: skip

    # The new rows' ids as a table, and their range: the scan of source_record reads
    # only the row groups at its end (the rows come in id order).
    con.register("_new_ids", pl.DataFrame({"record_id": new_ids}, schema={"record_id": pl.Int64}))
    try:
        new_features, _ = build_features(
            con,
            mem,
            ref_year=_ref_year(con),
            where=(
                f"WHERE record_id BETWEEN {new_ids[0]} AND {new_ids[-1]} "
                "AND record_id IN (SELECT record_id FROM _new_ids)"
                if new_ids
                else "WHERE false"
            ),
            common=stored.common,
            token_counts=store.token_counts(con),
        )
    finally:
        con.unregister("_new_ids")
    store.add_features(con, new_features)
    pairs = _score_new(con, mem, stored, new_features, review_weight)
    _keep_scoring_sql(con, stored)

    # Rows of persons the night touches: through a scored pair, a new decision, a
    # row that left. Removed rows stay as anchors of their person for tonight.
    touched_rows = set(new_features["unique_id"].to_list()) | pairs.row_ids()
    fresh_pairs = [(d["record_id_a"], d["record_id_b"], d["decision"]) for d in fresh]
    for a, b, _ in fresh_pairs:
        touched_rows |= {a, b}
    touched_rows |= set(removed)
    person_rows = _person_rows(con, touched_rows, removed)
    persons = {pid for pid in person_rows["person_id"].to_list() if pid is not None}
    # A person a reviewer now says holds two people is clustered again from its rows.
    loose = {
        pid
        for a, b, decision in fresh_pairs
        if decision == "different"
        for pid in person_rows.filter(pl.col("unique_id").is_in([a, b]))["person_id"].to_list()
        if pid is not None
    }
    clustered_ids = set(person_rows["unique_id"].to_list()) | touched_rows
    _register_ids(con, clustered_ids)
    try:
        features = con.sql(
            f"SELECT {', '.join(f'f.{c}' for c in CLUSTERED_FEATURES)} FROM link_feature AS f "
            "SEMI JOIN _ids USING (unique_id) ORDER BY unique_id"
        ).pl()
    finally:
        con.unregister("_ids")
    features = features.join(
        person_rows.select("unique_id", pl.col("person_id").alias("previous_person_id")),
        on="unique_id",
        how="left",
    )
    record_rows = clustering.rows_from_features(features, stored.common)
    # One list per person, in the order the persons first appear: a frame per group
    # (iterating group_by) cost a few tenths of a millisecond each, thousands a night.
    established = (
        person_rows.filter(
            pl.col("person_id").is_not_null() & ~pl.col("person_id").is_in(sorted(loose))
        )
        .group_by("person_id", maintain_order=True)
        .agg("unique_id")["unique_id"]
        .to_list()
    )
    stored_edges = _stored_edges(con, person_rows, loose, link_weight)
    edges = pairs.strong(link_weight).rows() + stored_edges
    in_set = set(record_rows)
    must_here = [(a, b) for a, b in must if a in in_set and b in in_set]
    cannot_here = [(a, b) for a, b in cannot if a in in_set and b in in_set]
    result = clustering.cluster(
        record_rows, edges, must_link=must_here, cannot_link=cannot_here, established=established
    )
    previous = {
        uid: pid
        for uid, pid in features.select("unique_id", "previous_person_id").iter_rows()
        if pid is not None
    }
    active_rows = set(record_rows) - set(removed)
    counts = _assign_and_write(
        con, run_id, features, result, previous, persons, active_rows,
        "every row of the person was in a file that a corrected file replaced, "
        "and no row of the corrected file links to it",
    )  # fmt: skip
    status_rows = _pair_status(
        pairs, result, counts["person_of"], must_here, cannot_here, review_weight
    )
    # Stored pairs of a person clustered again keep their weight; their status follows.
    status_rows += [
        (a, b, result.edge_status[(a, b)], result.edge_conflict.get((a, b)))
        for a, b, _ in stored_edges
        if (a, b) in result.edge_status
    ]
    write.links(
        con, mem, run_id=run_id, settings=stored.settings, pairs=pairs,
        status_rows=status_rows, replace_all=False,
    )  # fmt: skip
    store.drop_features(con, removed)
    if removed:
        gone = pl.DataFrame({"rid": removed}, schema={"rid": pl.Int64})
        con.register("_gone", gone)
        try:
            con.execute(
                "DELETE FROM person_link WHERE record_id_l IN (SELECT rid FROM _gone) "
                "OR record_id_r IN (SELECT rid FROM _gone)"
            )
        finally:
            con.unregister("_gone")
    write.link_persons_of(
        con, _rows_of_stale_pairs(active_rows - set(new_ids), previous, counts, status_rows)
    )
    write.decisions(con, run_id, decision_rows)
    return _summary(
        run_id, "incremental", con, stored, rows_new=rows_new, rows_removed=len(removed),
        pairs=pairs, status_rows=status_rows, counts=counts, decision_rows=decision_rows,
        trained=False, notes=[], persons_touched=len(persons),
    )  # fmt: skip


def _rows_of_stale_pairs(stored_rows, previous, counts, status_rows) -> list[int]:
    """The rows whose pairs in person_link may name a person they no longer have: the
    stored rows clustered tonight whose person changed, and the rows of pairs written
    without persons (a reviewer's pair no one scored, `write.links`).

    Every other pair names its rows' persons already: tonight's scored pairs (all of a
    new row's pairs) are written with them, and a row that kept its person kept its
    pairs' names. Renaming the pairs of every row of every person touched read them
    all, twice over person_link (1.3 s CPU of a two-year night's 9 s of linkage, 0.1 s
    at six months), for the few pairs a merge or a split renames.
    """
    person_of = counts["person_of"]
    changed = {uid for uid in stored_rows if person_of.get(uid) != previous.get(uid)}
    changed.update(uid for a, b, _, _ in status_rows for uid in (a, b))
    return sorted(changed)


def _register_ids(con, ids: set[int]) -> None:
    con.register("_ids", pl.DataFrame({"unique_id": sorted(ids)}, schema={"unique_id": pl.Int64}))


def _score_new(con, mem, stored, new_features: pl.DataFrame, review_weight) -> ScoredPairs:
    """Pairs with at least one new row: new against new and new against stored rows.

    The pairs are blocked here, on the warehouse's link_feature, and handed to Splink
    to score (`incremental.blocked_pairs_sql`, the same pairs and rule numbers as
    Splink's blocking of `model.only_new_pairs`): finding the stored rows first and
    letting Splink block them again with the new ones joined every rule twice, and
    each of Splink's split rules carried the exclusions of every rule before it.
    """
    if new_features.is_empty():
        return ScoredPairs.empty()
    # Here: sqlglot reads the blocking rules and the comparisons, and a night with
    # nothing new never needs it.
    from ppks.link import alike
    from ppks.link.incremental import blocked_pairs_sql

    new_rows = new_features.drop("previous_person_id", strict=False)
    con.register("_new", new_rows)
    try:
        blocked = con.sql(blocked_pairs_sql(stored.settings, new_rows)).pl()
        if blocked.is_empty():
            return ScoredPairs.empty()
        # Only what scoring reads: the rows are grouped by it, and Splink and the
        # given-name adjustment read nothing else of them (0.65 -> 0.45 s CPU for the
        # 197,000 stored rows of a two-year night).
        columns = alike.scored_columns(stored.settings)
        con.register("_blocked", blocked)
        try:
            old = con.sql(
                _stored_scored_rows_sql(columns) + " SEMI JOIN ("
                "SELECT join_key_l AS unique_id FROM _blocked "
                "UNION SELECT join_key_r FROM _blocked) USING (unique_id) "
                "WHERE f.unique_id NOT IN (SELECT unique_id FROM _new)"
            ).pl()
        finally:
            con.unregister("_blocked")
    finally:
        con.unregister("_new")
    # Stored rows equal in every scored column are scored once per new row (alike.py).
    scored, copied = alike.representatives(blocked, old, columns)
    old = old.join(
        scored.select(unique_id=pl.concat_list("join_key_l", "join_key_r")).explode("unique_id"),
        on="unique_id",
        how="semi",
    )
    _predict_pairs(con, mem, stored, new_rows, old, scored, review_weight)
    alike.copy_scores(mem, copied)
    return ScoredPairs.of_table(mem)


def _predict_pairs(con, mem, stored, new_rows, old, blocked, review_weight) -> None:
    """Splink's scores of the `blocked` pairs of the new rows and the stored rows `old`,
    in table link_pairs on `mem`, with the statements Splink sends kept for the model
    (`stored.kept`, scoring_sql.py) or replayed from it."""
    # The new rows with the stored rows' columns alone: Splink copies every column of its
    # input into its tables of each side's rows, and scoring reads no other (the new
    # rows' other 14, null on the stored rows, cost it 0.035 s CPU at six months).
    # Their is_new flag is for Splink's own blocking (model.only_new_pairs), not used here.
    frame = pl.concat([new_rows.select(old.columns), old], how="vertical_relaxed").sort("unique_id")
    # Splink reads link_input twice (the rows of the pairs, each side) and the given-name
    # adjustment once: the frame is read where it is, not copied into a table first.
    mem.unregister("link_input")
    mem.execute("DROP TABLE IF EXISTS link_input")  # the new rows' features (build_features)
    mem.register("link_input", frame)
    model.predict(
        mem,
        stored.settings,
        floor_weight=min(FLOOR_WEIGHT, review_weight),
        term_frequencies=store.term_frequency_tables(con, stored.settings),
        token_frequencies=store.token_frequency_table(con),
        blocked_pairs=blocked,
        kept_sql=stored.kept,
    )


def _stored_scored_rows_sql(columns: list[str]) -> str:
    return f"SELECT f.unique_id, {', '.join(f'f.{c}' for c in columns)} FROM link_feature AS f"


def _keep_scoring_sql(con, stored) -> None:
    """The statements Splink sent to score with the model, kept for the nights after
    (only after a scoring that missed: a night that replayed them writes nothing)."""
    if stored.kept.recorded is not None:
        store.keep_scoring_sql(con, stored.version, stored.kept.recorded)
        stored.kept.text, stored.kept.recorded = stored.kept.recorded, None


def _prime_scoring_sql(con, mem, stored, features: pl.DataFrame, review_weight) -> None:
    """Splink's statements for the model just trained, recorded by scoring no pair (the
    tables empty, their columns those of a night's), so that the first night after
    replays them too: a night's scoring asks Splink only for the columns of its tables.

    Only for a trained model: one with prior parameters (a few hundred rows) is replaced
    by the first night with rows enough to train, and small tests would pay a Linker
    for nothing on every first night."""
    if not stored.trained:
        return
    from ppks.link import alike  # sqlglot: as _score_new

    columns = alike.scored_columns(stored.settings)
    old = con.sql(_stored_scored_rows_sql(columns) + " LIMIT 0").pl()
    new_rows = features.head(0).drop("previous_person_id", strict=False)
    blocked = pl.DataFrame(
        schema={"match_key": pl.Utf8, "join_key_l": pl.Int64, "join_key_r": pl.Int64}
    )
    _predict_pairs(con, mem, stored, new_rows, old, blocked, review_weight)
    _keep_scoring_sql(con, stored)


def _person_rows(con, touched_rows: set[int], removed: list[int]) -> pl.DataFrame:
    """unique_id, person_id of every row of every person that holds a touched row.

    Removed rows (their file was replaced tonight) come from source_record_history.
    """
    _register_ids(con, touched_rows)
    try:
        sources = ["SELECT record_id, person_id FROM source_record"]
        if removed:
            sources.append(
                "SELECT record_id, person_id FROM source_record_history "
                f"WHERE record_id IN ({', '.join(str(int(r)) for r in removed)})"
            )
        union = " UNION ALL ".join(sources)
        return con.sql(
            f"WITH everyone AS ({union}), "
            "hit AS (SELECT DISTINCT e.person_id FROM everyone AS e "
            "JOIN _ids ON _ids.unique_id = e.record_id WHERE e.person_id IS NOT NULL) "
            "SELECT DISTINCT e.record_id AS unique_id, e.person_id FROM everyone AS e "
            "SEMI JOIN hit USING (person_id) "
            "UNION SELECT e.record_id, e.person_id FROM everyone AS e "
            "JOIN _ids ON _ids.unique_id = e.record_id WHERE e.person_id IS NULL "
            "ORDER BY 1"
        ).pl()
    finally:
        con.unregister("_ids")


def _stored_edges(con, person_rows: pl.DataFrame, loose: set[str], link_weight) -> list:
    """Stored strong pairs inside persons that are clustered again (a reviewer split them)."""
    if not loose:
        return []
    ids = person_rows.filter(pl.col("person_id").is_in(sorted(loose)))["unique_id"].to_list()
    _register_ids(con, set(ids))
    try:
        return con.execute(
            "SELECT record_id_l, record_id_r, match_weight FROM person_link "
            "WHERE match_weight >= ? AND record_id_l IN (SELECT unique_id FROM _ids) "
            "AND record_id_r IN (SELECT unique_id FROM _ids)",
            [link_weight],
        ).fetchall()
    finally:
        con.unregister("_ids")


def _new_decisions(con, decision_rows: list[dict]) -> list[dict]:
    """Applied decisions the previous night did not apply (new, or changed)."""
    before = previous_decisions(con)
    return [
        d
        for d in decision_rows
        if d["applied"] == "applied"
        and (d["record_id_a"], d["record_id_b"], d["decision"]) not in before
    ]


def _assign_and_write(con, run_id, features, result, previous, considered, active_rows, detail):
    row_identity = {
        uid: _row_identity(f, s or "", r)
        for uid, f, s, r in features.select(
            "unique_id", "source_file", "sheet", "row_number"
        ).iter_rows()
    }
    age, active, registered, next_seq, given_of = _registry(con, features, considered)
    changes = identity.assign(
        result.cluster_of,
        previous,
        row_identity,
        {pid: age[pid] for pid in active},
        given_of,
    )
    retired = write.identity_changes(
        con,
        run_id=run_id,
        changes=changes,
        registered=registered,
        next_seq=next_seq,
        considered=considered & active,
        active_rows=active_rows,
        retire_detail=detail,
    )
    moved = sum(
        1
        for uid, pid in changes.assignment.items()
        if uid in active_rows and uid in previous and previous[uid] != pid
    )
    return {
        "person_of": changes.assignment,
        "created": len(changes.created),
        "merges": len(changes.merges),
        "splits": len(changes.splits),
        "retired": len([r for r in retired if r not in {m[0] for m in changes.merges}]),
        "moved": moved,
    }


def _summary(
    run_id, mode, con, stored, *, rows_new, rows_removed, pairs, status_rows, counts,
    decision_rows, trained, notes, persons_touched=None,
) -> LinkSummary:  # fmt: skip
    # Scored pairs are counted where they are (link_pair_status); the others (decided
    # pairs not scored, stored pairs clustered again) have no weight tonight.
    statuses, sure_conflicts = pairs.status_counts(CONFLICT_REVIEW_WEIGHT)
    statuses.update(s for _, _, s, _ in status_rows)
    rows, persons = con.execute(
        "SELECT count(*), count(DISTINCT person_id) FROM source_record"
    ).fetchall()[0]
    counts = counts or {}
    return LinkSummary(
        run_id=run_id,
        mode=mode,
        rows=rows,
        rows_new=rows_new,
        rows_removed=rows_removed,
        pairs_scored=pairs.height,
        links=statuses["linked"],
        conflicts=statuses["conflict"],
        review_pairs=statuses["review"] + sure_conflicts,
        persons=persons,
        persons_touched=persons if mode == "full" else persons_touched or 0,
        persons_new=counts.get("created", 0),
        merges=counts.get("merges", 0),
        splits=counts.get("splits", 0),
        retired=counts.get("retired", 0),
        rows_moved=counts.get("moved", 0),
        decisions_applied=sum(1 for d in decision_rows if d["applied"] == "applied"),
        trained=trained,
        model_version=stored.version if stored is not None else None,
        seconds=0.0,
        notes=notes,
    )


def _write_run(con, summary: LinkSummary, link_weight: float, review_weight: float) -> None:
    row = {
        "run_id": summary.run_id, "mode": summary.mode, "model_version": summary.model_version,
        "rows_linked": summary.rows, "rows_new": summary.rows_new,
        "rows_removed": summary.rows_removed, "pairs_scored": summary.pairs_scored,
        "links": summary.links, "conflicts": summary.conflicts,
        "review_pairs": summary.review_pairs, "persons": summary.persons,
        "persons_touched": summary.persons_touched, "persons_new": summary.persons_new,
        "merges": summary.merges, "splits": summary.splits, "retired": summary.retired,
        "rows_moved": summary.rows_moved, "decisions_applied": summary.decisions_applied,
        "link_weight": link_weight, "review_weight": review_weight,
        "trained": summary.trained, "seconds": summary.seconds,
        "notes": "; ".join(summary.notes) or None,
    }  # fmt: skip
    con.execute("DELETE FROM link_run WHERE run_id = ?", [summary.run_id])
    # One row, by parameters: a frame would go through Arrow, whose import alone is a
    # third of a quiet night.
    insert_row(con, "link_run", row)


def _pair_status(pairs: ScoredPairs, result, person_of, must, cannot, review_weight, ordered=None):
    """The status of every scored pair, as table link_pair_status beside the pairs
    (pairs.write_status), and (l, r, status, conflict) of every decided pair not scored.

    ordered: the statuses of the edges clustering took in order, by position
    (pairs.ordered_statuses); result.edge_status then holds only the decided pairs."""
    scored_pairs.write_status(
        pairs, result.edge_status, result.edge_conflict, person_of, cannot, review_weight,
        ordered=ordered,
    )  # fmt: skip
    out = []
    seen = pairs.among([*must, *cannot])
    must_set = set(must)
    for a, b in [*must, *cannot]:
        if (a, b) not in seen:
            seen.add((a, b))
            status = result.edge_status.get((a, b)) or (
                "reviewer_same" if (a, b) in must_set else "reviewer_different"
            )
            out.append((a, b, status, result.edge_conflict.get((a, b))))
    return out
