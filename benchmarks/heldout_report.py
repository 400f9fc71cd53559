"""Where linkage and place resolution fail on a scored inbox (issue #10): read after
`bench_linkage.py generated --work DIR` has built DIR/ppks.duckdb from DIR/inbox.

    python benchmarks/heldout_report.py lost --work DIR [--classes 5] [--per-class 10] [--class C]
    python benchmarks/heldout_report.py places --work DIR
    python benchmarks/heldout_report.py weights --work DIR [--class 'nik none / dob blank']

`lost`: the weakest evidence classes (bench_linkage's classes, at least 200 true pairs),
how their lost true pairs were lost (no blocking rule admits them, scored below 0, in the
review band, below the link weight, or refused by a conflict rule), and a seeded sample
of lost pairs with what each row carried as written and as read. `places`: rows rejected
for their place that the truth loads, counted by their file's title-block damage.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))
sys.path.append(str(ROOT / "benchmarks"))

from bench_linkage import KEY, _pair_class, row_classes  # noqa: E402

# The classes without a NIK on a row that issue #10 found weakest (`weights`).
WEAK_CLASSES = (
    "nik none / dob blank",
    "nik none / dob estimated",
    "nik one / dob blank",
    "nik none / dob age",
    "nik one / dob estimated",
)
SHOWN = [
    "source_file",
    "row_number",
    "nama_raw",
    "nama",
    "nik_raw",
    "nik",
    "kk_raw",
    "kk",
    "tanggal_lahir_raw",
    "tanggal_lahir",
    "tahun_lahir",
    "umur",
    "jenis_kelamin",
    "tempat_lahir",
    "kode_kecamatan",
    "kode_desa",
    "desa_raw",
    "alamat",
    "rt",
    "rw",
    "flags",
]


def _truth(work: Path) -> pl.DataFrame:
    return pl.read_csv(work / "truth" / "rows.csv", infer_schema_length=0).with_columns(
        pl.col("sheet").fill_null(""), pl.col("row_number").cast(pl.Int32)
    )


def lost(
    work: Path,
    classes: int,
    per_class: int,
    seed: int,
    min_pairs: int = 200,
    named: list[str] | None = None,
) -> None:
    con = duckdb.connect(str(work / "ppks.duckdb"), read_only=True)
    rows = con.sql(
        f"SELECT record_id, sheet, {', '.join(SHOWN)}, person_id FROM source_record"
    ).pl()
    truth = _truth(work).select(*KEY, "person_id", "noise").rename({"person_id": "true_id"})
    rows = rows.join(truth, on=list(KEY), how="inner")
    by_id = {r["record_id"]: r for r in rows.iter_rows(named=True)}
    kinds = row_classes(con)
    members: dict[str, list[int]] = {}
    for r in by_id.values():
        members.setdefault(r["true_id"], []).append(r["record_id"])
    scored = {
        (a, b): (w, status, conflict)
        for a, b, w, status, conflict in con.execute(
            "SELECT least(record_id_l, record_id_r), greatest(record_id_l, record_id_r), "
            "match_weight, status, conflict FROM person_link"
        ).fetchall()
    }
    lost_by_class: dict[str, list[tuple[int, int]]] = {}
    totals: Counter = Counter()
    for ids in members.values():
        ids.sort()
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                cls = _pair_class(kinds[a], kinds[b])
                totals[cls] += 1
                if by_id[a]["person_id"] != by_id[b]["person_id"]:
                    lost_by_class.setdefault(cls, []).append((a, b))
    candidates = _candidates(con, [p for ps in lost_by_class.values() for p in ps])
    weakest = sorted(
        (c for c in totals if totals[c] >= min_pairs),
        key=lambda c: 1 - len(lost_by_class.get(c, [])) / totals[c],
    )[:classes]
    if named:
        weakest = named
    rng = random.Random(seed)
    for cls in weakest:
        pairs = lost_by_class.get(cls, [])
        why = Counter(_why(scored.get(p), p in candidates) for p in pairs)
        print(f"\n## {cls}: {len(pairs)} of {totals[cls]} true pairs lost; {dict(why)}")
        print("\n| pair | nama | NIK | KK | lahir | JK | desa (kecamatan) | alamat RT/RW | why |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for a, b in rng.sample(pairs, min(per_class, len(pairs))):
            why = _why(scored.get((a, b)), (a, b) in candidates, detail=True)
            for n, rid in enumerate((a, b)):
                print(_row_line(by_id[rid], f"{a}/{b}" if n == 0 else "", why if n == 0 else ""))


def _row_line(r: dict, pair: str, why: str) -> str:
    def v(x) -> str:
        return "" if x in (None, "") else str(x).replace("|", "/")

    lahir = v(r["tanggal_lahir_raw"]) or (f"umur {r['umur']}" if r["umur"] is not None else "")
    place = f"{v(r['desa_raw'])} ({v(r['kode_kecamatan'])})"
    alamat = f"{v(r['alamat'])} {v(r['rt'])}/{v(r['rw'])}".strip(" /")
    return (
        f"| {pair} | {v(r['nama_raw'])} | {v(r['nik_raw'])} | {v(r['kk_raw'])} | {lahir} | "
        f"{v(r['jenis_kelamin'])} | {place} | {alamat} | {why} |"
    )


def _candidates(con: duckdb.DuckDBPyConnection, pairs: list[tuple[int, int]]) -> set:
    """The pairs that some blocking rule admits (scored, whatever their weight)."""
    from ppks.link import model
    from ppks.link.features import build_features

    mem = duckdb.connect()
    build_features(con, mem, ref_year=2026)
    mem.register("lost_pairs", pl.DataFrame(pairs, schema=["a", "b"], orient="row").to_arrow())
    rules = " OR ".join(f"({rule})" for rule in model.BLOCKING_RULES)
    found = mem.execute(
        "SELECT a, b FROM lost_pairs JOIN link_input l ON l.unique_id = a "
        f"JOIN link_input r ON r.unique_id = b WHERE {rules}"
    ).fetchall()
    return set(found)


def _why(link, candidate: bool, detail: bool = False) -> str:
    if link is None:
        return "scored below 0" if candidate else "no blocking rule"
    weight, status, conflict = link
    text = f"conflict {conflict}" if conflict else f"scored {status}"
    return text + (f" ({weight:.1f})" if detail else "")


def places(work: Path) -> None:
    con = duckdb.connect(str(work / "ppks.duckdb"), read_only=True)
    got = con.sql(
        "SELECT source_file, sheet, row_number, kecamatan_raw, desa_raw, reason_text "
        "FROM rejected_row WHERE list_contains(reasons, 'place_unresolved')"
    ).pl()
    truth = _truth(work).select(*KEY, "expected", "reject_kind", "noise", "kode_kecamatan")
    wrong = got.join(truth, on=list(KEY), how="inner").filter(
        ~pl.col("reject_kind").fill_null("").str.contains("place")
    )
    titles = con.sql("SELECT source_file, kode_kecamatan AS file_kecamatan FROM ingest_file").pl()
    wrong = wrong.join(titles, on="source_file", how="left")
    print(f"{got.height} rows rejected for their place, {wrong.height} of them loaded by the truth")

    def cause(noise: str) -> str:
        tags = set((noise or "").split("|"))
        parts = [t for t in ("title_misspelled", "title_truncated", "file_no_place") if t in tags]
        parts += [t for t in sorted(tags) if t.startswith(("kec_", "kab_", "desa_"))]
        return "+".join(parts) or "none of the place tags"

    files = wrong.group_by("source_file").agg(
        pl.len().alias("rows"),
        pl.col("noise").first(),
        pl.col("kode_kecamatan").first(),
        pl.col("file_kecamatan").first(),
        pl.col("kecamatan_raw").first(),
    )
    print(Counter(cause(n) for n in files["noise"]))
    for f in files.sort("rows", descending=True).iter_rows(named=True):
        print(
            f"- {f['source_file']}: {f['rows']} rows, true kecamatan {f['kode_kecamatan']}, "
            f"file resolved to {f['file_kecamatan']}, cause {cause(f['noise'])}"
        )


def _true_pair_weights(con: duckdb.DuckDBPyConnection, work: Path) -> pl.DataFrame:
    """Every true pair scored by the stored model, whatever the blocking rules admit:
    a, b, match_weight and, per comparison, its level (gamma_) and weight (mw_, its
    term-frequency and given-name adjustment included)."""
    from ppks.link import model, store

    stored = store.current_model(con)
    rows = con.sql("SELECT record_id, sheet, source_file, row_number FROM source_record").pl()
    truth = _truth(work).select(*KEY, pl.col("person_id").alias("true_id"))
    rows = rows.join(truth, on=list(KEY), how="inner")
    features = con.sql("SELECT * FROM link_feature").pl()
    features = features.join(
        rows.select(pl.col("record_id").alias("unique_id"), "true_id"), on="unique_id"
    )
    mem = duckdb.connect()
    mem.register("features", features.to_arrow())
    mem.execute("CREATE TABLE link_input AS SELECT * FROM features")
    settings = {
        **stored.settings,
        "blocking_rules_to_generate_predictions": [{"blocking_rule": "l.true_id = r.true_id"}],
    }
    model.predict(
        mem,
        settings,
        floor_weight=-1e9,
        term_frequencies=store.term_frequency_tables(con, stored.settings),
        token_frequencies=store.token_frequency_table(con),
    )
    pairs = mem.sql("SELECT * FROM link_pairs").pl()
    for comparison in stored.settings["comparisons"]:
        name = comparison["output_column_name"]
        if f"mw_tf_adj_{name}" in pairs.columns:
            pairs = pairs.with_columns(pl.col(f"mw_{name}") + pl.col(f"mw_tf_adj_{name}"))
    return pairs.with_columns(
        pl.min_horizontal("unique_id_l", "unique_id_r").alias("a"),
        pl.max_horizontal("unique_id_l", "unique_id_r").alias("b"),
    )


def weights(work: Path, classes: list[str], top: int) -> None:
    """Why lost pairs weigh what they weigh: the model's weight per level (log2 m/u,
    bounded as trained), the prior, and for each class the levels its lost true
    pairs fell in, with the mean weight each gave them."""
    from ppks.link import model, store

    con = duckdb.connect(str(work / "ppks.duckdb"), read_only=True)
    settings = store.current_model(con).settings
    lam = settings["probability_two_random_records_match"]
    print(f"prior: lambda {lam:.3g}, {math.log2(lam / (1 - lam)):+.2f} bits")
    for comparison in settings["comparisons"]:
        parts = [
            f"{lv['label_for_charts']} {math.log2(lv['m_probability'] / lv['u_probability']):+.2f}"
            for lv in comparison["comparison_levels"]
            if not lv.get("is_null_level")
        ]
        print(f"- {comparison['output_column_name']}: " + ", ".join(parts))
    pairs = _true_pair_weights(con, work)
    kinds = row_classes(con)
    person = dict(con.execute("SELECT record_id, person_id FROM source_record").fetchall())
    labels = model.level_labels(settings)
    names = [c["output_column_name"] for c in settings["comparisons"]]
    for cls in classes:
        lost_pairs = [
            r
            for r in pairs.iter_rows(named=True)
            if _pair_class(kinds[r["a"]], kinds[r["b"]]) == cls and person[r["a"]] != person[r["b"]]
        ]
        print(f"\n## {cls}: {len(lost_pairs)} true pairs lost")
        bands = Counter(
            "< 0" if r["match_weight"] < 0 else "0-4" if r["match_weight"] < 4
            else "4-6" if r["match_weight"] < 6 else ">= 6 (a conflict)"
            for r in lost_pairs
        )  # fmt: skip
        print("weight:", dict(bands))
        for name in names:
            seen: dict[str, list[float]] = {}
            for r in lost_pairs:
                seen.setdefault(labels[name][r[f"gamma_{name}"]], []).append(r[f"mw_{name}"])
            ranked = sorted(seen.items(), key=lambda kv: -len(kv[1]))
            print(
                f"- {name}: "
                + ", ".join(f"{k} {len(v)} ({sum(v) / len(v):+.1f})" for k, v in ranked)
            )
        combos: dict[tuple, list[float]] = {}
        for r in lost_pairs:
            key = tuple(labels[n][r[f"gamma_{n}"]] for n in ("nama", "wilayah", "kk"))
            combos.setdefault(key, []).append(r["match_weight"])
        print("nama, wilayah, kk of the lost pairs (pairs, mean weight):")
        for key, ws in sorted(combos.items(), key=lambda kv: -len(kv[1]))[:top]:
            print(f"  {len(ws):5d}  {' / '.join(key)}  {sum(ws) / len(ws):+.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    a = sub.add_parser("lost")
    a.add_argument("--work", required=True, type=Path)
    a.add_argument("--classes", type=int, default=5)
    a.add_argument("--per-class", type=int, default=10)
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--min-pairs", type=int, default=200, help="classes with this many true pairs")
    a.add_argument("--class", dest="named", action="append", help="these classes, not the weakest")
    b = sub.add_parser("places")
    b.add_argument("--work", required=True, type=Path)
    c = sub.add_parser("weights")
    c.add_argument("--work", required=True, type=Path)
    c.add_argument("--class", dest="classes", action="append", help="e.g. 'nik none / dob blank'")
    c.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    if args.what == "lost":
        lost(args.work, args.classes, args.per_class, args.seed, args.min_pairs, args.named)
    elif args.what == "weights":
        weights(args.work, args.classes or list(WEAK_CLASSES), args.top)
    else:
        places(args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
