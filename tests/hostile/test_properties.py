"""Property tests of the readers: generated reports with random content and random damage.

Whatever the cells and whatever happens to the bytes, ``process_batch`` returns
one outcome per file and raises nothing; an undamaged file accounts for every
data row (the rows down to the first empty one) as loaded or rejected.
"""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from workbooks import item, tksk_row, write_tksk

from ppks.pipeline import process_batch

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=20
)
CELL = st.one_of(
    TEXT,
    st.just(""),
    st.just("   "),
    st.sampled_from(["Lansia", "PPKS-07", "Disabilitas", "3514034705750018", "01-02-1970"]),
    st.integers(min_value=0, max_value=10**16),
)
ROW = st.lists(CELL, min_size=1, max_size=16)
SLRT_HEADER = ["id_layanan", "tanggal_layanan", "nik", "nama", "kode_wilayah", "kategori_ppks"]


def data_rows(rows: list[list]) -> int:
    """The rows down to the first one whose cells are all empty (SOURCES.md)."""
    for k, row in enumerate(rows):
        if not any(str(c).strip() for c in row):
            return k
    return len(rows)


def only_outcome(path, source):
    result = process_batch([item(path, source)])
    assert len(result.outcomes) == 1
    return result.outcomes[0]


@SETTINGS
@given(rows=st.lists(st.one_of(ROW, st.builds(tksk_row, st.integers(1, 99), TEXT)), max_size=12))
@example(rows=[["", "", "", "", "", "", 1000]])  # a birth year no one alive has: was a crash
def test_every_data_row_of_a_workbook_is_loaded_or_rejected(tmp_path_factory, rows):
    path = write_tksk(tmp_path_factory.mktemp("p") / "laporan.xlsx", rows)
    o = only_outcome(path, "tksk")
    expected = data_rows(rows)
    if o.status == "loaded":
        assert o.rows_loaded + o.rows_rejected == expected
    else:
        assert o.status == "rejected" and o.reason
        assert expected == 0 or o.reason_code != "internal"


@SETTINGS
@given(
    rows=st.lists(st.builds(tksk_row, st.integers(1, 99), TEXT), min_size=1, max_size=6),
    cut=st.floats(0, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6),
)
def test_a_damaged_workbook_never_raises(tmp_path_factory, rows, cut, flips):
    path = write_tksk(tmp_path_factory.mktemp("p") / "rusak.xlsx", rows)
    data = bytearray(path.read_bytes())
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    path.write_bytes(bytes(data[: max(1, int(len(data) * (0.5 + cut / 2)))]))
    o = only_outcome(path, "tksk")
    assert o.status in ("loaded", "rejected")
    assert o.status == "loaded" or o.reason


@SETTINGS
@given(
    rows=st.lists(st.lists(TEXT, min_size=6, max_size=6), max_size=10),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
    damage=st.one_of(st.none(), st.binary(min_size=1, max_size=8)),
)
def test_every_data_row_of_a_csv_is_loaded_or_rejected(
    tmp_path_factory, rows, delimiter, bom, damage
):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows([SLRT_HEADER, *rows])
    raw = ("\ufeff" if bom else "") + text.getvalue()
    data = raw.encode("utf-8") + (damage or b"")
    path = tmp_path_factory.mktemp("p") / "export.csv"
    path.write_bytes(data)
    o = only_outcome(path, "slrt")
    assert o.status in ("loaded", "rejected")
    if o.status == "rejected":
        assert o.reason and o.reason_code != "internal"
    elif damage is None:
        assert o.rows_loaded + o.rows_rejected == data_rows(rows)
