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

What a build hashed and scrubbed is kept in the full warehouse for the next night
(ppks.warehouse.edition_cache): a night hashes only new NIK/KK values and
scrubs only new texts and those a change in the known names can touch; the
edition is the one a build with nothing kept gives (tests/flows,
tests/warehouse/test_edition_cache.py).

Publishing follows the full warehouse: build the edition from the finished
staging copy into a hidden file beside it (`build_edition`), then, after the
full warehouse is swapped in, rename it into place (`publish_edition`). A run
that fails before that changes neither file.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ppks import settings
from ppks.ops.private import private_umask
from ppks.warehouse import edition_delta, row_groups, schema
from ppks.warehouse.build import DEFAULT_STORAGE_VERSION
from ppks.warehouse.edition_cache import OTHER_NAMES, EditionCache
from ppks.warehouse.edition_cache import TABLES as CACHE_TABLES
from ppks.warehouse.keyed_hash import (  # noqa: F401 (the edition's key and tokens, used as analyst.*)
    KEY_ENV,
    KEY_FILE_ENV,
    SecretKeyError,
    default_key_file,
    key_id,
    load_key,
    token,
    tokens,
)
from ppks.warehouse.scrub import INTERNAL_REASON

ANALYST_MODE = 0o640

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


def _staging_edition(warehouse: Path) -> Path:
    target = analyst_path(warehouse)
    return target.with_name(f".{target.name}.building")


def discard_edition(warehouse: Path) -> None:
    _remove(_staging_edition(warehouse))


def _remove(tmp: Path) -> None:
    for path in (tmp, tmp.with_name(tmp.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(_spill(tmp), ignore_errors=True)


def _spill(tmp: Path) -> Path:
    """Where the build spills past the night's DuckDB limit: beside the edition (private:
    it holds the warehouse's names)."""
    return tmp.with_name(tmp.name + ".tmp")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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


@dataclass
class _Select:
    """The SELECT of one edition table: its expressions and the joins they read."""

    exprs: list[str] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)

    def join(self, table: str, on: str) -> str:
        alias = f"j{len(self.joins)}"
        self.joins.append(f"LEFT JOIN {table} AS {alias} ON {on.format(a=alias)}")
        return alias

    def sql(self, name: str) -> str:
        return f"SELECT {', '.join(self.exprs)} FROM src.main.{_q(name)} AS src_t " + " ".join(
            self.joins
        )


def _scrubbed(name: str, column: str, data_type: str, row_keyed: bool) -> str | None:
    """``same``, ``row`` or ``reason`` (how a text column is scrubbed), or None (copied)."""
    if data_type not in ("VARCHAR", "VARCHAR[]") or column in CODE_COLUMNS:
        return None
    if name == "ingest_file" and column == "reason":
        return "reason"
    return "row" if row_keyed and column not in SAME_EVERYWHERE else "same"


def _copied(select: _Select, name: str, column: str, comment, data_type: str, row_keyed: bool):
    """(select expression, comment) of a copied column: as is, or scrubbed (from the
    build's ``_texts``, and ``_row_texts`` for a row's own names)."""
    how = _scrubbed(name, column, data_type, row_keyed)
    if how is None:
        return f"src_t.{_q(column)}", comment
    col = f"src_t.{_q(column)}"
    if data_type != "VARCHAR":  # a list: few distinct elements, scrubbed in Python
        call = "ppks_scrub_row_list({}, src_t.record_id)" if how == "row" else "ppks_scrub_list({})"
        note = ROW_SCRUBBED_NOTE if how == "row" else SCRUBBED_NOTE
        return call.format(col), (comment or "") + note
    text = select.join("_texts", f"{{a}}.text = {col}") + ".scrubbed"
    if how == "reason":
        internal = schema.literal(INTERNAL_REASON)
        expr = f"CASE WHEN src_t.reason_code = 'internal' THEN {internal} ELSE {text} END"
        return expr, (comment or "") + REASON_NOTE
    if how == "same":
        return text, (comment or "") + SCRUBBED_NOTE
    row = select.join("_row_texts", f"{{a}}.record_id = src_t.record_id AND {{a}}.text = {col}")
    return f"coalesce({row}.scrubbed, {text})", (comment or "") + ROW_SCRUBBED_NOTE


def _plan(name: str, spec, typed: dict[str, tuple]):
    """(select, {output column: comment}, dropped source columns)."""
    columns = {c: comment for c, (comment, _) in typed.items()}
    select = _Select()
    if name.startswith(MART_PREFIX) or name in AS_IS:
        select.exprs = ["*"]
        return select, dict(columns), []
    if spec == ALL:
        spec = list(columns)
    row_keyed = "record_id" in typed
    comments, used = {}, set()
    for item in spec:
        if isinstance(item, str):
            if item in columns:
                expr, comments[item] = _copied(select, name, item, *typed[item], row_keyed)
                select.exprs.append(f"{expr} AS {_q(item)}")
                used.add(item)
            continue
        ((out, tok),) = item.items()
        if tok.column in columns:
            alias = select.join(
                "_tokens",
                f"{{a}}.kind = {schema.literal(tok.kind)} AND {{a}}.value = src_t.{_q(tok.column)}",
            )
            select.exprs.append(f"{alias}.token AS {_q(out)}")
            comments[out] = NIK_TOKEN_COMMENT if tok.kind == "nik" else KK_TOKEN_COMMENT
            used.add(tok.column)
    return select, comments, [c for c in columns if c not in used]


def _edition_tables(objects) -> list[tuple[str, object]]:
    """(name, spec) of every object of the edition, in order."""
    names = [(n, ANALYST_TABLES[n]) for n in ANALYST_TABLES if n in objects]
    return names + sorted((n, ALL) for n in objects if n.startswith(MART_PREFIX))


def _scrubbed_columns(con, tables) -> tuple[list, list]:
    """(every scrubbed (table, column, is a list), the row-keyed ones)."""
    every, rows = [], []
    for name, spec in tables:
        if name.startswith(MART_PREFIX) or name in AS_IS:
            continue
        typed = _typed_columns(con, name)
        wanted = [c for c in (typed if spec == ALL else spec) if isinstance(c, str) and c in typed]
        for column in wanted:
            how = _scrubbed(name, column, typed[column][1], "record_id" in typed)
            if how is not None:
                every.append((name, column, typed[column][1] != "VARCHAR"))
                if how == "row":
                    rows.append(every[-1])
    return every, rows


def _token_sources(con, objects) -> list[tuple[str, str, str]]:
    return sorted(
        {
            (tok.kind, table, tok.column)
            for table, spec in ANALYST_TABLES.items()
            if spec != ALL and table in objects
            for item in spec
            if isinstance(item, dict)
            for tok in item.values()
            if tok.column in _columns(con, table)
        }
    )


def build_edition(
    source: Path,
    warehouse: Path,
    key: bytes | None = None,
    storage_version: str = DEFAULT_STORAGE_VERSION,
    mode: int = ANALYST_MODE,
    keep_cache: bool = False,
    previous: Path | None = None,
) -> Path:
    """Write the analyst edition of ``source`` (a finished warehouse file) beside ``warehouse``.

    Returns the hidden file written; `publish_edition` renames it into place. ``source``
    is only read, unless ``keep_cache``: then what this build hashed and scrubbed is
    written back into its cache tables (ppks.warehouse.edition_cache) for the next one
    (the nightly flow passes its private staging copy), with which edition that was.
    ``previous`` (with ``keep_cache``): the published edition; if it is the one the
    cache was saved with, the build copies it and writes only the rows that changed
    (ppks.warehouse.edition_delta), else it builds the edition whole.
    """
    source, warehouse = Path(source), Path(warehouse)
    if key is None:
        key = load_key(warehouse)
    if not source.exists():
        raise FileNotFoundError(f"no warehouse to make an analyst edition of: {source}")
    discard_edition(warehouse)
    tmp = _staging_edition(warehouse)
    private_umask()  # the warehouse's .wal (keep_cache) and the spill hold names
    # Under the night's DuckDB limit, not DuckDB's default of 80% of the machine: it
    # caches every block of the warehouse it reads up to its limit.
    config = {"memory_limit": settings.memory_limit(), "temp_directory": str(_spill(tmp))}
    con = duckdb.connect(":memory:", config=config)
    try:
        readonly = "" if keep_cache else " (READ_ONLY)"
        con.execute(f"ATTACH {schema.literal(str(source))} AS src{readonly}")
        objects = _objects(con)
        if keep_cache and not {*CACHE_TABLES, edition_delta.MARKER} <= set(objects):
            EditionCache.create_tables(con)  # a warehouse made before them
            objects = _objects(con)
        tables = _edition_tables(objects)
        every, rows = _scrubbed_columns(con, tables)
        rules = edition_delta.rules(con, storage_version) if keep_cache else None
        changed = None
        if previous is not None and keep_cache:
            changed = _start_from(con, Path(previous), tmp, rules, key, tables)
        # A night whose rows that came, moved or left are known reads those for the cache.
        cache = EditionCache(con, key, set(objects), changed is not None and changed.by_change)
        cache.tokens(_token_sources(con, objects))
        cache.names({t: set(_columns(con, t)) for t, _ in OTHER_NAMES if t in objects})
        cache.texts(every, {t for t, _, _ in rows})
        where = None
        if changed is not None:
            where = _rows_to_write(con, tables, every)
            cache.texts_for(where, every)
        else:
            con.execute(
                f"ATTACH {schema.literal(str(tmp))} AS ed "
                f"(STORAGE_VERSION {schema.literal(storage_version)})"
            )
        records = edition_delta.records_to_scrub(con) if where is not None else None
        cache.row_texts(rows, records)
        _register_list_scrubs(
            con, *cache.list_scrubs([(t, c) for t, c, is_list in every if is_list])
        )
        # One transaction: a statement of its own is a commit of its own (the 250
        # comments were a second of a night).
        con.execute("BEGIN")
        left_out: list[str] = sorted(n for n in objects if n not in dict(tables))
        for name, spec in tables:
            left_out += _write_table(con, name, spec, objects[name][1], where)
        if where is not None:
            _drop_gone(con, tables)
        built = _write_info(con, key, storage_version, left_out)
        con.execute("COMMIT")
        con.execute("DETACH ed")
        if keep_cache:
            cache.save(lambda: edition_delta.remember(con, *built, rules, tmp, where is None))
    except BaseException:
        con.close()
        discard_edition(warehouse)
        raise
    con.close()
    shutil.rmtree(_spill(tmp), ignore_errors=True)
    os.chmod(tmp, mode)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    return tmp


def _start_from(con, previous: Path, tmp: Path, rules: str, key: bytes, tables):
    """Attach a copy of ``previous`` as ``ed`` and return what changed since it
    (`edition_delta.Changes`); None (nothing attached) when the edition is to be built
    whole."""
    wanted = edition_delta.marker(con, previous, rules, set(_objects(con)))
    if wanted is None:
        return None
    edition_delta.copy_previous(previous, tmp)
    try:
        con.execute(f"ATTACH {schema.literal(str(tmp))} AS ed")
    except duckdb.Error:  # not a DuckDB file we can open: built whole
        _remove(tmp)
        return None
    present = {
        n
        for (n,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'ed'"
        ).fetchall()
    }
    if (
        not edition_delta.is_that_edition(con, wanted, key_id(key))
        or not {n for n, _ in tables if not n.startswith(MART_PREFIX)} <= present
    ):
        changed = None
    else:
        changed = edition_delta.changes(con)
    if changed is None:
        con.execute("DETACH ed")
        _remove(tmp)
    return changed


def _rows_to_write(con, tables, every):
    """Per table written row by row, (WHERE of the copy's rows to delete, WHERE of the
    warehouse's rows to insert): `edition_delta.keys`, with the texts scrubbed anew."""
    scrubbed: dict[str, list[tuple[str, bool]]] = {}
    for table, column, is_list in every:
        scrubbed.setdefault(table, []).append((column, is_list))
    keyed = {n for n, _ in tables} & set(edition_delta.KEYED + edition_delta.BY_FILE)
    return edition_delta.keys(con, scrubbed, keyed, "_new_texts")


def _write_table(con, name: str, spec, comment, where) -> list[str]:
    """One table of the edition: rows of it written again (``where`` names it), or the
    whole table with its comments. Returns the source columns left out."""
    select, comments, dropped = _plan(name, spec, _typed_columns(con, name))
    if where is not None and name in where:
        gone, new = where[name]
        con.execute(f"DELETE FROM ed.main.{_q(name)} WHERE {gone}")
        con.execute(f"INSERT INTO ed.main.{_q(name)} {select.sql(name)} WHERE {new}")
        return [f"{name}.{c}" for c in dropped]
    con.execute(f"DROP TABLE IF EXISTS ed.main.{_q(name)}")
    # Written by one thread: the tables later nights delete from and append to, left in
    # whole row groups (ppks.warehouse.row_groups); the rest on the database's threads.
    appended = name in edition_delta.KEYED + edition_delta.BY_FILE
    with row_groups.one_writer(con, when=appended):
        con.execute(f"CREATE TABLE ed.main.{_q(name)} AS {select.sql(name)}")
    note = " (analyst edition: without direct identifiers)" if dropped else ""
    con.execute(f"COMMENT ON TABLE ed.main.{_q(name)} IS {schema.literal((comment or '') + note)}")
    for column, text in comments.items():
        if text:
            con.execute(
                f"COMMENT ON COLUMN ed.main.{_q(name)}.{_q(column)} IS {schema.literal(text)}"
            )
    return [f"{name}.{c}" for c in dropped]


def _drop_gone(con, tables) -> None:
    """Tables of the copied edition that this one no longer has (a mart gone), and its info."""
    wanted = {n for n, _ in tables}
    for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'ed' AND schema_name = 'main'"
    ).fetchall():
        if name not in wanted:
            con.execute(f"DROP TABLE ed.main.{_q(name)}")


def _register_list_scrubs(con: duckdb.DuckDBPyConnection, texts: dict, rows: dict) -> None:
    """ppks_scrub_list(list) and ppks_scrub_row_list(list, record_id), from the build's scrubs."""
    from ppks.warehouse.arrow_columns import string_lists  # a night without an edition: no Arrow

    # No annotations: DuckDB would evaluate them in the module, where pyarrow is not imported.
    def scrub(lists):
        return string_lists(
            [None if v is None else [texts.get(t) for t in v] for v in lists.to_pylist()]
        )

    def scrub_row(lists, record_ids):
        pairs = zip(lists.to_pylist(), record_ids.to_pylist(), strict=True)
        return string_lists(
            [None if v is None else [rows.get((r, t), texts.get(t)) for t in v] for v, r in pairs]
        )

    con.create_function("ppks_scrub_list", scrub, ["VARCHAR[]"], "VARCHAR[]", type="arrow")
    con.create_function(
        "ppks_scrub_row_list", scrub_row, ["VARCHAR[]", "BIGINT"], "VARCHAR[]", type="arrow"
    )


def _write_info(con, key: bytes, storage_version: str, left_out: list[str]) -> tuple:
    """edition_info; returns its (run_id, built_at): which edition this is."""
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
    built_at = dt.datetime.now()
    con.execute(
        "INSERT INTO ed.main.edition_info "
        "(edition, run_id, built_at, storage_version, key_id, left_out) "
        "VALUES ('analyst', ?, ?, ?, ?, ?)",
        [run_id, built_at, storage_version, key_id(key), left_out],
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
    return run_id, built_at


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
