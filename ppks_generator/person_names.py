"""Name pools for the synthetic population of Jawa Timur.

Older people carry one or two Javanese or Madurese names, younger people two
or three "modern" ones; Muslim tokens (Muhammad, Ahmad, Siti, Nur, Sri) are
very frequent on purpose, because they make name-based linkage hard.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate


def words(text: str) -> tuple[str, ...]:
    """A tuple from space-separated words: long vocabularies stay readable."""
    return tuple(text.split())


MALE_JAVANESE = words(
    "Slamet Sutrisno Suparman Sukardi Paijo Paiman Darmaji Sugiono Tukiran Karno Sukiman "
    "Supriyadi Subandi Sumarno Suwaji Tumijan Sarmin Paimin Sarju Wagiman Ngadiman Kasdi "
    "Suyono Sunarto Bambang Budi Joko Agus Heri Eko Hadi Santoso Widodo Susilo Purnomo "
    "Wahyudi Setiawan Harjo Mulyono Mujiono Sucipto Prasetyo Durahem Kusno Marijan"
)
MALE_MADURESE = words(
    "Sahlan Busiri Juhdi Marzuki Marsuki Mahrus Fadoli Sanusi Hosen Sahri Rofiq Mahfud Holil "
    "Rasyid Sukri Asmuni Bahri Jumadi Matrawi Satrawi Buhari Nasir Salam Badrus Ilyas Kurdi "
    "Munir Marsudi Sulaiman"
)
MALE_MUSLIM = words(
    "Hasan Husein Yusuf Ibrahim Ismail Hamid Rahman Syaiful Zainal Arifin Ali Umar Usman "
    "Khoirul Wahid Sholeh Hidayat Kholil Abdullah Fauzi Syamsul Mahmud Anwar Jamaludin"
)
MALE_MODERN = words(
    "Rizky Dimas Fajar Bagus Bayu Reza Aditya Pratama Saputra Kurniawan Firmansyah Maulana "
    "Alfarizi Ramadhan Galih Nugraha Kevin Rio Wijaya Adi Rafi Fauzan Hafiz Arya Yoga Wahyu "
    "Farhan Ilham Yusril Danu"
)
FEMALE_JAVANESE = words(
    "Sumiati Painem Paini Sukarti Tumini Kasiyem Ngatini Suminah Sutinah Marsini Sarinah "
    "Wagini Ponirah Tukinem Sulastri Suwarni Darmi Lasmi Jumiati Karsinah Parmi Partini "
    "Rukmini Suprapti Tarmini Sumarni Wartini Mujiati"
)
FEMALE_MADURESE = words(
    "Hosniyah Marfuah Sulaiha Holifah Marwiyah Asmawati Munawaroh Halimah Rukayyah Khotijah "
    "Maimunah Nafisah Hamidah Zubaidah Mustiah Suhairiyah Juwairiyah Salehah Maisaroh"
)
FEMALE_MUSLIM = words(
    "Fatimah Aisyah Aminah Khadijah Zainab Maryam Nurul Laili Rohmah Sholihah Hasanah Umayah "
    "Muslimah Rahmah Astuti Jannah"
)
FEMALE_MODERN = words(
    "Ayu Putri Salsabila Dinda Citra Nadia Indah Intan Dewi Rina Novita Lestari Safitri "
    "Anggraini Pratiwi Permatasari Rahmawati Cahyani Azzahra Ramadhani Wulandari Puspita "
    "Anisa Mega Fitri Handayani Maharani Oktaviani"
)
ORDINALS = ("Eka", "Dwi", "Tri")

# The spellings of Muhammad and Ahmad people carry as their own name; a report
# may write any other one (noise name_muhammad_variant / name_ahmad_variant).
MUHAMMAD = (
    "Muhammad",
    "Muhamad",
    "Mohammad",
    "Mohamad",
    "Mochammad",
    "Moch.",
    "M.",
    "Muh.",
    "Much.",
    "Moh.",
)
AHMAD = ("Ahmad", "Achmad", "Akhmad", "Ach.", "Ahmat")

# Twins get names that belong together, as parents like to choose them.
TWIN_NAMES = {
    "L": (("Hasan", "Husein"), ("Rizky", "Rafi"), ("Dimas", "Danu"), ("Fajar", "Farhan")),
    "P": (("Dewi", "Dewanti"), ("Nadia", "Nabila"), ("Putri", "Puspita"), ("Aulia", "Amelia")),
}


class Weighted:
    """A weighted choice with its cumulative weights computed once (random.choices redoes it)."""

    __slots__ = ("cum", "items", "last")

    def __init__(self, pairs: list[tuple[object, float]]):
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.last = len(self.items) - 1

    def pick(self, rng: random.Random):
        i = bisect_right(self.cum, rng.random() * self.cum[-1])
        return self.items[min(i, self.last)]


def _era(birth_year: int) -> str:
    return "old" if birth_year < 1975 else "young" if birth_year >= 1995 else "mid"


POOL_WEIGHTS = {"old": (5, 3, 2, 0.2), "mid": (3, 2, 3, 2), "young": (2, 1, 2, 5)}
POOLS = {
    "L": (MALE_JAVANESE, MALE_MADURESE, MALE_MUSLIM, MALE_MODERN),
    "P": (FEMALE_JAVANESE, FEMALE_MADURESE, FEMALE_MUSLIM, FEMALE_MODERN),
}
TOKENS = {
    (g, era): Weighted(
        [(t, w / len(pool)) for pool, w in zip(POOLS[g], ws, strict=True) for t in pool]
    )
    for g in "LP"
    for era, ws in POOL_WEIGHTS.items()
}
# The first token: Muhammad (in its many spellings), Ahmad, Siti, Sri, Nur are very common.
_MUHAMMAD_WEIGHTS = (40, 8, 10, 6, 6, 8, 10, 4, 4, 4)
FIRST = {
    ("L", era): Weighted(
        [(m, 0.18 * w / 100) for m, w in zip(MUHAMMAD, _MUHAMMAD_WEIGHTS, strict=True)]
        + [(a, 0.06 * w / 20) for a, w in zip(AHMAD, (10, 4, 3, 2, 1), strict=True)]
        + [("Abd.", 0.0 if era == "young" else 0.02), ("Mat", 0.04 if era == "old" else 0.0)]
        + [("", 0.70 if era != "young" else 0.74)]
    )
    for era in POOL_WEIGHTS
}
FIRST |= {
    ("P", era): Weighted(
        [("Siti", 0.16), ("Sitti", 0.05), ("Sri", 0.09), ("Nur", 0.06), ("", 0.64)]
    )
    for era in POOL_WEIGHTS
}
MORE = {
    "old": Weighted([(1, 6), (2, 3), (3, 0.5)]),
    "mid": Weighted([(1, 4), (2, 4), (3, 1)]),
    "young": Weighted([(1, 2), (2, 5), (3, 2)]),
}


def make_name(rng: random.Random, gender: str, birth_year: int) -> str:
    """A clean (title-case) name for a person of that gender born in that year."""
    era = _era(birth_year)
    first = FIRST[gender, era].pick(rng)
    tokens = [first] if first else []
    if era == "young" and rng.random() < 0.12:
        tokens.append(rng.choice(ORDINALS))
    wanted = MORE[era].pick(rng) + (1 if first else 0)
    pick = TOKENS[gender, era].pick
    while len(tokens) < wanted:
        t = pick(rng)
        if t not in tokens:
            tokens.append(t)
    return " ".join(tokens)


def twin_name(rng: random.Random, gender: str, sibling: str) -> tuple[str, str]:
    """Two names for twins: a matching pair, or the sibling's name with another first token."""
    pair = rng.choice(TWIN_NAMES[gender])
    if rng.random() < 0.5:
        last = sibling.split()[-1]
        return f"{pair[0]} {last}", f"{pair[1]} {last}"
    return pair


FATHERS = (*MALE_JAVANESE, *MALE_MADURESE, *MALE_MUSLIM)


def father_name(rng: random.Random) -> str:
    """A father's name for bin/binti when the father is not in the household."""
    return rng.choice(FATHERS)
