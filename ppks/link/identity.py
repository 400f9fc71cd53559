"""Stable person ids across nights.

Every night links all rows afresh; this module maps the new groups onto the ids
of the previous night so that an id, once handed out, keeps meaning the same
person:

- each previous id goes *home* to the new group holding most of its rows (ties:
  the group whose smallest record_id is smallest);
- a group that is home to one or more previous ids keeps the oldest of them
  (smallest created_seq); the others are retired as *merged* into it;
- a group that is home to none gets a new id; previous ids that left some rows
  in it are recorded as *split* into it (they live on in their home group);
- a new id is 'P' + 12 hex digits of the SHA-256 of the group's first row
  identity (file, sheet, row number), so re-running the same inbox from scratch
  gives the same ids; an id is never reused.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Container
from dataclasses import dataclass, field


@dataclass
class IdentityChanges:
    assignment: dict[int, str]  # record_id -> person_id
    created: list[str] = field(default_factory=list)
    merges: list[tuple[str, str, int]] = field(default_factory=list)  # old, new, rows
    splits: list[tuple[str, str, int]] = field(default_factory=list)  # old, new, rows


def _candidate(identity: str, n: int) -> str:
    text = identity if n == 0 else f"{identity}#{n}"
    return "P" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12].upper()


def new_id(identity: str, taken: Container[str]) -> str:
    n = 0
    while (candidate := _candidate(identity, n)) in taken:
        n += 1
    return candidate


# Which of these ids were handed out before: a set of every id, or a question to the
# warehouse about these ids only (a night must not read every id ever given).
GivenOf = Callable[[list[str]], set[str]]


class _Taken:
    """Every id handed out before or tonight, asked about the night's candidates only.

    The first candidate of each new group is asked in one go; a candidate after a
    clash (12 hex digits of a hash: almost never) is asked on its own.
    """

    def __init__(self, given_of: GivenOf, firsts: list[str]):
        self.given_of = given_of
        self.asked = set(firsts)
        self.given = given_of(firsts) if firsts else set()
        self.made: set[str] = set()

    def __contains__(self, pid: object) -> bool:
        if pid in self.made or pid in self.given:
            return True
        if pid in self.asked:
            return False
        self.asked.add(pid)
        found = self.given_of([pid])
        self.given |= found
        return bool(found)


def assign(
    cluster_of: dict[int, int],
    previous: dict[int, str],
    row_identity: dict[int, str],
    age: dict[str, tuple[int, str]],
    taken: set[str] | GivenOf,
) -> IdentityChanges:
    """Map groups (record_id -> group label) to person ids.

    previous: record_id -> person_id of the last night (rows new tonight absent);
    age: person_id -> sort key, smaller is older (needed for the previous ids only);
    taken: every id ever handed out, or a function saying which of some ids were.
    """
    groups: dict[int, list[int]] = defaultdict(list)
    for uid in sorted(cluster_of):
        groups[cluster_of[uid]].append(uid)
    per_old: dict[str, Counter] = defaultdict(Counter)
    for uid, old in previous.items():
        if uid in cluster_of and old is not None:
            per_old[old][cluster_of[uid]] += 1
    home: dict[str, int] = {}
    for old, counts in per_old.items():
        home[old] = min(counts, key=lambda g: (-counts[g], g))
    homes_of: dict[int, list[str]] = defaultdict(list)
    for old, group in home.items():
        homes_of[group].append(old)

    given_of = (lambda ids: taken & set(ids)) if isinstance(taken, set) else taken
    fresh = sorted(group for group in groups if not homes_of.get(group))
    taken_now = _Taken(given_of, [_candidate(row_identity[groups[g][0]], 0) for g in fresh])
    changes = IdentityChanges(assignment={})
    group_id: dict[int, str] = {}
    for group in sorted(groups):
        olds = sorted(homes_of.get(group, []), key=lambda o: age.get(o, (1 << 62, o)))
        if olds:
            pid = olds[0]
            for old in olds[1:]:
                changes.merges.append((old, pid, per_old[old][group]))
        else:
            pid = new_id(row_identity[groups[group][0]], taken_now)
            taken_now.made.add(pid)
            changes.created.append(pid)
        group_id[group] = pid
        for uid in groups[group]:
            changes.assignment[uid] = pid
    for old, counts in sorted(per_old.items()):
        for group, rows in sorted(counts.items()):
            if group != home[old] and group_id[group] != group_id[home[old]]:
                changes.splits.append((old, group_id[group], rows))
    return changes
