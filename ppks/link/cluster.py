"""From scored pairs to persons: greedy, conflict-aware clustering.

Connected components over all links above a threshold let one weak link chain
two clearly different people together through a third row. Instead, links are
taken strongest first and two groups are joined only when no row of one
clearly contradicts a row of the other (`conflict`): a different written gender,
clearly different names or birth dates, two different clean NIKs that both fit
their rows, or a reviewer's "different persons"; one field copied wrong is
forgiven when the other identifiers agree (`_one_slip`). A reviewer's "same
person" joins two groups before any model link.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, pairwise

import polars as pl
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from ppks.contract.nik import date_parts

# Birth-order names: twins are Eka and Dwi, whatever else they share.
ORDINALS = frozenset({"EKA", "DWI", "TRI", "CATUR", "PANCA"})
# Name parts written before a given name, or left out, by habit (SOURCES.md: Moch.,
# M., Muh. for Muhammad); a difference in them alone does not make two people.
PREFIXES = frozenset(
    {"MUHAMMAD", "AHMAD", "ABDUL", "ABD", "MOH", "SITI", "SRI", "NUR", "NURUL", "NOR", "UMI"}
    | {"AL", "EL", "I", "NI", "ST", "BIN", "BINTI"}
)
# Titles of a pilgrim written after the name (SOURCES.md: names with titles, `H.`,
# `Hj.`): names.split_name takes a title off the front of a name, but not off its end,
# where reporters also write it (TUMINI HJ., EKA RIZKY YUSUF H.; held-out seed 13), and
# a back title there may be a name's word (SE, ST). Like a prefix, it tells no one apart.
# (Not in PREFIXES: model.py's call-name level reads those, and the model's fingerprint.)
TITLES_AFTER = frozenset({"H", "HJ", "HJH"})
_NO_EVIDENCE = PREFIXES | TITLES_AFTER
# Field practice: an age or a year written for an adult who does not know their
# birth date is the reporter's guess, made again at each report; reported ages
# heap on round numbers (40, 45, 50). Two guesses of one person, or a guess beside
# the real date, may lie this many years apart (features.written_tolerance;
# model.py weighs the band up to it); further apart they are two people. Wider
# let a mother and an aunt on one card (a guessed 1941 and a written 1933) join
# on the held-out world, seed 11.
GUESS_SPREAD = 6
NAME_TOKEN_SIMILAR = 0.85
NAME_SIMILAR = 0.9


@dataclass(frozen=True, slots=True)
class Row:
    uid: int
    key: str | None
    tokens: frozenset[str]
    core: frozenset[str]
    nasab: str | None
    gender: str | None
    dob: dt.date | None  # a full date the row wrote (not a placeholder)
    dob_placeholder: bool
    year: int | None  # the year the row wrote, from a date, a year, an age or an estimate
    year_approx: bool
    nik: str | None
    nik15: str | None
    nik_damaged: bool
    nik_disagrees: bool
    tolerance: int = 0  # years by which this row's year may be off (features.written_tolerance)
    desa: str | None = None
    # (key token, word as written) where the key spells the word otherwise (name_spelled).
    spelled: tuple[tuple[str, str], ...] = ()
    report: str | None = None  # the TKSK monthly report that lists the row (report_list)


# The features a Row is made of (rows_from_features reads them by position).
ROW_COLUMNS = (
    "unique_id", "name_key", "name_tokens", "nasab_key", "gender_written", "dob",
    "dob_placeholder", "birth_year", "year_approx", "nik", "nik15", "nik_damaged",
    "nik_disagrees", "dob_written", "year_written", "written_tolerance", "kode_desa",
    "name_spelled", "report_list",
)  # fmt: skip


def rows_from_features(features: pl.DataFrame, common: frozenset[str]) -> dict[int, Row]:
    out: dict[int, Row] = {}
    # The rows of one person repeat its name, tokens, NIK and desa report after report
    # (six rows a person after two years): one object for each distinct value of a
    # column, not one per row (a Row was about a kilobyte: two gigabytes for a first
    # night at provincial scale). A dict per column, so that no value stands in for an
    # equal one of another type.
    shared = [{} for _ in range(12)]
    key, toks, core, nasab, gender, dob, year, nik, nik15, desa, spell, report = (
        d.setdefault for d in shared
    )
    for r in features.select(ROW_COLUMNS).iter_rows():
        spelled = ()
        if r[17] and r[1] and len(r[17]) == r[1].count(" ") + 1:
            spelled = tuple((t, w) for t, w in zip(r[1].split(), r[17], strict=True) if t != w)
            spelled = spell(spelled, spelled)
        tokens = frozenset(r[2] or ())
        tokens = toks(tokens, tokens)
        core_tokens = frozenset(t for t in tokens if t not in common)
        placeholder = bool(r[6])
        out[r[0]] = Row(
            uid=r[0],
            key=key(r[1], r[1]),
            tokens=tokens,
            core=core(core_tokens, core_tokens),
            nasab=nasab(r[3], r[3]),
            gender=gender(r[4], r[4]),
            # Conflicts look at what the row says, not at the date a NIK encodes
            # (it may be the head of the family's NIK).
            dob=None if placeholder else dob(r[13], r[13]),
            dob_placeholder=placeholder,
            year=year(r[14], r[14]),
            year_approx=bool(r[8]),
            nik=nik(r[9], r[9]),
            nik15=nik15(r[10], r[10]),
            nik_damaged=bool(r[11]),
            nik_disagrees=bool(r[12]),
            tolerance=r[15] or 0,
            desa=desa(r[16], r[16]),
            spelled=spelled,
            report=report(r[18], r[18]),
        )
    return out


# Javanese and Madurese write an Arabic name by ear (field practice): the Arabic
# sh / sy as SH, SY or S (SHOLEH / SOLEH, SYAIFUL / SAIFUL), a final -ah with or
# without its H (RAHMAH / RAHMA), the diphthongs AI (or AE) and AU as E and O (ZAINAL
# / ZAENAL / ZENAL), and a short vowel by its Javanese sound: a as O (RAHMAH / ROHMAH, SALEH /
# SHOLEH), u as O (HUSEN / HOSEN), i as E (HUSIN / HUSEN). Only those vowel pairs
# are one name: A / U, A / I and A / E are not (HASAN / HUSEN, names given to twins),
# nor a vowel added or left out (HASAN / HUSAIN, FAJAR / FAJRI), nor any consonant.
# (One such vowel alone, PUTRA / PUTRI, is one typo apart, as before.) name_key has
# already made KH, CH and H one, TH T, DH D and doubled letters single.
_SPELLING = ((re.compile(r"S[YH]"), "S"), (re.compile(r"(?<=[AIUEO])H$"), ""))
_DIPHTHONGS = ((re.compile(r"A[IE]"), "E"), (re.compile(r"AU"), "O"))
_VOWELS = re.compile("[AIUEO]")
_VOWEL_SOUNDS = frozenset({("A", "O"), ("O", "A"), ("O", "U"), ("U", "O"), ("E", "I"), ("I", "E")})


def _by_ear(token: str) -> str:
    for pattern, replacement in _SPELLING + _DIPHTHONGS:
        token = pattern.sub(replacement, token)
    return token


def _spelled_by_ear(x: str, y: str) -> bool:
    """One Arabic name written by ear two ways (_SPELLING, _VOWEL_SOUNDS)."""
    x, y = _by_ear(x), _by_ear(y)
    if len(x) != len(y) or len(x) < 3 or x == y:
        return False
    return all(p == q or (p, q) in _VOWEL_SOUNDS for p, q in zip(x, y, strict=True))


def _slips_by_ear(x: str, y: str, most: int) -> int:
    """Slips of the finger between two names written by ear (`_by_ear`), a vowel
    written by its Javanese sound (`_VOWEL_SOUNDS`) counting none: Damerau-Levenshtein
    with those substitutions free, stopped beyond `most`."""
    if abs(len(x) - len(y)) > most:
        return most + 1
    previous2: list[int] = []
    previous = list(range(len(y) + 1))
    for i in range(1, len(x) + 1):
        current = [i] + [0] * len(y)
        for j in range(1, len(y) + 1):
            p, q = x[i - 1], y[j - 1]
            swap = 0 if p == q or (p, q) in _VOWEL_SOUNDS else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + swap)
            if i > 1 and j > 1 and p == y[j - 2] and x[i - 2] == q:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > most:
            return most + 1
        previous2, previous = previous, current
    return previous[-1]


def _swapped_by_ear(x: str, y: str) -> bool:
    """Two letters side by side swapped in a name written by ear (HOSEN / HOSNI: HOSEN
    with E and N swapped, the E heard as I; `_VOWEL_SOUNDS`), which `_slips_by_ear`
    counts as two. Word for word, as twins' names are not: FAJAR / FAJRI swap an A for
    an I, which is no sound of one vowel."""
    x, y = _by_ear(x), _by_ear(y)
    if len(x) != len(y):
        return False
    apart = [i for i, (p, q) in enumerate(zip(x, y, strict=True)) if not _one_sound(p, q)]
    if len(apart) != 2 or apart[1] != apart[0] + 1:
        return False
    i, j = apart
    return _one_sound(x[i], y[j]) and _one_sound(x[j], y[i])


def _one_sound(p: str, q: str) -> bool:
    return p == q or (p, q) in _VOWEL_SOUNDS


def _tokens_close(x: str, y: str) -> bool:
    """One slip of the finger (two in a long name), one token cut short of the other,
    or one Arabic name spelled by ear (`_spelled_by_ear`), with one slip besides.

    SOURCES.md: names mistyped, shortened. Deliberately not Jaro-Winkler: twins'
    names share their start (Dewi / Dewanti, Rizky / Rizka) and must stay apart.
    A slip is made in a name spelled by ear as in any other (ROHMAH written ROFMA:
    ROHMA by ear, one letter; HUSEN written HOSNE, SUJAK written SYUAK): the slips
    are counted after the spelling (field practice; SOURCES.md, names mistyped), so
    an A / U or A / E (HASAN / HUSEN, names given to twins) is still a slip.
    """
    if _spelled_by_ear(x, y):
        return True
    ear_x, ear_y = _by_ear(x), _by_ear(y)
    if ear_x.startswith(ear_y) or ear_y.startswith(ear_x) or x.startswith(y) or y.startswith(x):
        return min(len(x), len(y)) >= 3
    most = 1 if min(len(x), len(y)) < 7 else 2
    if DamerauLevenshtein.distance(x, y) <= most:
        return True
    if min(len(ear_x), len(ear_y)) < 3:
        return False
    # A vowel for a vowel is free and a vowel added or dropped costs one, so the names
    # without their vowels are no more slips apart: most different names stop here,
    # before the edit distance written out in Python.
    skeleton_x, skeleton_y = _VOWELS.sub("", ear_x), _VOWELS.sub("", ear_y)
    if DamerauLevenshtein.distance(skeleton_x, skeleton_y) > most:
        return False
    return _slips_by_ear(ear_x, ear_y, most) <= most


def _as_written(row: Row, token: str) -> tuple[str, ...]:
    """The words the row wrote for a token of its key (the token itself when the key
    spells no word otherwise)."""
    words = tuple(w for t, w in row.spelled if t == token)
    return words or (token,)


def _close_as_written(a: Row, x: str, b: Row, y: str) -> bool:
    """Tokens x of a and y of b one slip apart (`_tokens_close`) as the rows wrote them.

    SOURCES.md: names in old spelling, or mistyped. The key makes KH, CH and H one, TJ C,
    OE U and doubled letters single, each a spelling choice; but a slip is made in the
    written word, and where it lands on those letters the key moves it further from the
    other report's spelling, or shortens the word below the length that allows two
    slips: KHOITJAH / KHOTIJAH is one swap as written and HOICAH / HOTIJAH keyed (the TJ
    read as old spelling), HAAN / HASAN one letter and HAN / HASAN two, SOTEINI / SOETINI
    one swap and SOTEINI / SUTINI two, KHOTIAH / KHODIJAH two slips in seven letters
    as written and in six keyed."""
    if not (a.spelled or b.spelled):
        return False
    return any(_tokens_close(p, q) for p in _as_written(a, x) for q in _as_written(b, y))


def _one_slip_apart(x: str, y: str) -> bool:
    return abs(len(x) - len(y)) <= 1 and DamerauLevenshtein.distance(x, y) <= 1


def _joined_as_written(row: Row) -> str:
    return "".join(_as_written(row, token)[0] for token in row.key.split())


def _joined_one_slip_apart(a: Row, b: Row) -> bool:
    """Two names, each written together, one slip apart: as keyed, as written
    (`_close_as_written`: YOGAARIF / YGA ARIF, the key's single A makes it two), or
    after their spelling by ear (`_tokens_close`: YURI RAHMAH / YULIROHMAH)."""
    x, y = "".join(a.key.split()), "".join(b.key.split())
    if _one_slip_apart(x, y):
        return True
    if (a.spelled or b.spelled) and _one_slip_apart(_joined_as_written(a), _joined_as_written(b)):
        return True
    return _slips_by_ear(_by_ear(x), _by_ear(y), 1) <= 1


def _tokens_similar(x: str, y: str) -> bool:
    return JaroWinkler.similarity(x, y) >= NAME_TOKEN_SIMILAR or _tokens_close(x, y)


def _same_nik(a: Row, b: Row) -> bool:
    """One NIK that fits both rows: twins never share it (their serials differ by one,
    so a NIK one typo apart is not enough)."""
    if a.nik is None or b.nik is None or a.nik_disagrees or b.nik_disagrees:
        return False
    if a.nik_damaged or b.nik_damaged:
        return a.nik15 == b.nik15
    return a.nik == b.nik


def _nik_one_typo(a: Row, b: Row) -> bool:
    if a.nik is None or b.nik is None or a.nik_disagrees or b.nik_disagrees:
        return False
    return DamerauLevenshtein.distance(a.nik, b.nik) <= 1


def _split_as_other(key: str, other: str) -> frozenset[str]:
    """The name's tokens, a word written together with the next (EKACITRA AZAHRA) split
    where the other name writes it apart (EKA CITRA). SOURCES.md: names mistyped; the
    whole name written apart or together (NUR HAYATI / NURHAYATI) is read below. So is
    a habitual prefix written together with the name the other report writes apart
    (NURLESTARI / NURUL LESTARI, SITIAMINAH / SITI AMINAH): the prefix is then read as
    any prefix is (SOURCES.md: names mistyped, Moch., M., Muh.)."""
    words = other.split()
    apart = {x + y: (x, y) for x, y in pairwise(words)}
    tokens = []
    for word in key.split():
        split = apart.get(word)
        if split is None:
            for prefix in _PREFIXES_BY_START.get(word[:2], ()):
                if word.startswith(prefix) and word[len(prefix) :] in words:
                    split = (prefix, word[len(prefix) :])
                    break
        tokens.extend(split or (word,))
    return frozenset(tokens)


# The prefixes a word may begin with, by their first two letters (_split_as_other).
_PREFIXES_BY_START: dict[str, tuple[str, ...]] = {}
for _prefix in sorted(PREFIXES):
    if len(_prefix) >= 2:
        _PREFIXES_BY_START[_prefix[:2]] = (*_PREFIXES_BY_START.get(_prefix[:2], ()), _prefix)


def _given_name(key: str) -> str | None:
    """The given name: the first token that is not a prefix (Siti, Muhammad) or a
    birth-order word (Eka, Dwi)."""
    return next((t for t in key.split() if t not in _NO_EVIDENCE and t not in ORDINALS), None)


def _given_names_agree(x: str, y: str, *, alike: bool) -> bool:
    """The given names one slip apart (`_tokens_close`), or with `alike` as the name rule
    compares tokens (`_tokens_similar`). Twins' given names are clearly different (ALDI /
    FAJAR, DIMAS / REZA) or alike (FAJAR / FAJRI, NADIA / NABILA)."""
    gx, gy = _given_name(x), _given_name(y)
    if gx is None or gy is None:
        return False
    return _tokens_similar(gx, gy) if alike else _tokens_close(gx, gy)


def _names_differ(a: Row, b: Row, *, by_nik: bool = True) -> bool:
    """Clearly different names.

    With one NIK on both rows, a name is a typo of the other when any uncommon
    token is alike (a mistyped surname or given name still leaves the other).
    Without that NIK, the tokens one name has and the other lacks must be
    misspellings of each other: a token both share (a family's last name) proves
    nothing, as twins and siblings share them (SOURCES.md: twins share KK, birth
    date and address). Tokens that many people carry (Siti, Sri, Muhammad) are
    too weak to tell two people apart on their own (PREFIXES); given names that
    many people carry (Dewi, Putri) are not.
    """
    if a.key is None or b.key is None or a.key == b.key:
        return False
    tokens_a, tokens_b = _split_as_other(a.key, b.key), _split_as_other(b.key, a.key)
    ords_a, ords_b = tokens_a & ORDINALS, tokens_b & ORDINALS
    if ords_a and ords_b and not ords_a & ords_b:
        return True
    joined_a_key, joined_b_key = "".join(a.key.split()), "".join(b.key.split())
    if joined_a_key == joined_b_key:
        return False  # written apart or together (NUR HAYATI / NURHAYATI)
    # Written apart on one report and together on the other, with one slip besides
    # (BAYU FARHAN / BSYUFARHAN, UMAR SARMIN / UAMRSARMIN, SITI RANI AULIA / SITI
    # RAMIAULIA): SOURCES.md, names mistyped. The words no longer line up, so the token
    # rules below see two names; a slip inside words that line up is theirs to read.
    if a.key.count(" ") != b.key.count(" ") and _joined_one_slip_apart(a, b):
        return False
    # One clean NIK (undamaged, fitting both rows) is one person: twins never share it.
    # Two NIKs that agree on Excel's 15 digits, or one typo apart, are also what twins'
    # NIKs look like (their serials differ in the last digit: SOURCES.md, twins share
    # KK, birth date and address), so there the given name must agree as well: twins
    # differ in it, not in the family's last name (SUPARMAN SHUH / SUPARMAN SHOLEH is one
    # man; AHMAD ALDI RAMADAN / AHMAD FAJAR RAMADAN, EKA DIMAS / EKA REZA HIDAYAT twins).
    # Two NIKs one typo apart are two numbers as written: the given names must be one
    # slip apart. Excel's 15 digits agree as far as they are known: given names alike
    # are enough (a given name mistyped twice, KHOIRUL / KOIRUL, ADITJA / ADITYA).
    clean_nik = _same_nik(a, b) and not (a.nik_damaged or b.nik_damaged)
    cut_nik = not clean_nik and _same_nik(a, b)
    one_nik = by_nik and (
        clean_nik
        or (cut_nik and _given_names_agree(a.key, b.key, alike=True))
        or (_nik_one_typo(a, b) and _given_names_agree(a.key, b.key, alike=False))
    )
    lenient = one_nik and a.core and b.core
    if lenient and any(_tokens_similar(x, y) for x in a.core for y in b.core):
        return False
    only_a, only_b = tokens_a - tokens_b, tokens_b - tokens_a
    if not only_a or not only_b:
        return False  # one name holds the other: a token left out
    unmatched_a = {
        x
        for x in only_a
        if not any(_tokens_close(x, y) or _close_as_written(a, x, b, y) for y in only_b)
    }
    unmatched_b = {
        y
        for y in only_b
        if not any(_tokens_close(x, y) or _close_as_written(a, x, b, y) for x in only_a)
    }
    if unmatched_a <= _NO_EVIDENCE or unmatched_b <= _NO_EVIDENCE:
        return False  # what differs is a misspelling, a Siti, Sri, Muhammad or a Hj.
    # One word of each name, not a slip of the other: two given names, however alike
    # their letters (FAJAR / FAJRI, YOGA FAJAR / YOGA FAJRI: twins of one house, held-out
    # seeds 18 and 11). Jaro-Winkler below would make them one, which `_tokens_close`
    # refuses on purpose; two letters swapped in a name by ear stay one (HOSEN / HOSNI).
    if len(unmatched_a) == 1 and len(unmatched_b) == 1:
        return not _swapped_by_ear(*unmatched_a, *unmatched_b)
    joined_a, joined_b = "".join(sorted(only_a)), "".join(sorted(only_b))
    return JaroWinkler.similarity(joined_a, joined_b) < NAME_SIMILAR


def _holds(z: Row, x: Row) -> bool:
    """x's name is z's with a word left out: fewer words, each a word of z's name or one
    slip from one (`_tokens_close`), a habitual prefix or title aside, and no birth-order
    word z lacks."""
    if z.key is None or x.key is None:
        return False
    words_z, words_x = _split_as_other(z.key, x.key), _split_as_other(x.key, z.key)
    if words_x & ORDINALS - words_z or len(words_x - _NO_EVIDENCE) >= len(words_z - _NO_EVIDENCE):
        return False
    return all(
        t in words_z or t in _NO_EVIDENCE or any(_tokens_close(t, u) for u in words_z)
        for t in words_x
    )


def _slip_of(z: Row, x: Row) -> bool:
    """x's name is z's with a slip in some of its words: word for word, each one
    `_tokens_close` to z's (or as written), prefixes and titles aside."""
    if z.key is None or x.key is None or z.key == x.key:
        return False
    words_z = [t for t in z.key.split() if t not in _NO_EVIDENCE]
    words_x = [t for t in x.key.split() if t not in _NO_EVIDENCE]
    if len(words_z) != len(words_x) or not words_z:
        return False
    return all(
        p == q or _tokens_close(q, p) or _close_as_written(x, q, z, p)
        for p, q in zip(words_z, words_x, strict=True)
    )


def _one_name_explains_both(x: Row, y: Row, group: Iterable[Row]) -> bool:
    """Another report of the person writes a name of which both names are a form: the
    name itself, with a word left out (`_holds`) or with a slip (`_slip_of`; as written
    too: YIESOEF KASNO is one slip from YOESOEF KASNO, keyed as YUSUF KASNO).

    SOURCES.md: names shortened, or mistyped. A name of three words is written by one
    report with its middle word left out and by another with its last (TRI ALDI RUDI as
    TRI RUDI and as TRI ALDI, WULAN ROHMAH KURNIAWAN as WULAN ROHMAH and as WULAN
    KURNIAWAN; held-out seed 13), and each report slips on its own letter (SUMARNO as
    SPMARNO and as SUMANO, DARMAJI as DARMADIJ and as DSRMAJI; seed 11): the two forms
    are two names to each other (another given name, two slips in a short name, which
    is how twins' names differ), but each is one form of the name a third report wrote,
    which the two groups about to be joined hold. Twins' whole names hold only their own
    given name (AHMAD ALDI RAMADAN / AHMAD FAJAR RAMADAN), and a name shorter than
    both explains neither. The name that explains both is written at least as often as
    either: a twin's name is written on each of her reports, and one report of her
    sister slipped one letter towards it (NABILA as NADILA beside NADIA) must not
    explain the two sisters' names as one."""
    group = list(group)
    written: dict[str | None, int] = {}
    for row in group:
        written[row.key] = written.get(row.key, 0) + 1
    least = max(written[x.key], written[y.key])
    # A person's reports repeat its name: each name as written is tried once.
    tried: set[tuple] = set()
    for z in group:
        if z is x or z is y or written[z.key] < least or (z.key, z.spelled) in tried:
            continue
        tried.add((z.key, z.spelled))
        if (z.key == x.key or _holds(z, x) or _slip_of(z, x)) and (
            z.key == y.key or _holds(z, y) or _slip_of(z, y)
        ):
            return True
    return False


def _tolerance(row: Row, other: Row) -> int:
    """Years by which the row's year may be off (features.written_tolerance: an
    adult's guess GUESS_SPREAD - 1). A year written alone beside the other report's
    full written date is that date's year, written by someone who had the papers."""
    alone = row.dob is None and not row.dob_placeholder and not row.year_approx
    return 0 if alone and other.dob is not None else row.tolerance


def _dates_differ(a: Row, b: Row) -> bool:
    """Full dates more than a typo or a day/month swap apart; otherwise years further
    apart than what each row knows of its year allows (`_tolerance`), plus one year
    of slack.

    A full date against a full date still conflicts as before: twins and namesakes
    are told apart by it (docs/linkage.md section 5)."""
    if a.dob is not None and b.dob is not None:
        if a.dob == b.dob:
            return False
        if a.dob.year == b.dob.year and (a.dob.month, a.dob.day) == (b.dob.day, b.dob.month):
            return False
        digits_a, digits_b = a.dob.strftime("%Y%m%d"), b.dob.strftime("%Y%m%d")
        return DamerauLevenshtein.distance(digits_a, digits_b) > 1
    if a.year is not None and b.year is not None:
        return abs(a.year - b.year) > 1 + max(_tolerance(a, b), _tolerance(b, a))
    return False


def _niks_differ(a: Row, b: Row) -> bool:
    """Two clean NIKs (not damaged by Excel), each fitting its row, that are not one
    NIK mistyped: more than one typo apart, except two typos outside the serial.

    Two reports may each mistype one digit of one NIK (SOURCES.md), leaving the
    two copies two digits apart. Two people of one region and birth date (twins,
    namesakes) have NIKs that differ only in the serial (digits 13-16).
    """
    if a.nik is None or b.nik is None or a.nik_disagrees or b.nik_disagrees:
        return False
    if a.nik_damaged or b.nik_damaged:
        return False
    distance = DamerauLevenshtein.distance(a.nik, b.nik)
    return distance > 2 or (distance == 2 and a.nik[:12] == b.nik[:12])


def _one_nik_mistyped_twice(a: Row, b: Row, dates_differ: bool) -> bool:
    """Two reports of one name and birth year, each with one digit of one NIK mistyped
    (SOURCES.md: numbers mistyped): the copies lie two digits apart, in the serial too.
    `_niks_differ` refuses two digits in the serial, where twins' and namesakes' NIKs
    differ; twins never carry one name, and a namesake of one kecamatan born on the same
    day is far rarer than a second typo (held-out seed 13: 40 such pairs scored, all one
    person, all in one desa). Both rows must say what they know of the year, and be of one
    desa, as `_one_slip` asks of a NIK copied wrong: a namesake born the same day in
    another desa, or two PONIRAH with no date, stay two NIKs. A row that wrote no date
    says its year through its NIK (SOURCES.md: digits 7-12 are the birth date), which
    the other row's written year must then confirm (`_nik_year_fits`): a report without
    a date column (an SLRT export, a PSM sheet) beside one that wrote it."""
    if a.year is None and b.year is None:
        return False
    return (
        a.key is not None
        and b.key is not None
        and _one_name_by_ear(a.key, b.key)
        and (a.year is not None or _nik_year_fits(a, b))
        and (b.year is not None or _nik_year_fits(b, a))
        and a.desa is not None
        and a.desa == b.desa
        and not dates_differ
        and DamerauLevenshtein.distance(a.nik, b.nik) <= 2
    )


def _one_name_by_ear(x: str, y: str) -> bool:
    """One name key, or one name written by ear two ways (`_by_ear`: DWI RAFI SHOLEH /
    DWI RAFI SOLEH, ZAINAL / ZAENAL), word by word."""
    if x == y:
        return True
    words_x, words_y = x.split(), y.split()
    return len(words_x) == len(words_y) and all(
        p == q or _by_ear(p) == _by_ear(q) or _spelled_by_ear(p, q)
        for p, q in zip(words_x, words_y, strict=True)
    )


def _nik_of_another(a: Row, b: Row) -> bool:
    """One name of two words or more in one desa, one of the two reports without any
    birth date: its NIK may be another family member's, which the row cannot show.

    SOURCES.md: "The head of the family's NIK written for his wife or child: one NIK,
    two different people". A row that wrote a date or a gender its NIK does not encode
    says so (`nik_disagrees`, and `_niks_differ` then ignores the NIK); a row that wrote
    no date says nothing, so its NIK may be the card holder's (held-out seeds 11 and 13:
    EKA ALDI MARUF born 1992 beside a report of him carrying a NIK of 1956, BAGUS HENDRA
    of 2011 beside one of 1991, all of one desa). Two NIKs that encode one birth date
    differ only in their serial, which is how twins' and namesakes' NIKs differ: those
    stay two people. A name of one word (MARWIYAH, SARMI) is carried by a mother and her
    daughter, or two neighbours, in one desa (seed 11: a mother of 1939, reported without
    a date, and her daughter of 1978): those stay two NIKs."""
    if a.key is None or a.key != b.key or " " not in a.key:
        return False
    if a.desa is None or a.desa != b.desa:
        return False
    if a.year is not None and b.year is not None:
        return False
    return a.nik[6:12] != b.nik[6:12]


def _nik_year_fits(row: Row, other: Row) -> bool:
    """The year the row's NIK encodes (digits 11-12) is the other row's written year, as
    far as the other knows it (`_tolerance`, plus a year as `_dates_differ` allows)."""
    apart = abs(int(row.nik[10:12]) - other.year % 100)
    return min(apart, 100 - apart) <= 1 + _tolerance(other, row)


def _one_slip(a: Row, b: Row, reason: str) -> bool:
    """One field of two rows contradicts and the other identifiers agree exactly.

    A clerk who copies a row by hand slips in one cell: a name mistyped beyond
    recognition, a date from another document, another number typed for the NIK
    (SOURCES.md: names "mistyped", dates "day and month swapped", "two rows of the
    same person do not always share a NIK"). Another person differs in more than
    one of them: twins in the given name and the NIK (their serials differ), a
    wife given her husband's NIK in the name, the birth date and the gender, a
    child given the head's NIK in the name and a date his NIK does not encode
    (`nik_disagrees`), a namesake in the date or the desa.

    - `name`: one undamaged NIK that fits both rows, one written full date, and the same
      birth-order word or none (EKA FITRI / EKA DEWI; twins are Eka and Dwi);
    - `birth_date`: one undamaged NIK that fits both rows, names alike without it;
    - `nik`: names alike without a NIK, one written full date (or a typo of it), one desa.
    Gender, where both rows wrote one, agrees (else `gender` is a second reason).
    """
    # Excel's lost 16th digit is where twins' serials differ: only an undamaged NIK is one.
    one_nik = _same_nik(a, b) and not (a.nik_damaged or b.nik_damaged)
    same_date = a.dob is not None and b.dob is not None and not _dates_differ(a, b)
    same_name = a.key is not None and b.key is not None and not _names_differ(a, b, by_nik=False)
    if reason == "name":
        # Twins are Eka and Dwi: one birth-order word on both rows is one child of it.
        return one_nik and same_date and a.tokens & ORDINALS == b.tokens & ORDINALS
    if reason == "birth_date":
        return one_nik and same_name
    if reason == "nik":
        return same_name and same_date and a.desa is not None and a.desa == b.desa
    return False


def _each_nik_its_own_date(a: Row, b: Row) -> bool:
    """Two written dates a typo apart, each the date its own row's NIK encodes.

    `_dates_differ` forgives one digit of a date (SOURCES.md: dates mistyped). A date
    mistyped on one report leaves that report's NIK encoding the true date; when each
    row's NIK encodes the row's own date, two documents agree with themselves, and one
    typo would have to be made twice, in the date and in the NIK alike: two people
    (namesakes of one desa born days apart, held-out seed 13: two PARTINI of 1964-11-08
    and 1964-11-18, each NIK its own card's)."""
    if None in (a.dob, b.dob, a.nik, b.nik) or a.dob == b.dob:
        return False
    # Excel's lost 16th digit leaves the date digits of a NIK as they were.
    return all(_nik_encodes(r.nik, r.dob) for r in (a, b))


def _each_nik_its_own_place(a: Row, b: Row) -> bool:
    """Two NIKs of two kecamatan, each issued where its own row lives.

    SOURCES.md: NIK digits 1-6 are the province, kabupaten and kecamatan (where the NIK
    was issued), and a NIK is kept for life, moves included: one person's reports carry
    one region, wherever they are made. A digit mistyped there that lands exactly on the
    other report's own kecamatan is far rarer than two people of one name and date in two
    kecamatan (held-out seed 17: INDAH / DINDA MAIMUNAH, both born 1999-12-23, KARNO of
    1943-03-20 in two kecamatan of one kota). Excel's lost 16th digit leaves digits 1-6."""
    if None in (a.nik, b.nik, a.desa, b.desa) or a.nik[:6] == b.nik[:6]:
        return False
    return all(r.nik[:6] == r.desa.replace(".", "")[:6] for r in (a, b))


def _nik_encodes(nik: str, dob: dt.date) -> bool:
    parts = date_parts(nik)
    return (parts.day, parts.month, parts.yy) == (dob.day, dob.month, dob.year % 100)


def _one_row_twice(a: Row, b: Row) -> bool:
    """The same row written twice (pasted again): one name, NIK, birth date and gender."""
    return (a.key, a.nik, a.dob, a.year, a.gender) == (b.key, b.nik, b.dob, b.year, b.gender)


def conflict(a: Row, b: Row) -> str | None:
    """Why two rows are clearly two people, or None (`_one_slip` forgives one field)."""
    # A TKSK monthly report names each person it handled that month once (SOURCES.md:
    # one workbook per kecamatan per month, one numbered row a person; features
    # `report_list`): two of its rows are two people however alike, namesakes of one
    # street (SUMARNO / SOEMARNO) or a sister listed beside her sister (SALSABILA /
    # AYU SALSABILA), unless one row was pasted twice. Held-out 13 and 11: no person
    # twice in one TKSK report, 67 and 40 false pairs joined through two of its rows.
    if a.report is not None and a.report == b.report and not _one_row_twice(a, b):
        return "one_report"
    reasons = []
    names = _names_differ(a, b)
    dates = _dates_differ(a, b) or _each_nik_its_own_date(a, b)
    if a.gender and b.gender and a.gender != b.gender and (names or dates or a.key != b.key):
        reasons.append("gender")
    if names:
        reasons.append("name")
    if dates:
        reasons.append("birth_date")
    if a.nasab and b.nasab and JaroWinkler.similarity(a.nasab, b.nasab) < 0.75:
        reasons.append("nasab")
    if (
        _niks_differ(a, b)
        and not _one_nik_mistyped_twice(a, b, dates)
        and not _nik_of_another(a, b)
    ) or _each_nik_its_own_place(a, b):
        reasons.append("nik")
    if len(reasons) == 1 and _one_slip(a, b, reasons[0]):
        return None
    return ",".join(reasons) or None


def _twins_niks(group_a: Iterable[Row], group_b: Iterable[Row]) -> bool:
    """Each group writes its own NIK, on two reports or more, with names the other's NIK
    is never written with, and the two NIKs share their region and birth date.

    SOURCES.md: "Twins share KK, birth date and address"; NIK digits 1-12 are region and
    birth date, 13-16 a serial. Twins' NIKs differ in the serial only, and twins are
    given names a letter apart (FITRI TIARA / FITRIA TIARA, SITI FITRI / SITI FITRIA
    AMELIA; held-out seeds 17 and 11), which the rows compared two by two read as one
    NIK mistyped and one name mistyped. A typo is made on one report; two reports that
    write one NIK with one name read it off one card (a register's export repeats its
    own typo, but with the person's own name, so the names meet). A NIK whose 16th digit
    is 0 may be Excel's cut form copied on as text (SOURCES.md: the 16th digit becomes
    0), and tells nothing there."""
    by_nik_a, by_nik_b = _names_by_nik(group_a), _names_by_nik(group_b)
    return any(
        x != y
        and x[:12] == y[:12]
        and not any(_one_name_by_ear(p, q) for p in names_x for q in names_y)
        for x, names_x in by_nik_a.items()
        for y, names_y in by_nik_b.items()
    )


def _names_by_nik(group: Iterable[Row]) -> dict[str, set[str]]:
    """The names written with each whole NIK (undamaged, fitting its row, not ending in
    0) of a group, for the NIKs written on two reports or more."""
    written: dict[str, list[str]] = {}
    for row in group:
        if (
            row.nik
            and row.key
            and not (row.nik_damaged or row.nik_disagrees)
            and row.nik[-1] != "0"
        ):
            written.setdefault(row.nik, []).append(row.key)
    return {nik: set(names) for nik, names in written.items() if len(names) >= 2}


# The statuses an edge taken in order may get, by code (Clustering.ordered_status);
# code 0: the status is the one edge_status holds (a reviewer's pair already there).
ORDERED_STATUSES = (None, "linked", "same_person", "conflict", "review", "reviewer_different")
_CODE = {status: code for code, status in enumerate(ORDERED_STATUSES) if status}


@dataclass
class Clustering:
    cluster_of: dict[int, int]  # uid -> smallest uid of its cluster
    edge_status: dict[tuple[int, int], str] = field(default_factory=dict)
    edge_conflict: dict[tuple[int, int], str] = field(default_factory=dict)
    # With in_order: the status code of the i-th edge (ORDERED_STATUSES) and the
    # conflict of the refused ones by position, instead of edge_status and edge_conflict.
    # A first night at two years takes 7.5 million edges: a byte each, not a tuple
    # key and a dict entry (about 160 bytes).
    ordered_status: bytearray | None = None
    ordered_conflict: dict[int, str] = field(default_factory=dict)


_UNSEEN = object()
_REASONS: dict[str, str] = {}


def _reason(why: str | None) -> str | None:
    """One string object per distinct reason ("name,birth_date"), however many pairs give it."""
    return None if why is None else _REASONS.setdefault(why, why)


# Status of a pair that would join two persons established on earlier nights
# through the night's rows: only direct evidence (a reviewer) joins them.
ESTABLISHED = "established_persons"


def cluster(
    rows: dict[int, Row],
    edges: list[tuple[int, int, float]],
    *,
    must_link: list[tuple[int, int]] = (),
    cannot_link: list[tuple[int, int]] = (),
    established: list[list[int]] = (),
    in_order: bool = False,
) -> Clustering:
    """Join rows along edges (uid_l, uid_r, weight), strongest first, refusing conflicts.

    `established` are the row groups of persons from earlier nights: each starts
    joined, and two of them are never joined by model edges (a new row that
    fits both goes to the stronger one, and the other pair to review), only by
    a reviewer's "same person".
    Deterministic: edges are taken in (weight desc, uid_l, uid_r) order. With
    `in_order`, `edges` is any iterable already in that order (a first night's strong
    pairs streamed from DuckDB: millions of them, never one list of tuples and its
    sort keys); the statuses of `edges` are then kept by position
    (`Clustering.ordered_status`), and edge_status holds only the reviewers' pairs.
    """
    parent = {uid: uid for uid in rows}
    members = {uid: [uid] for uid in rows}
    forbidden = {(min(a, b), max(a, b)) for a, b in cannot_link}
    result = Clustering(cluster_of={})
    memo: dict[tuple[int, int], str | None] = {}
    settled: set[int] = set()

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(ra: int, rb: int) -> None:
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        if rb in settled:
            settled.discard(rb)
            settled.add(ra)

    def blocked(ra: int, rb: int, model: bool) -> str | None:
        # Only a refused join's verdicts are kept: after a join its rows are one group and
        # never compared again, and a first night at two years joins millions of pairs
        # (the memo of every pair compared was a tuple and a dict entry each).
        fresh: dict[tuple[int, int], str | None] = {}
        for x in members[ra]:
            for y in members[rb]:
                key = (x, y) if x < y else (y, x)
                if key in forbidden:
                    memo.update(fresh)
                    return "reviewer_different"
                if not model:
                    continue
                why = memo.get(key, _UNSEEN)
                if why is _UNSEEN:
                    why = fresh[key] = _reason(conflict(rows[key[0]], rows[key[1]]))
                if why == "name" and _one_name_explains_both(
                    rows[x], rows[y], (rows[z] for z in chain(members[ra], members[rb]))
                ):
                    continue
                if why:
                    memo.update(fresh)
                    return why
        # Twins are told apart by what each group writes again and again (_twins_niks),
        # which no two rows show: read once, for a join about to be made.
        twins = (
            model
            and len(members[ra]) > 1
            and len(members[rb]) > 1
            and _twins_niks((rows[x] for x in members[ra]), (rows[y] for y in members[rb]))
        )
        return "nik" if twins else None

    for group in established:
        present = sorted(uid for uid in group if uid in parent)
        for uid in present[1:]:
            ra, rb = find(present[0]), find(uid)
            if ra != rb:
                union(ra, rb)
        if present:
            settled.add(find(present[0]))

    for a, b in sorted({(min(a, b), max(a, b)) for a, b in must_link}):
        if a not in parent or b not in parent:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            result.edge_status[(a, b)] = "reviewer_same"
            continue
        why = blocked(ra, rb, model=False)
        if why:
            result.edge_status[(a, b)] = "reviewer_conflict"
            result.edge_conflict[(a, b)] = why
        else:
            union(ra, rb)
            result.edge_status[(a, b)] = "reviewer_same"

    if in_order:
        result.ordered_status = codes = bytearray()
        conflicts = result.ordered_conflict

        def record(key: tuple[int, int], status: str, why: str | None = None) -> None:
            if why is not None:
                conflicts[len(codes)] = why
            codes.append(_CODE[status])

        def keep(key: tuple[int, int]) -> None:  # edge_status.setdefault(key, "same_person")
            codes.append(0 if key in result.edge_status else _CODE["same_person"])

    else:

        def record(key: tuple[int, int], status: str, why: str | None = None) -> None:
            result.edge_status[key] = status
            if why is not None:
                result.edge_conflict[key] = why

        def keep(key: tuple[int, int]) -> None:
            result.edge_status.setdefault(key, "same_person")

    ordered = edges if in_order else sorted(edges, key=lambda e: (-e[2], e[0], e[1]))
    for a, b, _ in ordered:
        key = (a, b) if a < b else (b, a)
        if key in forbidden:
            record(key, "reviewer_different")
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            keep(key)
            continue
        if ra in settled and rb in settled:
            record(key, "review", ESTABLISHED)
            continue
        why = blocked(ra, rb, model=True)
        if why:
            record(key, "conflict", why)
        else:
            union(ra, rb)
            record(key, "linked")

    smallest: dict[int, int] = {}
    for uid in rows:
        root = find(uid)
        smallest[root] = min(smallest.get(root, uid), uid)
    result.cluster_of = {uid: smallest[find(uid)] for uid in rows}
    return result
