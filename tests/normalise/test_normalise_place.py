import time

import polars as pl
import pytest
from normalise_samples import sample_rows

from ppks.normalise.place import Place, PlaceResolver


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver()


@pytest.mark.parametrize(
    ("kab", "kec", "desa", "expected"),
    [
        ("Kab. Pasuruan", "Puspo", "Kemiri", "35.14.03.2001"),
        ("KAB.PASURUAN", "KEC.PUSPO", "DS.KEMIRI", "35.14.03.2001"),
        ("Kabupaten Pasuruan", "Kecamatan Puspo", "Desa Kemiri", "35.14.03.2001"),
        ("kab pasuruan", "kec puspo", "ds kemiri", "35.14.03.2001"),
        ("PASURUAN", "PUSPO", "KEMIRI", "35.14.03.2001"),
        ("Pasuruan, Jawa Timur", "Puspo", "Kemiri", "35.14.03.2001"),
        ("Kab. Pasuruan", "Purwosari", "Kel. Purwosari", "35.14.08.1006"),
        ("Kab. Pasuruan", "Purwosari", "Kelurahan Purwosari", "35.14.08.1006"),
        ("KOTA SURABAYA", "Kecamatan Gubeng", "Kel. Airlangga", "35.78.08.1003"),
        ("Surabaya", "GUBENG", "airlangga", "35.78.08.1003"),
        ("Kab. Sumenep", "Ra'as", "Guwa-Guwa", "35.29.22.2009"),
        ("Sumenep", "RAAS", "guwa guwa", "35.29.22.2009"),
        ("Sampang", "Sampang", "Pulau Mandangin", "35.27.03.2001"),
        ("Lumajang", "Pasirian", "Selok Awar Awar", "35.08.04.2005"),
    ],
)
def test_names_in_any_form(resolver, kab, kec, desa, expected):
    assert resolver.resolve(kab, kec, desa) == Place(expected[:5], expected[:8], expected, ())


@pytest.mark.parametrize(
    ("kab", "kec", "desa", "expected"),
    [
        ("Kab. Pasuruan", "Puspo", "JANJANGWULUNK", "35.14.03.2002"),
        ("Kab. Pasuruan", "Purwosari", "SUODERMO", "35.14.08.2014"),
        ("Kab. Pasuruan", "Purwosari", "CENDOON", "35.14.08.2009"),
        ("Kab. Pasuruan", "Purwosari", "PURWSOARI", "35.14.08.1006"),
        ("Kab. Pasuruan", "Purwosri", "Sekarmojo", "35.14.08.2002"),
        ("Kab. Pasuran", "Beji", "Gununggangsirr", "35.14.13.2006"),
        ("Kab. Pasuruan", "Puspo", "Kemiri", "35.14.03.2001"),
    ],
)
def test_misspellings(resolver, kab, kec, desa, expected):
    assert resolver.resolve(kab, kec, desa).kode_desa == expected


def test_kota_and_kabupaten_of_the_same_name(resolver):
    # 'Kota X' is the kota; 'X' and 'Kab X' prefer the kabupaten ...
    assert resolver.resolve("Kota Malang", "Klojen").kode_kecamatan == "35.73.02"
    assert resolver.resolve("Malang", "Kepanjen").kode_kecamatan == "35.07.13"
    assert resolver.resolve("Kab Malang", "Kepanjen").kode_kecamatan == "35.07.13"
    # ... unless the kecamatan exists only in the kota.
    assert resolver.resolve("Malang", "Klojen").kode_kecamatan == "35.73.02"
    assert resolver.resolve("Kab Pasuruan", "Purworejo").kode_kecamatan == "35.75.02"
    # 'Kota X' with a kecamatan of the kabupaten only: people name the town for the regency.
    assert resolver.resolve("Kota Pasuruan", "Puspo").kode_kecamatan == "35.14.03"
    assert resolver.resolve("Kota Pasuruan", "Purworejo").kode_kecamatan == "35.75.02"
    # Kademangan is a kecamatan of both Kab. Blitar and Kota Probolinggo.
    assert resolver.resolve("Blitar", "Kademangan").kode_kecamatan == "35.05.04"
    assert resolver.resolve("Probolinggo", "Kademangan").kode_kecamatan == "35.74.01"
    # Kota Kediri has a kecamatan called 'Kota'.
    assert resolver.resolve("Kota Kediri", "Kec. Kota").kode_kecamatan == "35.71.02"
    assert resolver.resolve("Kota Batu", "Batu").kode_kabupaten == "35.79"


def test_desa_code_decides(resolver):
    expected = Place("35.14", "35.14.08", "35.14.08.2003", ())
    assert resolver.resolve(kode_wilayah="3514082003") == expected
    assert resolver.resolve(kode_wilayah="35.14.08.2003") == expected
    assert resolver.resolve(kode_wilayah="3514082003.0") == expected  # a number cell
    assert resolver.resolve("Kota Malang", "Klojen", "X", "3514082003") == expected
    # An unknown desa in a known kecamatan: the name finds the desa.
    assert resolver.resolve(desa="TEJOWANGI", kode_wilayah="3514089999") == expected
    # A code that is no code at all leaves the names to decide.
    assert resolver.resolve("Pasuruan", "Purwosari", "Tejowangi", "12") == expected


def test_kabupaten_unknown_or_missing(resolver):
    # The kecamatan name is unique in the province.
    assert resolver.resolve(None, "Puspo", "Kemiri").kode_desa == "35.14.03.2001"
    # Purwosari is in Pasuruan and Bojonegoro: the desa tells which.
    assert resolver.resolve(None, "Purwosari", "Kertosari").kode_desa == "35.14.08.2004"
    assert resolver.resolve(None, "Purwosari", None) == Place(None, None, None, ())


def test_kecamatan_from_a_desa_unique_in_the_kabupaten(resolver):
    expected = Place("35.14", "35.14.03", "35.14.03.2002", ())
    assert resolver.resolve("Kab. Pasuruan", None, "Janjangwulung") == expected
    assert resolver.resolve("Kab. Pasuruan", "Tidak tahu", "Janjangwulung") == expected


def test_desa_unresolved(resolver):
    place = resolver.resolve("Kab Pasuruan", "Puspo", "Dsn. Krajan")
    assert place == Place("35.14", "35.14.03", None, ("desa_unresolved",))
    assert resolver.resolve("Kab Pasuruan", "Puspo", None).flags == ()
    assert resolver.resolve("Kab Pasuruan", "Puspo", "  ").flags == ()


@pytest.mark.parametrize(
    ("kab", "kec", "desa", "code"),
    [
        ("KOTA DENPASAR", "DENPASAR SELATAN", "SESETAN", None),
        ("KOTA JAKARTA TIMUR", "CAKUNG", "CAKUNG BARAT", None),
        ("KOTA JAKARTA SELATAN", "CILANDAK", "GANDARIA SELATAN", None),
        ("Kab. Bandung", "Coblong", "Dago", None),
        (None, None, None, "3171011001"),
        ("Kota Yogyakarta", "Gondokusuman", "Baciro", None),
        (None, None, None, None),
        (None, None, "Kemiri", None),
    ],
)
def test_outside_jawa_timur_or_nothing_known(resolver, kab, kec, desa, code):
    place = resolver.resolve(kab, kec, desa, code)
    assert place.kode_kecamatan is None
    assert place.kode_desa is None


def test_frame_keeps_rows_and_order(resolver):
    frame = pl.DataFrame(
        {
            "kabupaten": ["Kab. Pasuruan", None, "KOTA DENPASAR", "Kab. Pasuruan"],
            "kecamatan": ["Puspo", None, "DENPASAR SELATAN", "Puspo"],
            "desa": ["Kemiri", None, "SESETAN", "Dsn Krajan"],
            "kode_wilayah": [None, "3514082003", None, None],
        }
    )
    out = resolver.resolve_frame(frame)
    assert out.columns == ["kode_kabupaten", "kode_kecamatan", "kode_desa", "place_flags"]
    assert out["kode_desa"].to_list() == ["35.14.03.2001", "35.14.08.2003", None, None]
    assert out["place_flags"].to_list() == [[], [], [], ["desa_unresolved"]]
    # Missing columns count as empty.
    only_code = resolver.resolve_frame(frame.select("kode_wilayah"))
    assert only_code["kode_kecamatan"].to_list() == [None, "35.14.08", None, None]


def _resolve_sample(resolver: PlaceResolver) -> pl.DataFrame:
    rows = sample_rows()
    places = resolver.resolve_frame(
        rows.select(
            kabupaten="w_kabupaten",
            kecamatan="w_kecamatan",
            desa="w_desa",
            kode_wilayah="w_kode_wilayah",
        )
    )
    return pl.concat([rows, places.rename(lambda c: "got_" + c)], how="horizontal")


def test_sample_truth(resolver):
    out = _resolve_sample(resolver)
    place_reject = out["reject_kind"].fill_null("").str.contains("place")
    rejected = out.filter(place_reject)
    assert rejected.height >= 3
    assert rejected["got_kode_kecamatan"].is_null().all()

    kept = out.filter(~place_reject)
    assert (kept["got_kode_kecamatan"] == kept["kode_kecamatan"]).all()
    with_desa = kept.filter(pl.col("w_desa").is_not_null() | pl.col("w_kode_wilayah").is_not_null())
    assert (with_desa["got_kode_desa"] == with_desa["kode_desa"]).all()
    assert (with_desa["got_place_flags"].list.len() == 0).all()


def test_many_rows_resolve_in_seconds(resolver):
    rows = sample_rows()
    frame = rows.select(
        kabupaten="w_kabupaten",
        kecamatan="w_kecamatan",
        desa="w_desa",
        kode_wilayah="w_kode_wilayah",
    )
    big = pl.concat([frame] * 800)  # 300,000 rows
    started = time.perf_counter()
    out = PlaceResolver().resolve_frame(big)  # a fresh resolver: nothing memoised yet
    assert out.height == big.height
    assert time.perf_counter() - started < 10


# Issue #10: TKSK title blocks with the kecamatan misspelled or cut short. Each of
# these was rejected as place_unresolved before the resolver read it as a clerk would.
@pytest.mark.parametrize(
    ("kab", "kec", "desa", "expected"),
    [
        # truncated, the desa (itself misspelled) decides among the kecamatan it may begin
        ("Kabupaten Banyuwangi", "BANYUW", "TAMNABARU", "35.10.16.1017"),
        ("KOTA SURABAYA", "SIMO", "SIDODUDI", "35.78.11.1003"),
        ("PONOROGO", "Babad", "POLOREAO", "35.02.16.2007"),
        # two letters wrong: only the desa tells which kecamatan
        ("Kabupaten Ponorogo", "Bobaean", "Ds. bareng", "35.02.16.2008"),
        ("Sumenep", "Re'as", "KARANGNANGKA", "35.29.22.2004"),
    ],
)
def test_unclear_title_kecamatan_decided_by_desa(resolver, kab, kec, desa, expected) -> None:
    assert resolver.resolve(kab, kec, desa).kode_desa == expected


@pytest.mark.parametrize(
    ("kab", "kec", "expected"),
    [
        ("Kota Surabaya", "Mulyor", "35.78.26"),  # Mulyorejo, the only one it begins
        ("Kabupaten Sumenep", "KEC. GULUK-G", "35.29.09"),  # Guluk-Guluk
        ("Sumenep", "Re'as", "35.29.22"),  # Ra'as, the only one so close
    ],
)
def test_truncated_kecamatan_without_desa(resolver, kab, kec, expected) -> None:
    assert resolver.resolve(kab, kec, None).kode_kecamatan == expected


@pytest.mark.parametrize(
    ("kab", "kec", "desa"),
    [
        ("Kabupaten Sumenep", "Xyzab", "Tidak Ada"),  # title, row and desa all fail
        ("Kota Surabaya", "SUKO", None),  # Sukolilo or Sukomanunggal, no desa
        ("Jakarta Timur", "Cakung", "Cakung Barat"),  # outside Jawa Timur
    ],
)
def test_still_rejected_when_nothing_tells_the_kecamatan(resolver, kab, kec, desa) -> None:
    assert resolver.resolve(kab, kec, desa).kode_kecamatan is None


# Issue #10 item 5: a kecamatan name two kabupaten have, and a row that names only it.
@pytest.mark.parametrize(
    ("kec", "desa", "expected"),
    [
        ("Ngoro", "Kauman", "35.17.03.2004"),  # only Ngoro of Jombang has a Kauman
        ("Gayam", "pramabnan", "35.29.20.2002"),  # Prambanan misspelled: Gayam of Sumenep
    ],
)
def test_kecamatan_of_two_kabupaten_decided_by_desa(resolver, kec, desa, expected) -> None:
    assert resolver.resolve(None, kec, desa).kode_desa == expected


SAMBIREJO = "35.17.05.2004"  # Sambirejo, Wonosalam, Jombang


@pytest.mark.parametrize(
    ("kab", "kec", "desa", "expected"),
    [
        ("Jombang", None, "Sambirejo", ("35.17.05", SAMBIREJO)),  # KECAMATAN blank
        ("JOMBANG", "-", "SAMBRIEJO", ("35.17.05", SAMBIREJO)),  # and the desa misspelled
        (None, None, "Sambirejo", ("35.17.05", SAMBIREJO)),  # KABUPATEN blank too
        ("Kab. Jombang", None, None, ("35.17.05", None)),  # DESA blank: not the list's desa
        (None, "Ngoro", "Ngoro", ("35.17.03", "35.17.03.2005")),  # Ngoro of the list's kab
        ("Kab. Brebes", None, "Sambirejo", (None, None)),  # a visitor from outside Jawa Timur
        ("Sidoarjo", None, "Sambirejo", (None, None)),  # another kabupaten of Jawa Timur
        (None, None, "Sekayu", (None, None)),  # a desa Wonosalam has not
        (None, "-", None, (None, None)),  # no place at all
        (None, "Gayam", None, (None, None)),  # a kecamatan the list's kabupaten lacks
    ],
)
def test_a_row_of_a_desa_list_takes_the_blanks_from_the_list(resolver, kab, kec, desa, expected):
    place = resolver.resolve_on_list(kab, kec, desa, SAMBIREJO)
    assert (place.kode_kecamatan, place.kode_desa) == expected


def test_the_list_place_is_the_desa_most_of_its_rows_are_in(resolver) -> None:
    frame = pl.DataFrame(
        {
            "kabupaten": ["Jombang", "Jombang", None, "Jombang", "Jombang", "Jombang"],
            "kecamatan": ["Wonosalam", "Wonosalam", None, "Jogoroto", None, None],
            "desa": ["Sambirejo", "Sambirejo", "Sambirejo", "Sawiji", "Sambirejo", "SAWJII"],
        }
    )
    # List a is Sambirejo (two of its rows say so); list b's one placed row is in
    # Sawiji, Jogoroto; list c has no placed row, so no place to fall back to.
    lists = pl.Series(["a", "a", "a", "b", "c", "b"])
    placed = resolver.resolve_list_frame(frame, lists)
    assert placed.get_column("kode_kecamatan").to_list() == [
        "35.17.05", "35.17.05", "35.17.05", "35.17.19", None, "35.17.19",
    ]  # fmt: skip
    assert placed.get_column("kode_desa").to_list()[-1] == "35.17.19.2005"


SAWO = "35.16.16.2006"  # Sawo, Jetis, Mojokerto; Jetis also has a desa Jetis


@pytest.mark.parametrize(
    ("desa", "expected"),
    [
        ("Sao", SAWO),  # a letter dropped: too short for the kecamatan-wide match
        ("DS. SAWOO", SAWO),
        ("Swao", SAWO),  # two letters swapped
        ("Jetsi", "35.16.16.2013"),  # another desa of the kecamatan, as before
        ("Sa", None),  # too little to read
        ("Kupa", None),  # two letters off Kupang: still not the list's
        ("Canggu Sawo", None),  # neither
    ],
)
def test_a_slip_of_the_list_desa_is_the_list_desa(resolver, desa, expected) -> None:
    place = resolver.resolve_on_list(None, None, desa, SAWO)
    assert place.kode_desa == expected


def test_a_slip_that_is_another_desa_name_is_not_the_list_desa(resolver) -> None:
    # Sawoo is a desa of Ponorogo, not of Mojokerto: on the Mojokerto list of Sawo
    # it is a slip. A desa of the list's own kabupaten written exactly is a visitor.
    assert resolver.resolve_on_list(None, None, "Sawoo", SAWO).kode_desa == SAWO
    sawo_of_another_kecamatan = "35.16.07.2012"
    assert resolver.resolve_on_list(None, None, "Sao", sawo_of_another_kecamatan).kode_desa == (
        sawo_of_another_kecamatan
    )
    mlirip = "35.16.16.2001"  # its kecamatan, Jetis, has a desa Jetis
    assert resolver.resolve_on_list(None, None, "Jetsi", mlirip).kode_desa == "35.16.16.2013"
    assert resolver.resolve_on_list(None, None, "Penompo", mlirip).kode_desa == "35.16.16.2002"
    bendung = "35.16.16.2010"  # Bandung is a desa of Gedeg, in the same kabupaten
    assert resolver._slip_of_the_list_desa("BANDUNG", bendung) is False
    assert resolver.resolve_on_list(None, None, "Bendnug", bendung).kode_desa == bendung


TONDUK = "35.29.22.2008"  # Tonduk, Ra'as, Sumenep


@pytest.mark.parametrize(
    ("kec", "expected"),
    [
        ("ra'sa", "35.29.22"),  # two letters swapped: as near Arjasa as Ra'as by similarity
        ("Raas", "35.29.22"),
        ("Arjasa", "35.29.24"),  # another kecamatan of the list's kabupaten, written whole
        ("Rx", None),  # too little to read
    ],
)
def test_a_slip_of_the_list_kecamatan_is_the_list_kecamatan(resolver, kec, expected) -> None:
    place = resolver.resolve_on_list("Kabupaten Sumenep", kec, None, TONDUK)
    assert place.kode_kecamatan == expected
    assert place.kode_desa is None  # a blank DESA stays blank


def _report(kab, kec, desas):
    frame = pl.DataFrame(
        {"kabupaten": [kab] * len(desas), "kecamatan": [kec] * len(desas), "desa": desas},
        schema=dict.fromkeys(("kabupaten", "kecamatan", "desa"), pl.Utf8),
    )
    return frame, pl.Series(["report"] * len(desas))


def test_a_report_row_without_desa_is_in_the_kecamatan_its_rows_are_in(resolver) -> None:
    # Kota Blitar's Sananwetan and Kabupaten Blitar's Sanankulon both begin with
    # Sanan: the rows' desa say Sananwetan, so a row without one is there too, as is
    # a row whose desa is not found (flagged, as under a clear title).
    frame, report = _report(
        "KOTA BLITAR", "Kec. Sanan", [None, "Bendogerit", "Sananwetan", "Xyzab"]
    )
    assert resolver.resolve_frame(frame).get_column("kode_kecamatan")[0] is None
    placed = resolver.resolve_report_frame(frame, report)
    assert placed.get_column("kode_kecamatan").to_list() == ["35.72.03"] * 4
    assert placed.get_column("kode_desa").to_list() == [
        None,
        "35.72.03.1007",
        "35.72.03.1004",
        None,
    ]
    assert placed.get_column("place_flags").to_list()[3] == ["desa_unresolved"]


@pytest.mark.parametrize(
    ("kab", "kec", "desas"),
    [
        # the rows are in Sananwetan, but the title cannot be read as it
        ("KOTA BLITAR", "Kec. Xyzab", [None, "Bendogerit", "Sananwetan"]),
        # Kauman is in Kepanjenkidul: no kecamatan has more than half of the rows
        ("KOTA BLITAR", "Kec. Sanan", [None, "Bendogerit", "Kauman"]),
        ("KOTA BLITAR", "Kec. Sanan", [None, None]),  # no row says where
    ],
)
def test_a_report_row_stays_unplaced_without_its_report(resolver, kab, kec, desas) -> None:
    frame, report = _report(kab, kec, desas)
    assert resolver.resolve_report_frame(frame, report).get_column("kode_kecamatan")[0] is None
