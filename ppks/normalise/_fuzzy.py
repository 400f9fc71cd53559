"""Typo-tolerant lookup of a key among known spellings, each pointing at a target."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA


def compact(text: str) -> str:
    """Upper case letters and digits only: spacing, dots and dashes do not matter."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


class FuzzyIndex:
    """Known keys -> target; exact lookups first, then edit similarity with a margin.

    OSA similarity counts a swap of two neighbouring letters as one edit, the
    commonest typing slip. A match must reach `threshold` and beat the best
    key of every *other* target by `margin`, so two close names never get
    confused for each other ('BENCANAALAM' vs 'BENCANASOSIAL').
    """

    def __init__(self, pairs: Iterable[tuple[str, str]], *, threshold: float, margin: float):
        self.exact: dict[str, set[str]] = {}
        for key, target in pairs:
            if key:
                self.exact.setdefault(key, set()).add(target)
        self.keys = list(self.exact)
        self.threshold = threshold
        self.margin = margin

    def lookup(self, key: str) -> set[str]:
        """Targets spelled exactly `key` (may be several)."""
        return self.exact.get(key, set())

    def match(self, key: str, *, min_length: int = 4) -> str | None:
        """The one target `key` means: exact and unique, else fuzzy; None when unsure."""
        exact = self.lookup(key)
        if exact:
            return next(iter(exact)) if len(exact) == 1 else None
        if len(key) < min_length or not self.keys:
            return None
        cutoff = max(0.0, self.threshold - self.margin)
        hits = process.extract(
            key, self.keys, scorer=OSA.normalized_similarity, limit=None, score_cutoff=cutoff
        )
        best: dict[str, float] = {}
        for choice, score, _ in hits:
            for target in self.exact[choice]:
                best[target] = max(best.get(target, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        if not ranked or ranked[0][1] < self.threshold:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < self.margin:
            return None
        return ranked[0][0]
