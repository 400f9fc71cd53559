"""The night's scored pairs, kept as a table on linkage's own connection.

A two-year history scores millions of pairs (6.9 M at provincial scale), each with
a gamma and a weight per comparison. Pulled out as one Polars frame they sat outside
DuckDB's memory limit and its spilling, and every step after scoring (the given-name
adjustment, clustering, the status of each pair, person_link, the summary) read that
frame: the first night's peak. They stay in table `link_pairs` of the linkage
connection (bounded by its memory limit, spilling to its temp directory); Python
takes out only what it needs: the strong pairs for clustering (three numbers each),
the rows the pairs touch, and counts.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass

import duckdb
import polars as pl

from ppks.link.cluster import ORDERED_STATUSES

TABLE = "link_pairs"
STATUS_TABLE = "link_pair_status"


@dataclass
class ScoredPairs:
    """Pairs of table `link_pairs` on `con` (None: nothing was scored)."""

    con: duckdb.DuckDBPyConnection | None
    height: int

    @classmethod
    def empty(cls) -> ScoredPairs:
        return cls(None, 0)

    @classmethod
    def of_table(cls, con: duckdb.DuckDBPyConnection) -> ScoredPairs:
        return cls(con, con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()[0][0])

    def strong(self, link_weight: float) -> pl.DataFrame:
        """unique_id_l, unique_id_r, match_weight of the pairs that may join rows, in the
        order clustering takes them (weight descending, then the ids): three numbers a
        pair, not a Python tuple each."""
        if not self.height:
            return pl.DataFrame(
                schema={
                    "unique_id_l": pl.Int64,
                    "unique_id_r": pl.Int64,
                    "match_weight": pl.Float64,
                }
            )
        return self.con.sql(
            f"SELECT unique_id_l, unique_id_r, match_weight FROM {TABLE} "
            "WHERE match_weight >= $w ORDER BY match_weight DESC, unique_id_l, unique_id_r",
            params={"w": link_weight},
        ).pl()

    def row_ids(self) -> set[int]:
        """Every row some pair holds."""
        if not self.height:
            return set()
        return {
            uid
            for (uid,) in self.con.execute(
                f"SELECT unique_id_l FROM {TABLE} UNION SELECT unique_id_r FROM {TABLE}"
            ).fetchall()
        }

    def among(self, keys: list[tuple[int, int]]) -> set[tuple[int, int]]:
        """The (unique_id_l, unique_id_r) of `keys` that are scored pairs."""
        if not self.height or not keys:
            return set()
        self.con.register("_keys", _frame(sorted(set(keys)), {"l": pl.Int64, "r": pl.Int64}))
        try:
            return set(
                self.con.execute(
                    f"SELECT l, r FROM _keys SEMI JOIN {TABLE} AS p "
                    "ON p.unique_id_l = _keys.l AND p.unique_id_r = _keys.r"
                ).fetchall()
            )
        finally:
            with contextlib.suppress(duckdb.TransactionException):
                self.con.unregister("_keys")

    def frame(self) -> pl.DataFrame:
        """Every pair with all its columns, in (unique_id_l, unique_id_r) order: for tests and
        small inspections only (the night never holds them all in Python)."""
        if not self.height:
            return pl.DataFrame()
        return self.con.sql(f"SELECT * FROM {TABLE} ORDER BY unique_id_l, unique_id_r").pl()

    def status_counts(self, sure_weight: float) -> tuple[Counter, int]:
        """Pairs per status (table link_pair_status), and conflicts weighing >= sure_weight."""
        if not self.height:
            return Counter(), 0
        rows = self.con.execute(
            f"SELECT s.status, count(*), count(*) FILTER (WHERE s.status = 'conflict' "
            f"AND p.match_weight >= ?) FROM {STATUS_TABLE} AS s "
            f"JOIN {TABLE} AS p USING (unique_id_l, unique_id_r) GROUP BY s.status",
            [sure_weight],
        ).fetchall()
        return Counter({status: n for status, n, _ in rows}), sum(sure for _, _, sure in rows)


def _frame(rows, schema: dict) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def ordered_statuses(
    strong: pl.DataFrame, codes: bytearray, conflicts: dict[int, str]
) -> pl.DataFrame:
    """l, r, code, conflict of the edges clustering took in order (ScoredPairs.strong),
    from its status codes by position (cluster.ORDERED_STATUSES) and the conflicts of
    the refused ones: a byte a pair until the statuses go to DuckDB."""
    import pyarrow as pa  # here: a night with nothing new never needs it (0.2 s to import)

    code = pl.from_arrow(
        pa.Array.from_buffers(pa.uint8(), len(codes), [None, pa.py_buffer(codes)])
    ).alias("code")
    refused = pl.DataFrame(
        {"i": list(conflicts), "conflict": list(conflicts.values())},
        schema={"i": pl.UInt32, "conflict": pl.Utf8},
    )
    return (
        strong.select(  # clustering keys a pair (smaller id, larger id)
            l=pl.min_horizontal("unique_id_l", "unique_id_r"),
            r=pl.max_horizontal("unique_id_l", "unique_id_r"),
        )
        .with_columns(code)
        .with_row_index("i")
        .join(refused, on="i", how="left")
        .drop("i")
    )


def write_status(
    pairs: ScoredPairs,
    edge_status: dict[tuple[int, int], str],
    edge_conflict: dict[tuple[int, int], str],
    person_of: dict[int, str],
    cannot: list[tuple[int, int]],
    review_weight: float,
    *,
    ordered: pl.DataFrame | None = None,
) -> None:
    """Table link_pair_status: (unique_id_l, unique_id_r, status, conflict) of every pair.

    The status clustering gave a pair; else a reviewer's "different persons"; else
    same_person when both rows went to one person; else review or not_linked by weight.
    ordered: l, r, code, conflict of the edges taken in order (`ordered_statuses`); a
    code and conflict there come before edge_status's, as the later status did in one dict.
    """
    if not pairs.height:
        return
    con = pairs.con
    ids = {"l": pl.Int64, "r": pl.Int64}
    if ordered is None:
        ordered = pl.DataFrame(schema={**ids, "code": pl.UInt8, "conflict": pl.Utf8})
    names = ", ".join("NULL" if s is None else f"'{s}'" for s in ORDERED_STATUSES)
    keys = list(edge_status)  # one status per strong edge: built by column, not by row
    edges = pl.DataFrame(
        {
            "l": [k[0] for k in keys],
            "r": [k[1] for k in keys],
            "status": list(edge_status.values()),
            "conflict": [edge_conflict.get(k) for k in keys],
        },
        schema={**ids, "status": pl.Utf8, "conflict": pl.Utf8},
    )
    del keys
    person = pl.DataFrame(
        {"uid": list(person_of), "pid": list(person_of.values())},
        schema={"uid": pl.Int64, "pid": pl.Utf8},
    )
    refused = _frame(sorted(set(cannot)), ids)
    frames = (("_ordered", ordered), ("_edges", edges), ("_person", person), ("_refused", refused))
    for name, frame in frames:
        con.register(name, frame)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {STATUS_TABLE} AS "
            "SELECT p.unique_id_l, p.unique_id_r, "
            f"  coalesce([{names}][o.code + 1], e.status, "
            "    CASE WHEN c.l IS NOT NULL THEN 'reviewer_different' "
            "    WHEN a.pid = b.pid THEN 'same_person' "
            "    WHEN p.match_weight >= $review THEN 'review' ELSE 'not_linked' END) AS status, "
            "  coalesce(o.conflict, e.conflict) AS conflict "
            f"FROM {TABLE} AS p "
            "LEFT JOIN _ordered AS o ON o.l = p.unique_id_l AND o.r = p.unique_id_r "
            "LEFT JOIN _edges AS e ON e.l = p.unique_id_l AND e.r = p.unique_id_r "
            "LEFT JOIN _refused AS c ON c.l = p.unique_id_l AND c.r = p.unique_id_r "
            "LEFT JOIN _person AS a ON a.uid = p.unique_id_l "
            "LEFT JOIN _person AS b ON b.uid = p.unique_id_r",
            {"review": review_weight},
        )
    finally:
        for name, _ in frames:
            with contextlib.suppress(duckdb.TransactionException):
                con.unregister(name)
