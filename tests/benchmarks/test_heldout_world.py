"""benchmarks/heldout_world.py: a second world, deterministic, whose truth matches its files,
and whose every truth row the nightly flow loads or rejects."""

from __future__ import annotations

import codecs
import csv
import hashlib
import importlib.util
import io
import stat
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


heldout_world = _load("heldout_world")

KEY = ("source_file", "sheet", "row_number")


def _build(root: Path, seed: int = 5) -> Path:
    assert heldout_world.main(["--out", str(root), "--persons", "200", "--seed", str(seed)]) == 0
    return root


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("world"))


def _truth(root: Path) -> list[dict]:
    with open(root / "truth" / "rows.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_the_same_seed_writes_the_same_bytes_and_another_seed_another_world(world, tmp_path):
    assert _digests(_build(tmp_path / "again")) == _digests(world)
    assert _digests(_build(tmp_path / "other", seed=6)) != _digests(world)


def test_files_with_names_and_niks_are_private(world):
    for path in world.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > 2 else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_every_truth_row_is_a_row_of_its_file_holding_the_written_name(world):
    truth = _truth(world)
    assert len(truth) > 400
    by_file: dict[str, list[dict]] = {}
    for t in truth:
        by_file.setdefault(t["source_file"], []).append(t)
    for name, rows in by_file.items():
        path = world / "inbox" / rows[0]["folder"] / name
        if name.endswith(".csv"):
            lines = _csv_rows(path)
            cells_of = {
                (r["sheet"], int(r["row_number"])): lines[int(r["row_number"]) - 1] for r in rows
            }
        else:
            book = openpyxl.load_workbook(path, read_only=True)
            sheets = {
                ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
                for ws in book.worksheets
            }
            book.close()
            cells_of = {
                (r["sheet"], int(r["row_number"])): sheets[r["sheet"]][int(r["row_number"]) - 1]
                for r in rows
            }
        for r in rows:
            cells = cells_of[(r["sheet"], int(r["row_number"]))]
            assert any(c not in (None, "") for c in cells), r
            if r["w_nama"]:
                assert r["w_nama"] in [str(c) for c in cells if c is not None], (r, cells)
    files = {}
    with open(world / "truth" / "files.csv", newline="", encoding="utf-8") as f:
        files = {row["source_file"]: row for row in csv.DictReader(f)}
    assert {n: len(rows) for n, rows in by_file.items()} == {
        n: int(f["truth_rows"]) for n, f in files.items() if int(f["truth_rows"])
    }
    on_disk = {p.name for p in (world / "inbox").rglob("*") if p.is_file()}
    assert on_disk == set(files)


def test_the_nightly_flow_loads_or_rejects_every_truth_row(world, tmp_path, monkeypatch, capsys):
    from ppks.flows.nightly import nightly

    from ppks.warehouse import analyst

    monkeypatch.delenv(analyst.KEY_ENV, raising=False)
    monkeypatch.delenv(analyst.KEY_FILE_ENV, raising=False)
    warehouse = tmp_path / "ppks.duckdb"
    nightly(inbox=world / "inbox", warehouse=warehouse, outbox=tmp_path / "outbox")
    truth = _truth(world)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = set(
            con.execute("SELECT source_file, sheet, row_number FROM source_record").fetchall()
        )
        rejected = set(
            con.execute("SELECT source_file, sheet, row_number FROM rejected_row").fetchall()
        )
        # A service event exported again: the warehouse keeps its latest row and moves the
        # earlier one to the history (the same event counts once).
        history = set(
            con.execute(
                "SELECT source_file, sheet, row_number FROM source_record_history"
            ).fetchall()
        )
    again: dict[str, int] = {}
    for t in truth:
        if t["id_layanan"]:
            again[t["id_layanan"]] = again.get(t["id_layanan"], 0) + 1
    lost = []
    for t in truth:
        key = (t["source_file"], t["sheet"], int(t["row_number"]))
        if key in loaded or key in rejected:
            continue
        if key in history and again.get(t["id_layanan"], 0) > 1:
            continue
        lost.append(key)
    assert lost == []
    expected_rejects = {
        (t["source_file"], t["sheet"], int(t["row_number"]))
        for t in truth
        if t["expected"] == "reject"
    }
    assert expected_rejects and expected_rejects <= loaded | rejected

    # The report reads the same warehouse and truth back.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        place = con.execute(
            "SELECT count(*) FROM rejected_row WHERE list_contains(reasons, 'place_unresolved')"
        ).fetchall()[0][0]
    (tmp_path / "truth").symlink_to(world / "truth")
    report = _load("heldout_report")
    capsys.readouterr()
    assert report.main(["places", "--work", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(f"{place} rows rejected for their place")
    assert report.main(["lost", "--work", str(tmp_path), "--min-pairs", "1"]) == 0
    assert "true pairs lost" in capsys.readouterr().out
    assert report.main(["weights", "--work", str(tmp_path), "--class", "nik both / dob full"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("prior: lambda") and "- wilayah: desa_address_rt_rw" in out
