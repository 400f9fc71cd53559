"""Issue #9: the scored pairs stay in DuckDB (ppks/link/pairs.py).

The given-name adjustment, each pair's status and person_link are computed in SQL
on linkage's connection, where the Polars frame of every pair used to be. The
numbers must be the ones that frame gave: the adjustment to the last bit, the
status by the same rules.
"""

from __future__ import annotations

import math

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppks.link import given_names, model
from ppks.link.persons import CONFLICT_REVIEW_WEIGHT, LINK_WEIGHT, REVIEW_WEIGHT

PRIORS = model._finish(model.settings_dict(), model.settings_dict(), [])
SETTINGS = {**PRIORS, given_names.GIVEN_NAME_TF: {"log2_reference": -7.3}}
BOUNDS = given_names.bounds(SETTINGS)
TOKENS = ["SITI", "AMINAH", "KARTO", "DEWI", "SRI"]


def _reference(core_l, core_r, rarest_l, rarest_r, gamma, tf: dict[str, float]) -> float:
    """The adjustment as given_names.py documents it, in plain Python."""
    if gamma not in BOUNDS:
        return 0.0
    shared = set(core_l.split(" ")) & set(core_r.split(" ")) if core_l and core_r else set()
    shares = [tf[t] for t in shared if t in tf]
    if shares:
        share = min(shares)
    else:
        sides = [tf[t] for t in (rarest_l, rarest_r) if t in tf]
        if not sides:
            return 0.0
        share = max(sides)
    raw = math.inf if share == 0 else -7.3 - math.log(share) / math.log(2)
    low, high = BOUNDS[gamma]
    return min(max(raw, low), high)


names = st.one_of(st.none(), st.lists(st.sampled_from(TOKENS), min_size=1, max_size=3))
rows = st.tuples(names, st.one_of(st.none(), st.sampled_from([*TOKENS, "UNSEEN"])))


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(rows, rows, st.sampled_from([-1, 0, 1, 2, 3, 4, 5])), min_size=1, max_size=12
    ),
    shares=st.lists(
        st.one_of(st.just(0.0), st.floats(min_value=1e-7, max_value=1.0)), min_size=5, max_size=5
    ),
)
def test_the_given_name_adjustment_in_sql_is_the_documented_one_to_the_bit(pairs, shares):
    tf = dict(zip(TOKENS, shares, strict=True))
    del tf["SRI"]  # a token no share is known for
    input_rows, scored = [], []
    for i, ((name_l, rare_l), (name_r, rare_r), gamma) in enumerate(pairs):
        for side, (name, rare) in enumerate(((name_l, rare_l), (name_r, rare_r))):
            input_rows.append((2 * i + side, " ".join(name) if name else None, rare))
        scored.append((2 * i, 2 * i + 1, gamma))
    mem = duckdb.connect()
    link_input = pl.DataFrame(
        input_rows, schema=["unique_id", "name_core", "name_rarest"], orient="row"
    )
    pair_frame = pl.DataFrame(
        scored, schema=["unique_id_l", "unique_id_r", "gamma_nama"], orient="row"
    )
    mem.register("_i", link_input)
    mem.register("_p", pair_frame)
    mem.execute("CREATE TABLE link_input AS SELECT * FROM _i")
    mem.execute("CREATE TABLE scored AS SELECT * FROM _p")
    tokens = pl.DataFrame({"token": list(tf), "tf": list(tf.values())})
    table = given_names.adjust(mem, "scored", SETTINGS, tokens)
    got = dict(mem.execute(f"SELECT unique_id_l, _given FROM {table}").fetchall()) if table else {}
    if not any(g in BOUNDS for _, _, g in scored):
        assert table is None
    by_id = {uid: (core, rare) for uid, core, rare in input_rows}
    for left, right, gamma in scored:
        (core_l, rare_l), (core_r, rare_r) = by_id[left], by_id[right]
        want = _reference(core_l, core_r, rare_l, rare_r, gamma, tf)
        assert got.get(left, 0.0) == want, (left, gamma)


@pytest.fixture(scope="module")
def links(samples_first_night) -> pl.DataFrame:
    with duckdb.connect(str(samples_first_night.warehouse), read_only=True) as con:
        return con.sql(
            "SELECT record_id_l, record_id_r, match_weight, status, conflict, person_id_l, "
            "person_id_r FROM person_link"
        ).pl()


def test_every_scored_pair_has_the_status_its_rule_gives(links):
    scored = links.filter(pl.col("match_weight").is_not_null())
    assert scored.height
    weak = scored.filter(pl.col("match_weight") < LINK_WEIGHT)
    for _, _, weight, status, conflict, pid_l, pid_r in weak.iter_rows():
        if status.startswith("reviewer"):
            continue
        if pid_l == pid_r:
            assert status == "same_person"
        else:
            assert status == ("review" if weight >= REVIEW_WEIGHT else "not_linked")
        assert conflict is None
    strong = scored.filter(pl.col("match_weight") >= LINK_WEIGHT)
    assert set(strong["status"]) <= {"linked", "same_person", "conflict", "review",
                                     "reviewer_different"}  # fmt: skip
    for _, _, _, status, _, pid_l, pid_r in strong.iter_rows():
        assert (pid_l == pid_r) == (status in {"linked", "same_person"})


def test_the_run_counts_what_person_link_holds(samples_first_night, links):
    with duckdb.connect(str(samples_first_night.warehouse), read_only=True) as con:
        run = con.sql("SELECT * FROM link_run WHERE mode = 'full'").pl().row(0, named=True)
    counts = links.group_by("status").len()
    count = dict(counts.iter_rows())
    sure = links.filter(
        (pl.col("status") == "conflict") & (pl.col("match_weight") >= CONFLICT_REVIEW_WEIGHT)
    ).height
    assert run["pairs_scored"] == links.filter(pl.col("match_weight").is_not_null()).height
    assert run["links"] == count.get("linked", 0)
    assert run["conflicts"] == count.get("conflict", 0)
    assert run["review_pairs"] == count.get("review", 0) + sure
