"""Issue #10: term frequency on given-name tokens (ppks/link/given_names.py).

Before it, a pair whose names agree only in part (a habitual prefix left out,
one letter wrong) weighed the same whether the name was one that many people
carry or a rare one; the term frequency covered only the exact name key.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from linkhelp import Warehouse

from ppks.link import given_names, model, store
from ppks.link.features import build_features

REF_YEAR = 2026
PRIORS = model._finish(model.settings_dict(), model.settings_dict(), [])


def _warehouse() -> tuple[Warehouse, dict[str, int]]:
    """Two pairs in the same partial name level (the prefix Siti written on one
    report only), one on a name twenty other people carry (fewer than COMMON_MIN_ROWS, so
    it stays in the core), one on a rare name."""
    wh = Warehouse()
    ids = {
        "common_a": wh.add(nama="Siti Aminah", jenis_kelamin="P", alamat="Dsn. Krajan"),
        "common_b": wh.add(file="b.xlsx", nama="Aminah", jenis_kelamin="P", alamat="Dsn. Krajan"),
        "rare_a": wh.add(nama="Siti Kartosuwiryo", jenis_kelamin="P", alamat="Dsn. Krajan"),
        "rare_b": wh.add(
            file="b.xlsx", nama="Kartosuwiryo", jenis_kelamin="P", alamat="Dsn. Krajan"
        ),
    }
    others = ["Rahayu", "Lestari", "Wulandari", "Handayani", "Purwanti"]
    for i in range(20):
        wh.add(
            file="c.xlsx",
            nama=f"Aminah {others[i % 5]}",
            jenis_kelamin="P",
            kode_desa="35.14.03.2002",
            tanggal_lahir=dt.date(1950 + i, 3, 1),
        )
    return wh, ids


def _scored(wh: Warehouse, *, with_tokens: bool) -> tuple[pl.DataFrame, dict]:
    mem = duckdb.connect()
    features, _ = build_features(wh.con, mem, ref_year=REF_YEAR)
    store.replace_counts(wh.con, features)
    settings = {**PRIORS, given_names.GIVEN_NAME_TF: {"log2_reference": given_names.reference(mem)}}
    pairs = model.predict(
        mem,
        settings,
        floor_weight=-100,
        token_frequencies=store.token_frequency_table(wh.con) if with_tokens else None,
    ).frame()
    return pairs, settings


def _weight(pairs: pl.DataFrame, a: int, b: int) -> float:
    row = pairs.filter((pl.col("unique_id_l") == min(a, b)) & (pl.col("unique_id_r") == max(a, b)))
    return row["match_weight"].item()


def test_rare_given_name_agreeing_in_part_weighs_more_than_a_common_one():
    wh, ids = _warehouse()
    before, _ = _scored(wh, with_tokens=False)
    # Before: the same level, the same weight, whatever the name.
    assert _weight(before, ids["rare_a"], ids["rare_b"]) == _weight(
        before, ids["common_a"], ids["common_b"]
    )
    after, _ = _scored(wh, with_tokens=True)
    rare = _weight(after, ids["rare_a"], ids["rare_b"])
    common = _weight(after, ids["common_a"], ids["common_b"])
    assert rare > common
    assert rare > _weight(before, ids["rare_a"], ids["rare_b"])
    assert common < _weight(before, ids["common_a"], ids["common_b"])
    # The adjustment is in the name comparison's explained part.
    row = after.filter(pl.col("unique_id_l") == min(ids["rare_a"], ids["rare_b"])).filter(
        pl.col("unique_id_r") == max(ids["rare_a"], ids["rare_b"])
    )
    assert row["mw_tf_adj_nama"].item() > 0


def test_adjustment_never_lifts_a_partial_name_above_the_exact_name_nor_below_another_name():
    _, settings = _scored(_warehouse()[0], with_tokens=False)
    weights = given_names._level_weights(settings)
    for gamma, (low, high) in given_names.bounds(settings).items():
        level = next(w for g, w in weights.values() if g == gamma)
        assert level + high <= weights["exact"][1] + 1e-9
        assert level + low >= weights["else"][1] - 1e-9


def test_token_shares_added_night_by_night_equal_a_count_of_every_row():
    wh, _ = _warehouse()
    mem = duckdb.connect()
    everything, _ = build_features(wh.con, mem, ref_year=REF_YEAR)
    store.replace_counts(wh.con, everything)
    whole = store.token_frequency_table(wh.con)
    first = everything.filter(pl.col("unique_id") <= 20)
    store.replace_counts(wh.con, first)
    store.change_counts(wh.con, everything.filter(pl.col("unique_id") > 20), +1)
    assert store.token_frequency_table(wh.con).equals(whole)


def test_a_model_without_the_reference_scores_as_before():
    wh, _ = _warehouse()
    mem = duckdb.connect()
    features, _ = build_features(wh.con, mem, ref_year=REF_YEAR)
    store.replace_counts(wh.con, features)
    plain = model.predict(mem, PRIORS, floor_weight=-100).frame()
    with_table = model.predict(
        mem, PRIORS, floor_weight=-100, token_frequencies=store.token_frequency_table(wh.con)
    ).frame()
    assert plain.equals(with_table)


LEVELS = {
    label: gamma
    for label, (gamma, _) in given_names._level_weights(PRIORS).items()
    if label in given_names.LEVELS
}


def _adjusted(share_a: float, share_b: float, label: str) -> tuple[float, float]:
    """Weights of two pairs in one name level, one on a token of share_a, one of share_b."""
    mem = duckdb.connect()
    mem.execute(
        "CREATE TABLE link_input AS SELECT * FROM (VALUES (1, 'AAA', 'AAA'), (2, 'AAA', 'AAA'), "
        "(3, 'BBB', 'BBB'), (4, 'BBB', 'BBB')) AS t(unique_id, name_core, name_rarest)"
    )
    pairs = pl.DataFrame(
        {
            "unique_id_l": [1, 3],
            "unique_id_r": [2, 4],
            "match_weight": [5.0, 5.0],
            "match_probability": [0.97, 0.97],
            "gamma_nama": [LEVELS[label]] * 2,
            "mw_tf_adj_nama": [0.0, 0.0],
        }
    )
    tokens = pl.DataFrame({"token": ["AAA", "BBB"], "tf": [share_a, share_b]})
    settings = {**PRIORS, given_names.GIVEN_NAME_TF: {"log2_reference": -7.0}}
    mem.register("_pairs", pairs)
    mem.execute("CREATE TABLE scored AS SELECT * FROM _pairs")
    given = given_names.adjust(mem, "scored", settings, tokens)
    out = mem.sql(
        "SELECT match_weight + coalesce(_given, 0.0) AS w FROM scored "
        f"LEFT JOIN {given} USING (unique_id_l, unique_id_r) ORDER BY unique_id_l"
    ).pl()
    return tuple(out["w"].to_list())


@settings(max_examples=80, deadline=None)
@given(
    shares=st.tuples(
        st.floats(min_value=1e-6, max_value=0.5), st.floats(min_value=1e-6, max_value=0.5)
    ),
    label=st.sampled_from(sorted(LEVELS)),
)
def test_a_rarer_shared_token_never_weighs_less_and_stays_within_the_bounds(shares, label):
    rare, common = sorted(shares)
    w_rare, w_common = _adjusted(rare, common, label)
    assert w_rare >= w_common
    low, high = given_names.bounds(PRIORS)[LEVELS[label]]
    for w in (w_rare, w_common):
        assert 5.0 + low - 1e-9 <= w <= 5.0 + high + 1e-9
