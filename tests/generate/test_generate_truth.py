"""The truth files agree with each other and with what is in the inbox."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from pathlib import Path

from ppks_generator.noise import HARD_ONLY_KINDS, KINDS
from ppks_generator.truth import FILE_COLUMNS, PERSON_COLUMNS, ROW_COLUMNS

CASES = {
    "empty_workbook",
    "wrong_template",
    "corrupt",
    "password_protected",
    "xls",
    "csv_encoding_unknown",
    "no_header",
}


def test_columns_are_those_of_the_contract(generated: Path) -> None:
    for name, columns in (
        ("files.csv", FILE_COLUMNS),
        ("rows.csv", ROW_COLUMNS),
        ("persons.csv", PERSON_COLUMNS),
    ):
        header = (generated / "truth" / name).read_text().splitlines()[0]
        assert header == ",".join(columns)


def test_every_inbox_file_is_listed_once_under_a_unique_name(generated, files) -> None:
    on_disk = sorted(
        (p.parent.name, p.name) for p in (generated / "inbox").rglob("*") if p.is_file()
    )
    listed = sorted((f["folder"], f["source_file"]) for f in files)
    assert on_disk == listed
    lower = [f["source_file"].lower() for f in files]
    assert len(set(lower)) == len(lower)


def test_files_count_their_rows(files, rows) -> None:
    counted = Counter(r["source_file"] for r in rows)
    for f in files:
        assert int(f["truth_rows"]) == counted.get(f["source_file"], 0), f["source_file"]
        if f["expected"] != "load":
            assert f["source_file"] not in counted
    assert all(r["source"] == r["folder"] for r in rows)


def test_row_ids_are_unique_and_persons_known(rows, persons) -> None:
    keys = [(r["source_file"], r["sheet"], r["row_number"]) for r in rows]
    assert len(set(keys)) == len(keys)
    known = {p["person_id"] for p in persons}
    assert {r["person_id"] for r in rows if r["person_id"]} <= known
    assert all(r["person_id"] or "total_line" in r["noise"] for r in rows)


def test_every_noise_kind_occurs_and_no_other(rows) -> None:
    seen = Counter(k for r in rows for k in r["noise"].split("|") if k)
    wanted = KINDS - HARD_ONLY_KINDS  # the default profile
    assert set(seen) == wanted, (wanted - set(seen), set(seen) - wanted)


def test_every_whole_file_case_occurs(generated, files) -> None:
    notes = {f["note"] for f in files if f["expected"] == "reject"}
    assert notes == CASES
    resends = [f for f in files if f["expected"].startswith("duplicate_of:")]
    assert resends
    for f in resends:
        original = f["expected"].removeprefix("duplicate_of:")
        folder = generated / "inbox" / f["folder"]
        copy, first = (folder / f["source_file"]).read_bytes(), (folder / original).read_bytes()
        assert hashlib.sha256(copy).digest() == hashlib.sha256(first).digest()
    corrections = [f for f in files if f["supersedes"]]
    assert corrections
    by_name = {f["source_file"]: f for f in files}
    for f in corrections:
        earlier = by_name[f["supersedes"]]
        assert f["folder"] == earlier["folder"] == "tksk"
        assert f["expected"] == earlier["expected"] == "load"
        # Same kecamatan and month.
        assert f["note"].split(";")[0] == earlier["note"].split(";")[0]


def test_rejects_are_a_few_percent_with_the_right_reasons(rows) -> None:
    rejects = [r for r in rows if r["expected"] == "reject"]
    assert 0.003 < len(rejects) / len(rows) < 0.05
    kinds = {r["reject_kind"] for r in rejects}
    assert {"no_name", "category", "place"} <= kinds
    assert kinds <= {
        "no_name",
        "category",
        "place",
        "no_name|category",
        "no_name|place",
        "category|place",
        "no_name|category|place",
    }
    totals = {(r["source"], r["reject_kind"]) for r in rows if "total_line" in r["noise"]}
    assert totals == {("tksk", "no_name|category"), ("psm", "no_name|place")}
    assert all(r["reject_kind"] == "" for r in rows if r["expected"] == "load")
    places = [r for r in rows if "place" in r["reject_kind"] and r["person_id"]]
    assert places and all(not r["kode_kecamatan"].startswith("35.") for r in places)


def test_persons_have_niks_built_per_the_spec(persons) -> None:
    inside = [p for p in persons if p["person_id"].startswith("P")]
    with_nik = [p for p in inside if p["nik"]]
    assert 0.8 < len(with_nik) / len(inside) < 0.99
    for p in with_nik:
        nik, dob = p["nik"], date.fromisoformat(p["dob"])
        assert len(nik) == 16 and nik.isdigit()
        day = int(nik[6:8])
        assert day - (40 if p["gender"] == "P" else 0) == dob.day
        assert nik[8:12] == f"{dob.month:02d}{dob.year % 100:02d}"
    assert len({p["nik"] for p in with_nik}) == len(with_nik)
    assert any(not p["nik"].startswith("35") for p in with_nik)
    for p in inside:
        if p["kk"]:
            assert p["kk"][:6] == p["kode_desa"].replace(".", "")[:6]
    # Twins and siblings: several people on one card, some born the same day.
    cards = Counter(p["kk"] for p in inside if p["kk"])
    assert max(cards.values()) >= 4
    born = Counter((p["kk"], p["dob"]) for p in inside if p["kk"])
    assert any(n >= 2 for n in born.values())


def test_common_names_are_frequent(persons) -> None:
    first = Counter(p["nama"].split()[0] for p in persons)
    assert first["Siti"] + first["Sri"] > len(persons) * 0.05
    assert first["Muhammad"] > len(persons) * 0.02


def test_head_nik_shared_rows_carry_someone_elses_nik(rows, persons) -> None:
    shared = [r for r in rows if "nik_head_shared" in r["noise"]]
    assert shared
    card_niks = {}
    for p in persons:
        card_niks.setdefault(p["kk"], set()).add(p["nik"])
    # The NIK written belongs to another member of the same family card.
    assert all(len(card_niks[r["kk"]]) >= 2 for r in shared if r["kk"])
