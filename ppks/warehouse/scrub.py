"""Free text for the analyst edition: NIK/KK-like numbers and known names taken out.

Reporters type anything into free-text cells: a NIK in the complaint, the
person's name in the programme, a KK in a file name. The analyst edition
keeps free text (it is useful) but passes it through a `Scrubber`:

- every run of 12 or more digits, also written in groups separated by a space,
  dot, dash or slash ("3515 0101 0101 0001", "35.15.01"), becomes ``[nomor]``;
- every name the warehouse knows (``nama``, ``nama_inti`` and ``nasab`` of every
  loaded row, ``nama`` of every person, the name as written of every rejected
  row), found as whole words, becomes ``[nama]``: `text` (deterministic, so a
  scrubbed file name is the same in every table and joins still work);
- `row_text` also replaces every single word (3 letters or more) of the names
  of that row's person, across all the person's rows: a first name alone
  ("Bu SITI datang") is caught in the row it belongs to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

DIGIT_RUN = re.compile(r"\d(?:[ .\-/]{0,2}\d){11,}")
WORD = re.compile(r"[^\W\d_]+")  # letters only, any script
NUMBER_MARK = "[nomor]"
NAME_MARK = "[nama]"
MIN_TOKEN = 3
MAX_PHRASE = 8
INTERNAL_REASON = (
    "internal error while reading this file (the details are in the run's log, "
    "not in the analyst edition)"
)


def words(text: str | None) -> list[str]:
    return WORD.findall((text or "").upper())


class Scrubber:
    def __init__(self, names: Iterable[str | None], row_names: dict[int, Iterable[str]]):
        """``names``: every name known; ``row_names``: record_id -> the names of its person."""
        self.phrases = {
            tuple(w)
            for w in map(words, names)
            if len(w) <= MAX_PHRASE and sum(map(len, w)) >= MIN_TOKEN
        }
        self.row_tokens = {
            rid: frozenset(t for n in ns for t in words(n) if len(t) >= MIN_TOKEN)
            for rid, ns in row_names.items()
        }
        self.text = functools.lru_cache(maxsize=1 << 16)(self._text)

    def _text(self, value: str | None) -> str | None:
        if value is None:
            return None
        return self._names(DIGIT_RUN.sub(NUMBER_MARK, value), frozenset())

    def row_text(self, value: str | None, record_id: int | None) -> str | None:
        if value is None:
            return None
        tokens = self.row_tokens.get(record_id, frozenset())
        return self._names(DIGIT_RUN.sub(NUMBER_MARK, value), tokens)

    def _names(self, text: str, tokens: frozenset[str]) -> str:
        found = [(m.start(), m.end(), m.group().upper()) for m in WORD.finditer(text)]
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(found):
            for n in range(min(MAX_PHRASE, len(found) - i), 0, -1):
                if tuple(w for _, _, w in found[i : i + n]) in self.phrases:
                    spans.append((found[i][0], found[i + n - 1][1]))
                    i += n
                    break
            else:
                if found[i][2] in tokens:
                    spans.append((found[i][0], found[i][1]))
                i += 1
        for start, end in reversed(spans):
            text = text[:start] + NAME_MARK + text[end:]
        return text
