"""What linkage keeps in the warehouse from one night to the next.

- ``link_model``: every trained model, versioned, with the run that trained it
  and why; the newest is the one every night scores with.
- ``link_feature``: the linkage features of every loaded row, computed once,
  when the row arrives (rows of a replaced file stay until their night is over,
  so a corrected file can find the persons of the rows it replaces).
- ``link_term_count``: how often each name key, birth date and name token
  occurs over all rows: Splink's term-frequency tables and the rarity of a
  name token, kept up to date by adding the night's rows instead of counting
  every row again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import duckdb
import polars as pl

from ppks.link import features as feature_sql
from ppks.link import given_names, model
from ppks.link import scoring_sql as scoring_sql_module
from ppks.normalise import names

# A model is trained again when the rows grew by more than this share since it
# was trained: u probabilities and term frequencies drift as the data grows, and
# a third keeps a retrain to a few times a year at the province's pace.
RETRAIN_GROWTH = 1 / 3
TF_TERMS = ("name_key", "dob")
TOKEN_TERM = "name_token"


@dataclass(frozen=True)
class StoredModel:
    version: int
    settings: dict
    common: frozenset[str]
    rows_trained: int
    trained: bool
    rules_sha: str
    # The statements Splink sent to score with this model (scoring_sql.py), or None.
    scoring_sql: str | None = None
    # What a night replays of them, and what it records when they miss.
    kept: scoring_sql_module.Kept = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kept", scoring_sql_module.Kept(self.scoring_sql))


def rules_fingerprint() -> str:
    """Changes when the code's features, comparisons or blocking rules change."""
    text = json.dumps(
        [
            feature_sql.FEATURES_SQL,
            feature_sql.HOUSEHOLD_MAX,
            feature_sql.NO_FIXED_HOME_WORDS,
            feature_sql.NO_HOME_CATEGORIES,
            feature_sql.ADULT_AGE,
            feature_sql.SOURCE_SQL,
            sorted(feature_sql.COMMON_TOKENS),
            model.settings_dict(),
            model.MAX_WEIGHT,
            model.MIN_WEIGHT,
            model.MIN_WEIGHT_OF,
            model.COUNTED_U,
            model.COUNTED_M,
            model.NO_HOME_SHARE_SQL,
            given_names.LEVELS,
            given_names.REFERENCE_SQL,
            names.NAME_KEY_VERSION,
            sorted(feature_sql.TITLES_AFTER),  # features._name_parts drops them from the key
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current_model(con: duckdb.DuckDBPyConnection) -> StoredModel | None:
    # Every column: a warehouse of older code has no scoring_sql until its next night's
    # linkage adds it, and the look at the inbox reads the model before that.
    result = con.execute("SELECT * FROM link_model ORDER BY model_version DESC LIMIT 1")
    row = result.fetchall()
    if not row:
        return None
    model_row = dict(zip([d[0] for d in result.description], row[0], strict=True))
    return StoredModel(
        model_row["model_version"],
        json.loads(model_row["settings_json"]),
        frozenset(model_row["common_tokens"]),
        model_row["rows_trained"],
        model_row["trained"],
        model_row["rules_sha"],
        model_row.get("scoring_sql"),
    )


def keep_scoring_sql(con: duckdb.DuckDBPyConnection, version: int, text: str) -> None:
    """Splink's statements for scoring with model `version`, for the nights after."""
    con.execute("UPDATE link_model SET scoring_sql = ? WHERE model_version = ?", [text, version])


def training_reason(
    con: duckdb.DuckDBPyConnection, stored: StoredModel | None, *, retrain: bool, rows: int
) -> str | None:
    """Why this night must train a model (and link every row again), or None."""
    if stored is None:
        return "no model yet"
    if retrain:
        return "retrain requested"
    if stored.rules_sha != rules_fingerprint():
        return "the linkage rules of the code changed"
    if not stored.trained and rows >= model.MIN_ROWS_TO_TRAIN:
        return f"{rows} rows: enough to train (the model in use has prior parameters)"
    if rows > stored.rows_trained * (1 + RETRAIN_GROWTH):
        return f"rows grew from {stored.rows_trained} to {rows}, more than a third"
    if con.execute("SELECT count(*) FROM link_feature").fetchall()[0][0] == 0 and rows:
        return "no stored features"
    return None


def save_model(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    reason: str,
    rows: int,
    trained: model.TrainedModel,
    common: frozenset[str],
) -> StoredModel:
    version = con.execute("SELECT coalesce(max(model_version), 0) + 1 FROM link_model").fetchall()[
        0
    ][0]
    sha = rules_fingerprint()
    row = {
        "model_version": version,
        "trained_run_id": run_id,
        "trained_at": dt.datetime.now(),
        "reason": reason,
        "rows_trained": rows,
        "trained": trained.trained,
        "settings_json": json.dumps(trained.settings, default=str),
        "common_tokens": sorted(common),
        "rules_sha": sha,
        "notes": "; ".join(trained.notes) or None,
    }
    con.execute(
        f"INSERT INTO link_model ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    return StoredModel(version, trained.settings, common, rows, trained.trained, sha)


def _feature_rows(features: pl.DataFrame) -> pl.DataFrame:
    return features.drop("previous_person_id", strict=False)


def replace_features(con: duckdb.DuckDBPyConnection, features: pl.DataFrame) -> None:
    """All rows' features, after a training night; a column the code added is added."""
    rows = _feature_rows(features)
    have = {
        c
        for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'link_feature'"
        ).fetchall()
    }
    con.execute("DELETE FROM link_feature")
    con.register("_features", rows)
    try:
        described = con.execute("SELECT column_name, column_type FROM (DESCRIBE _features)")
        for column, dtype in described.fetchall():
            if column not in have:
                con.execute(f'ALTER TABLE link_feature ADD COLUMN "{column}" {dtype}')
        con.execute("INSERT INTO link_feature BY NAME SELECT * FROM _features")
    finally:
        con.unregister("_features")
    replace_counts(con, features)


def add_features(con: duckdb.DuckDBPyConnection, features: pl.DataFrame) -> None:
    if features.is_empty():
        return
    con.register("_features", _feature_rows(features))
    try:
        con.execute("INSERT INTO link_feature BY NAME SELECT * FROM _features")
    finally:
        con.unregister("_features")
    change_counts(con, features, +1)


# The ids of the rows and of their features as a count, their bounds and a sum of their
# hashes: one scan of one column per table. Row ids only grow (tables.next_record_id)
# and a night adds the features of every row it loads, so a new row raises the rows'
# largest id above the features', and rows that only left lower the count; old rows
# without features (a warehouse older than the features) in exchange for as many rows
# that left would need the sums of the hashes to agree by chance as well.
_IDS_SUMMARY = "SELECT count({id}), min({id}), max({id}), sum(hash({id})) FROM {table}"


def features_match_rows(con: duckdb.DuckDBPyConnection) -> bool:
    """Every row of source_record has its features and every feature its row, told without
    joining the two histories (an anti join hashed every id ever loaded, every night)."""
    rows = con.execute(_IDS_SUMMARY.format(id="record_id", table="source_record")).fetchall()
    features = con.execute(_IDS_SUMMARY.format(id="unique_id", table="link_feature")).fetchall()
    return rows == features


def rows_without_features_and_back(con: duckdb.DuckDBPyConnection) -> tuple[list[int], list[int]]:
    """(ids of rows without features: new tonight, ids of features whose row left), in
    id order.

    A night that only added rows gives them ids above every id the features hold: when the
    rows up to the features' largest id summarise as the features do, the new rows are
    those above it (the scan of their ids reads only the last row groups) and none left.
    Otherwise (a replaced file's rows left) one join of the two id columns; the join read
    both whole histories every night that brought a file.
    """
    features = con.execute(_IDS_SUMMARY.format(id="unique_id", table="link_feature")).fetchall()
    top = features[0][2]
    if top is not None:
        below = con.execute(
            _IDS_SUMMARY.format(id="record_id", table="source_record") + " WHERE record_id <= ?",
            [top],
        ).fetchall()
        if below == features:
            new = con.execute(
                "SELECT record_id FROM source_record WHERE record_id > ? ORDER BY record_id",
                [top],
            ).fetchall()
            return [r for (r,) in new], []
    pairs = con.execute(
        "SELECT s.record_id, f.unique_id "
        "FROM (SELECT record_id FROM source_record WHERE record_id IS NOT NULL) AS s "
        "FULL JOIN (SELECT unique_id FROM link_feature) AS f ON f.unique_id = s.record_id "
        "WHERE s.record_id IS NULL OR f.unique_id IS NULL"
    ).fetchall()
    new = sorted(r for r, f in pairs if f is None)
    left = sorted(f for r, f in pairs if r is None)
    return new, left


def drop_features(con: duckdb.DuckDBPyConnection, record_ids: list[int]) -> None:
    """Rows that left source_record (their file was replaced): out of features and counts."""
    if not record_ids:
        return
    gone = pl.DataFrame({"unique_id": record_ids}, schema={"unique_id": pl.Int64})
    con.register("_gone", gone)
    try:
        leaving = con.sql(
            "SELECT f.* FROM link_feature AS f SEMI JOIN _gone USING (unique_id)"
        ).pl()
        con.execute("DELETE FROM link_feature WHERE unique_id IN (SELECT unique_id FROM _gone)")
    finally:
        con.unregister("_gone")
    change_counts(con, leaving, -1)


def _counts(features: pl.DataFrame) -> pl.DataFrame:
    parts = [
        features.select(pl.lit(term).alias("term"), pl.col(term).cast(pl.Utf8).alias("value"))
        for term in TF_TERMS
    ]
    parts.append(
        features.select(
            pl.lit(TOKEN_TERM).alias("term"), pl.col("name_tokens").alias("value")
        ).explode("value")
    )
    return (
        pl.concat(parts)
        .drop_nulls("value")
        .group_by("term", "value")
        .agg(pl.len().cast(pl.Int64).alias("n"))
    )


def replace_counts(con: duckdb.DuckDBPyConnection, features: pl.DataFrame) -> None:
    con.execute("DELETE FROM link_term_count")
    change_counts(con, features, +1)


def change_counts(con: duckdb.DuckDBPyConnection, features: pl.DataFrame, sign: int) -> None:
    if features.is_empty():
        return
    delta = _counts(features).with_columns(pl.col("n") * sign)
    con.register("_delta", delta)
    try:
        con.execute(
            "INSERT INTO link_term_count BY NAME SELECT term, value, n FROM _delta "
            "ON CONFLICT (term, value) DO UPDATE SET n = link_term_count.n + excluded.n"
        )
        con.execute("DELETE FROM link_term_count WHERE n <= 0")
    finally:
        con.unregister("_delta")


def token_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return dict(
        con.execute("SELECT value, n FROM link_term_count WHERE term = ?", [TOKEN_TERM]).fetchall()
    )


def token_frequency_table(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """token, tf: the share of rows (with a name) that carry each name token."""
    return con.sql(
        "SELECT value AS token, n / (SELECT sum(n) FROM link_term_count WHERE term = 'name_key') "
        "AS tf FROM link_term_count WHERE term = $term ORDER BY token",
        params={"term": TOKEN_TERM},
    ).pl()


def term_frequency_tables(
    con: duckdb.DuckDBPyConnection, settings: dict
) -> dict[str, pl.DataFrame]:
    """Splink's lookup table per term-frequency column: value, tf_<column> (share of rows)."""
    out = {}
    columns = {
        level["tf_adjustment_column"]
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }
    for column in sorted(columns):
        frame = con.sql(
            "SELECT value, n / sum(n) OVER () AS tf FROM link_term_count WHERE term = $term",
            params={"term": column},
        ).pl()
        if frame.is_empty():
            continue
        value = pl.col("value").str.to_date("%Y-%m-%d") if column == "dob" else pl.col("value")
        out[column] = frame.select(value.alias(column), pl.col("tf").alias(f"tf_{column}"))
    return out
