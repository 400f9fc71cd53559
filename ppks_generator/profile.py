"""Generator profiles: how often each kind of damage occurs, in one named object.

`default` is the profile every figure before issue #10 was measured on; it
stays as it is so that regressions show. `hard` is meant to be harder than the
real files, combining the damage SOURCES.md says occurs, at rates well above
what the default writes:

| damage (SOURCES.md or field practice) | default | hard |
| --- | ---: | ---: |
| person has no NIK at all ("people without papers") | 4 % | 15 % |
| NIK cell missing in one row (`-`, `0`, `belum ada`) | 3 % | 6 % |
| NIK 15 or 17 digits (each) | 0.4 % | 1.5 % |
| one-letter typo in a name / in a common given name (Siti, Sri) | 2.5 % / 0 | 4 % / 3 % |
| birth date blank | 2 % | 6 % |
| only a year | 1.5 % | 4 % |
| placeholder date (`01-01-1950`, `31-12-1945`, `01-07-YYYY`) | 1.2 % | 6 % |
| estimated year of a `01-07-YYYY` placeholder off by up to (years) | 0 | 3 |
| TKSK report with `Umur` instead of a birth date | 12 % | 30 % |
| twins (per family with children) | 4 % | 12 % |
| children carrying their father's last name | 0 | 50 % |
| household without an address (homeless, per household) | 2 % | 6 % |
| person reported in another kecamatan in later months (moved) | 0 | 4 % |
| TKSK title kecamatan misspelled / truncated | 1.5 % / 0 | 8 % / 6 % |
| TKSK file named without any place | 0 | 25 % |

The active profile is a process-wide setting: `generate_inbox` sets it, and
every job sets it again in the process that runs it (`jobs.run`), so that
worker processes write the same bytes whatever their start method.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ppks_generator.noise import HAND, MACHINE, Rates


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    hand: Rates  # TKSK and PSM: typed by people
    machine: Rates  # SLRT: exported by the application
    no_nik: float = 0.04
    twins: float = 0.04
    father_surname: float = 0.0
    homeless_weight: float = 2.0
    moved: float = 0.0
    umur_layout: float = 0.12
    title_kec_misspelled: float = 0.0  # on top of hand.place_misspelled
    title_kec_truncated: float = 0.0
    placeless_file_name: float = 0.0

    @property
    def corrected(self) -> Rates:
        """A corrected report fixes most of what was wrong."""
        return replace(
            self.hand,
            id_missing=0.01,
            id_typo=0.0,
            id_length=0.0,
            name_typo=0.0,
            name_typo_common=0.0,
            no_name=0.0,
            no_category=0.0,
        )


DEFAULT = Profile("default", HAND, MACHINE)
HARD = Profile(
    "hard",
    replace(
        HAND,
        id_missing=0.06,
        id_length=0.015,
        name_typo=0.04,
        name_typo_common=0.03,
        dob_blank=0.06,
        dob_year=0.04,
        dob_placeholder=0.06,
        dob_estimate_drift=3,
    ),
    replace(
        MACHINE,
        id_missing=0.04,
        id_length=0.004,
        name_typo_common=0.01,
        dob_blank=0.04,
        dob_placeholder=0.03,
        dob_estimate_drift=3,
    ),
    no_nik=0.15,
    twins=0.12,
    father_surname=0.5,
    homeless_weight=6.0,
    moved=0.04,
    umur_layout=0.30,
    title_kec_misspelled=0.08,
    title_kec_truncated=0.06,
    placeless_file_name=0.25,
)
PROFILES = {p.name: p for p in (DEFAULT, HARD)}

_active = [DEFAULT]


def use(name: str) -> Profile:
    if name not in PROFILES:
        raise ValueError(f"unknown generator profile {name!r}; known: {', '.join(PROFILES)}")
    _active[0] = PROFILES[name]
    return _active[0]


def current() -> Profile:
    return _active[0]
