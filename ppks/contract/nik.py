"""The 16-digit NIK: PPKKCC DDMMYY SSSS.

- digits 1-6: province, kabupaten/kota, kecamatan of registration
  (``kode_kecamatan`` without its dots: ``351413`` is ``35.14.13``);
- digits 7-12: the birth date DDMMYY, with 40 added to the day for women;
- digits 13-16: a serial number within the kecamatan and birth date.

A No. KK has the same length and region part but no date. This module is the
one reading of the layout in the product: the normaliser decodes with it
(``ppks.normalise.nik_kk``, scalar and vectorised), and the linkage SQL
(``ppks.link.features``) is tested against it. ``ppks_generator`` writes NIKs
with its own code on purpose: it is the independent oracle the tests compare
the product with.
"""

from __future__ import annotations

import calendar
from typing import NamedTuple

LENGTH = 16
REGION = slice(0, 6)
DAY = slice(6, 8)
MONTH = slice(8, 10)
YEAR = slice(10, 12)
DATE = slice(6, 12)
SERIAL = slice(12, 16)
WOMAN_DAY_OFFSET = 40


class NikDate(NamedTuple):
    day_written: int  # DD as written (+40 for women)
    day: int  # the day of birth
    month: int
    yy: int  # two digits: the century is not in the NIK


def is_nik_shaped(text: str | None) -> bool:
    return text is not None and len(text) == LENGTH and text.isdigit()


def kode_kecamatan(nik: str) -> str:
    """The dotted kecamatan code of digits 1-6: '35.14.13'."""
    region = nik[REGION]
    return f"{region[0:2]}.{region[2:4]}.{region[4:6]}"


def region_digits(kode: str) -> str:
    """A dotted kecamatan code as the NIK writes it: '35.14.13' -> '351413'."""
    return kode.replace(".", "")


def is_woman_day(day_written: int) -> bool:
    return day_written > WOMAN_DAY_OFFSET


def gender_of(day_written: int) -> str:
    """'P' (perempuan) when 40 was added to the day, else 'L' (laki-laki)."""
    return "P" if is_woman_day(day_written) else "L"


def date_parts(nik: str) -> NikDate:
    """The date digits of a 16-digit NIK, not checked."""
    written = int(nik[DAY])
    day = written - WOMAN_DAY_OFFSET if is_woman_day(written) else written
    return NikDate(written, day, int(nik[MONTH]), int(nik[YEAR]))


def date_valid(nik: str) -> bool:
    """Whether digits 7-12 can be a birth date.

    The century is unknown: 29 February is valid when either 19YY or 20YY is a
    leap year.
    """
    parts = date_parts(nik)
    if not 1 <= parts.month <= 12 or parts.day < 1:
        return False
    leap = calendar.isleap(1900 + parts.yy) or calendar.isleap(2000 + parts.yy)
    longest = 29 if parts.month == 2 and leap else calendar.monthrange(2001, parts.month)[1]
    return parts.day <= longest
