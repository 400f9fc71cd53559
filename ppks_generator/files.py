"""File names as people choose them, unique across the whole inbox.

The pipeline identifies a file by its bare name, so no two files anywhere in
the inbox may share one (compared case-insensitively, as on Windows).
"""

from __future__ import annotations

import random
import re
from pathlib import PurePath

from ppks_generator.noise import MONTHS
from ppks_generator.population import Kecamatan, Place

FOLDERS = ("tksk", "psm", "slrt")  # one inbox folder per source
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


class Names:
    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, candidates: list[str]) -> str:
        """The first free candidate; when all are taken, the first one numbered."""
        for name in candidates:
            name = _UNSAFE.sub("", name)
            if name.lower() not in self.taken:
                self.taken.add(name.lower())
                return name
        stem, ext = _split(_UNSAFE.sub("", candidates[0]))
        n = 2
        while f"{stem} ({n}){ext}".lower() in self.taken:
            n += 1
        self.taken.add(f"{stem} ({n}){ext}".lower())
        return f"{stem} ({n}){ext}"


def _split(name: str) -> tuple[str, str]:
    suffix = PurePath(name).suffix
    return name[: len(name) - len(suffix)], suffix


def _ym(month: str) -> tuple[str, str, str]:
    y, m = month.split("-")
    return y, m, MONTHS[int(m) - 1]


def tksk(kec: Kecamatan, month: str, habit: int) -> list[str]:
    """Candidates for a TKSK report; ``habit`` is the pattern this TKSK usually uses."""
    y, m, bulan = _ym(month)
    k = kec.nama
    patterns = [
        f"LAPORAN {bulan.upper()} KEC {k.upper()}.xlsx",
        f"LAP_BULANAN_TKSK_{k.upper().replace(' ', '_')}_{m}_{y}.xlsx",
        f"Laporan TKSK {k} {bulan} {y}.xlsx",
        f"TKSK_{k.replace(' ', '_')}_{y}{m}.xlsx",
        f"lap tksk {k.lower()} {bulan.lower()} {y}.xlsx",
        f"Laporan Bulanan TKSK Kec. {k} - {bulan} {y}.xlsx",
    ]
    first = patterns[habit % len(patterns)]
    stem, ext = _split(first)
    return [first, f"{stem} {kec.kab}{ext}", f"{stem} {kec.kode}{ext}"]


def tksk_placeless(rng: random.Random, month: str) -> list[str]:
    """A TKSK report named only by what and when (SOURCES.md: names carry no meaning)."""
    y, m, bulan = _ym(month)
    return [
        rng.choice(
            (
                f"Laporan TKSK {bulan} {y}.xlsx",
                f"LAPORAN BULANAN {bulan.upper()} {y}.xlsx",
                f"lap tksk {m}-{y}.xlsx",
                f"Laporan Bulanan {bulan} {y} fix.xlsx",
            )
        )
    ]


def psm(rng: random.Random, place: Place, year: int) -> list[str]:
    d = place.desa
    first = rng.choice(
        (
            f"Data PPKS Desa {d}.xlsx",
            f"DATA PMKS {d}.xlsx",
            f"PPKS {d.upper()} {year}.xlsx",
            f"PSM {d} update.xlsx",
            f"data_ppks_{d.lower().replace(' ', '')}_{place.kec.lower().replace(' ', '')}.xlsx",
            f"Rekap PPKS Ds {d}.xlsx",
        )
    )
    stem, ext = _split(first)
    return [first, f"{stem} {place.kec}{ext}", f"{stem} {place.kec} {place.kab}{ext}"]


def slrt(rng: random.Random, kab: str, kota: bool, months: tuple[str, ...], fmt: str) -> list[str]:
    area = f"kota_{kab}" if kota else kab
    area = area.lower().replace(" ", "_")
    y0, m0, bulan0 = _ym(months[0])
    _y1, m1, _ = _ym(months[-1])
    ext = f".{fmt}"
    first = rng.choice(
        (
            f"export_layanan_{area}_{y0}{m0}-{m1}{ext}",
            f"data_layanan_slrt_{area}_{y0}{m0}{ext}",
            f"SLRT {'Kota ' if kota else ''}{kab} {bulan0} {y0}{ext}",
            f"rekap_slrt_{area}_{y0}{m0}_{m1}{ext}",
        )
    )
    return [first, f"export_slrt_{area}_{y0}{m0}-{m1}{ext}"]


def correction(rng: random.Random, name: str) -> list[str]:
    stem, ext = _split(name)
    tag = rng.choice((" revisi", " (revisi)", "_rev", " perbaikan", " REVISI FINAL", " (update)"))
    return [f"{stem}{tag}{ext}", f"{stem} revisi 2{ext}"]


def resend(rng: random.Random, name: str) -> list[str]:
    """A copy of a file sent again by email."""
    stem, ext = _split(name)
    return [
        rng.choice(
            (
                f"{stem} (kirim ulang){ext}",
                f"{stem} (1){ext}",
                f"Copy of {stem}{ext}",
                f"{stem} - Copy{ext}",
                f"FW {stem}{ext}",
            )
        ),
        f"{stem} (kirim ulang 2){ext}",
    ]
