"""A first night's clustering keeps each edge's status by position (a byte a pair) and
writes them to DuckDB beside the pairs: the same statuses, conflicts and persons as the
dict a night of few pairs keeps (issue #9, the first night's memory)."""

from __future__ import annotations

import random

import duckdb
import polars as pl

from ppks.link import pairs as scored_pairs
from ppks.link.cluster import Row, cluster

NAMES = ["SITI AMINAH", "SITI AMINA", "SRI WAHYUNI", "DEWI LESTARI", "DEWANTI LESTARI"]


def _row(uid: int, rng: random.Random) -> Row:
    name = rng.choice(NAMES)
    tokens = frozenset(name.split())
    nik = rng.choice([None, "3514035708550017", "3514035708550019", "3201010101900001"])
    return Row(
        uid, name, tokens, tokens - {"SITI", "SRI"}, nasab=None,
        gender=rng.choice(["P", "L", None]), dob=None, dob_placeholder=False,
        year=rng.choice([None, 1950, 1951, 1960]), year_approx=False, nik=nik,
        nik15=nik[:15] if nik else None, nik_damaged=False, nik_disagrees=False,
    )  # fmt: skip


def _world(seed: int):
    rng = random.Random(seed)
    rows = {uid: _row(uid, rng) for uid in range(1, 41)}
    pairs = {tuple(sorted(rng.sample(range(1, 41), 2))) for _ in range(150)}
    edges = [(a, b, float(rng.choice([6, 8, 8, 12, 20]))) for a, b in sorted(pairs)]
    some = sorted(pairs)
    must = [some[0], some[3], (1, 2)]
    cannot = [some[5], (3, 4)]
    return rows, edges, must, cannot


def _statuses(world, ordered: bool):
    """l, r, status, conflict of every edge, through link_pair_status."""
    rows, edges, must, cannot = world
    con = duckdb.connect()
    frame = pl.DataFrame(edges, schema=["unique_id_l", "unique_id_r", "match_weight"], orient="row")
    con.register("_p", frame)
    con.execute(f"CREATE TABLE {scored_pairs.TABLE} AS SELECT * FROM _p")
    pairs = scored_pairs.ScoredPairs.of_table(con)
    if ordered:
        strong = pairs.strong(6.0)
        got = cluster(rows, strong.iter_rows(), must_link=must, cannot_link=cannot, in_order=True)
        table = scored_pairs.ordered_statuses(strong, got.ordered_status, got.ordered_conflict)
    else:
        got = cluster(rows, edges, must_link=must, cannot_link=cannot)
        table = None
    person_of = {uid: f"P{c}" for uid, c in got.cluster_of.items()}
    scored_pairs.write_status(
        pairs, got.edge_status, got.edge_conflict, person_of, cannot, 4.0, ordered=table
    )
    out = con.execute(f"SELECT * FROM {scored_pairs.STATUS_TABLE} ORDER BY ALL").fetchall()
    return got.cluster_of, out


def test_statuses_kept_by_position_are_the_statuses_of_the_dict():
    kinds = set()
    for seed in range(8):
        world = _world(seed)
        persons, by_dict = _statuses(world, ordered=False)
        persons_ordered, by_position = _statuses(world, ordered=True)
        assert persons_ordered == persons
        assert by_position == by_dict
        kinds |= {s for _, _, s, _ in by_dict}
    wanted = {"linked", "same_person", "conflict", "reviewer_same", "reviewer_different"}
    assert wanted <= kinds, kinds
