"""Truth row numbers point at the right cells; the data ends at the first empty row."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

NAME_LABELS = {"nama", "nama lengkap"}
NAME_NOISE_KEPT = {"name_case", "name_spacing"}


def _squash(label: object) -> str:
    return "".join(c for c in str(label).lower() if c.isalnum())


def _letters(value: object) -> bool:
    return value is not None and any(c.isalpha() for c in str(value))


@pytest.fixture(scope="session")
def sheets(generated: Path, files) -> dict[tuple[str, str], list[list]]:
    """Every sheet of every loadable workbook: rows of (value, data_type) cells."""
    out = {}
    for f in files:
        if f["expected"] != "load" or not f["source_file"].endswith(".xlsx"):
            continue
        wb = openpyxl.load_workbook(generated / "inbox" / f["folder"] / f["source_file"])
        for ws in wb.worksheets:
            out[f["source_file"], ws.title] = [
                [(c.value, c.data_type) for c in row] for row in ws.iter_rows()
            ]
    return out


@pytest.fixture(scope="session")
def by_sheet(rows) -> dict[tuple[str, str], dict[int, dict]]:
    out: dict = defaultdict(dict)
    for r in rows:
        out[r["source_file"], r["sheet"]][int(r["row_number"])] = r
    return out


def _row(sheet: list[list], number: int) -> list:
    return sheet[number - 1] if number <= len(sheet) else []


def _empty(cells: list) -> bool:
    return all(v is None for v, _ in cells)


def test_data_rows_are_exactly_the_rows_up_to_the_first_empty_one(sheets, by_sheet) -> None:
    signed = 0
    for key, sheet in sheets.items():
        truth = by_sheet.get(key, {})
        if truth:
            header = min(truth) - 1
        else:
            labels = [
                i
                for i, row in enumerate(sheet, 1)
                if any(_squash(v) in ("nama", "namalengkap", "idlayanan") for v, _ in row)
            ]
            if not labels:
                assert all(_empty(row) for row in sheet), key
                continue
            header = labels[0]
        assert any(_squash(v) in ("nama", "namalengkap") for v, _ in _row(sheet, header)), key
        n = header + 1
        data = []
        while not _empty(_row(sheet, n)):
            data.append(n)
            n += 1
        assert data == sorted(truth), key
        signed += any(not _empty(row) for row in sheet[n:])
    assert signed > 10  # signature blocks after the blank row exist and are not data


def test_row_numbers_point_at_the_written_names(sheets, by_sheet) -> None:
    checked = 0
    for key, truth in by_sheet.items():
        if key not in sheets:
            continue
        sheet = sheets[key]
        header = [_squash(v) for v, _ in _row(sheet, min(truth) - 1)]
        col = next(i for i, label in enumerate(header) if label in ("nama", "namalengkap"))
        for number, r in truth.items():
            value, kind = _row(sheet, number)[col]
            noise = set(r["noise"].split("|"))
            if "reject_no_name" in noise:
                assert not _letters(value), (key, number)
                continue
            assert kind == "s" and _letters(value), (key, number)
            if not {n for n in noise if n.startswith("name_")} - NAME_NOISE_KEPT:
                assert " ".join(value.split()).upper() == r["nama"].upper(), (key, number)
                checked += 1
    assert checked > 1000


def test_cells_have_the_types_the_noise_says(sheets, by_sheet) -> None:
    seen = defaultdict(int)
    for key, truth in by_sheet.items():
        if key not in sheets:
            continue
        sheet = sheets[key]
        header = [_squash(v) for v, _ in _row(sheet, min(truth) - 1)]
        nik = next(i for i, label in enumerate(header) if label in ("nik", "nonik"))
        dob = [i for i, label in enumerate(header) if label in ("tgllahir", "tanggallahir")]
        for number, r in truth.items():
            cells = _row(sheet, number)
            noise = set(r["noise"].split("|"))
            value, kind = cells[nik]
            if "nik_excel" in noise:
                assert kind == "n" and int(value) % 10 == 0, (key, number)
                seen["nik_excel"] += 1
            elif r["nik"] and not noise & {"nik_missing", "nik_head_shared"}:
                assert kind == "s", (key, number)
            if {"formula_like_alamat", "formula_like_keterangan"} & noise:
                assert any(k == "s" and str(v)[:1] in "=+-@" for v, k in cells), (key, number)
                seen["formula"] += 1
            if (
                dob
                and r["source"] == "tksk"
                and r["person_id"]
                and not any(n.startswith("dob_") for n in noise)
            ):
                assert isinstance(cells[dob[0]][0], datetime), (key, number)
                seen["date_cell"] += 1
    assert min(seen.values()) > 5 and len(seen) == 3


def test_every_gender_form_is_written(sheets) -> None:
    values = {v for sheet in sheets.values() for row in sheet for v, _ in row if isinstance(v, str)}
    assert {"L", "P", "LK", "PR", "Laki-laki", "Perempuan", "Pria", "Wanita", "1", "2"} <= values


def test_title_blocks_vary(sheets, files) -> None:
    tksk = {f["source_file"] for f in files if f["folder"] == "tksk" and f["expected"] == "load"}
    same_cell = next_cell = kota = 0
    for (name, _), sheet in sheets.items():
        if name not in tksk:
            continue
        for row in sheet[:7]:
            first, second = row[0][0], row[1][0] if len(row) > 1 else None
            if isinstance(first, str) and first.lower().startswith("kecamatan"):
                same_cell += ":" in first and second is None
                next_cell += second is not None
            if isinstance(first, str) and first.lower().startswith("kota"):
                kota += 1
    assert same_cell and next_cell and kota


def test_csv_line_numbers_point_at_the_rows(generated: Path, files, by_sheet) -> None:
    checked = 0
    for f in files:
        if f["expected"] != "load" or not f["source_file"].endswith(".csv"):
            continue
        text = (generated / "inbox" / "slrt" / f["source_file"]).read_bytes().decode("utf-8-sig")
        delimiter = ";" if ";" in text.splitlines()[0] else ","
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        truth = by_sheet[f["source_file"], ""]
        assert sorted(truth) == list(range(2, len(lines) + 1))
        for number, r in truth.items():
            line = lines[number - 1]
            assert line[0] == r["id_layanan"]
            assert line[8].replace(".", "") == r["kode_desa"].replace(".", "")
            checked += 1
    assert checked > 100
