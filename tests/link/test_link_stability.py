"""Ids survive the next night; merges and splits are recorded; reviewers override the model."""

import pytest
from linkhelp import Warehouse

from ppks.link import Decision, append_decisions, link_persons

NIK = "3514030101700011"
ELSEWHERE = {
    "kode_kecamatan": "35.14.04",
    "kode_desa": "35.14.04.2001",
    "alamat": "Dsn. Wetan",
    "rt": "003",
    "rw": "002",
}


@pytest.fixture
def warehouse() -> Warehouse:
    return Warehouse()


def add_fauzi(warehouse, run_id="r1"):
    """Two rows of one man that the model cannot join alone (no shared field but the name)."""
    with_nik = warehouse.add(
        file="a.xlsx", run_id=run_id, nama="Ahmad Fauzi", nik=NIK, jenis_kelamin="L"
    )
    with_dob = warehouse.add(
        file="b.xlsx", run_id=run_id, nama="Achmad Fauzi", tahun_lahir=1970, **ELSEWHERE
    )
    return with_nik, with_dob


def history(warehouse):
    return warehouse.con.execute(
        "SELECT old_person_id, new_person_id, run_id, reason FROM person_id_history ORDER BY ALL"
    ).fetchall()


def test_rerun_keeps_every_id_and_new_rows_join_existing_persons(warehouse):
    a = warehouse.add(nama="Suparman", nik=NIK, jenis_kelamin="L", tanggal_lahir="1970-01-01")
    b = warehouse.add(nama="Sukarti", tanggal_lahir="1975-05-07", jenis_kelamin="P")
    link_persons(warehouse.con, run_id="r1")
    first = warehouse.persons()
    link_persons(warehouse.con, run_id="r2")
    assert warehouse.persons() == first
    c = warehouse.add(file="c.xlsx", run_id="r3", nama="SOEPARMAN", nik=NIK, jenis_kelamin="L")
    link_persons(warehouse.con, run_id="r3")
    after = warehouse.persons()
    assert after[a] == first[a] and after[b] == first[b] and after[c] == first[a]
    assert history(warehouse) == []


def test_same_rows_from_scratch_give_the_same_ids(warehouse):
    rows = [
        {"nama": "Suparman", "nik": NIK, "tanggal_lahir": "1970-01-01"},
        {"nama": "Sukarti", "tanggal_lahir": "1975-05-07"},
        {"file": "b.xlsx", "nama": "SUPARMAN", "tanggal_lahir": "1970-01-01"},
    ]
    results = []
    for _ in range(2):
        w = Warehouse()
        for row in rows:
            w.add(**row)
        link_persons(w.con, run_id="r1")
        results.append(w.persons())
    assert results[0] == results[1]


def test_new_evidence_merges_and_the_older_id_survives(warehouse):
    with_nik, with_dob = add_fauzi(warehouse)
    link_persons(warehouse.con, run_id="r1")
    old_nik_id, old_dob_id = warehouse.person(with_nik), warehouse.person(with_dob)
    assert old_nik_id != old_dob_id
    bridge = warehouse.add(
        file="c.xlsx", run_id="r2", nama="Ahmad Fauzi", nik=NIK, tanggal_lahir="1970-01-01",
        jenis_kelamin="L", **ELSEWHERE,
    )  # fmt: skip
    link_persons(warehouse.con, run_id="r2")
    assert warehouse.person(with_nik) == warehouse.person(with_dob) == warehouse.person(bridge)
    assert warehouse.person(bridge) == old_nik_id  # created first (smaller record)
    assert history(warehouse) == [(old_dob_id, old_nik_id, "r2", "merge")]
    resolved = warehouse.con.execute(
        "SELECT current_id FROM person_id_current WHERE saved_id = ?", [old_dob_id]
    ).fetchall()
    assert resolved == [(old_nik_id,)]


def test_reviewer_decisions_override_the_model_and_persist(warehouse, tmp_path):
    decisions = tmp_path / "decisions.csv"
    with_nik, with_dob = add_fauzi(warehouse)
    link_persons(warehouse.con, run_id="r1", decisions_path=decisions)
    apart = (warehouse.person(with_nik), warehouse.person(with_dob))
    assert apart[0] != apart[1]

    same = Decision(("a.xlsx", "Laporan", 7), ("b.xlsx", "Laporan", 7), "same", "rina")
    append_decisions(decisions, [same])
    summary = link_persons(warehouse.con, run_id="r2", decisions_path=decisions)
    assert summary.decisions_applied == 1
    assert warehouse.person(with_nik) == warehouse.person(with_dob) == apart[0]
    link_persons(warehouse.con, run_id="r3", decisions_path=decisions)  # persists
    assert warehouse.person(with_nik) == warehouse.person(with_dob) == apart[0]
    status = warehouse.con.execute(
        "SELECT status FROM person_link WHERE record_id_l = ? AND record_id_r = ?",
        [with_nik, with_dob],
    ).fetchall()
    assert status == [("reviewer_same",)]

    # A later decision on the same pair replaces the earlier one: a split, recorded.
    append_decisions(decisions, [Decision(same.b, same.a, "different", "budi")])
    link_persons(warehouse.con, run_id="r4", decisions_path=decisions)
    assert warehouse.person(with_nik) == apart[0]
    moved = warehouse.person(with_dob)
    assert moved != apart[0]
    assert ("r4", "split") in {(r, why) for _, _, r, why in history(warehouse)}
    applied = warehouse.con.execute(
        "SELECT decision, applied FROM review_decision ORDER BY decision"
    ).fetchall()
    assert applied == [("different", "applied"), ("same", "overridden")]


def test_reviewer_different_splits_a_model_link(warehouse, tmp_path):
    decisions = tmp_path / "decisions.csv"
    a = warehouse.add(nama="Suparman", nik=NIK, jenis_kelamin="L", tanggal_lahir="1970-01-01")
    b = warehouse.add(file="b.xlsx", nama="Suparman", nik=NIK, jenis_kelamin="L")
    link_persons(warehouse.con, run_id="r1", decisions_path=decisions)
    assert warehouse.person(a) == warehouse.person(b)
    append_decisions(
        decisions, [Decision(("a.xlsx", "Laporan", 7), ("b.xlsx", "Laporan", 7), "different")]
    )
    link_persons(warehouse.con, run_id="r2", decisions_path=decisions)
    assert warehouse.person(a) != warehouse.person(b)
    (reason,) = {why for _, _, _, why in history(warehouse)}
    assert reason == "split"
