"""What an incremental night needs to find: stored rows a new row may pair with.

A stored row is a candidate when some blocking rule, applied whole, pairs it with
a new row: its equalities, of a column (``l.nik15 = r.nik15``) or of an expression
(``split_part(l.name_key, ' ', 1) = split_part(r.name_key, ' ', 1)``), and its
other conditions. Scoring the new rows against the candidates finds every pair a
full re-link would block. The rules were read by their plain column equalities
alone: the first-name rule by ``kode_desa``, so every stored row of a new row's
desa was a candidate (a third of a six-month warehouse for a night of 3,000 rows),
and a desa's rows grow with every month of history.
"""

from __future__ import annotations

import polars as pl
import sqlglot
from sqlglot import exp

# The rules are DuckDB SQL, read as Splink reads them (with sqlglot): a hand-written
# reader split `a BETWEEN x AND y` or a quoted ' AND ' as if they were two conditions.
DIALECT = "duckdb"


def _conjuncts(rule: str) -> list[exp.Expression]:
    """The rule's conditions joined by AND, their parentheses removed."""
    tree = sqlglot.parse_one(rule, read=DIALECT).unnest()
    return [c.unnest() for c in tree.flatten()] if isinstance(tree, exp.And) else [tree]


def _sides(node: exp.Expression) -> set[str]:
    return {column.table for column in node.find_all(exp.Column)}


def _equality(conjunct: exp.Expression) -> tuple[str, str] | None:
    """(expression of l, expression of r) when the conjunct is `E(l.) = F(r.)`: one
    side reads only l's columns, the other only r's."""
    if not isinstance(conjunct, exp.EQ):
        return None
    left, right = conjunct.left.unnest(), conjunct.right.unnest()
    if _sides(left) == {"l"} and _sides(right) == {"r"}:
        return left.sql(DIALECT), right.sql(DIALECT)
    if _sides(left) == {"r"} and _sides(right) == {"l"}:
        return right.sql(DIALECT), left.sql(DIALECT)
    return None


def _keys(rule: str, conjuncts: list[exp.Expression]) -> list[tuple[str, str]]:
    keys = [k for k in map(_equality, conjuncts) if k is not None]
    if not keys:
        raise ValueError(f"blocking rule without an equality: {rule!r}")
    return keys


def equality_keys(settings: dict) -> list[list[tuple[str, str]]]:
    """For each blocking rule, its equalities: (expression of l, expression of r)."""
    return [
        _keys(rule["blocking_rule"], _conjuncts(rule["blocking_rule"]))
        for rule in settings["blocking_rules_to_generate_predictions"]
    ]


def _renamed(node: exp.Expression, tables: dict[str, str]) -> exp.Expression:
    """A copy of ``node`` whose columns of table l or r read from ``tables``' alias."""

    def rename(child: exp.Expression) -> exp.Expression:
        if isinstance(child, exp.Column) and child.table in tables:
            return exp.column(child.name, table=tables[child.table])
        return child

    return node.transform(rename)


def _normal(conjunct: exp.Expression) -> str:
    equality = _equality(conjunct)
    return " = ".join(sorted(equality)) if equality else conjunct.sql(DIALECT)


def _symmetric(conjuncts: list[exp.Expression]) -> bool:
    """The rule reads the same with l and r exchanged: one orientation finds every pair."""
    swapped = [_renamed(c, {"l": "r", "r": "l"}) for c in conjuncts]
    return {_normal(c) for c in conjuncts} == {_normal(c) for c in swapped}


def _narrowing(conjuncts: list[exp.Expression], stored: str) -> str | None:
    """The column to narrow the stored rows by, for a rule one of whose equalities is an
    expression of the stored row (``split_part(l.name_key, ' ', 1)``): a column the rule
    also equals as it is on both rows (``l.kode_desa = r.kode_desa``); None otherwise.

    The scan computes that expression for every stored row it gives the join: narrowed
    to the stored rows of the places the night brought, it computes it for the few
    (the first token of every name of the history was 0.3 of the night's 0.55 s of
    blocking at six months, and grows with the history)."""
    plain, computed = None, False
    for conjunct in conjuncts:
        if _equality(conjunct) is None:
            continue
        left, right = conjunct.left.unnest(), conjunct.right.unnest()
        mine = left if _sides(left) == {stored} else right
        if not isinstance(mine, exp.Column):
            computed = True
        elif (
            plain is None
            and isinstance(left, exp.Column)
            and isinstance(right, exp.Column)
            and left.name == right.name
        ):
            plain = mine.name
    return plain if computed else None


def _joins(settings: dict):
    """(rule index, l's alias, r's alias, ON clause, symmetric, narrowing column) of each
    rule applied whole to a stored row (f, of link_feature) and a new row (n, of view
    _new): once when the rule reads the same with l and r exchanged, else in both
    orientations. The equalities make each a hash join that probes link_feature once.
    Each rule is parsed once (its equalities were checked on a parse of their own)."""
    for index, rule in enumerate(settings["blocking_rules_to_generate_predictions"]):
        conjuncts = _conjuncts(rule["blocking_rule"])
        _keys(rule["blocking_rule"], conjuncts)  # every rule has one: never a nested-loop join
        symmetric = _symmetric(conjuncts)
        for stored, new in [("l", "r")] if symmetric else [("l", "r"), ("r", "l")]:
            aliases = {stored: "f", new: "n"}
            on = " AND ".join(f"({_renamed(c, aliases).sql(DIALECT)})" for c in conjuncts)
            yield index, aliases["l"], aliases["r"], on, symmetric, _narrowing(conjuncts, stored)


def candidates_sql(settings: dict) -> str:
    """Stored rows (link_feature, minus the new rows in view _new) that a rule pairs with
    a new row.

    Each rule whole, the stored row as l and the new row as r (and the other way round
    when the rule is not symmetric): the equalities make it a hash join, the rule's
    other conditions (a birth-year band, no NIK on either row) keep out the rows it
    would never pair. Unordered: the caller sorts them with the new rows (sorting
    tens of thousands of rows of forty columns here was a tenth of the query or more).
    """
    parts = [
        f"SELECT f.unique_id FROM link_feature AS f JOIN _new AS n ON {on}"
        for _, _, _, on, _, _ in _joins(settings)
    ]
    union = "\nUNION\n".join(parts)
    return (
        f"WITH hit AS ({union})\n"
        "SELECT f.* FROM link_feature AS f SEMI JOIN hit USING (unique_id)\n"
        "WHERE f.unique_id NOT IN (SELECT unique_id FROM _new)"
    )


def _stored_rows(column: str | None, new_rows: pl.DataFrame | None) -> str:
    """link_feature, or only its rows whose ``column`` holds a value of the new rows."""
    if column is None or new_rows is None:
        return "link_feature"
    values = new_rows.get_column(column).drop_nulls().unique().sort().to_list()
    if not values:  # the equality holds for no stored row
        return "(SELECT * FROM link_feature WHERE false)"
    # Constants, not a semi join: DuckDB keeps a list of them as a filter of the scan,
    # under the expression; a semi join with _new computed the expression first.
    listed = ", ".join(exp.convert(v).sql(DIALECT) for v in values)
    return f"(SELECT * FROM link_feature WHERE {column} IN ({listed}))"


def blocked_pairs_sql(settings: dict, new_rows: pl.DataFrame | None = None) -> str:
    """The pairs Splink's blocking finds over the new rows (view _new) and the stored rows
    (link_feature, the new rows included), as Splink's table of blocked pairs:
    match_key, join_key_l < join_key_r.

    A pair is the rows' ids in order (Splink's ``l.unique_id < r.unique_id``), at least
    one of them new, and its match_key the first rule whose whole condition holds with
    the lower id as l: Splink's blocking leaves out of each rule the pairs of the rules
    before it. A rule applied in both orientations keeps, in each, the pairs it orders.
    new_rows: the rows of _new, to narrow the stored rows of a rule that equals an
    expression of them (`_narrowing`); the same pairs either way.
    """
    parts = [
        f"SELECT {index} AS rule, least(f.unique_id, n.unique_id) AS l, "
        "greatest(f.unique_id, n.unique_id) AS r "
        f"FROM {_stored_rows(narrow, new_rows)} AS f JOIN _new AS n ON {on} AND "
        + ("f.unique_id <> n.unique_id" if symmetric else f"{left}.unique_id < {right}.unique_id")
        for index, left, right, on, symmetric, narrow in _joins(settings)
    ]
    union = "\nUNION ALL\n".join(parts)
    return (
        "SELECT CAST(min(rule) AS VARCHAR) AS match_key, l AS join_key_l, r AS join_key_r\n"
        f"FROM ({union})\nGROUP BY l, r"
    )
