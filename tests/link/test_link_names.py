"""Name features for linkage: titles out, bin/binti apart, Muhammad one, old spelling new."""

import polars as pl
import pytest
from rapidfuzz.distance import DamerauLevenshtein

from ppks.link.cluster import Row, conflict
from ppks.link.features import name_columns
from ppks.normalise.names import name_key, split_name


def features(*names: str) -> pl.DataFrame:
    rows = [split_name(n) for n in names]
    frame = pl.DataFrame(
        {
            "record_id": list(range(1, len(names) + 1)),
            "nama": [r.nama for r in rows],
            "nama_inti": [r.inti for r in rows],
            "nasab": [r.nasab for r in rows],
            "alamat": ["Dsn. Krajan RT 002"] * len(names),
        }
    )
    return name_columns(frame)[0]


@pytest.mark.parametrize(
    ("written", "key", "nasab"),
    [
        ("H. Moch. Soeparman bin Abdul", "MUHAMMAD SUPARMAN", "ABDUL"),
        ("Drs. MUHAMMAD SUPARMAN, S.Pd.", "MUHAMMAD SUPARMAN", None),
        ("Muh. Djoko Tjahjono", "MUHAMMAD JOKO CAHJONO", None),
        ("Hj. Siti Aminah binti H. Sanusi", "SITI AMINAH", "H SANUSI"),
        ("Achmad Choirul", "AHMAD HOIRUL", None),
    ],
)
def test_name_key_and_nasab(written, key, nasab):
    row = features(written).row(0, named=True)
    assert row["name_key"] == key
    assert row["nasab_key"] == (name_key(nasab)[0] if nasab else None)


def test_common_tokens_leave_the_core():
    frame = features("Siti Aminah", "Sri Rahayu", "M. Wahid", "Siti")
    assert frame["name_core"].to_list() == ["AMINAH", "RAHAYU", "WAHID", None]


def test_rarest_token_is_the_least_frequent():
    frame = features("Siti Aminah", "Siti Fatimah", "Siti Aminah Zahro")
    assert frame["name_rarest"].to_list() == ["AMINAH", "FATIMAH", "ZAHRO"]


def test_address_tokens_drop_words_that_say_nothing():
    frame = features("Siti")
    assert frame["address_tokens"].to_list() == [["KRAJAN"]]


@pytest.mark.parametrize(
    ("written", "key"),
    [
        # A doubled letter is a spelling choice: one letter in the key.
        ("Sitti", "SITI"),
        ("Siti", "SITI"),
        ("Sa'adah", "SADAH"),
        ("Muhamad", "MUHAMMAD"),
        ("Muhhammad", "MUHAMMAD"),  # was MUHAMAD: the doubled H hid Muhammad
        # A third letter is a slip and stays, one edit from the name.
        ("Siii", "SII"),
        ("Sittti", "SITTI"),
    ],
)
def test_doubled_letter_is_spelling_a_third_is_a_slip(written, key):
    assert name_key(written)[0] == key


def test_a_letter_typed_as_its_neighbours_stays_one_edit_from_the_name():
    # SITI typed SIII: cut to SI it was two edits from SITI, a name conflict.
    a = Row(1, *_key_parts("SIII AMINAH"), **_NO_EVIDENCE)
    b = Row(2, *_key_parts("SITI AMINAH"), **_NO_EVIDENCE)
    assert DamerauLevenshtein.distance(name_key("SIII")[0], name_key("SITI")[0]) == 1
    assert conflict(a, b) is None


_NO_EVIDENCE = {
    "nasab": None, "gender": "P", "dob": None, "dob_placeholder": False, "year": None,
    "year_approx": False, "nik": None, "nik15": None, "nik_damaged": False,
    "nik_disagrees": False,
}  # fmt: skip


def _key_parts(name: str) -> tuple[str, frozenset[str], frozenset[str]]:
    key, tokens = name_key(name)
    return key, frozenset(tokens), frozenset(tokens) - {"SITI"}
