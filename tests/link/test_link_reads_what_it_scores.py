"""A linkage night reads the ids of the persons it clusters, not every id ever given;
the ids it gives are the same."""

from __future__ import annotations

from linkhelp import Warehouse
from test_link_incremental import fill

from ppks.link import identity, link_persons


def linked(persons: int = 80) -> Warehouse:
    warehouse = Warehouse()
    fill(warehouse, persons)
    link_persons(warehouse.con, run_id="r1")
    return warehouse


def test_ids_asked_of_the_warehouse_are_the_ids_a_set_of_every_id_gives():
    groups = {1: 10, 2: 10, 3: 11, 4: 12, 5: 13}
    previous = {1: "POLD", 3: "POLD"}
    rows = {uid: f"f.xlsx\x1fS\x1f{uid}" for uid in groups}
    first_new = identity._candidate(rows[4], 0)  # as if handed out on an earlier night
    every = {"POLD", first_new}
    asked: list[list[str]] = []

    def given_of(ids: list[str]) -> set[str]:
        asked.append(sorted(ids))
        return every & set(ids)

    age = {"POLD": (1, "POLD")}
    by_set = identity.assign(groups, previous, rows, age, every)
    by_question = identity.assign(groups, previous, rows, age, given_of)
    assert by_question == by_set
    assert first_new not in by_set.created and len(by_set.created) == 3
    # The new groups' first candidates in one question, the one clash on its own.
    assert len(asked) == 2 and len(asked[0]) == 3 and len(asked[1]) == 1


def test_an_incremental_night_gives_the_persons_ids_it_gave_before():
    """Ids, ages and merges read for the persons clustered only: a new person gets an id
    never given, an old person keeps theirs."""
    warehouse = linked()
    before = dict(
        warehouse.con.execute("SELECT record_id, person_id FROM source_record").fetchall()
    )
    warehouse.add(file="night2.xlsx", nama="Paijo Santoso ZZ", nik="3514099901701912",
                  tanggal_lahir="1970-01-19", jenis_kelamin="L")  # fmt: skip
    summary = link_persons(warehouse.con, run_id="r2")
    assert summary.mode == "incremental" and summary.persons_new == 1
    after = dict(warehouse.con.execute("SELECT record_id, person_id FROM source_record").fetchall())
    assert {k: after[k] for k in before} == before
    (new,) = set(after.values()) - set(before.values())
    assert warehouse.con.execute(
        "SELECT created_run_id, status FROM person_identity WHERE person_id = ?", [new]
    ).fetchall() == [("r2", "active")]
