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
LEVELS = (
    "same_tokens_or_core",
    "similar_core",
    "holds_other",
    "shares_rare_token",
)

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


GIVEN_TABLE = "link_given"
# The rows' columns ADJUST_SQL reads (alike.py groups the rows that score alike by them).
COLUMNS = ("name_core", "name_rarest")

# The adjustment of every pair of {source} in a partial name level, from the rows of
# link_input and the token shares of _given_tokens (token, tf). Written to match the
# Polars expression it replaced to the last bit: log(tf, 2) is ln(tf) / ln(2) there,
# a share of 0 is an infinite rarity (clipped to the level's highest), no share: 0.
ADJUST_SQL = """
CREATE OR REPLACE TEMP TABLE {given} AS
WITH partial AS (
    SELECT unique_id_l, unique_id_r, {gamma} AS gamma FROM {source} WHERE {gamma} IN ({levels})
),
named AS (
    SELECT unique_id, string_split(name_core, ' ') AS core, name_rarest FROM link_input
),
sided AS (
    SELECT p.*, a.core AS core_l, b.core AS core_r, tl.tf AS tf_l, tr.tf AS tf_r
    FROM partial AS p
    LEFT JOIN named AS a ON a.unique_id = p.unique_id_l
    LEFT JOIN named AS b ON b.unique_id = p.unique_id_r
    LEFT JOIN _given_tokens AS tl ON tl.token = a.name_rarest
    LEFT JOIN _given_tokens AS tr ON tr.token = b.name_rarest
),
shared AS (
    SELECT s.unique_id_l, s.unique_id_r, min(t.tf) AS tf_shared
    FROM (SELECT unique_id_l, unique_id_r, unnest(list_intersect(core_l, core_r)) AS token
          FROM sided) AS s
    JOIN _given_tokens AS t USING (token)
    GROUP BY s.unique_id_l, s.unique_id_r
),
rarity AS (
    SELECT s.unique_id_l, s.unique_id_r, s.gamma,
           coalesce(h.tf_shared, greatest(s.tf_l, s.tf_r)) AS tf
    FROM sided AS s LEFT JOIN shared AS h USING (unique_id_l, unique_id_r)
)
SELECT unique_id_l, unique_id_r,
    CASE WHEN tf IS NULL THEN 0.0
         ELSE least(greatest(
             CASE WHEN tf > 0 THEN $ref - ln(tf) / ln(2) ELSE CAST('inf' AS DOUBLE) END,
             CASE gamma {lows} END), CASE gamma {highs} END)
    END AS _given
FROM rarity
"""


def adjust(
    con: duckdb.DuckDBPyConnection,
    source: str,
    settings: dict,
    token_tf: pl.DataFrame | None,
) -> str | None:
    """The given-name adjustment of the pairs of table `source` (scored from table
    link_input): the name of a table (unique_id_l, unique_id_r, _given) of the pairs in a
    partial name level, or None when no pair is adjusted.

    Added to match_weight and to the name comparison's tf part (mw_tf_adj_nama) by the
    caller, in SQL: the pairs never leave DuckDB.
    """
    spec = settings.get(GIVEN_NAME_TF)
    if not spec or token_tf is None or token_tf.is_empty():
        return None
    limits = bounds(settings)
    gamma = f"gamma_{COMPARISON}"
    partial = con.execute(
        f"SELECT count(*) FROM {source} WHERE {gamma} IN ({', '.join(map(str, limits))})"
    ).fetchall()[0][0]
    if not partial:
        return None

    def cases(side: int) -> str:
        # The bound as its shortest exact text, read back as the same double.
        return " ".join(
            f"WHEN {g} THEN CAST('{float(b[side])!r}' AS DOUBLE)" for g, b in limits.items()
        )

    con.register("_given_tokens", token_tf.select("token", pl.col("tf").cast(pl.Float64)))
    try:
        con.execute(
            ADJUST_SQL.format(
                given=GIVEN_TABLE,
                source=source,
                gamma=gamma,
                levels=", ".join(map(str, limits)),
                lows=cases(0),
                highs=cases(1),
            ),
            {"ref": float(spec["log2_reference"])},
        )
    finally:
        con.unregister("_given_tokens")
    return GIVEN_TABLE
