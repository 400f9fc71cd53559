"""Did anything move? Two warehouses compared table by table.

    python benchmarks/compare_warehouses.py A.duckdb B.duckdb

For every table and view of either warehouse: its row count in each, and a
content hash of its rows ordered by all their columns, leaving out what
differs from one run to the next by nature (run ids, timestamps, durations,
memory peaks, the inbox path; in an analyst edition, the tokens keyed with
its warehouse's own secret key). When the hashes differ, the rows found in
one and not the other (EXCEPT ALL) are counted, and shown with --sample N.
Built to show that a change of the SQL's layout left the warehouse as it
was (docs/PERFORMANCE.md, "Same warehouse before and after"). Exit 0 when
every object is the same, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys

import duckdb

# Columns whose value depends on when and where the night ran, not on the inbox;
# and, in analyst editions, the tokens keyed with each warehouse's own secret key.
RUN_DEPENDENT = re.compile(
    r"^(run_id|.*_run_id|.*_at|seconds|stage_seconds|peak_.*memory_mb|inbox"
    r"|nik_token|kk_token|key_id)$"
)


def _objects(con: duckdb.DuckDBPyConnection, db: str) -> dict[str, str]:
    rows = con.execute(
        """
        SELECT table_name, 'table' FROM duckdb_tables()
        WHERE database_name = ? AND schema_name = 'main'
        UNION ALL
        SELECT view_name, 'view' FROM duckdb_views()
        WHERE database_name = ? AND schema_name = 'main' AND NOT internal
        """,
        [db, db],
    ).fetchall()
    return dict(rows)


def _columns(con: duckdb.DuckDBPyConnection, db: str, name: str) -> list[str]:
    return [
        c
        for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() "
            "WHERE database_name = ? AND schema_name = 'main' AND table_name = ? "
            "ORDER BY column_index",
            [db, name],
        ).fetchall()
    ]


def _rows_sql(db: str, name: str, columns: list[str]) -> str:
    """Each row as one text (a struct of the compared columns)."""
    fields = ", ".join(f'"{c}" := "{c}"' for c in columns)
    return f'SELECT CAST(struct_pack({fields}) AS VARCHAR) AS r FROM {db}.main."{name}"'


def compare_object(con, name: str, columns: list[str], sample: int = 0) -> dict:
    out = {}
    for db in ("a", "b"):
        out[db] = con.execute(
            f"SELECT count(*), md5(coalesce(string_agg(r, chr(10) ORDER BY r), '')) "
            f"FROM ({_rows_sql(db, name, columns)})"
        ).fetchall()[0]
    out["same"] = out["a"] == out["b"]
    if not out["same"]:
        for one, other in (("a", "b"), ("b", "a")):
            diff = f"{_rows_sql(one, name, columns)} EXCEPT ALL {_rows_sql(other, name, columns)}"
            out[f"only_{one}"] = con.execute(f"SELECT count(*) FROM ({diff})").fetchall()[0][0]
            out[f"sample_{one}"] = [
                r
                for (r,) in con.execute(
                    f"SELECT r FROM ({diff}) ORDER BY r LIMIT {sample}"
                ).fetchall()
            ]
    return out


def compare(path_a: str, path_b: str, sample: int = 0) -> list[dict]:
    con = duckdb.connect()
    con.execute(f"ATTACH '{path_a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{path_b}' AS b (READ_ONLY)")
    in_a, in_b = _objects(con, "a"), _objects(con, "b")
    results = []
    for name in sorted(set(in_a) | set(in_b)):
        row = {"object": name, "kind": in_a.get(name) or in_b.get(name)}
        if name not in in_a or name not in in_b:
            row["missing_in"] = "a" if name not in in_a else "b"
            results.append(row)
            continue
        cols_a, cols_b = _columns(con, "a", name), _columns(con, "b", name)
        row["columns_only_a"] = [c for c in cols_a if c not in cols_b]
        row["columns_only_b"] = [c for c in cols_b if c not in cols_a]
        compared = [c for c in cols_a if c in cols_b and not RUN_DEPENDENT.match(c)]
        row["ignored"] = [c for c in cols_a if c in cols_b and RUN_DEPENDENT.match(c)]
        try:
            row.update(compare_object(con, name, compared, sample))
        except duckdb.Error as exc:
            row["error"] = str(exc).splitlines()[0]
        results.append(row)
    con.close()
    return results


def report(results: list[dict]) -> tuple[str, bool]:
    lines, all_same = [], True
    width = max(len(r["object"]) for r in results) if results else 10
    for r in results:
        name = r["object"].ljust(width)
        if "missing_in" in r:
            all_same = False
            lines.append(f"{name}  {r['kind']:5}  only in {'b' if r['missing_in'] == 'a' else 'a'}")
            continue
        if "error" in r:
            all_same = False
            lines.append(f"{name}  {r['kind']:5}  could not compare: {r['error']}")
            continue
        (n_a, h_a), (n_b, _) = r["a"], r["b"]
        extra = ""
        if r["columns_only_a"] or r["columns_only_b"]:
            all_same = False
            extra = f"  columns only in a {r['columns_only_a']}, only in b {r['columns_only_b']}"
        if r["same"]:
            lines.append(f"{name}  {r['kind']:5}  same     rows {n_a:>8}  {h_a[:12]}{extra}")
        else:
            all_same = False
            lines.append(
                f"{name}  {r['kind']:5}  DIFFERS  rows {n_a:>8} / {n_b:>8}  "
                f"only in a {r['only_a']}, only in b {r['only_b']}{extra}"
            )
            for side in ("a", "b"):
                for sample in r[f"sample_{side}"]:
                    lines.append(f"    {side}: {sample[:300]}")
    return "\n".join(lines), all_same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="first warehouse (e.g. built by the code before a change)")
    parser.add_argument("b", help="second warehouse (the same inbox, the code after)")
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        help="differing rows shown per side (they may hold names and NIKs: test data only)",
    )
    args = parser.parse_args(argv)
    text, same = report(compare(args.a, args.b, args.sample))
    print(text)
    print("every object is the same" if same else "some objects differ (see above)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
