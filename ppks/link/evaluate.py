"""Scores of a clustering against ground truth: pairwise precision/recall/F1 and B-cubed."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def scores(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> dict:
    """Both map item -> cluster label; only items present in both count."""
    items = [i for i in predicted if i in truth]
    joint = Counter((predicted[i], truth[i]) for i in items)
    pred_sizes = Counter(predicted[i] for i in items)
    true_sizes = Counter(truth[i] for i in items)
    tp = sum(_pairs(n) for n in joint.values())
    pred_pairs = sum(_pairs(n) for n in pred_sizes.values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # B-cubed: per item, the share of its predicted cluster that is truly its own (precision)
    # and the share of its true cluster found in its predicted cluster (recall).
    b_p = b_r = 0.0
    for (p, t), n in joint.items():
        b_p += n * n / pred_sizes[p]
        b_r += n * n / true_sizes[t]
    count = len(items) or 1
    bp, br = b_p / count, b_r / count
    return {
        "items": len(items),
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
        "true_positive_pairs": tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "bcubed_precision": bp,
        "bcubed_recall": br,
        "bcubed_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
        "predicted_clusters": len(pred_sizes),
        "true_clusters": len(true_sizes),
    }


def pair_recall(candidates: set[tuple], truth: Mapping[Hashable, Hashable]) -> dict:
    """Share of true matching pairs present among candidate pairs (the blocking ceiling)."""
    groups: dict[Hashable, list] = defaultdict(list)
    for item, label in truth.items():
        groups[label].append(item)
    total = found = 0
    for members in groups.values():
        members = sorted(members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                total += 1
                found += (a, b) in candidates
    return {"true_pairs": total, "found": found, "recall": found / total if total else 1.0}
