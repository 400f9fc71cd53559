"""Hostile files, one at a time: each gets a status and a plain reason, and nothing raises."""

from __future__ import annotations

import io
import zipfile

import pytest
import xlsxwriter
from msoffcrypto.format.ooxml import OOXMLFile
from workbooks import TITLE, TKSK_HEADER, item, tksk_row, tksk_rows, write_tksk

from ppks.pipeline import process_batch

SLRT_HEADER = "id_layanan;tanggal_layanan;nik;nama;kode_wilayah;kategori_ppks"
SLRT_ROW = "SLRT-3514-000001;2026-08-01;3514130302240017;DIMAS MAULANA;3514132012;PPKS-07"


def outcome(path, source="tksk"):
    result = process_batch([item(path, source)])
    (o,) = result.outcomes
    return o, result


def test_a_truncated_workbook_is_rejected_as_corrupt(tmp_path):
    whole = write_tksk(tmp_path / "whole.xlsx", tksk_rows(50)).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    o, _ = outcome(cut)
    assert (o.status, o.reason_code) == ("rejected", "corrupt")


def test_a_zip_that_is_not_a_workbook_is_rejected_as_corrupt(tmp_path):
    path = tmp_path / "foto.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8\xff" + b"0" * 100)
    o, _ = outcome(path)
    assert (o.status, o.reason_code) == ("rejected", "corrupt")
    assert o.reason


def test_a_password_protected_workbook_says_so(tmp_path):
    plain = io.BytesIO(write_tksk(tmp_path / "plain.xlsx", tksk_rows(3)).read_bytes())
    locked = tmp_path / "locked.xlsx"
    with locked.open("wb") as out:
        OOXMLFile(plain).encrypt("dinsos2026", out)
    o, _ = outcome(locked)
    assert (o.status, o.reason_code) == ("rejected", "password_protected")


def test_an_old_xls_is_rejected_with_what_to_do(tmp_path):
    path = tmp_path / "lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    o, _ = outcome(path)
    assert (o.status, o.reason_code) == ("rejected", "xls")
    assert ".xlsx" in o.reason


def test_formula_text_is_kept_as_text_not_run(tmp_path):
    path = tmp_path / "rumus.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = workbook.add_worksheet("Laporan")
    for i, row in enumerate([*TITLE, TKSK_HEADER, tksk_row(1, '=HYPERLINK("http://x","SUKARTI")')]):
        for j, value in enumerate(row):
            sheet.write_string(i, j, str(value))
    workbook.close()
    o, _ = outcome(path)
    assert o.status == "loaded"
    assert o.rows_loaded + o.rows_rejected == 1


@pytest.mark.parametrize(
    "name", ["Lap Kec. Gubeng (1) – Okt'26 ✓.xlsx", "-rf ; rm.xlsx", "~$lock.xlsx", "a" * 200]
)
def test_odd_file_names_cost_nothing(tmp_path, name):
    path = tmp_path / name
    if name.startswith("~$"):
        path.write_bytes(b"\x00" * 165)  # Excel's lock file: not a workbook
    else:
        write_tksk(path, tksk_rows(2))
    o, _ = outcome(path)
    if name.startswith("~$"):
        assert o.status == "rejected" and o.reason
    elif name.endswith(".xlsx"):
        assert (o.status, o.rows_loaded) == ("loaded", 2)
    else:
        assert (o.status, o.reason_code) == ("rejected", "unsupported_type")


def test_a_bom_semicolon_csv_reads_like_any_export(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(("\ufeff" + SLRT_HEADER + "\r\n" + SLRT_ROW + "\r\n").encode("utf-8"))
    o, _ = outcome(path, "slrt")
    assert (o.status, o.rows_loaded + o.rows_rejected) == ("loaded", 1)


def test_rows_below_an_empty_row_that_look_like_data_are_counted_not_loaded(tmp_path):
    rows = [
        *tksk_rows(3),
        [],
        tksk_row(10, "LUPA BARIS"),  # name and NIK: data the reporter lost
        [None, None, None, "TANPA NIK", None, None, None, None, None, None, None, "Lansia"],
        [None, None, None, "HANYA NAMA"],  # a name alone: not counted
        ["Mengetahui,"],
        [None, None, None, "(MOH. PRATAMA)", None, None, None, None, None, None, None, None],
    ]
    o, _ = outcome(write_tksk(tmp_path / "kosong.xlsx", rows))
    assert (o.status, o.rows_loaded + o.rows_rejected) == ("loaded", 3)
    assert o.rows_below_blank == 2
    assert "2 rows look like data below an empty row" in o.reason


def test_a_clean_file_has_no_warning(tmp_path):
    o, _ = outcome(write_tksk(tmp_path / "bersih.xlsx", [*tksk_rows(3), [], ["Mengetahui,"]]))
    assert (o.status, o.rows_below_blank, o.reason) == ("loaded", 0, None)


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("kosong.xlsx", b"", "empty_file"),
        ("kosong.csv", b"", "empty_file"),
        ("judul.csv", (SLRT_HEADER + "\n").encode(), "empty_workbook"),
        ("acak.xlsx", bytes(range(256)) * 12, "corrupt"),
        ("surat.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" * 20, "corrupt"),
    ],
)
def test_files_that_hold_nothing_readable_are_rejected_with_a_reason(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    o, _ = outcome(path, "slrt")
    assert (o.status, o.reason_code) == ("rejected", code)
    assert o.reason


def test_two_sheets_of_one_name_cost_their_file_only(tmp_path):
    """Excel never writes it, a hand-edited zip can: the rows would share (file, sheet, row).
    The canonical record's identity check stops the file; the batch's other file loads."""
    path = write_tksk(tmp_path / "dua.xlsx", tksk_rows(3))
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                sheet = data[data.index(b"<sheet ") : data.index(b"/>", data.index(b"<sheet ")) + 2]
                data = data.replace(sheet, sheet + sheet.replace(b'r:id="rId1"', b'r:id="rId9"'))
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/worksheet" '
                    b'Target="worksheets/sheet1.xml"/></Relationships>',
                )
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    good = write_tksk(tmp_path / "baik.xlsx", tksk_rows(2))
    result = process_batch([item(path, "tksk"), item(good, "tksk")])
    twice, fine = result.outcomes
    assert (twice.status, twice.reason_code) == ("rejected", "internal")
    assert (fine.status, fine.rows_loaded + fine.rows_rejected) == ("loaded", 2)
