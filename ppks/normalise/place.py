"""Desa / kecamatan / kabupaten as written, or a desa code -> dotted Kemendagri codes.

Only Jawa Timur is known; anything else resolves to nothing (the row is then
rejected as place_unresolved by the caller).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import polars as pl
from rapidfuzz.distance import OSA

from ppks.normalise._fuzzy import FuzzyIndex, compact
from ppks.normalise._vector import map_unique
from ppks.reference import PROVINCE_CODE, regions

DESA_UNRESOLVED = "desa_unresolved"

_KAB_PREFIX = re.compile(r"^(?:KABUPATEN|KAB)(?:[.\s]+|$)")
_KOTA_PREFIX = re.compile(r"^(?:KOTAMADYA|KODYA|KOTA|KOT)(?:[.\s]+|$)")
_KEC_PREFIX = re.compile(r"^(?:KECAMATAN|KEC)(?:[.\s]+|$)")
_DESA_PREFIX = re.compile(r"^(?:DESA|DS|DSA|KELURAHAN|KEL|KLH)(?:[.\s]+|$)")
_PROVINCE_TAIL = re.compile(r"[,\s]+(?:PROV(?:INSI)?\.?\s*)?(?:JAWA\s*TIMUR|JATIM)\s*$")
# A written kecamatan this close to a name of its kabupaten may be it, when the desa agrees.
LOOSE_KEC = 0.6
_BLANKS = frozenset({"", "-", "?", "NA", "N/A"})


class Place(NamedTuple):
    kode_kabupaten: str | None
    kode_kecamatan: str | None
    kode_desa: str | None
    flags: tuple[str, ...]


NOWHERE = Place(None, None, None, ())


def _text(raw: str | None) -> str:
    if raw is None:
        return ""
    text = re.sub(r"\s+", " ", raw.upper()).strip(" ,;:")
    return "" if text in _BLANKS else _PROVINCE_TAIL.sub("", text)


# The cleaning below is remembered per cell text, not only per written place: a night
# writes about 2,000 kabupaten, 9,000 kecamatan and 35,000 desa spellings, but 106,000
# combinations of them (six months, 300,000 persons), and each new combination cleaned
# its three texts again with regular expressions (most of place resolution's time).
@lru_cache(maxsize=65_536)
def _kabupaten_key(raw: str | None) -> tuple[str, str | None]:
    """('PASURUAN', 'kota' | 'kab' | None) from 'Kota Pasuruan', 'Kab. Pasuruan', 'PASURUAN'."""
    text = _text(raw)
    if m := _KOTA_PREFIX.match(text):
        return compact(text[m.end() :]), "kota"
    if m := _KAB_PREFIX.match(text):
        return compact(text[m.end() :]), "kab"
    return compact(text), None


@lru_cache(maxsize=65_536)
def _strip(prefix: re.Pattern[str], raw: str | None) -> str:
    text = _text(raw)
    return compact(prefix.sub("", text, count=1))


@lru_cache(maxsize=65_536)
def _code_digits(raw: str | None) -> str:
    # A number cell read as text ends in '.0'.
    return re.sub(r"\D", "", re.sub(r"\.0+$", "", (raw or "").strip()))


def _aliases(name: str) -> list[str]:
    """Spellings of a reference name: as is, and 'P. X' also as 'PULAU X'."""
    keys = [compact(name)]
    if name.upper().startswith("P. "):
        keys.append(compact("PULAU " + name[3:]))
    return keys


def _spellings(
    level: pl.DataFrame, group: Callable[[str], str]
) -> dict[str, list[tuple[str, str]]]:
    """(spelling, code) pairs of one level, grouped by group(parent code)."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for kode, nama, parent in level.select("kode", "nama", "kode_induk").iter_rows():
        grouped.setdefault(group(parent), []).extend((key, kode) for key in _aliases(nama))
    return grouped


class PlaceResolver:
    """Resolve written places against ``ppks.reference.regions()`` (Jawa Timur)."""

    def __init__(self, table: pl.DataFrame | None = None):
        table = regions() if table is None else table
        levels = {
            level: table.filter(pl.col("tingkat") == level)
            for level in ("kabupaten_kota", "kecamatan", "desa_kelurahan")
        }
        self.codes = {
            kode.replace(".", ""): kode
            for kode in table.filter(pl.col("tingkat") != "provinsi")["kode"].to_list()
        }
        # Kabupaten and kota by their bare name; the kabupaten first when both exist.
        base_pairs: list[tuple[str, str]] = []
        self.kab_by_base: dict[str, list[str]] = {}
        self.is_kota: dict[str, bool] = {}
        for kode, nama in levels["kabupaten_kota"].select("kode", "nama").iter_rows():
            kota = nama.upper().startswith("KOTA ")
            base = compact(re.sub(r"^(?:KABUPATEN|KOTA)\s+", "", nama.upper()))
            self.is_kota[kode] = kota
            self.kab_by_base.setdefault(base, []).append(kode)
            base_pairs.append((base, base))
        for codes in self.kab_by_base.values():
            codes.sort(key=lambda kode: self.is_kota[kode])
        self.kab_index = FuzzyIndex(base_pairs, threshold=0.8, margin=0.1)

        kec_by_kab = _spellings(levels["kecamatan"], lambda parent: parent)
        self.kec_index = {
            kab: FuzzyIndex(p, threshold=0.8, margin=0.1) for kab, p in kec_by_kab.items()
        }
        # Across the province only near-certain typos count.
        everywhere = [pair for pairs in kec_by_kab.values() for pair in pairs]
        self.province_kec = FuzzyIndex(everywhere, threshold=0.9, margin=0.1)

        desa_by_kec = _spellings(levels["desa_kelurahan"], lambda parent: parent)
        self.desa_index = {
            kec: FuzzyIndex(p, threshold=0.8, margin=0.1) for kec, p in desa_by_kec.items()
        }
        # Looking across a whole kabupaten (hundreds of desa) needs a stricter match.
        desa_by_kab = _spellings(levels["desa_kelurahan"], lambda parent: parent[:5])
        self.desa_kab_index = {
            kab: FuzzyIndex(p, threshold=0.9, margin=0.1) for kab, p in desa_by_kab.items()
        }
        self._kec_union: dict[tuple[str, ...], FuzzyIndex] = {}
        self._cache: dict[tuple[str, str | None, str, str, str], Place] = {}
        # The places as written: a reader process resolves batch after batch of the same
        # desa, and cleaning the text again (regular expressions) was most of the work.
        self._by_text: dict[tuple[str | None, ...], Place] = {}

    def resolve(
        self,
        kabupaten: str | None = None,
        kecamatan: str | None = None,
        desa: str | None = None,
        kode_wilayah: str | None = None,
    ) -> Place:
        """Codes of the place a row names; a valid desa code (dots optional) decides.

        Flags: desa_unresolved when desa text was given but not found in the kecamatan.
        """
        written = (kabupaten, kecamatan, desa, kode_wilayah)
        if written in self._by_text:
            return self._by_text[written]
        kab, kind = _kabupaten_key(kabupaten)
        key = (
            kab,
            kind,
            _strip(_KEC_PREFIX, kecamatan),
            _strip(_DESA_PREFIX, desa),
            _code_digits(kode_wilayah),
        )
        if key not in self._cache:
            self._cache[key] = self._resolve(*key)
        self._by_text[written] = self._cache[key]
        return self._cache[key]

    def _kabupaten_candidates(self, base: str, kind: str | None) -> list[str]:
        if not base:
            return []
        matched = self.kab_index.match(base)
        codes = self.kab_by_base.get(matched, []) if matched else []
        if kind == "kota":
            # 'Kota X' is the kota; the kabupaten only when the kecamatan is not in the kota.
            return sorted(codes, key=lambda kode: not self.is_kota[kode])
        return codes

    def _kecamatan(self, kec: str, desa: str, kabs: list[str], unknown_kab: bool) -> str | None:
        if kabs:
            for kab in kabs:  # exact, in order of preference (kabupaten before kota)
                exact = self.kec_index[kab].lookup(kec)
                if len(exact) == 1:
                    return next(iter(exact))
            matched = self._kecamatan_index(tuple(kabs)).match(kec)
            if matched and (not desa or self.desa_index[matched].match(desa)):
                return matched
            return self._kecamatan_as_clerk(kec, desa, kabs) or matched
        candidates = self.province_kec.lookup(kec)
        if len(candidates) > 1 and desa:
            # A kecamatan name two kabupaten have (Ngoro: Jombang and Mojokerto): the
            # desa, misspelled or not, tells which, as it tells a clerk.
            candidates = {kode for kode in candidates if self._desa_in(kode, desa)}
        if len(candidates) == 1:
            found = next(iter(candidates))
            # A kabupaten we do not know is likely outside Jawa Timur: the desa must agree.
            if unknown_kab and desa and self.desa_index[found].match(desa) is None:
                return None
            return found
        if candidates or unknown_kab:
            return None
        return self.province_kec.match(kec)

    def _kecamatan_as_clerk(self, kec: str, desa: str, kabs: list[str]) -> str | None:
        """A kecamatan of the kabupaten the written one may be, decided by the row's desa.

        SOURCES.md: kecamatan names are misspelled or abbreviated, and TKSK title
        blocks are typed by hand. A clerk reads a cut-short title (`Sukoman`) as
        the one kecamatan it begins, and a title with a letter dropped, doubled or
        swapped as the kecamatan whose desa the row names.
        """
        prefixed, loose = self._kecamatan_read_as(kec, kabs)
        candidates = prefixed | loose
        if desa:
            with_desa = {kode for kode in candidates if self._desa_in(kode, desa)}
            if len(with_desa) == 1:
                return next(iter(with_desa))
            if with_desa:
                return None
        if len(prefixed) == 1 and (not desa or not candidates - prefixed):
            return next(iter(prefixed))
        if not desa and not prefixed and len(loose) == 1:
            # No desa to ask: one letter wrong in a short name (Re'as for Ra'as) is
            # still the only kecamatan of the kabupaten it can be.
            return next(iter(loose))
        return None

    def _kecamatan_read_as(self, kec: str, kabs: list[str]) -> tuple[set[str], set[str]]:
        """Kecamatan of ``kabs`` a clerk may read ``kec`` as: those it begins, those it is near."""
        loose: set[str] = set()
        prefixed: set[str] = set()
        for kab in kabs:
            for key, codes in self.kec_index[kab].exact.items():
                if len(kec) >= 3 and key.startswith(kec):
                    prefixed |= codes
                if OSA.normalized_similarity(kec, key) >= LOOSE_KEC:
                    loose |= codes
        return prefixed, loose

    def _desa_in(self, kec_code: str, desa: str) -> bool:
        index = self.desa_index.get(kec_code)
        return bool(index and index.match(desa))

    def _kecamatan_index(self, kabs: tuple[str, ...]) -> FuzzyIndex:
        if len(kabs) == 1:
            return self.kec_index[kabs[0]]
        if kabs not in self._kec_union:
            pairs = [(key, kode) for kab in kabs for key, codes in self.kec_index[kab].exact.items()
                     for kode in codes]  # fmt: skip
            self._kec_union[kabs] = FuzzyIndex(pairs, threshold=0.8, margin=0.1)
        return self._kec_union[kabs]

    def _in_kecamatan(self, kec_code: str, desa: str) -> Place:
        index = self.desa_index.get(kec_code)
        desa_code = index.match(desa) if desa and index else None
        flags = (DESA_UNRESOLVED,) if desa and desa_code is None else ()
        return Place(kec_code[:5], kec_code, desa_code, flags)

    def _resolve(self, kab: str, kind: str | None, kec: str, desa: str, code: str) -> Place:
        kabs: list[str] = []
        if code:
            if len(code) == 10 and not code.startswith(PROVINCE_CODE):
                return NOWHERE  # a well-formed desa code of another province
            dotted = self.codes.get(code)
            if dotted and len(code) == 10:
                return Place(dotted[:5], dotted[:8], dotted, ())
            if len(code) >= 6 and code[:6] in self.codes:
                return self._in_kecamatan(self.codes[code[:6]], desa)
            if len(code) >= 4 and code[:4] in self.codes:
                kabs = [self.codes[code[:4]]]
        kabs = kabs or self._kabupaten_candidates(kab, kind)
        if kec:
            kec_code = self._kecamatan(kec, desa, kabs, unknown_kab=bool(kab) and not kabs)
            if kec_code:
                return self._in_kecamatan(kec_code, desa)
        if desa and kabs:
            # No usable kecamatan: a desa name unique in the kabupaten tells it.
            for kab_code in kabs:
                index = self.desa_kab_index.get(kab_code)
                desa_code = index.match(desa) if index else None
                if desa_code:
                    return Place(desa_code[:5], desa_code[:8], desa_code, ())
        return Place(kabs[0] if kabs else None, None, None, ())

    def resolve_on_list(
        self,
        kabupaten: str | None,
        kecamatan: str | None,
        desa: str | None,
        list_desa: str,
    ) -> Place:
        """The place of a row of a list kept for one desa (``list_desa``, its dotted code,
        or the kecamatan's when only that is known).

        SOURCES.md: a PSM list is "one workbook per desa"; a clerk reads a blank
        KECAMATAN or KABUPATEN cell as the list's, and a kecamatan name two
        kabupaten have as the one of the list's kabupaten. A row that writes a
        kabupaten or kecamatan the list's kabupaten does not have is not the
        list's (a visitor from elsewhere): NOWHERE, as for a row that names only
        a desa the list's kecamatan does not have (it may be of another
        kecamatan), or no place at all (SOURCES.md: the place is resolved "from
        the row, the title block, or the desa code"; a row with every place cell
        blank gives the list nothing to read against). A blank DESA stays blank:
        the row may be of another desa of the kecamatan.
        """
        kab_code, kec_code = list_desa[:5], list_desa[:8]
        kab, kind = _kabupaten_key(kabupaten)
        if kab and kab_code not in self._kabupaten_candidates(kab, kind):
            return NOWHERE
        kec, desa_key = _strip(_KEC_PREFIX, kecamatan), _strip(_DESA_PREFIX, desa)
        if not (kab or kec or desa_key):
            return NOWHERE  # a row that names no place is not placed "from the row"
        if kec:
            found = self._kecamatan(kec, desa_key, [kab_code], unknown_kab=False)
            if not found and _one_slip_from(kec, kec_code, self.kec_index[kab_code]):
                found = kec_code  # `ra'sa` on a list of Ra'as
            return self._in_kecamatan(found, desa_key) if found else NOWHERE
        place = self._in_kecamatan(kec_code, desa_key)
        if DESA_UNRESOLVED not in place.flags:
            return place
        if self._slip_of_the_list_desa(desa_key, list_desa):
            return Place(kab_code, kec_code, list_desa, ())
        return NOWHERE

    def _slip_of_the_list_desa(self, desa: str, list_desa: str) -> bool:
        """A desa written one letter off the list's own desa (`Sao` on the list of Sawo).

        Too short for the kecamatan-wide match (four letters), so only the list
        tells it, and only when no desa of the kabupaten is written so.
        """
        index = self.desa_index.get(list_desa[:8])
        if len(list_desa) <= 8 or index is None:
            return False
        if self.desa_kab_index[list_desa[:5]].lookup(desa):
            return False  # another desa's name as written: a visitor, not a slip
        return _one_slip_from(desa, list_desa, index)

    def resolve_frame(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Vectorised `resolve` over columns kabupaten, kecamatan, desa, kode_wilayah.

        Missing columns count as empty. Returns kode_kabupaten, kode_kecamatan,
        kode_desa, place_flags, one row per input row.
        """
        n = frame.height
        keys = [
            frame[name].cast(pl.Utf8)
            if name in frame.columns
            else pl.repeat(None, n, dtype=pl.Utf8, eager=True)
            for name in ("kabupaten", "kecamatan", "desa", "kode_wilayah")
        ]
        schema = {
            "kode_kabupaten": pl.Utf8,
            "kode_kecamatan": pl.Utf8,
            "kode_desa": pl.Utf8,
            "place_flags": pl.List(pl.Utf8),
        }
        return map_unique(keys, self.resolve, schema)

    def resolve_list_frame(
        self, frame: pl.DataFrame, list_of: pl.Series, titles: pl.DataFrame | None = None
    ) -> pl.DataFrame:
        """`resolve_frame` for rows of one-desa lists; ``list_of`` names each row's list.

        A row that resolves to no kecamatan is read again against its list's place
        (`resolve_on_list`): the desa more than half of the list's placed rows are in,
        else the desa its title names (``titles``: kabupaten, kecamatan, desa per row;
        a title without a kabupaten is read in the kabupaten most of its rows are in),
        else in the same order the kecamatan without a desa.
        """
        place = self.resolve_frame(frame)
        if titles is None:
            titles = pl.DataFrame(schema=dict.fromkeys(("kabupaten", "kecamatan", "desa"), pl.Utf8))
            titles = titles.clear(frame.height)
        kab = _list_majority(list_of, place.get_column("kode_kabupaten"))
        title = self.resolve_frame(
            # A title without a kabupaten: a bare kabupaten code (3517) tells the resolver.
            titles.with_columns(
                kode_wilayah=pl.when(pl.col("kabupaten").is_null()).then(
                    kab.str.replace(".", "", literal=True)
                )
            )
        )
        home = pl.select(
            pl.coalesce(
                _list_majority(list_of, place.get_column("kode_desa")),
                title.get_column("kode_desa"),
                # Rows (or a title) that tell the kecamatan but no desa still tell that much.
                _list_majority(list_of, place.get_column("kode_kecamatan")),
                title.get_column("kode_kecamatan"),
            )
        ).to_series()
        return self._unplaced_again(frame, place, home, self.resolve_on_list)

    def resolve_report_frame(self, frame: pl.DataFrame, report_of: pl.Series) -> pl.DataFrame:
        """`resolve_frame` for rows of one-kecamatan reports; ``report_of`` names each row's.

        SOURCES.md: TKSK sends "one workbook per kecamatan per month" whose rows "do
        not repeat kecamatan or kabupaten": the title block names the kecamatan of
        every row. When the title is unclear (`Kec. Sanan` under Kota Blitar, where
        Kabupaten Blitar has Sanankulon; `TEGAL` for Tegaldlimo or Tegalsari) the
        rows' desa names tell which (`_kecamatan_as_clerk`), and a row without a desa,
        or with one not found, is in the kecamatan more than half of the report's
        placed rows are in, when the title can be read as that kecamatan
        (`resolve_in_report`).
        """
        place = self.resolve_frame(frame)
        home = _list_majority(report_of, place.get_column("kode_kecamatan"))
        return self._unplaced_again(frame, place, home, self.resolve_in_report)

    def resolve_in_report(
        self, kabupaten: str | None, kecamatan: str | None, desa: str | None, report_kec: str
    ) -> Place:
        """A row of a report whose other rows are in ``report_kec``, if its title may say so."""
        kab_code = report_kec[:5]
        kec = _strip(_KEC_PREFIX, kecamatan)
        if not kec or kab_code not in self._kabupaten_candidates(*_kabupaten_key(kabupaten)):
            return NOWHERE
        prefixed, loose = self._kecamatan_read_as(kec, [kab_code])
        if report_kec not in prefixed | loose:
            return NOWHERE
        return self._in_kecamatan(report_kec, _strip(_DESA_PREFIX, desa))

    def _unplaced_again(
        self,
        frame: pl.DataFrame,
        place: pl.DataFrame,
        home: pl.Series,
        again_at: Callable[[str | None, str | None, str | None, str], Place],
    ) -> pl.DataFrame:
        """The rows ``place`` left without a kecamatan, read again by ``again_at`` at ``home``."""
        todo = place.get_column("kode_kecamatan").is_null() & home.is_not_null()
        if not todo.any():
            return place
        rows = todo.arg_true()
        keys = [
            frame[name].cast(pl.Utf8).gather(rows)
            if name in frame.columns
            else pl.repeat(None, len(rows), dtype=pl.Utf8, eager=True)
            for name in ("kabupaten", "kecamatan", "desa")
        ]
        again = map_unique([*keys, home.gather(rows)], again_at, place.schema)
        return (
            place.with_row_index("row")
            .update(again.with_columns(row=rows), on="row", include_nulls=True)
            .drop("row")
        )


def _one_slip_from(written: str, code: str, index: FuzzyIndex) -> bool:
    """``written`` is one edit from a spelling of ``code`` and from no other name of ``index``.

    SOURCES.md: place names arrive misspelled. On a list kept for one desa (PSM:
    "one workbook per desa") a clerk reads a slip of the list's own desa or
    kecamatan as that place, where the name alone would be too short or too
    close to call; only when the slip is not as near another name.
    """
    if len(written) < 3:
        return False
    near = {target for key, targets in index.exact.items() if OSA.distance(written, key) <= 1
            for target in targets}  # fmt: skip
    return near == {code}


def _list_majority(list_of: pl.Series, codes: pl.Series) -> pl.Series:
    """Per row, the code more than half of its list's rows with a code have (else null)."""
    rows = pl.DataFrame({"list": list_of, "code": codes})
    home = (
        rows.drop_nulls()
        .group_by("list", "code")
        .len()
        .sort("len", "code", descending=[True, False])
        .group_by("list", maintain_order=True)
        .agg(pl.col("code").first(), top=pl.col("len").first(), placed=pl.col("len").sum())
        .filter(pl.col("top") * 2 > pl.col("placed"))
        .select("list", home="code")
    )
    return rows.join(home, on="list", how="left", maintain_order="left").get_column("home")
