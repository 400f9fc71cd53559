"""The analyst edition: a second DuckDB file with no direct identifiers.

Beside the full warehouse (``ppks.duckdb``, mode 0600) each run publishes
``ppks_analyst.duckdb``: no NIK, KK or name in clear, but a keyed hash (HMAC-
SHA256) of NIK and KK, so the same NIK gives the same token every night and
cannot be reversed without the key; birth date reduced to the year, address
reduced to the desa code. Marts and reference tables are copied unchanged,
so the marts are identical in both editions.

Free text is scrubbed (ppks.warehouse.scrub): every text column of a table
made from the inbox, except the code columns listed in CODE_COLUMNS, has its
NIK/KK-like digit runs and the names the warehouse knows replaced (file and
sheet names too, the same way everywhere, so they still join); the complaint,
programme, status and action columns also lose every word of the names of
that row's person. An internal-error reason becomes a plain sentence. Each
such column says so in its COMMENT. Reference tables and marts (codes and
counts) are copied as they are.

What goes in is an allow-list (ANALYST_TABLES): a table or view that is not
listed is left out, and a column that is not listed is left out, so a column
added later to the full warehouse never leaks into the edition by accident.

The key: ``PPKS_SECRET_KEY`` (the key itself), else the key file named by
``PPKS_SECRET_KEY_FILE`` (or passed in), else ``<warehouse stem>.key`` beside
the warehouse, created with mode 0600 by the first run and reused after.

Publishing follows the full warehouse: build the edition from the finished
staging copy into a hidden file beside it (`build_edition`), then, after the
full warehouse is swapped in, rename it into place (`publish_edition`). A run
that fails before that changes neither file.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from ppks.warehouse.build import DEFAULT_STORAGE_VERSION
from ppks.warehouse.scrub import INTERNAL_REASON, Scrubber

KEY_ENV = "PPKS_SECRET_KEY"
KEY_FILE_ENV = "PPKS_SECRET_KEY_FILE"
ANALYST_MODE = 0o640
TOKEN_CHARS = 32

NIK_TOKEN_COMMENT = (
    "Keyed hash of the NIK (HMAC-SHA256 with the office's secret key, base32): the same NIK "
    "gives the same token in every run, and the NIK cannot be recovered from it without the key."
)
KK_TOKEN_COMMENT = (
    "Keyed hash of the family-card number No. KK (HMAC-SHA256 with the office's secret key, "
    "base32): the same KK gives the same token in every run; not reversible without the key."
)


@dataclass(frozen=True)
class Token:
    """An output column that is the keyed hash of a source column."""

    kind: str  # "nik" or "kk"
    column: str


ALL = "*"  # copy the object as it is (reference data, marts, tables without identifiers)

# object -> ALL, or the output columns in order: a name (copied) or name -> Token.
ANALYST_TABLES: dict[str, object] = {
    "ingest_file": ALL,
    "source_sheet": ALL,
    "run_log": ALL,
    "region": ALL,
    "population": ALL,
    "ppks_category": ALL,
    "ppks_case": ALL,
    "source_record": [
        "record_id", "run_id", "source", "source_file", "file_sha256", "sheet", "row_number",
        "person_id", {"nik_token": Token("nik", "nik")}, {"kk_token": Token("kk", "kk")},
        "jenis_kelamin", "tahun_lahir", "umur", "kode_kabupaten", "kode_kecamatan",
        "kode_desa", "ppks_kode", "ppks_dari_sheet", "bulan_laporan", "tanggal_kegiatan",
        "bentuk_penanganan", "id_layanan", "jenis_keluhan", "program_rujukan",
        "status_rujukan", "flags",
    ],
    "rejected_row": [
        "run_id", "source", "source_file", "file_sha256", "sheet", "row_number", "reasons",
        "reason_text", "flags",
    ],
    "person": [
        "person_id", {"nik_token": Token("nik", "nik")}, {"kk_token": Token("kk", "kk")},
        "tahun_lahir", "jenis_kelamin", "kode_kabupaten", "kode_kecamatan", "kode_desa",
        "records", "sources", "first_seen", "last_seen",
    ],
    "household": [{"kk_token": Token("kk", "kk")}, "persons", "person_ids", "kode_desa"],
    "household_member": [
        {"kk_token": Token("kk", "kk")}, "person_id", "urutan", "members_known",
        "jenis_kelamin", "tahun_lahir", "ppks_kode", "kode_kabupaten", "kode_kecamatan",
        "kode_desa",
    ],
    "service_event": [
        "id_layanan", "person_id", "ppks_kode", "tanggal_layanan", "bulan", "jenis_keluhan",
        "program_rujukan", "is_rujukan", "status_rujukan", "status_group", "statuses_seen",
        "kode_kabupaten", "kode_kecamatan", "kode_desa", "exports", "record_id", "record_ids",
        "source_file",
    ],
}  # fmt: skip
MART_PREFIX = "mart_"
# Copied as they are: public reference data, and the marts (codes and counts).
AS_IS = {"region", "population", "ppks_category"}
# Text columns the pipeline itself fills with codes, never with what a reporter typed.
CODE_COLUMNS = {
    "run_id",
    "source",
    "file_sha256",
    "sha256",
    "person_id",
    "person_ids",
    "jenis_kelamin",
    "kode_kabupaten",
    "kode_kecamatan",
    "kode_desa",
    "ppks_kode",
    "flags",
    "reasons",
    "status",
    "reason_code",
    "status_group",
    "sources",
    "edition",
}
# Scrubbed the same way in every row (names of files, sheets and events join tables).
SAME_EVERYWHERE = {"source_file", "sheet", "duplicate_of", "id_layanan", "headers"}
SCRUBBED_NOTE = (
    " Analyst edition: scrubbed: runs of 12 or more digits are [nomor], names the "
    "warehouse knows are [nama]."
)
ROW_SCRUBBED_NOTE = (
    " Analyst edition: scrubbed: runs of 12 or more digits are [nomor]; names the "
    "warehouse knows, and every word of the names of this row's person, are [nama]."
)
REASON_NOTE = (
    " Analyst edition: scrubbed like the file names; an internal error is one plain "
    "sentence (its details stay in the run's log)."
)


def analyst_path(warehouse: Path) -> Path:
    """``ppks.duckdb`` -> ``ppks_analyst.duckdb`` in the same folder."""
    warehouse = Path(warehouse)
    return warehouse.with_name(f"{warehouse.stem}_analyst{warehouse.suffix or '.duckdb'}")


def default_key_file(warehouse: Path) -> Path:
    warehouse = Path(warehouse)
    return warehouse.with_name(f"{warehouse.stem}.key")


class SecretKeyError(RuntimeError):
    """The key cannot be found or read; the message is one line for the operator."""


def load_key(warehouse: Path, key_file: Path | str | None = None) -> bytes:
    """The HMAC key: environment, else a named key file, else the file beside the warehouse.

    A key file named explicitly (argument or PPKS_SECRET_KEY_FILE) must exist: making a
    new key there would silently change every token. Only the default key file beside
    the warehouse is created when missing (mode 0600, 256 random bits).
    """
    value = os.environ.get(KEY_ENV, "").strip()
    if value:
        return value.encode("utf-8")
    named = key_file or os.environ.get(KEY_FILE_ENV) or None
    path = Path(named) if named else default_key_file(warehouse)
    if not path.exists():
        if named:
            raise SecretKeyError(f"key file not found: {path} (named by the settings)")
        _create_key_file(path)
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise SecretKeyError(f"key file is empty: {path}")
    return text.encode("utf-8")


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first; use theirs
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def token(key: bytes, kind: str, value: str) -> str:
    """Keyed hash of one value, base32 (letters a-z and digits 2-7, never a long digit run)."""
    return tokens(key, kind, [value])[0]


TOKEN_BYTES = TOKEN_CHARS * 5 // 8  # base32: 5 bits a character, whole 5-byte groups


def tokens(key: bytes, kind: str, values: list[str]) -> list[str]:
    """`token` of many values: one base32 pass over all the digests (a provincial
    edition hashes a million values, and base32 is pure Python)."""
    digests = b"".join(
        hmac.digest(key, f"{kind}:{value}".encode(), "sha256")[:TOKEN_BYTES] for value in values
    )
    text = base64.b32encode(digests).decode("ascii").lower()
    return [text[i : i + TOKEN_CHARS] for i in range(0, len(text), TOKEN_CHARS)]


def key_id(key: bytes) -> str:
    """A short public fingerprint of the key: editions with the same key_id share tokens."""
    return hashlib.sha256(b"ppks-key-id:" + key).hexdigest()[:8]


def _staging_edition(warehouse: Path) -> Path:
    target = analyst_path(warehouse)
    return target.with_name(f".{target.name}.building")


def discard_edition(warehouse: Path) -> None:
    tmp = _staging_edition(warehouse)
    for path in (tmp, tmp.with_name(tmp.name + ".wal")):
        path.unlink(missing_ok=True)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str | None) -> str:
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"


def _objects(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None]]:
    """name -> (kind, comment) of the tables and views of the full warehouse."""
    rows = con.execute(
        """
        SELECT table_name, 'table', comment FROM duckdb_tables()
        WHERE database_name = 'src' AND schema_name = 'main'
        UNION ALL
        SELECT view_name, 'view', comment FROM duckdb_views()
        WHERE database_name = 'src' AND schema_name = 'main' AND NOT internal
        """
    ).fetchall()
    return {name: (kind, comment) for name, kind, comment in rows}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str | None]:
    return {name: comment for name, (comment, _) in _typed_columns(con, table).items()}


def _typed_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, tuple]:
    rows = con.execute(
        """
        SELECT column_name, comment, data_type FROM duckdb_columns()
        WHERE database_name = 'src' AND schema_name = 'main' AND table_name = ?
        ORDER BY column_index
        """,
        [table],
    ).fetchall()
    return {name: (comment, data_type) for name, comment, data_type in rows}


def _copied(name: str, column: str, comment: str | None, data_type: str, row_keyed: bool):
    """(select expression, comment) of a copied column: as is, or through the scrubber."""
    if data_type not in ("VARCHAR", "VARCHAR[]") or column in CODE_COLUMNS:
        return _q(column), comment
    col = f"src_t.{_q(column)}"
    if name == "ingest_file" and column == "reason":
        internal = _lit(INTERNAL_REASON)
        expr = (
            f"CASE WHEN src_t.reason_code = 'internal' THEN {internal} ELSE ppks_scrub({col}) END"
        )
        return expr, (comment or "") + REASON_NOTE
    if row_keyed and column not in SAME_EVERYWHERE:
        call, note = "ppks_scrub_row({}, src_t.record_id)", ROW_SCRUBBED_NOTE
    else:
        call, note = "ppks_scrub({})", SCRUBBED_NOTE
    if data_type == "VARCHAR":
        return call.format(col), (comment or "") + note
    return f"list_transform({col}, lambda x: {call.format('x')})", (comment or "") + note


def _plan(name: str, spec, typed: dict[str, tuple]):
    """(select expressions, {output column: comment}, dropped source columns)."""
    columns = {c: comment for c, (comment, _) in typed.items()}
    if name.startswith(MART_PREFIX) or name in AS_IS:
        return ["*"], dict(columns), []
    if spec == ALL:
        spec = list(columns)
    row_keyed = "record_id" in typed
    exprs, comments, used = [], {}, set()
    for item in spec:
        if isinstance(item, str):
            if item in columns:
                expr, comments[item] = _copied(name, item, *typed[item], row_keyed)
                exprs.append(expr if expr == _q(item) else f"{expr} AS {_q(item)}")
                used.add(item)
            continue
        ((out, tok),) = item.items()
        if tok.column in columns:
            exprs.append(
                f"(SELECT t.token FROM _tokens AS t WHERE t.kind = {_lit(tok.kind)} "
                f"AND t.value = src_t.{_q(tok.column)}) AS {_q(out)}"
            )
            comments[out] = NIK_TOKEN_COMMENT if tok.kind == "nik" else KK_TOKEN_COMMENT
            used.add(tok.column)
    return exprs, comments, [c for c in columns if c not in used]


def _token_frame(con: duckdb.DuckDBPyConnection, key: bytes, objects) -> pl.DataFrame:
    sources = sorted(
        {
            (tok.kind, table, tok.column)
            for table, spec in ANALYST_TABLES.items()
            if spec != ALL and table in objects
            for item in spec
            if isinstance(item, dict)
            for tok in item.values()
        }
    )
    values: dict[str, set[str]] = {}
    for kind, table, column in sources:
        if column not in _columns(con, table):
            continue
        rows = con.execute(
            f"SELECT DISTINCT {_q(column)}::VARCHAR FROM src.main.{_q(table)} "
            f"WHERE {_q(column)} IS NOT NULL"
        ).fetchall()
        values.setdefault(kind, set()).update(v for (v,) in rows)
    kinds, plain, hashed = [], [], []
    for kind, distinct in sorted(values.items()):
        ordered = sorted(distinct)
        kinds += [kind] * len(ordered)
        plain += ordered
        hashed += tokens(key, kind, ordered)
    return pl.DataFrame(
        {"kind": kinds, "value": plain, "token": hashed},
        schema={"kind": pl.String, "value": pl.String, "token": pl.String},
    )


def build_edition(
    source: Path,
    warehouse: Path,
    key: bytes | None = None,
    storage_version: str = DEFAULT_STORAGE_VERSION,
    mode: int = ANALYST_MODE,
) -> Path:
    """Write the analyst edition of ``source`` (a finished warehouse file) beside ``warehouse``.

    Returns the hidden file written; `publish_edition` renames it into place. ``source``
    is only read.
    """
    source, warehouse = Path(source), Path(warehouse)
    if key is None:
        key = load_key(warehouse)
    if not source.exists():
        raise FileNotFoundError(f"no warehouse to make an analyst edition of: {source}")
    discard_edition(warehouse)
    tmp = _staging_edition(warehouse)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_lit(str(source))} AS src (READ_ONLY)")
        con.execute(f"ATTACH {_lit(str(tmp))} AS ed (STORAGE_VERSION {_lit(storage_version)})")
        objects = _objects(con)
        con.register("_tokens", _token_frame(con, key, objects))
        _register_scrubber(con, objects)
        names = [n for n in ANALYST_TABLES if n in objects]
        names += sorted(n for n in objects if n.startswith(MART_PREFIX))
        left_out: list[str] = sorted(n for n in objects if n not in names)
        for name in names:
            _kind, comment = objects[name]
            spec = ALL if name.startswith(MART_PREFIX) else ANALYST_TABLES[name]
            exprs, comments, dropped = _plan(name, spec, _typed_columns(con, name))
            left_out += [f"{name}.{c}" for c in dropped]
            con.execute(
                f"CREATE TABLE ed.main.{_q(name)} AS SELECT {', '.join(exprs)} "
                f"FROM src.main.{_q(name)} AS src_t"
            )
            note = " (analyst edition: without direct identifiers)" if dropped else ""
            con.execute(f"COMMENT ON TABLE ed.main.{_q(name)} IS {_lit((comment or '') + note)}")
            for column, text in comments.items():
                if text:
                    con.execute(
                        f"COMMENT ON COLUMN ed.main.{_q(name)}.{_q(column)} IS {_lit(text)}"
                    )
        _write_info(con, key, storage_version, left_out)
        con.execute("DETACH ed")
    except BaseException:
        con.close()
        discard_edition(warehouse)
        raise
    con.close()
    os.chmod(tmp, mode)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    return tmp


def _register_scrubber(con: duckdb.DuckDBPyConnection, objects) -> None:
    """ppks_scrub(text) and ppks_scrub_row(text, record_id), with the names of the warehouse."""
    known = []
    person_of: dict = {}
    names_of: dict = {}
    if "source_record" in objects:
        # A row without a person is a group of its own: its own names.
        group = "coalesce(person_id, '#' || record_id::VARCHAR)"
        query = f"SELECT record_id, {group} FROM src.main.source_record"
        person_of = dict(con.execute(query).fetchall())
        names_of = dict(
            con.execute(
                f"SELECT {group}, list_distinct(flatten(list([nama, nama_inti, nasab, nama_raw]))) "
                "FROM src.main.source_record GROUP BY ALL"
            ).fetchall()
        )
        known.append(
            "SELECT unnest([nama, nama_inti, nasab, nama_raw]) AS n FROM src.main.source_record"
        )
    for table, column in (("person", "nama"), ("rejected_row", "nama_raw")):
        if table in objects and column in _columns(con, table):
            known.append(f"SELECT {column} AS n FROM src.main.{table}")
    names: list[str | None] = []
    if known:
        query = " UNION ".join(known)
        names = [
            n for (n,) in con.execute(f"SELECT n FROM ({query}) WHERE n IS NOT NULL").fetchall()
        ]
    scrubber = Scrubber(names, names_of, person_of)
    import pyarrow as pa  # here: a night that builds no edition never imports it

    # Arrow functions: one Python call a vector of rows, not one a cell. No annotations:
    # DuckDB would evaluate them in the module, where pyarrow is not imported.
    def scrub(texts):
        return pa.array([scrubber.text(t) for t in texts.to_pylist()], pa.string())

    def scrub_row(texts, record_ids):
        pairs = zip(texts.to_pylist(), record_ids.to_pylist(), strict=True)
        return pa.array([scrubber.row_text(t, r) for t, r in pairs], pa.string())

    con.create_function("ppks_scrub", scrub, ["VARCHAR"], "VARCHAR", type="arrow")
    con.create_function("ppks_scrub_row", scrub_row, ["VARCHAR", "BIGINT"], "VARCHAR", type="arrow")


def _write_info(con, key: bytes, storage_version: str, left_out: list[str]) -> None:
    run_id = None
    if "run_log" in _objects(con):
        run_id = con.execute(
            "SELECT run_id FROM src.main.run_log ORDER BY finished_at DESC LIMIT 1"
        ).fetchone()
        run_id = run_id[0] if run_id else None
    con.execute(
        """
        CREATE TABLE ed.main.edition_info (
            edition VARCHAR, run_id VARCHAR, built_at TIMESTAMP, storage_version VARCHAR,
            key_id VARCHAR, left_out VARCHAR[]
        )
        """
    )
    con.execute(
        "INSERT INTO ed.main.edition_info "
        "(edition, run_id, built_at, storage_version, key_id, left_out) "
        "VALUES ('analyst', ?, ?, ?, ?, ?)",
        [run_id, dt.datetime.now(), storage_version, key_id(key), left_out],
    )
    for statement in (
        "COMMENT ON TABLE ed.main.edition_info IS 'Which edition this file is and what it was "
        "made from (one row).'",
        "COMMENT ON COLUMN ed.main.edition_info.edition IS 'analyst: pseudonymised, no NIK, KK "
        "or name in clear (the full warehouse is restricted).'",
        "COMMENT ON COLUMN ed.main.edition_info.run_id IS 'The nightly run whose warehouse this "
        "edition was made from.'",
        "COMMENT ON COLUMN ed.main.edition_info.built_at IS 'When the edition was written.'",
        "COMMENT ON COLUMN ed.main.edition_info.storage_version IS 'DuckDB storage version of "
        "the file: DuckDB tools of this version and newer open it.'",
        "COMMENT ON COLUMN ed.main.edition_info.key_id IS 'Fingerprint of the hashing key: "
        "tokens of two editions with the same key_id can be compared.'",
        "COMMENT ON COLUMN ed.main.edition_info.left_out IS 'Tables, views and columns of the "
        "full warehouse not in this edition (direct identifiers, free text, linkage internals).'",
    ):
        con.execute(statement)


def publish_edition(built: Path, warehouse: Path) -> Path:
    """Rename a built edition into place (one rename, like the full warehouse)."""
    target = analyst_path(warehouse)
    os.replace(built, target)
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return target


def publish_analyst_edition(
    source: Path,
    warehouse: Path,
    key: bytes | None = None,
    storage_version: str = DEFAULT_STORAGE_VERSION,
) -> Path:
    """Build and publish in one call (e.g. from an existing warehouse: source == warehouse)."""
    built = build_edition(source, warehouse, key=key, storage_version=storage_version)
    return publish_edition(built, warehouse)
