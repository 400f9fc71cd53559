"""The synthetic population: households of PPKS living in Jawa Timur desas.

Every person is reported somewhere; their clean values are the truth the
pipeline has to recover. Households share a KK number; some persons have no
NIK, some were registered elsewhere (a NIK of another region), and a few
traps make linkage hard on purpose: twins (same KK, birth date and address),
siblings on one KK, and wives or children who get the head's NIK written
for them (``head_nik``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ppks.reference import regions
from ppks_generator import person_names, profile


@dataclass(frozen=True, slots=True)
class Place:
    """A desa/kelurahan with its kecamatan and kabupaten/kota (``kab`` without the prefix)."""

    kode_desa: str
    desa: str
    kode_kec: str
    kec: str
    kode_kab: str
    kab: str
    kota: bool

    @property
    def kelurahan(self) -> bool:
        # Kemendagri numbers kelurahan 1xxx and desa 2xxx.
        return self.kode_desa[9] == "1"


@dataclass(frozen=True, slots=True)
class Kecamatan:
    kode: str
    nama: str
    kode_kab: str
    kab: str
    kota: bool
    desas: tuple[Place, ...]


@dataclass(slots=True)
class Person:
    pid: str
    nik: str  # '' when the person has no NIK
    kk: str  # '' when the person has no family card
    nama: str
    dob: date
    gender: str  # 'L' or 'P'
    place: Place
    cats: tuple[str, ...]
    birthplace: str
    alamat: str  # dusun or street, without RT/RW
    rt: int  # 0 when the person has no fixed address
    rw: int
    father: str  # for "bin"/"binti"
    head_nik: str = ""  # the head's NIK, written for this person by mistake in some rows
    twin: bool = False
    outsider: bool = False  # lives outside Jawa Timur: every row of theirs is a place reject
    truth: tuple = field(default=(), repr=False)

    def seal(self) -> None:
        """Freeze the clean values that every truth row of this person repeats."""
        self.truth = (
            self.pid,
            self.nik,
            self.kk,
            self.nama,
            self.dob.isoformat(),
            self.gender,
            self.place.kode_kec,
            self.place.kode_desa,
        )


# Places outside Jawa Timur, with real names that occur nowhere in Jawa Timur.
OUTSIDE = (
    ("51.71", "Denpasar", True, "51.71.01", "Denpasar Selatan", ("Sesetan", "Sidakarya")),
    ("31.75", "Jakarta Timur", True, "31.75.07", "Cakung", ("Cakung Barat", "Rawa Terate")),
    ("31.75", "Jakarta Timur", True, "31.75.03", "Jatinegara", ("Bidara Cina", "Kampung Melayu")),
    ("31.74", "Jakarta Selatan", True, "31.74.04", "Cilandak", ("Gandaria Selatan",)),
    ("33.74", "Semarang", True, "33.74.01", "Semarang Tengah", ("Miroto", "Sekayu")),
)
# Registration regions (NIK prefix) and birthplaces of people born outside the province.
ELSEWHERE = (
    ("317404", "JAKARTA"),
    ("317507", "JAKARTA"),
    ("337201", "SOLO"),
    ("347102", "YOGYAKARTA"),
    ("517101", "DENPASAR"),
    ("327301", "BANDUNG"),
    ("337401", "SEMARANG"),
    ("637101", "BANJARMASIN"),
)
HOMELESS_SPOTS = ("Terminal", "Pasar", "Taman kota", "Stasiun", "Kolong jembatan", "Emperan toko")
STREETS = (
    "Dsn. Krajan",
    "Dsn. Gondang",
    "Dsn. Sumber",
    "Dsn. Tegal",
    "Dsn. Lor",
    "Dsn. Kidul",
    "Dsn. Wetan",
    "Dsn. Kulon",
    "Dsn. Blimbing",
    "Dsn. Sumberejo",
    "Dsn. Ngemplak",
    "Dsn. Karang",
    "Dsn. Randu",
    "Dsn. Pakis",
    "Dsn. Tanjung",
    "Dsn. Kauman",
    "Dsn. Mojo",
    "Dsn. Duren",
    "Jl. Merdeka",
    "Jl. Pemuda",
    "Jl. Diponegoro",
    "Jl. Sudirman",
    "Jl. A. Yani",
    "Jl. Teratai",
    "Jl. Anggrek",
    "Jl. Pattimura",
    "Jl. Masjid",
)


def region_tree() -> dict[str, list[Kecamatan]]:
    """Kabupaten/kota code -> its kecamatan, each with its desas, from the reference data."""
    kab_names: dict[str, str] = {}
    kec_names: dict[str, str] = {}
    desas: dict[str, list[tuple[str, str]]] = {}
    for kode, nama, tingkat, _parent in regions().iter_rows():
        if tingkat == "kabupaten_kota":
            kab_names[kode] = nama
        elif tingkat == "kecamatan":
            kec_names[kode] = nama
        elif tingkat == "desa_kelurahan":
            desas.setdefault(kode[:8], []).append((kode, nama))
    tree: dict[str, list[Kecamatan]] = {}
    for kode_kec, kec in sorted(kec_names.items()):
        kode_kab = kode_kec[:5]
        full = kab_names[kode_kab]
        kota = full.startswith("Kota ")
        kab = full.removeprefix("Kota ").removeprefix("Kabupaten ")
        places = tuple(
            Place(kd, nm, kode_kec, kec, kode_kab, kab, kota)
            for kd, nm in sorted(desas.get(kode_kec, []))
        )
        if places:
            tree.setdefault(kode_kab, []).append(
                Kecamatan(kode_kec, kec, kode_kab, kab, kota, places)
            )
    return tree


def choose_kecamatan(
    rng: random.Random, tree: dict[str, list[Kecamatan]], persons: int, kabupaten: list[str] | None
) -> list[Kecamatan]:
    """The kecamatan (and desas) the population lives in: a few for small N, all for large N."""
    if kabupaten:
        wanted = [k if "." in k else f"{k[:2]}.{k[2:4]}" for k in kabupaten]
        unknown = [k for k in wanted if k not in tree]
        if unknown:
            raise ValueError(f"unknown kabupaten/kota code(s): {', '.join(unknown)}")
        chosen = sorted(set(wanted))
    else:
        k = min(len(tree), max(2, math.ceil(persons / 5000)))
        kota = sorted(c for c in tree if tree[c][0].kota)
        kab = sorted(c for c in tree if not tree[c][0].kota)
        # One kota among the chosen so that "Kota" title blocks occur.
        first = [rng.choice(kota), rng.choice(kab)]
        rest = rng.sample(sorted(set(tree) - set(first)), k - 2)
        chosen = sorted(first + rest)
    kecs = [kec for c in chosen for kec in tree[c]]
    n_kec = min(len(kecs), max(2, persons // 100))
    if n_kec < len(kecs):
        picked = {rng.choice(tree[c]).kode for c in chosen[:n_kec]}
        others = [kec.kode for kec in kecs if kec.kode not in picked]
        picked.update(rng.sample(others, n_kec - len(picked)))
        kecs = [kec for kec in kecs if kec.kode in picked]
    # About twenty people per desa: small populations live in a few desas of each kecamatan.
    n_desa = max(3, math.ceil(persons / n_kec / 20))
    return [
        replace(kec, desas=tuple(sorted(rng.sample(kec.desas, n_desa), key=lambda p: p.kode_desa)))
        if len(kec.desas) > n_desa
        else kec
        for kec in kecs
    ]


def _digits(kode: str) -> str:
    return kode.replace(".", "")


class _Numbers:
    """Hands out unique NIK and KK numbers: region + DDMMYY + a 4-digit serial."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.next: dict[str, int] = {}

    def serial(self, prefix: str) -> str:
        # Serials grow by small random steps, so that they look issued over time.
        n = self.next.get(prefix) or 1 + int(self.rng.random() * 30)
        self.next[prefix] = n + 1 + int(self.rng.random() * 3)
        return f"{prefix}{n:04d}"

    def nik(self, region6: str, dob: date, gender: str) -> str:
        day = dob.day + (40 if gender == "P" else 0)
        return self.serial(f"{region6}{day:02d}{dob.month:02d}{dob.year % 100:02d}")

    def kk(self, region6: str) -> str:
        """The issue date is any day of 2005-2024 (days up to 28 are valid in every month)."""
        r = self.rng.random
        day, month, year = 1 + int(r() * 28), 1 + int(r() * 12), 5 + int(r() * 20)
        return self.serial(f"{region6}{day:02d}{month:02d}{year:02d}")


def _category_weights() -> dict[str, dict[str, float]]:
    """Category weights per age band; Fakir Miskin, Lansia and Disabilitas dominate."""
    w = {
        "balita": {"01": 45, "05": 12, "07": 8, "24": 30, "21": 3},
        "anak": {"02": 30, "03": 4, "04": 8, "05": 10, "06": 7, "07": 8, "24": 30, "21": 3},
        "dewasa": {
            "24": 45,
            "09": 14,
            "23": 8,
            "19": 4,
            "20": 3,
            "21": 4,
            "22": 2,
            "25": 3,
            "17": 2,
            "18": 1,
            "16": 1,
            "15": 1,
            "10": 0.5,
            "11": 1,
            "12": 1,
            "13": 1.5,
            "14": 0.5,
            "26": 0.3,
        },
        "lansia": {"08": 60, "24": 25, "09": 12, "21": 2, "11": 0.5, "12": 1},
    }
    return {band: {f"PPKS-{k}": v for k, v in d.items()} for band, d in w.items()}


ONLY_WOMEN = {"PPKS-10", "PPKS-23"}
HOMELESS_CATS = ("PPKS-11", "PPKS-12", "PPKS-13")


def _category_pickers() -> dict[tuple[str, str, bool], person_names.Weighted]:
    """One picker per (age band, gender, under 12): women-only and teen-only categories removed."""
    out = {}
    for band, weights in _category_weights().items():
        for gender in "LP":
            for under12 in (False, True):
                pairs = [
                    (c, w)
                    for c, w in weights.items()
                    if (c not in ONLY_WOMEN or gender == "P") and not (c == "PPKS-03" and under12)
                ]
                out[band, gender, under12] = person_names.Weighted(pairs)
    return out


CATEGORY_PICKERS = _category_pickers()


def _categories(rng: random.Random, age: int, gender: str, homeless: bool) -> tuple[str, ...]:
    if homeless:
        return ("PPKS-04" if age < 18 else rng.choice(HOMELESS_CATS),)
    band = "balita" if age < 5 else "anak" if age < 18 else "dewasa" if age < 60 else "lansia"
    picker = CATEGORY_PICKERS[band, gender, age < 12]
    first = picker.pick(rng)
    if rng.random() < 0.15:
        second = picker.pick(rng)
        if second != first:
            return (first, second)
    return (first,)


HOUSEHOLD_KINDS = [
    ("family", 70),
    ("elderly", 13),
    ("single_parent", 7),
    ("single", 8),
    ("homeless", 2.0),
]
HOUSEHOLDS = person_names.Weighted(HOUSEHOLD_KINDS)
CHILDREN = person_names.Weighted([(0, 10), (1, 30), (2, 30), (3, 20), (4, 10)])


class PopulationBuilder:
    """Builds households desa by desa until the wanted number of persons exists."""

    def __init__(self, rng: random.Random, kecs: list[Kecamatan], ref: date):
        self.rng = rng
        self.ref = ref  # the first report month: everybody is born before it
        self.numbers = _Numbers(rng)
        self.places = [p for kec in kecs for p in kec.desas]
        # Desas differ in size.
        self.desa = person_names.Weighted([(p, rng.uniform(0.4, 1.6)) for p in self.places])
        self.jatim_regions = sorted({_digits(k.kode) for k in kecs})
        self.birthplaces = sorted({k.kab.upper() for k in kecs})
        self.profile = profile.current()
        self.households = HOUSEHOLDS
        if self.profile.homeless_weight != 2.0:
            self.households = person_names.Weighted(
                [*HOUSEHOLD_KINDS[:-1], ("homeless", self.profile.homeless_weight)]
            )

    def _dob(self, age: int) -> date:
        days = int(self.rng.random() * 334) + 31 if age == 0 else int(self.rng.random() * 365)
        return self.ref - timedelta(days=days + int(age * 365.25))

    def _person(
        self, place: Place, gender: str, age: int, kk: str, alamat: str, rt: int, rw: int, **kw
    ) -> Person:
        rng = self.rng
        dob = kw.pop("dob", None) or self._dob(age)
        nama = kw.pop("nama", None) or person_names.make_name(rng, gender, dob.year)
        homeless = kw.pop("homeless", False)
        r = rng.random()
        if (homeless and r < 0.7) or (age == 0 and r < 0.5) or r < self.profile.no_nik:
            nik, birthplace = "", place.kab.upper()
        else:
            r = rng.random()
            if r < 0.05:
                region, birthplace = rng.choice(ELSEWHERE)
            elif r < 0.12:
                region, birthplace = rng.choice(self.jatim_regions), rng.choice(self.birthplaces)
            else:
                region, birthplace = _digits(place.kode_kec), place.kab.upper()
            nik = self.numbers.nik(region, dob, gender)
        if rng.random() < 0.08:
            birthplace = rng.choice((*self.birthplaces, "SURABAYA", "MALANG", "BLITAR"))
        p = Person(
            pid="",
            nik=nik,
            kk=kk,
            nama=nama,
            dob=dob,
            gender=gender,
            place=place,
            cats=_categories(rng, age, gender, homeless),
            birthplace=birthplace,
            alamat=alamat,
            rt=rt,
            rw=rw,
            father=kw.pop("father", "") or person_names.father_name(rng),
            **kw,
        )
        return p

    def household(self) -> list[Person]:
        rng = self.rng
        place = self.desa.pick(rng)
        kind = self.households.pick(rng)
        if kind == "homeless":
            age = rng.randint(9, 70)
            spot = rng.choice(HOMELESS_SPOTS)
            gender = rng.choice("LLP")
            return [self._person(place, gender, age, "", spot, 0, 0, homeless=True)]
        kk = self.numbers.kk(_digits(place.kode_kec))
        alamat, rt, rw = rng.choice(STREETS), rng.randint(1, 12), rng.randint(1, 8)
        home = (kk, alamat, rt, rw)
        if kind == "single":
            return [self._person(place, rng.choice("LP"), rng.randint(18, 75), *home)]
        if kind == "elderly":
            head = self._person(place, rng.choice("LLP"), rng.randint(60, 92), *home)
            members = [head]
            if head.gender == "L" and rng.random() < 0.5:
                members.append(self._person(place, "P", rng.randint(58, 88), *home))
            return members
        single_parent = kind == "single_parent"
        head_age = rng.randint(24, 60) if single_parent else rng.randint(24, 78)
        head = self._person(place, "P" if single_parent else "L", head_age, *home)
        members = [head]
        if not single_parent:
            spouse_age = max(18, head_age + rng.randint(-8, 3))
            members.append(self._person(place, "P", spouse_age, *home))
        father = head.nama.split()[-1] if head.gender == "L" else ""
        n_children = CHILDREN.pick(rng)
        oldest = max(0, min(head_age - 19, 30))
        for _ in range(n_children):
            age = rng.randint(0, oldest)
            child = self._person(place, rng.choice("LP"), age, *home, father=father)
            share = self.profile.father_surname
            if share and father and rng.random() < share and father not in child.nama.split():
                # Siblings sharing a last name: only the given names tell them apart.
                child.nama = f"{child.nama} {father}"
            members.append(child)
        children = members[2 - single_parent :]
        if children and rng.random() < self.profile.twins:
            self._add_twin(members, children[-1])
        if rng.random() < 0.08:
            members.append(self._person(place, rng.choice("LP"), rng.randint(65, 92), *home))
        self._share_head_nik(members)
        return members

    def _add_twin(self, members: list[Person], child: Person) -> None:
        """Twins: same KK, birth date and address, different names (and NIKs)."""
        gender = self.rng.choice("LP")
        first, second = person_names.twin_name(self.rng, gender, child.nama)
        if child.gender == gender:
            child.nama = first
        age = (self.ref - child.dob).days * 4 // 1461
        twin = self._person(
            child.place,
            gender,
            age,
            child.kk,
            child.alamat,
            child.rt,
            child.rw,
            dob=child.dob,
            nama=second,
            father=child.father,
        )
        twin.cats = child.cats
        twin.twin = child.twin = True
        members.append(twin)

    def _share_head_nik(self, members: list[Person]) -> None:
        head = members[0]
        if not head.nik:
            return
        for m in members[1:]:
            if self.rng.random() < 0.06:
                m.head_nik = head.nik

    def outsiders(self, n: int) -> list[Person]:
        """People living outside Jawa Timur who turn up in PSM lists: place rejects."""
        rng = self.rng
        out = []
        for _ in range(n):
            kode_kab, kab, kota, kode_kec, kec, desas = rng.choice(OUTSIDE)
            i = rng.randrange(len(desas))
            place = Place(f"{kode_kec}.{1001 + i}", desas[i], kode_kec, kec, kode_kab, kab, kota)
            kk = self.numbers.kk(_digits(kode_kec))
            gender = rng.choice("LP")
            dob = self._dob(rng.randint(20, 80))
            street = rng.choice(("RAYA", "PAHLAWAN", "DIPONEGORO", "MAWAR"))
            alamat = f"JL. {street} NO. {rng.randint(1, 99)}"
            p = Person(
                pid="",
                nik=self.numbers.nik(_digits(kode_kec), dob, gender),
                kk=kk,
                nama=person_names.make_name(rng, gender, dob.year),
                dob=dob,
                gender=gender,
                place=place,
                cats=_categories(rng, 40, gender, False),
                birthplace=kab.upper(),
                alamat=alamat,
                rt=rng.randint(1, 12),
                rw=rng.randint(1, 9),
                father=person_names.father_name(rng),
                outsider=True,
            )
            out.append(p)
        return out


def build_population(
    rng: random.Random, kecs: list[Kecamatan], persons: int, ref: date
) -> list[Person]:
    """``persons`` people: a few outsiders (ids X...), the rest in households (ids P...)."""
    builder = PopulationBuilder(rng, kecs, ref)
    n_out = max(1, persons // 400) if persons >= 50 else 0
    people: list[Person] = []
    while len(people) < persons - n_out:
        people.extend(builder.household())
    del people[persons - n_out :]
    # Keep the head-NIK trap only where the head is still part of the population.
    niks = {p.nik for p in people}
    for i, p in enumerate(people, 1):
        p.pid = f"P{i:07d}"
        if p.head_nik not in niks:
            p.head_nik = ""
        p.seal()
    out = builder.outsiders(n_out)
    for i, p in enumerate(out, 1):
        p.pid = f"X{i:06d}"
        p.seal()
    return people + out
