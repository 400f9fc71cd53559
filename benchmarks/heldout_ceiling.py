"""What recall the `nik none` classes can reach from what their rows carry (issue #10,
branch recall31): a labelled classifier over the candidate pairs, trained on some
held-out worlds and read on another, as a ceiling for any linkage rule.

    python benchmarks/heldout_ceiling.py pairs --work DIR --out P.parquet
    SK/bin/python benchmarks/heldout_ceiling.py fit --train P13.parquet,P17.parquet \
        --test P11.parquet [--drop levels,weight]

`pairs` (the project's venv) reads a world linked by `bench_linkage.py generated --work
DIR`: every pair the blocking rules admit, scored by the stored model (each comparison's
level and weight), with raw pair features (name length and similarity, namesakes of the
name key in the kabupaten and the world, place, household, category, birth years, the
sources and report months), the truth and today's decision (the two rows in one person).
`P.parquet.rows.parquet` holds each row's person today, its true person and its class.

`fit` needs scikit-learn, which is **not** a dependency of the project: run it from a
scratch venv (`python -m venv SK && SK/bin/pip install scikit-learn polars pyarrow`). It
fits a gradient-boosted classifier on the train worlds' candidate pairs of the two
classes, and prints for the test world: today's figures; pairwise recall at a precision
for the model's weight and for the classifier; and a replay, today's persons joined
further by the unlinked class pairs the classifier scores at or above a threshold, with
the overall precision, false pairs and each class's recall and precision (transitive
pairs counted). `--drop` leaves groups of features out (`weight`: the model's match
weight and per-comparison weights; `levels`: its comparison levels; see GROUPS).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))
sys.path.append(str(ROOT / "benchmarks"))

CLASSES = ["nik none / dob blank", "nik none / dob estimated"]
DOB_ORDER = ("blank", "estimated", "age", "year", "full")
PAIR_FEATURES = """
SELECT p.unique_id_l AS a, p.unique_id_r AS b, p.match_weight, p.mw_tf_adj_nama, {levels},
    il.person_id = ir.person_id AS linked, il.true_id = ir.true_id AS label,
    il.has_nik AS nik_l, ir.has_nik AS nik_r, il.dob_cls AS dob_l, ir.dob_cls AS dob_r,
    il.source || '/' || ir.source AS sources,
    l.source_file = r.source_file AS same_file,
    abs(date_diff('month', il.bulan_laporan, ir.bulan_laporan)) AS month_gap,
    l.no_fixed_home::INT + r.no_fixed_home::INT AS no_home,
    length(l.name_key) AS len_l, length(r.name_key) AS len_r,
    len(l.name_tokens) AS tok_l, len(r.name_tokens) AS tok_r,
    l.name_key = r.name_key AS key_eq,
    jaro_winkler_similarity(l.name_key, r.name_key) AS jw,
    l.name_core IS NULL AS core_null_l, r.name_core IS NULL AS core_null_r,
    coalesce(kl.n_kab, 0) AS nk_l, coalesce(kr.n_kab, 0) AS nk_r,
    coalesce(kl.n_kab_nonik, 0) AS nkn_l, coalesce(kr.n_kab_nonik, 0) AS nkn_r,
    coalesce(kl.desa_kab, 0) AS dk_l, coalesce(kr.desa_kab, 0) AS dk_r,
    coalesce(al.n_all, 0) AS na_l, coalesce(ar.n_all, 0) AS na_r,
    l.kode_kabupaten = r.kode_kabupaten AS kab_eq,
    l.kode_kecamatan = r.kode_kecamatan AS kec_eq,
    l.kode_desa = r.kode_desa AS desa_eq,
    l.rt_rw = r.rt_rw AS rtrw_eq,
    len(list_intersect(l.address_tokens, r.address_tokens)) AS addr_shared,
    len(list_intersect(l.household_tokens, r.household_tokens)) AS hh_shared,
    l.household_tokens IS NULL AS hh_null_l, r.household_tokens IS NULL AS hh_null_r,
    l.ppks_kode AS ppks_l, r.ppks_kode AS ppks_r, l.ppks_kode = r.ppks_kode AS ppks_eq,
    l.gender = r.gender AS gender_eq,
    abs(l.birth_year - r.birth_year) AS year_gap,
    (l.birth_year + r.birth_year) / 2 AS year_mid,
    l.dob_kind AS kind_l, r.dob_kind AS kind_r,
    l.tempat_lahir = r.tempat_lahir AS tempat_eq,
    l.nasab_key = r.nasab_key AS nasab_eq
FROM link_pairs p
JOIN link_input l ON l.unique_id = p.unique_id_l
JOIN link_input r ON r.unique_id = p.unique_id_r
JOIN rowinfo il ON il.unique_id = p.unique_id_l
JOIN rowinfo ir ON ir.unique_id = p.unique_id_r
LEFT JOIN key_kab kl ON kl.name_key = l.name_key AND kl.kode_kabupaten = l.kode_kabupaten
LEFT JOIN key_kab kr ON kr.name_key = r.name_key AND kr.kode_kabupaten = r.kode_kabupaten
LEFT JOIN key_all al ON al.name_key = l.name_key
LEFT JOIN key_all ar ON ar.name_key = r.name_key
"""


def _class_of(x: tuple[bool, str], y: tuple[bool, str]) -> str:
    nik = "both" if x[0] and y[0] else "one" if x[0] or y[0] else "none"
    return f"nik {nik} / dob {min(x[1], y[1], key=DOB_ORDER.index)}"


def pairs(work: Path, out: Path) -> None:
    import duckdb
    from bench_linkage import KEY, row_classes

    from ppks.link import model, store

    con = duckdb.connect(str(work / "ppks.duckdb"), read_only=True)
    stored = store.current_model(con)
    truth = pl.read_csv(work / "truth" / "rows.csv", infer_schema_length=0).with_columns(
        pl.col("sheet").fill_null(""), pl.col("row_number").cast(pl.Int32)
    )
    rows = con.sql(
        "SELECT record_id, source_file, sheet, row_number, person_id, source, bulan_laporan "
        "FROM source_record"
    ).pl()
    rows = rows.join(truth.select(*KEY, pl.col("person_id").alias("true_id")), on=KEY)
    kinds = row_classes(con)
    rows = rows.with_columns(
        pl.Series("has_nik", [kinds[r][0] for r in rows["record_id"]]),
        pl.Series("dob_cls", [kinds[r][1] for r in rows["record_id"]]),
    )
    rows.select("record_id", "person_id", "true_id", "has_nik", "dob_cls").write_parquet(
        f"{out}.rows.parquet"
    )
    mem = duckdb.connect()
    mem.register("features", con.sql("SELECT * FROM link_feature").pl().to_arrow())
    mem.execute("CREATE TABLE link_input AS SELECT * FROM features")
    model.predict(
        mem,
        stored.settings,
        floor_weight=-1e9,
        term_frequencies=store.term_frequency_tables(con, stored.settings),
        token_frequencies=store.token_frequency_table(con),
    )
    info = rows.select(
        pl.col("record_id").alias("unique_id"),
        "person_id", "true_id", "has_nik", "dob_cls", "source", "bulan_laporan",
    )  # fmt: skip
    mem.register("rowinfo", info.to_arrow())
    # Namesakes: rows carrying the name key, in the kabupaten and in the world.
    mem.execute(
        "CREATE TABLE key_kab AS SELECT name_key, kode_kabupaten, count(*) AS n_kab, "
        "count(DISTINCT kode_desa) AS desa_kab, count(*) FILTER (WHERE nik IS NULL) "
        "AS n_kab_nonik FROM link_input GROUP BY ALL"
    )
    mem.execute(
        "CREATE TABLE key_all AS SELECT name_key, count(*) AS n_all FROM link_input GROUP BY 1"
    )
    labels = model.level_labels(stored.settings)
    names = [c["output_column_name"] for c in stored.settings["comparisons"]]
    levels = ", ".join(f"p.gamma_{n}, p.mw_{n}" for n in names)
    found = mem.sql(PAIR_FEATURES.format(levels=levels)).pl()
    found = found.with_columns(
        pl.col(f"gamma_{n}").replace_strict(labels[n], return_dtype=pl.Utf8).alias(f"lv_{n}")
        for n in names
    )
    found = found.with_columns(
        pl.Series(
            "cls",
            [
                _class_of((a, b), (c, d))
                for a, b, c, d in found.select("nik_l", "dob_l", "nik_r", "dob_r").iter_rows()
            ],
        )
    )
    found.write_parquet(out)
    print(f"{out}: {found.height} candidate pairs, {found['label'].sum()} true")


# --------------------------------------------------------------------------- fit

NUM = [
    "match_weight", "mw_tf_adj_nama", "month_gap", "no_home", "len_min", "len_max", "tok_min",
    "tok_max", "key_eq", "jw", "core_null_n", "nk_max", "nk_min", "nkn_max", "dk_max", "na_max",
    "na_min", "kab_eq", "kec_eq", "desa_eq", "rtrw_eq", "addr_shared", "hh_shared", "hh_null_n",
    "ppks_eq", "gender_eq", "year_gap", "year_mid", "tempat_eq", "nasab_eq", "same_file",
]  # fmt: skip
CAT = ["sources_s", "kinds_s", "ppks_a", "ppks_b"]
GROUPS = {
    "weight": ["match_weight", "mw_tf_adj_nama"],
    "name": ["len_min", "len_max", "tok_min", "tok_max", "key_eq", "jw", "core_null_n"],
    "namesakes": ["nk_max", "nk_min", "nkn_max", "dk_max", "na_max", "na_min"],
    "place": ["kab_eq", "kec_eq", "desa_eq", "rtrw_eq", "addr_shared", "no_home"],
    "household": ["hh_shared", "hh_null_n"],
    "category": ["ppks_eq", "ppks_a", "ppks_b"],
    "dates": ["year_gap", "year_mid", "kinds_s"],
    "report": ["sources_s", "month_gap", "same_file"],
    "other": ["gender_eq", "tempat_eq", "nasab_eq"],
}
THRESHOLDS = (None, 0.9995, 0.999, 0.998, 0.995, 0.99, 0.98, 0.95, 0.9, 0.8, 0.5)


def _prepared(df: pl.DataFrame) -> pl.DataFrame:
    def lo_hi(a: str, b: str, name: str) -> list[pl.Expr]:
        return [
            pl.min_horizontal(a, b).alias(f"{name}_min"),
            pl.max_horizontal(a, b).alias(f"{name}_max"),
        ]

    def both(a: str, b: str) -> pl.Expr:
        return pl.col(a).cast(pl.Int8) + pl.col(b).cast(pl.Int8)

    return df.with_columns(
        *lo_hi("len_l", "len_r", "len"),
        *lo_hi("tok_l", "tok_r", "tok"),
        *lo_hi("nk_l", "nk_r", "nk"),
        *lo_hi("na_l", "na_r", "na"),
        pl.max_horizontal("nkn_l", "nkn_r").alias("nkn_max"),
        pl.max_horizontal("dk_l", "dk_r").alias("dk_max"),
        both("core_null_l", "core_null_r").alias("core_null_n"),
        both("hh_null_l", "hh_null_r").alias("hh_null_n"),
        pl.col("sources")
        .map_elements(lambda v: "/".join(sorted(v.split("/"))), return_dtype=pl.Utf8)
        .alias("sources_s"),
        pl.concat_str(
            pl.min_horizontal("kind_l", "kind_r").fill_null("-"),
            pl.max_horizontal("kind_l", "kind_r").fill_null("-"),
            separator="/",
        ).alias("kinds_s"),
        pl.min_horizontal("ppks_l", "ppks_r").alias("ppks_a"),
        pl.max_horizontal("ppks_l", "ppks_r").alias("ppks_b"),
    )


def _matrix(df: pl.DataFrame, num: list[str], cat: list[str], codes: dict) -> np.ndarray:
    cols = [df[c].cast(pl.Float64).fill_null(np.nan).to_numpy() for c in num]
    for c in cat:
        cols.append(np.array([codes[c].get(v, np.nan) for v in df[c].fill_null("-").to_list()]))
    return np.column_stack(cols)


def _recall_at(df: pl.DataFrame, col: str, precision: float) -> int:
    """True pairs found at the lowest cut of `col` whose pairwise precision holds."""
    y = df.sort(col, descending=True)["label"].to_numpy()
    tp = np.cumsum(y)
    ok = np.where(tp / np.arange(1, len(y) + 1) >= precision)[0]
    return int(tp[ok].max()) if len(ok) else 0


def fit(train: list[Path], test: Path, drop: set[str], save: Path | None = None) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    dropped = {c for g in drop for c in GROUPS.get(g, [])}
    tr = _prepared(pl.concat([pl.read_parquet(p) for p in train], how="vertical_relaxed"))
    te = _prepared(pl.read_parquet(test))
    lv = [] if "levels" in drop else [c for c in tr.columns if c.startswith("lv_")]
    mw = [] if "weight" in drop else [c for c in tr.columns if c.startswith("mw_")]
    num = [c for c in NUM + mw if c not in dropped and c in tr.columns]
    num = list(dict.fromkeys(num))
    cat = [c for c in lv + CAT if c not in dropped]
    tr = tr.filter(pl.col("cls").is_in(CLASSES))
    te = te.filter(pl.col("cls").is_in(CLASSES))
    codes = {
        c: {
            v: i
            for i, v in enumerate(sorted(set(tr[c].fill_null("-")) | set(te[c].fill_null("-"))))
        }
        for c in cat
    }
    clf = HistGradientBoostingClassifier(
        max_iter=400, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=20,
        l2_regularization=1.0, categorical_features=[False] * len(num) + [True] * len(cat),
        random_state=0,
    )  # fmt: skip
    clf.fit(_matrix(tr, num, cat, codes), tr["label"].to_numpy())
    te = te.with_columns(pl.Series("score", clf.predict_proba(_matrix(te, num, cat, codes))[:, 1]))
    if save:
        te.write_parquet(save)
    print(f"train {tr.height} pairs ({tr['label'].sum()} true); test {te.height}")

    rows = pl.read_parquet(f"{test}.rows.parquet")
    kind = {r: (n, d) for r, n, d in rows.select("record_id", "has_nik", "dob_cls").iter_rows()}
    members: dict[str, list[int]] = defaultdict(list)
    for r, t in rows.select("record_id", "true_id").iter_rows():
        members[t].append(r)
    true_pairs = {
        (a, b): _class_of(kind[a], kind[b])
        for ids in members.values()
        for i, a in enumerate(sorted(ids))
        for b in sorted(ids)[i + 1 :]
    }
    total = {c: sum(1 for v in true_pairs.values() if v == c) for c in CLASSES}
    for c in [*CLASSES, "both"]:
        d = te if c == "both" else te.filter(pl.col("cls") == c)
        n = sum(total.values()) if c == "both" else total[c]
        linked = d.filter(pl.col("linked"))
        p0 = linked["label"].mean()
        print(
            f"\n## {c}: {n} true pairs, {d['label'].sum()} blocked "
            f"(ceiling {d['label'].sum() / n:.4f}); candidate pairs in one person today: "
            f"precision {p0:.4f}, recall {linked['label'].sum() / n:.4f}"
        )
        for p in (p0, 0.997, 0.99, 0.98, 0.95):
            w, s = _recall_at(d, "match_weight", p), _recall_at(d, "score", p)
            print(f"  at precision {p:.4f}: model weight {w / n:.4f}, classifier {s / n:.4f}")

    person = dict(rows.select("record_id", "person_id").iter_rows())
    unlinked = te.filter(~pl.col("linked"))
    print("\nreplay: today's persons + unlinked class pairs scored >= t")
    print("| t | pairs added | precision | recall | false pairs | blank R / P | estimated R / P |")
    for t in THRESHOLDS:
        extra = [] if t is None else unlinked.filter(pl.col("score") >= t).select("a", "b").rows()
        pred, tp, cls_tp, cls_pred = _replay(person, extra, true_pairs, kind)
        b, e = CLASSES
        print(
            f"| {t} | {len(extra)} | {tp / pred:.5f} | {tp / len(true_pairs):.4f} | {pred - tp} | "
            f"{cls_tp[b] / total[b]:.4f} / {cls_tp[b] / max(cls_pred[b], 1):.4f} | "
            f"{cls_tp[e] / total[e]:.4f} / {cls_tp[e] / max(cls_pred[e], 1):.4f} |"
        )


def _replay(person: dict, extra: list, true_pairs: dict, kind: dict):
    parent: dict = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in extra:
        ra, rb = find(person[a]), find(person[b])
        if ra != rb:
            parent[ra] = rb
    groups: dict = defaultdict(list)
    for r in person:
        groups[find(person[r])].append(r)
    pred = tp = 0
    cls_tp: dict = defaultdict(int)
    cls_pred: dict = defaultdict(int)
    for ids in groups.values():
        ids.sort()
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pred += 1
                c = true_pairs.get((a, b))
                tp += c is not None
                cls_tp[c] += c is not None
                cls_pred[c or _class_of(kind[a], kind[b])] += 1
    return pred, tp, cls_tp, cls_pred


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    a = sub.add_parser("pairs")
    a.add_argument("--work", required=True, type=Path)
    a.add_argument("--out", required=True, type=Path)
    b = sub.add_parser("fit")
    b.add_argument("--train", required=True, help="parquet files of `pairs`, comma-separated")
    b.add_argument("--test", required=True, type=Path)
    b.add_argument("--drop", default="", help="feature groups left out: weight,levels,name,...")
    b.add_argument("--save", type=Path, help="write the test pairs with their score here")
    args = parser.parse_args(argv)
    if args.what == "pairs":
        pairs(args.work, args.out)
    else:
        train = [Path(p) for p in args.train.split(",")]
        fit(train, args.test, set(filter(None, args.drop.split(","))), args.save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
