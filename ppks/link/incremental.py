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

import re

import duckdb

_SIDE = re.compile(r"\b([lr])\.(\w+)\b")
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)


def _conjuncts(rule: str) -> list[str]:
    """The rule's parts joined by a top-level AND (not inside parentheses or quotes)."""
    parts, depth, start, quoted = [], 0, 0, False
    i = 0
    while i < len(rule):
        ch = rule[i]
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0:
            match = _AND.match(rule, i)
            if match and (i == 0 or rule[i].isspace()):
                parts.append(rule[start:i])
                start = i = match.end()
                continue
        i += 1
    parts.append(rule[start:])
    return [p.strip() for p in parts if p.strip()]


def _strip_parentheses(text: str) -> str:
    while text.startswith("(") and text.endswith(")") and _conjuncts(text[1:-1]) == [text[1:-1]]:
        inner, depth = text[1:-1], 0
        for ch in inner:  # "(a) = (b)" is not one parenthesised expression
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth < 0:
                return text
        text = inner.strip()
    return text


def _equality(conjunct: str) -> tuple[str, str] | None:
    """(left expression, right expression) when the conjunct is `E(l.) = F(r.)`: one
    side reads only l's columns, the other only r's."""
    text = _strip_parentheses(conjunct)
    depth, quoted, split = 0, False, None
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
        elif (
            not quoted
            and depth == 0
            and ch == "="
            and text[i - 1] not in "<>!="
            and (i + 1 == len(text) or text[i + 1] != "=")
        ):
            if split is not None:
                return None
            split = i
    if split is None:
        return None
    left, right = text[:split].strip(), text[split + 1 :].strip()
    sides_left = {s for s, _ in _SIDE.findall(left)}
    sides_right = {s for s, _ in _SIDE.findall(right)}
    if sides_left == {"l"} and sides_right == {"r"}:
        return left, right
    if sides_left == {"r"} and sides_right == {"l"}:
        return right, left
    return None


def equality_keys(settings: dict) -> list[list[tuple[str, str]]]:
    """For each blocking rule, its equalities: (expression of l, expression of r)."""
    out = []
    for rule in settings["blocking_rules_to_generate_predictions"]:
        keys = [k for k in map(_equality, _conjuncts(rule["blocking_rule"])) if k is not None]
        if not keys:
            raise ValueError(f"blocking rule without an equality: {rule['blocking_rule']!r}")
        out.append(keys)
    return out


def _on(expression: str, side: str, alias: str) -> str:
    return _SIDE.sub(lambda m: f"{alias}.{m[2]}" if m[1] == side else m[0], expression)


def _as(conjunct: str, stored: str, new: str) -> str:
    """The conjunct with the stored row (f) as `stored` and the new row (n) as `new`."""
    return _SIDE.sub(lambda m: f"{'f' if m[1] == stored else 'n'}.{m[2]}", conjunct)


def _swapped(conjunct: str) -> str:
    return _SIDE.sub(lambda m: f"{'r' if m[1] == 'l' else 'l'}.{m[2]}", conjunct)


def _normal(conjunct: str) -> str:
    equality = _equality(conjunct)
    return " = ".join(sorted(equality)) if equality else _strip_parentheses(conjunct)


def _symmetric(conjuncts: list[str]) -> bool:
    """The rule reads the same with l and r exchanged: one orientation finds every pair."""
    return {_normal(c) for c in conjuncts} == {_normal(_swapped(c)) for c in conjuncts}


def candidates_sql(settings: dict) -> str:
    """Stored rows (link_feature, minus the new rows in view _new) that a rule pairs with
    a new row.

    Each rule whole, the stored row as l and the new row as r (and the other way round
    when the rule is not symmetric): the equalities make it a hash join, the rule's
    other conditions (a birth-year band, no NIK on either row) keep out the rows it
    would never pair.
    """
    equality_keys(settings)  # every rule has an equality: never a nested-loop join
    parts = []
    for rule in settings["blocking_rules_to_generate_predictions"]:
        conjuncts = _conjuncts(rule["blocking_rule"])
        orientations = [("l", "r")] if _symmetric(conjuncts) else [("l", "r"), ("r", "l")]
        for stored, new in orientations:
            on = " AND ".join(f"({_as(c, stored, new)})" for c in conjuncts)
            parts.append(f"SELECT f.unique_id FROM link_feature AS f JOIN _new AS n ON {on}")
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
