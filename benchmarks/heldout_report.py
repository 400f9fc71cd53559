"""Where linkage and place resolution fail on a scored inbox (issue #10): read after
`bench_linkage.py generated --work DIR` has built DIR/ppks.duckdb from DIR/inbox.

    python benchmarks/heldout_report.py lost --work DIR [--classes 5] [--per-class 10]
    python benchmarks/heldout_report.py places --work DIR

`lost`: the weakest evidence classes (bench_linkage's classes, at least 200 true pairs),
how their lost true pairs were lost (no blocking rule admits them, scored below 0, in the
review band, below the link weight, or refused by a conflict rule), and a seeded sample
of lost pairs with what each row carried as written and as read. `places`: rows rejected
for their place that the truth loads, counted by their file's title-block damage.
"""

from __future__ import annotations

import argparse
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


def lost(work: Path, classes: int, per_class: int, seed: int, min_pairs: int = 200) -> None:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    a = sub.add_parser("lost")
    a.add_argument("--work", required=True, type=Path)
    a.add_argument("--classes", type=int, default=5)
    a.add_argument("--per-class", type=int, default=10)
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--min-pairs", type=int, default=200, help="classes with this many true pairs")
    b = sub.add_parser("places")
    b.add_argument("--work", required=True, type=Path)
    args = parser.parse_args(argv)
    if args.what == "lost":
        lost(args.work, args.classes, args.per_class, args.seed, args.min_pairs)
    else:
        places(args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
