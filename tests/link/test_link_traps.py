"""The traps of SOURCES.md: a shared NIK, twins, siblings, damaged NIKs, chaining."""

import pytest
from linkhelp import Warehouse

from ppks.link import link_persons

NIK_HEAD = "3514030101700011"  # a man born 01-01-1970
KK = "3514032408181714"


@pytest.fixture
def warehouse() -> Warehouse:
    return Warehouse()


def test_shared_nik_is_evidence_not_proof(warehouse):
    husband = warehouse.add(
        nama="Suparman", nik=NIK_HEAD, kk=KK, jenis_kelamin="L", tanggal_lahir="1970-01-01"
    )
    again = warehouse.add(
        file="b.xlsx", nama="SUPARMAN", nik=NIK_HEAD, kk=KK, jenis_kelamin="L",
        tanggal_lahir="1970-01-01",
    )  # fmt: skip
    wife = warehouse.add(
        nama="Sukarti Aminah", nik=NIK_HEAD, kk=KK, jenis_kelamin="P",
        tanggal_lahir="1975-05-07", flags=["nik_dob_mismatch", "nik_gender_mismatch"],
    )  # fmt: skip
    child = warehouse.add(
        nama="Rizky Eka Saputra", nik=NIK_HEAD, kk=KK, jenis_kelamin="L",
        tanggal_lahir="2002-02-22", flags=["nik_dob_mismatch"],
    )  # fmt: skip
    link_persons(warehouse.con, run_id="r1")
    assert warehouse.person(husband) == warehouse.person(again)
    assert len({warehouse.person(r) for r in (husband, wife, child)}) == 3


def test_twins_and_siblings_on_one_kk_are_different_people(warehouse):
    common = {"kk": KK, "alamat": "Dsn. Krajan", "rt": "002", "rw": "001"}
    twin_a = warehouse.add(
        nama="Eka Rahmawati", tanggal_lahir="2010-03-04", jenis_kelamin="P", **common
    )
    twin_b = warehouse.add(
        nama="Dwi Rahmawati", tanggal_lahir="2010-03-04", jenis_kelamin="P", **common
    )
    twin_c = warehouse.add(
        nama="Siti Aminah", tanggal_lahir="2012-07-08", jenis_kelamin="P", **common
    )
    twin_d = warehouse.add(
        nama="Siti Fatimah", tanggal_lahir="2012-07-08", jenis_kelamin="P", **common
    )
    sibling = warehouse.add(
        nama="Siti Rahayu", tanggal_lahir="2014-01-09", jenis_kelamin="P", **common
    )
    twin_a_again = warehouse.add(
        file="b.xlsx", nama="EKA RAHMAWATI", tanggal_lahir="2010-03-04", jenis_kelamin="P", **common
    )
    link_persons(warehouse.con, run_id="r1")
    ids = [warehouse.person(r) for r in (twin_a, twin_b, twin_c, twin_d, sibling)]
    assert len(set(ids)) == 5
    assert warehouse.person(twin_a_again) == warehouse.person(twin_a)


def test_excel_damaged_nik_and_one_typo_still_link(warehouse):
    person = {"nama": "Ponirah", "jenis_kelamin": "P", "tanggal_lahir": "1955-08-17"}
    clean = warehouse.add(nik="3514035708550017", **person)
    damaged = warehouse.add(
        file="b.xlsx", nik="3514035708550010", flags=["nik_excel_damaged"], **person
    )
    swapped = warehouse.add(file="c.xlsx", nik="3514035708550071", **person)
    other = warehouse.add(
        file="d.xlsx", nama="Ponirah", nik="3514035708550025", jenis_kelamin="P",
        tanggal_lahir="1955-08-17", kode_desa="35.14.03.2005",
    )  # fmt: skip
    link_persons(warehouse.con, run_id="r1")
    assert warehouse.person(clean) == warehouse.person(damaged) == warehouse.person(swapped)
    # Same name and birth date, but another clean NIK that fits its row: another woman.
    assert warehouse.person(other) != warehouse.person(clean)


def test_one_weak_row_does_not_chain_two_people(warehouse):
    place = {"kk": KK, "alamat": "Dsn. Krajan", "rt": "002", "rw": "001", "jenis_kelamin": "P"}
    aminah = warehouse.add(nama="Siti Aminah", tanggal_lahir="1980-01-05", **place)
    fatimah = warehouse.add(nama="Siti Fatimah", tanggal_lahir="1983-06-09", **place)
    # Only "Siti" and the household: it resembles both.
    vague = warehouse.add(file="b.xlsx", nama="Siti", **place)
    link_persons(warehouse.con, run_id="r1")
    assert warehouse.person(aminah) != warehouse.person(fatimah)
    assert warehouse.person(vague) is not None


def test_every_link_is_explained(warehouse):
    a = warehouse.add(nama="Suparman", nik=NIK_HEAD, jenis_kelamin="L", tanggal_lahir="1970-01-01")
    b = warehouse.add(file="b.xlsx", nama="Soeparman", nik=NIK_HEAD, jenis_kelamin="L")
    link_persons(warehouse.con, run_id="r1")
    status, weight, agreement, weights = warehouse.con.execute(
        "SELECT status, match_weight, agreement, weights FROM person_link "
        "WHERE record_id_l = ? AND record_id_r = ?",
        [a, b],
    ).fetchall()[0]
    assert status == "linked" and weight > 6
    assert agreement["nik"] == "exact" and agreement["nama"] == "exact"
    assert agreement["tanggal_lahir"] == "exact"  # the date the NIK encodes
    assert weights["nik"] > 10
