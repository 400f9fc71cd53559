"""Stored rows that score alike: one pair scored for each group of them.

A person reported every month repeats the same name, NIK, date and address report
after report, and a new row is paired with every stored row of its person (and of its
family card, its desa's namesakes): after two years of history a night of 5,300 rows
blocked 288,000 pairs against 75,000 at six months. Two stored rows equal in every
column scoring reads give the same comparison vector, weight and match_key against a
new row, so each group of them (with the new row on the same side of the pair: the
order of ids decides which row is Splink's l) is scored once, through its row of
smallest id, and the score copied to the others. person_link and clustering receive
every pair as before.

The columns are read from the model itself (each comparison level's SQL, its
term-frequency column) and from the given-name adjustment, never listed by hand: a
comparison that reads a new feature makes rows that differ in it score apart.
"""

from __future__ import annotations

import polars as pl
import sqlglot
from sqlglot import exp

from ppks.link import given_names
from ppks.link.pairs import TABLE as PAIRS_TABLE

# Splink's comparison levels name a row's column x as x_l and x_r.
_SIDES = ("_l", "_r")


def scored_columns(settings: dict) -> list[str]:
    """The feature columns that scoring a pair reads: of every comparison level (as
    Splink writes them, x_l / x_r), its term-frequency column, and the given-name
    adjustment's."""
    columns = set(given_names.COLUMNS)
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("tf_adjustment_column"):
                columns.add(level["tf_adjustment_column"])
            condition = level["sql_condition"]
            if condition.strip().upper() == "ELSE":
                continue
            for column in sqlglot.parse_one(condition, read="duckdb").find_all(exp.Column):
                name = column.name
                if not name.endswith(_SIDES):
                    raise ValueError(f"a comparison reads {name!r}, not a column of l or r")
                columns.add(name[:-2])
    return sorted(columns)


def representatives(
    blocked: pl.DataFrame, old: pl.DataFrame, columns: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the blocked pairs to score, every other blocked pair with the pair it takes its
    scores from).

    ``blocked``: match_key, join_key_l, join_key_r (Splink's blocked pairs); ``old``: the
    stored rows they hold (features; a pair's other row is new). A stored row's group is
    the smallest id of the stored rows equal to it in every scored column; a pair's
    representative, the one of smallest stored id among the pairs of one new row, one
    rule, one group, with the stored row on one side. A pair of two new rows is its own.
    The second frame: join_key_l, join_key_r, rep_l, rep_r.
    """
    # A window, not a group_by: the same groups, a fifth of the time on lists of tokens.
    group = old.select("unique_id", g=pl.col("unique_id").min().over(columns))
    left = group.rename({"unique_id": "join_key_l", "g": "g_l"})
    right = group.rename({"unique_id": "join_key_r", "g": "g_r"})
    stored_left = pl.col("g_l").is_not_null()
    sided = (
        blocked.join(left, on="join_key_l", how="left")
        .join(right, on="join_key_r", how="left")
        .with_columns(
            g=pl.coalesce("g_l", "g_r"),
            stored_left=stored_left,
            s=pl.when(stored_left).then("join_key_l").otherwise("join_key_r"),
            n=pl.when(stored_left).then("join_key_r").otherwise("join_key_l"),
        )
        .with_columns(
            rep=pl.when(pl.col("g").is_null())
            .then("s")
            .otherwise(pl.col("s").min().over("n", "match_key", "g", "stored_left"))
        )
    )
    own = pl.col("rep") == pl.col("s")
    scored = sided.filter(own).select(blocked.columns)
    copied = sided.filter(~own).select(
        "join_key_l",
        "join_key_r",
        rep_l=pl.when("stored_left").then("rep").otherwise("n"),
        rep_r=pl.when("stored_left").then("n").otherwise("rep"),
    )
    return scored, copied


def copy_scores(con, copied: pl.DataFrame) -> None:
    """Add to link_pairs (on `con`, scored from the representatives) the pairs of
    ``copied`` (`representatives`) whose representative was kept, with its scores."""
    if copied.is_empty():
        return
    con.register("_copied", copied)
    try:
        con.execute(
            f"INSERT INTO {PAIRS_TABLE} "
            "SELECT p.* REPLACE (c.join_key_l AS unique_id_l, c.join_key_r AS unique_id_r) "
            f"FROM _copied AS c JOIN {PAIRS_TABLE} AS p "
            "ON p.unique_id_l = c.rep_l AND p.unique_id_r = c.rep_r"
        )
    finally:
        con.unregister("_copied")
