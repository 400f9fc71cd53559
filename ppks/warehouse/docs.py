"""docs/warehouse.md, generated from the COMMENT ON of every table, view and column.

`ppks docs --warehouse FILE` writes it from a built warehouse (and its analyst
edition beside it, to say what the analysts see).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ppks.warehouse import schema
from ppks.warehouse.analyst import analyst_path

# A section per layer folder of sql/ (its objects in name order), in reading order.
LAYERS = [
    ("Staging: what came in", "staging"),
    ("Core: persons, households, cases, services", "core"),
    ("Reference data", "reference"),
    ("Marts: the office's figures", "marts"),
    ("Runs", "ops"),
    ("Linkage and review (maintained by the linkage stage)", "linkage"),
    ("What the analyst edition keeps between nights (full warehouse only)", "edition"),
]
# Written by Python, not by a file of sql/: edition_info (the analyst edition's own).
OTHER = "Runs"

HEADER = """# The warehouse, object by object

Generated from the `COMMENT ON` of every table, view and column by
`ppks docs --warehouse FILE` (do not edit by hand; change the comments in
the object's file in `sql/` and regenerate). Sections follow the layer
folders of `sql/` (`sql/README.md`). Worked questions are in `docs/cookbook.md`.

Two editions are published by every run:

- **full** (`ppks.duckdb`, file mode 0600, restricted): everything, with
  NIK, KK, names, birth dates and addresses;
- **analyst** (`ppks_analyst.duckdb`): no direct identifiers. NIK and KK are
  replaced by keyed hashes (`nik_token`, `kk_token`: the same NIK gives the
  same token every night), birth dates by the year, addresses by the desa
  code. Marts and reference tables are the same in both.

Counting: `mart_*` rows with `ppks_kode = 'SEMUA'` count each person once; a
person in two categories counts once there and once in each category row.

Order: a table's rows have no stored order, the marts' included (a night writes
again only the mart rows whose figures changed, after the others:
`ppks.warehouse.mart_delta`). `SELECT *` returns rows in no particular order;
say `ORDER BY` for one, as every query of `docs/cookbook.md` does.
"""


def _catalog(path: Path) -> dict[str, dict]:
    with duckdb.connect(str(path), read_only=True) as con:
        objects = {
            name: {"kind": kind, "comment": comment, "columns": []}
            for name, kind, comment in con.execute(
                """
                SELECT table_name, 'table', comment FROM duckdb_tables()
                WHERE database_name = current_database() AND schema_name = 'main'
                UNION ALL
                SELECT view_name, 'view', comment FROM duckdb_views()
                WHERE database_name = current_database() AND schema_name = 'main'
                  AND NOT internal
                """
            ).fetchall()
        }
        for table, column, dtype, comment in con.execute(
            """
            SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
            WHERE database_name = current_database() AND schema_name = 'main'
            ORDER BY table_name, column_index
            """
        ).fetchall():
            if table in objects:
                objects[table]["columns"].append((column, dtype, comment))
    return objects


def _layer_of_objects() -> dict[str, str]:
    """object name -> its section title, from the folder of sql/ that defines it."""
    out = {}
    for title, folder in LAYERS:
        for path in schema.sql_files(folder):
            out[schema.defines(path.read_text(encoding="utf-8"))[1]] = title
    return out


def _cell(text: str | None) -> str:
    return (text or "*(no comment)*").replace("|", "\\|").replace("\n", " ")


def render(full: dict[str, dict], analyst: dict[str, dict] | None) -> str:
    out = [HEADER]
    names = sorted(set(full) | set(analyst or {}))
    sections: dict[str, list[str]] = {title: [] for title, _ in LAYERS}
    layer_of = _layer_of_objects()
    for name in names:
        sections[layer_of.get(name, OTHER)].append(name)
    for title, members in sections.items():
        if not members:
            continue
        out.append(f"## {title}\n")
        for name in members:
            out.append(_object(name, full.get(name), (analyst or {}).get(name), analyst))
    return "\n".join(out).rstrip() + "\n"


def _object(name: str, full: dict | None, ed: dict | None, analyst) -> str:
    main = full or ed
    where = []
    if full:
        where.append("full")
    if ed:
        where.append("analyst")
    lines = [f"### `{name}`\n", f"*{main['kind']}; editions: {', '.join(where)}*\n"]
    lines.append(_cell(main["comment"]) + "\n")
    lines.append("| column | type | description |")
    lines.append("| --- | --- | --- |")
    for column, dtype, comment in main["columns"]:
        lines.append(f"| `{column}` | {dtype} | {_cell(comment)} |")
    if full and ed and analyst is not None:
        full_cols = [c for c, _, _ in full["columns"]]
        ed_cols = {c: (t, k) for c, t, k in ed["columns"]}
        left_out = [c for c in full_cols if c not in ed_cols]
        added = [c for c in ed_cols if c not in full_cols]
        if left_out or added:
            lines.append("")
            note = "In the analyst edition"
            if left_out:
                note += " without " + ", ".join(f"`{c}`" for c in left_out)
            if added:
                note += "; with " + ", ".join(
                    f"`{c}` ({ed_cols[c][0]}): {_cell(ed_cols[c][1])}" for c in added
                )
            lines.append(note + ".")
    return "\n".join(lines) + "\n"


def generate(warehouse: Path, analyst: Path | None = None) -> str:
    warehouse = Path(warehouse)
    if analyst is None:
        candidate = analyst_path(warehouse)
        analyst = candidate if candidate.exists() else None
    return render(_catalog(warehouse), _catalog(analyst) if analyst else None)


def missing_comments(warehouse: Path) -> list[str]:
    """Objects and columns without a comment (object or object.column)."""
    missing = []
    for name, obj in _catalog(Path(warehouse)).items():
        if not obj["comment"]:
            missing.append(name)
        missing += [f"{name}.{c}" for c, _, comment in obj["columns"] if not comment]
    return sorted(missing)
