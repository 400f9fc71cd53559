"""What an incremental night needs to find: stored rows a new row may pair with.

A stored row is a candidate when it shares, with some new row, every column a
blocking rule compares for equality. That is a superset of the pairs the rules
admit (their other conditions are applied by Splink), so scoring the new rows
against the candidates finds every pair a full re-link would block.
"""

from __future__ import annotations

import re

import duckdb

_EQUALITY = re.compile(r"\bl\.(\w+)\s*=\s*r\.(\w+)\b")


def equality_keys(settings: dict) -> list[list[tuple[str, str]]]:
    """For each blocking rule, its (left column, right column) equalities."""
    out = []
    for rule in settings["blocking_rules_to_generate_predictions"]:
        keys = _EQUALITY.findall(rule["blocking_rule"])
        if not keys:
            raise ValueError(f"blocking rule without an equality: {rule['blocking_rule']!r}")
        out.append(keys)
    return out


def candidates_sql(settings: dict) -> str:
    """Stored rows (link_feature, minus the new rows in view _new) that a rule may pair."""
    parts = []
    for keys in equality_keys(settings):
        on = " AND ".join(f"f.{left} = n.{right}" for left, right in keys)
        parts.append(f"SELECT f.unique_id FROM link_feature AS f JOIN _new AS n ON {on}")
        if any(left != right for left, right in keys):
            mirrored = " AND ".join(f"f.{right} = n.{left}" for left, right in keys)
            parts.append(f"SELECT f.unique_id FROM link_feature AS f JOIN _new AS n ON {mirrored}")
    union = "\nUNION\n".join(parts)
    return (
        f"WITH hit AS ({union})\n"
        "SELECT f.* FROM link_feature AS f SEMI JOIN hit USING (unique_id)\n"
        "WHERE f.unique_id NOT IN (SELECT unique_id FROM _new)\n"
        "ORDER BY f.unique_id"
    )


def previous_decisions(con: duckdb.DuckDBPyConnection) -> set[tuple[int, int, str]]:
    """Decisions the previous night applied: (record_id_a, record_id_b, decision)."""
    return set(
        con.execute(
            "SELECT record_id_a, record_id_b, decision FROM review_decision "
            "WHERE applied = 'applied'"
        ).fetchall()
    )
