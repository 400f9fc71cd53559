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
import hashlib
import re
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path

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
    def __init__(
        self,
        names: Iterable[str | None],
        row_names: Mapping[Hashable, Iterable[str]],
        group_of: Mapping[int, Hashable] | None = None,
    ):
        """``names``: every name known; ``row_names``: record_id -> the names of its person,
        or, with ``group_of`` (record_id -> person), person -> names."""
        self._setup({p for p in map(phrase, names) if p is not None})
        self.row_names = row_names
        self.group_of = group_of
        self._tokens = functools.lru_cache(maxsize=1 << 16)(self._row_tokens)

    @classmethod
    def of_phrases(
        cls, phrases: Iterable[tuple[str, ...]], tokens_of: Mapping[Hashable, frozenset[str]]
    ) -> Scrubber:
        """From the phrases and the row tokens as `phrase` and `name_tokens` made them (the
        analyst edition keeps them between nights): ``tokens_of`` is record_id -> the
        tokens of the names of its person."""
        scrubber = cls.__new__(cls)
        scrubber._setup(set(phrases))
        scrubber.group_of = None
        scrubber._tokens = lambda group: tokens_of.get(group, frozenset())
        return scrubber

    def _setup(self, phrases: set[tuple[str, ...]]) -> None:
        self.phrases = phrases
        self.first_words = {p[0] for p in self.phrases}
        # A provincial edition scrubs a million cells of a few thousand distinct
        # texts: the text's own work is done once per text, a row adds a set lookup.
        self._parsed = functools.lru_cache(maxsize=None)(self._parse)
        self.text = functools.lru_cache(maxsize=None)(self._text)

    def _row_tokens(self, group: Hashable) -> frozenset[str]:
        names = self.row_names.get(group, ())
        return frozenset(t for n in names or () if n for t in name_tokens(n))

    def _text(self, value: str | None) -> str | None:
        if value is None:
            return None
        text, spans, _ = self._parsed(value)
        return _marked(text, spans)

    def row_text(self, value: str | None, record_id: int | None) -> str | None:
        if value is None:
            return None
        text, spans, loose = self._parsed(value)
        if loose:
            group = record_id if self.group_of is None else self.group_of.get(record_id)
            tokens = self._tokens(group)
            extra = [(start, end) for start, end, word in loose if word in tokens]
            if extra:
                spans = sorted((*spans, *extra))
        return _marked(text, spans)

    def entry(self, value: str, split: tuple[str, list[str]] | None = None):
        """What the analyst edition keeps of a text: (`text` of it, its distinct words,
        its distinct loose words that a row's own names can replace). ``split`` is
        `split_text(value)` when the caller has it already."""
        text, found = split or split_text(value)
        if self.first_words.isdisjoint(found):
            # Most texts (ids, programmes, file names) hold no name's first word.
            loose = {w for w in found if len(w) >= MIN_TOKEN}
            return text, sorted(set(found)), sorted(loose)
        text, spans, loose = self._parse(value)
        return (
            _marked(text, spans),
            sorted(set(found)),
            sorted({w for _, _, w in loose if len(w) >= MIN_TOKEN}),
        )

    def _parse(self, value: str) -> tuple[str, tuple, tuple]:
        """(text with numbers marked, spans of known names, the other words).

        Which words a known name covers depends on the text alone; the other
        words are candidates for the row's own names (`row_text`). The result
        depends only on the phrases whose first word is one of the text's words
        (`entry`): the analyst edition relies on that to keep results between nights."""
        text = DIGIT_RUN.sub(NUMBER_MARK, value)
        found = [(m.start(), m.end(), m.group().upper()) for m in WORD.finditer(text)]
        spans: list[tuple[int, int]] = []
        loose: list[tuple[int, int, str]] = []
        i = 0
        while i < len(found):
            if found[i][2] in self.first_words:
                for n in range(min(MAX_PHRASE, len(found) - i), 0, -1):
                    if tuple(w for _, _, w in found[i : i + n]) in self.phrases:
                        spans.append((found[i][0], found[i + n - 1][1]))
                        i += n
                        break
                else:
                    loose.append(found[i])
                    i += 1
            else:
                if len(found[i][2]) >= MIN_TOKEN:
                    loose.append(found[i])
                i += 1
        return text, tuple(spans), tuple(loose)


def split_text(value: str) -> tuple[str, list[str]]:
    """(the text with its digit runs marked, its words in upper case): the words
    `_parse` reads, without their places."""
    text = DIGIT_RUN.sub(NUMBER_MARK, value)
    return text, [w.upper() for w in WORD.findall(text)]


def phrase(name: str | None) -> tuple[str, ...] | None:
    """The words of a name the scrubber replaces as a whole wherever it appears, or None
    (too long to be a name, or too short to be sure of)."""
    return name_entry(name)[0]


def name_tokens(name: str | None) -> list[str]:
    """The distinct words of a name replaced alone in its own person's rows."""
    return name_entry(name)[1]


def name_entry(name: str | None) -> tuple[tuple[str, ...] | None, list[str]]:
    """(`phrase`, `name_tokens`) of a name, its words read once."""
    w = tuple(words(name))
    whole = w if len(w) <= MAX_PHRASE and sum(map(len, w)) >= MIN_TOKEN else None
    return whole, sorted({t for t in w if len(t) >= MIN_TOKEN})


def _marked(text: str, spans) -> str:
    for start, end in reversed(spans):
        text = text[:start] + NAME_MARK + text[end:]
    return text


def rules() -> str:
    """Fingerprint of the scrubber's rules: the source of this module and of the analyst
    edition's cache of its results. What the edition kept under other rules is made
    again (an upgrade that changes what a text or a name scrubs to never reuses it)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("scrub.py", "edition_cache.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]
