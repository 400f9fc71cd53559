"""Term frequency of given-name tokens: a rare given name agreeing counts more.

Splink's term-frequency adjustment covers the exact name key and the birth
date. A name that agrees only in part (a token left out, one letter wrong,
one token shared) weighed the same whether the token was "Muhammad" or
"Kartosuwiryo". Field practice: names are written with and without their
habitual prefixes and with typos (SOURCES.md: "Moch., M., Muh.", names
mistyped), so most pairs of one person without papers land in these partial
levels, where the rarity of the name is the evidence there is.

For a pair in one of LEVELS the adjustment is, in bits,

    log2(reference) - log2(tf)

where tf is the share of rows carrying the rarest non-common token both
names share (without one, the commoner of the two rows' rarest tokens: a
typo must not make a name rare), and the reference is the geometric mean,
over the rows the model was trained on, of the share of their own rarest
token: on average over true pairs the adjustment is zero, so the level's
trained weight stays what EM learned. Nothing is tuned: the reference comes
from the training rows, and the bounds from the model's own weights (a
partial agreement never weighs more than the exact name, nor less than a
different name).

Token shares come from `link_term_count` (term `name_token`, rows carrying
each token, kept up to date additively each night; store.py), so a night of
few rows weighs a name by the whole warehouse.
"""

from __future__ import annotations

import math

import duckdb
import polars as pl

# Key in the stored model's settings (stripped before Splink sees them).
GIVEN_NAME_TF = "ppks_given_name_tf"
COMPARISON = "nama"
LEVELS = ("same_tokens_or_core", "similar_core", "shares_rare_token")

REFERENCE_SQL = """
WITH named AS (
    SELECT name_tokens, name_rarest FROM link_input WHERE name_key IS NOT NULL
),
tokens AS (
    SELECT token, count(*) AS n FROM (SELECT unnest(name_tokens) AS token FROM named)
    GROUP BY token
)
SELECT avg(log2(t.n / (SELECT count(*) FROM named)))
FROM named JOIN tokens AS t ON named.name_rarest = t.token
"""


def reference(con: duckdb.DuckDBPyConnection) -> float | None:
    """log2 of the geometric mean share of a row's rarest token (table link_input)."""
    value = con.execute(REFERENCE_SQL).fetchall()[0][0]
    return None if value is None else round(float(value), 6)


def _level_weights(settings: dict) -> dict[str, tuple[int, float]]:
    """label -> (gamma value, weight) of the name comparison's non-null levels."""
    comparison = next(c for c in settings["comparisons"] if c["output_column_name"] == COMPARISON)
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    out = {}
    for i, level in enumerate(levels):
        weight = math.log2(level["m_probability"] / level["u_probability"])
        out[level["label_for_charts"]] = (len(levels) - 1 - i, weight)
    return out


def bounds(settings: dict) -> dict[int, tuple[float, float]]:
    """gamma value -> (lowest, highest) adjustment: never below a different name,
    never above the exact name."""
    weights = _level_weights(settings)
    exact, other = weights["exact"][1], weights["else"][1]
    return {
        gamma: (min(0.0, other - weight), max(0.0, exact - weight))
        for label, (gamma, weight) in weights.items()
        if label in LEVELS
    }


def max_boost(settings: dict) -> float:
    if GIVEN_NAME_TF not in settings:
        return 0.0
    return max((hi for _, hi in bounds(settings).values()), default=0.0)


def adjust(
    con: duckdb.DuckDBPyConnection,
    pairs: pl.DataFrame,
    settings: dict,
    token_tf: pl.DataFrame | None,
) -> pl.DataFrame:
    """Add the given-name adjustment to match_weight and to the name comparison's
    tf part (mw_tf_adj_nama), for pairs scored from table link_input."""
    spec = settings.get(GIVEN_NAME_TF)
    if not spec or pairs.is_empty() or token_tf is None or token_tf.is_empty():
        return pairs
    ref = spec["log2_reference"]
    limits = bounds(settings)
    lows = {g: lo for g, (lo, _) in limits.items()}
    highs = {g: hi for g, (_, hi) in limits.items()}
    ids = ["unique_id_l", "unique_id_r"]
    gamma = f"gamma_{COMPARISON}"
    partial = pairs.select(*ids, gamma).filter(pl.col(gamma).is_in(list(limits)))
    if partial.is_empty():
        return pairs
    rows = con.sql("SELECT unique_id, name_core, name_rarest FROM link_input").pl()
    rows = rows.select("unique_id", pl.col("name_core").str.split(" ").alias("core"), "name_rarest")
    tf = token_tf.select(pl.col("token"), pl.col("tf").cast(pl.Float64))
    for side in ("l", "r"):
        partial = partial.join(
            rows.rename(
                {"unique_id": f"unique_id_{side}", "core": f"core_{side}", "name_rarest": side}
            ),
            on=f"unique_id_{side}",
            how="left",
        ).join(tf.rename({"token": side, "tf": f"tf_{side}"}), on=side, how="left")
    shared = (
        partial.select(*ids, pl.col("core_l").list.set_intersection("core_r").alias("token"))
        .explode("token")
        .join(tf, on="token", how="inner")
        .group_by(ids)
        .agg(pl.col("tf").min().alias("tf_shared"))
    )
    adjustment = (
        partial.join(shared, on=ids, how="left")
        .with_columns(pl.coalesce("tf_shared", pl.max_horizontal("tf_l", "tf_r")).alias("tf"))
        .with_columns(
            (pl.lit(ref) - pl.col("tf").log(2))
            .clip(
                pl.col(gamma).replace_strict(lows, return_dtype=pl.Float64),
                pl.col(gamma).replace_strict(highs, return_dtype=pl.Float64),
            )
            .fill_null(0.0)
            .alias("_given")
        )
        .select(*ids, "_given")
    )
    tf_part = f"mw_tf_adj_{COMPARISON}"
    weight = pl.col("match_weight") + pl.col("_given")
    return (
        pairs.join(adjustment, on=ids, how="left", maintain_order="left")
        .with_columns(pl.col("_given").fill_null(0.0))
        .with_columns(
            weight.alias("match_weight"),
            (1 / (1 + pl.lit(2.0).pow(-weight))).alias("match_probability"),
            (pl.col(tf_part) + pl.col("_given")).alias(tf_part),
        )
        .drop("_given")
    )
