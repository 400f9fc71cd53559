"""benchmarks/heldout_ceiling.py: the replay counts every pair a join makes, transitive ones
too, by the class of its two rows (the ceiling it reports rests on that count)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
spec = importlib.util.spec_from_file_location("heldout_ceiling", BENCHMARKS / "heldout_ceiling.py")
heldout_ceiling = importlib.util.module_from_spec(spec)
sys.modules["heldout_ceiling"] = heldout_ceiling
spec.loader.exec_module(heldout_ceiling)

BLANK, FULL = "nik none / dob blank", "nik both / dob full"


def test_the_class_of_a_pair_is_its_poorer_row():
    assert heldout_ceiling._class_of((False, "blank"), (True, "full")) == "nik one / dob blank"
    assert heldout_ceiling._class_of((True, "full"), (True, "estimated")) == (
        "nik both / dob estimated"
    )
    assert heldout_ceiling._class_of((False, "age"), (False, "year")) == "nik none / dob age"


def test_a_join_counts_the_pairs_it_makes_through_the_persons_it_brings_together():
    # Rows 1, 2 one person today, 3 another, 4 a third. Truly 1, 2, 3 are one person and 4
    # another; no row carries a NIK, 4 carries a full date.
    person = {1: "A", 2: "A", 3: "B", 4: "C"}
    kind = {1: (False, "blank"), 2: (False, "blank"), 3: (False, "blank"), 4: (False, "full")}
    true_pairs = {(1, 2): BLANK, (1, 3): BLANK, (2, 3): BLANK}

    pred, tp, cls_tp, cls_pred = heldout_ceiling._replay(person, [], true_pairs, kind)
    assert (pred, tp, cls_tp[BLANK], cls_pred[BLANK]) == (1, 1, 1, 1)

    # Joining 3 to 2 also joins 3 to 1: two true pairs more for one pair added.
    pred, tp, cls_tp, _ = heldout_ceiling._replay(person, [(2, 3)], true_pairs, kind)
    assert (pred, tp, cls_tp[BLANK]) == (3, 3, 3)

    # Joining 4 as well makes three false pairs, each counted in its rows' class.
    pred, tp, _, cls_pred = heldout_ceiling._replay(person, [(2, 3), (3, 4)], true_pairs, kind)
    assert (pred, tp) == (6, 3)
    assert cls_pred[BLANK] == 6
    assert FULL not in cls_pred
