"""A PSM list is one desa (SOURCES.md: "One workbook per desa"): its rows are placed as a
clerk reads them, a blank KECAMATAN or KABUPATEN being the list's (issue #10 item 5)."""

from __future__ import annotations

import pytest

from ppks.ingest.inbox import InboxFile, sha256_of
from ppks.ingest.readers import read_file
from ppks.ingest.title_block import TitleBlock, read_list_title
from ppks.normalise.record import to_canonical
from ppks.validate import split_rows

HEADER = ["NO", "NAMA", "NIK", "TEMPAT, TANGGAL LAHIR", "JENIS KELAMIN", "ALAMAT", "DESA",
          "KECAMATAN", "KABUPATEN", "JENIS PPKS"]  # fmt: skip


def row(no: int, nama: str, desa: str, kec: str, kab: str) -> list[object]:
    return [no, nama, "-", "Jombang, 17-08-1955", "Perempuan", "Dsn. Krajan RT 002 RW 001",
            desa, kec, kab, "Lansia Terlantar"]  # fmt: skip


def read_list(path):
    """(loaded, rejected) canonical rows of a PSM workbook, as the nightly flow splits them."""
    item = InboxFile(path, "psm", path.name, sha256_of(path), path.stat().st_size)
    read = read_file(item)
    read.columns.add_column("file_sha256", item.sha256)
    return split_rows(to_canonical(read.raw, "psm"))


def test_blank_cells_of_a_row_are_the_lists_place(xlsx) -> None:
    path = xlsx(
        "psm/data_ppks_sambirejo_wonosalam.xlsx",
        {
            "Lansia": [
                ["DATA PPKS DESA SAMBIREJO"],
                HEADER,
                row(1, "SITI AMINAH", "Sambirejo", "Wonosalam", "Jombang"),
                row(2, "TUKINAH", "Sambirejo", "Kec. Wonosalam", "Kab. Jombang"),
                row(3, "SUPARMI", "Sambirejo", "", "Jombang"),  # KECAMATAN blank
                row(4, "MARSINAH", "SAMBRIEJO", "", ""),  # and the rest
                row(5, "PAINI", "Ngoro", "NGORO", ""),  # Ngoro: Jombang or Mojokerto
                row(6, "WARTINI", "Cakung Barat", "", "Jakarta Timur"),  # a visitor
                row(7, "SAMINAH", "", "", ""),  # no place at all: not "from the row"
                row(8, "SUMIATI", "Sekayu", "", ""),  # a desa Wonosalam has not
            ]
        },
    )
    loaded, rejected = read_list(path)
    placed = dict(loaded.select("nama", "kode_kecamatan").iter_rows())
    assert placed == {
        "SITI AMINAH": "35.17.05",
        "TUKINAH": "35.17.05",
        "SUPARMI": "35.17.05",
        "MARSINAH": "35.17.05",
        "PAINI": "35.17.03",
    }
    assert rejected.select("nama", "reasons").rows() == [
        ("WARTINI", ["place_unresolved"]),
        ("SAMINAH", ["place_unresolved"]),
        ("SUMIATI", ["place_unresolved"]),
    ]


def canonical(xlsx, name: str, rows: list[list[object]]):
    return read_list(xlsx(f"psm/{name}", {"Lansia": rows}))


def test_a_list_whose_rows_leave_the_kecamatan_blank_is_placed_by_its_title(xlsx) -> None:
    # Jombang has more than one Sambirejo: without a kecamatan no row tells which.
    rows = [row(i, f"WARGA {i}", "Sambirejo", "", "Jombang") for i in range(1, 4)]
    title = [["DATA PPKS DESA SAMBIREJO"], ["KECAMATAN WONOSALAM KABUPATEN JOMBANG"], HEADER]
    loaded, rejected = canonical(xlsx, "titled.xlsx", [*title, *rows])
    assert rejected.is_empty()
    assert loaded.get_column("kode_desa").to_list() == ["35.17.05.2004"] * 3
    # Without the title nothing says which Sambirejo: rejected, as before.
    loaded, rejected = canonical(xlsx, "untitled.xlsx", [HEADER, *rows])
    assert loaded.is_empty() and rejected.height == 3


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [["DATA PPKS DESA KARANGREJO"], ["KECAMATAN PURWOSARI KABUPATEN PASURUAN"]],
            TitleBlock("PURWOSARI", "PASURUAN", None, "KARANGREJO"),
        ),
        (
            [["DATA PMKS KELURAHAN SIDOKARE KEC. SIDOARJO TAHUN 2026"]],
            TitleBlock("SIDOARJO", None, None, "SIDOKARE"),
        ),
        (
            [["Desa :", "Kemiri"], ["Kota : Surabaya"]],
            TitleBlock(None, "Kota Surabaya", None, "Kemiri"),
        ),
        ([["DATA PPKS TAHUN 2026"]], TitleBlock()),
    ],
)
def test_the_place_a_list_title_names(lines, expected) -> None:
    assert read_list_title([tuple(line) for line in lines]) == expected
