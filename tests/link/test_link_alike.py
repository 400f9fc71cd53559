"""Stored rows that score alike are scored once per new row (ppks.link.alike), and the
night stores, links and clusters exactly what scoring every pair gives."""

from __future__ import annotations

import polars as pl
import pytest
from linkhelp import Warehouse
from test_link_incremental import fill

from ppks.link import alike, link_persons, model

NIK = "3514030101700011"
HOME = {"alamat": "Dsn. Krajan", "rt": "1", "rw": "2"}
PERSON = {"nama": "Suparman", "nik": NIK, "jenis_kelamin": "L", "tanggal_lahir": "1970-01-01"}


def _history() -> tuple[Warehouse, list[int], int]:
    """Night 1: other people, a person reported four times alike and once from another
    RT, all linked; then a new report of that person. Returns the warehouse, the alike
    rows, the row from the other RT."""
    w = Warehouse()
    fill(w)
    same = [w.add(file=f"month{m}.xlsx", **PERSON, **HOME) for m in range(4)]
    other_rt = w.add(file="month4.xlsx", **PERSON, **{**HOME, "rt": "7"})
    link_persons(w.con, run_id="r1")
    w.add(file="new.xlsx", run_id="r2", **{**PERSON, "nama": "Soeparman"}, **HOME)
    return w, same, other_rt


def _score_everything(blocked, old, columns):
    return blocked, pl.DataFrame(
        schema={c: pl.Int64 for c in ("join_key_l", "join_key_r", "rep_l", "rep_r")}
    )


def _night_two(monkeypatch, *, dedupe: bool):
    w, same, other_rt = _history()
    seen = {}
    representatives = alike.representatives if dedupe else _score_everything

    def spy(blocked, old, columns):
        seen["scored"], seen["copied"] = representatives(blocked, old, columns)
        return seen["scored"], seen["copied"]

    monkeypatch.setattr(alike, "representatives", spy)
    summary = link_persons(w.con, run_id="r2")
    links = w.con.sql(
        "SELECT * EXCLUDE (run_id) FROM person_link ORDER BY record_id_l, record_id_r"
    ).pl()
    return w, same, other_rt, seen, summary, links


def test_rows_alike_are_scored_once_and_every_pair_keeps_the_score(monkeypatch):
    w, same, other_rt, seen, summary, links = _night_two(monkeypatch, dedupe=True)
    new = w.next_id - 1
    copied = set(seen["copied"].select("join_key_l", "join_key_r").rows())
    # The first of the alike rows is scored; the three others take its score.
    assert copied == {(uid, new) for uid in same[1:]}
    scored = set(seen["scored"].select("join_key_l", "join_key_r").rows())
    assert {(same[0], new), (other_rt, new)} <= scored
    tonight = links.filter(pl.col("record_id_r") == new)
    by_row = {row["record_id_l"]: row for row in tonight.iter_rows(named=True)}
    assert set(same) | {other_rt} <= set(by_row)
    first = by_row[same[0]]
    for uid in same[1:]:
        for column in (
            "match_weight",
            "match_probability",
            "blocking_rule",
            "agreement",
            "weights",
        ):
            assert by_row[uid][column] == first[column], (uid, column)
    # One compared column apart (the RT): scored on its own, with its own agreement.
    assert dict(by_row[other_rt]["agreement"])["wilayah"] != dict(first["agreement"])["wilayah"]
    assert summary.pairs_scored == tonight.height
    assert len({w.person(uid) for uid in [*same, other_rt, new]}) == 1


def test_the_night_stores_and_links_what_scoring_every_pair_gives(monkeypatch):
    deduped = _night_two(monkeypatch, dedupe=True)
    monkeypatch.undo()
    every = _night_two(monkeypatch, dedupe=False)
    assert every[3]["copied"].is_empty()
    assert deduped[5].equals(every[5])
    assert deduped[0].persons() == every[0].persons()
    assert deduped[4].pairs_scored == every[4].pairs_scored
    assert deduped[4].links == every[4].links


def test_representatives_keep_the_new_row_s_side_and_the_rule():
    """Stored rows 1, 2 and 7 alike, 3 not; new rows 5 and 6. Row 7 stands on the other
    side of row 5 (Splink's l is the smaller id), and pair (2, 6) is another rule's."""
    alike_row = {"name_key": "SUPARMAN", "rt_rw": "1/2"}
    old = pl.DataFrame(
        [
            {"unique_id": 1, **alike_row},
            {"unique_id": 2, **alike_row},
            {"unique_id": 3, "name_key": "SUPARMAN", "rt_rw": "7/2"},
            {"unique_id": 7, **alike_row},
        ]
    )
    blocked = pl.DataFrame(
        {
            "match_key": ["0", "0", "0", "0", "1", "0", "0"],
            "join_key_l": [1, 2, 3, 5, 1, 2, 5],
            "join_key_r": [5, 5, 5, 7, 6, 6, 6],
        }
    )
    scored, copied = alike.representatives(blocked, old, ["name_key", "rt_rw"])
    assert sorted(scored.select("join_key_l", "join_key_r").rows()) == [
        (1, 5), (1, 6), (2, 6), (3, 5), (5, 6), (5, 7),
    ]  # fmt: skip
    assert copied.rows() == [(2, 5, 1, 5)]
    assert scored.columns == blocked.columns


def test_the_scored_columns_are_the_model_s():
    settings = model.settings_dict()
    columns = alike.scored_columns(settings)
    # Of the comparisons (the RT/RW of `wilayah`), the term frequencies and the
    # given-name adjustment; not the row's place in its file.
    assert {"rt_rw", "name_key", "dob", "household_tokens", "name_core", "name_rarest"} <= set(
        columns
    )
    assert not {"source_file", "row_number", "unique_id"} & set(columns)
    settings["comparisons"].append(
        {
            "output_column_name": "ibu",
            "comparison_levels": [
                {"sql_condition": "ibu_kandung_l = ibu_kandung_r", "label_for_charts": "exact"},
                {"sql_condition": "ELSE", "label_for_charts": "else"},
            ],
        }
    )
    assert "ibu_kandung" in alike.scored_columns(settings)


def test_a_comparison_reading_something_other_than_a_row_s_column_is_refused():
    settings = model.settings_dict()
    settings["comparisons"][0]["comparison_levels"][1]["sql_condition"] = "nik_l = nik"
    with pytest.raises(ValueError, match="nik"):
        alike.scored_columns(settings)
