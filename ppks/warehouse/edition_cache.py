"""What the analyst edition keeps between nights, so a night hashes and scrubs only what is new.

A provincial warehouse holds half a million NIK/KK values, a few hundred
thousand names and about two hundred thousand distinct texts to scrub; a night
adds a percent of them. The analyst edition (ppks.warehouse.analyst) reads them
through three tables of the full warehouse (private, mode 0600, like the NIK
and names they are made from; never copied into the edition):

- ``edition_token``: the token of every NIK and KK, with a keyed check of the key
  it was made with (a token of another key is never reused);
- ``edition_name``: every name the warehouse knows, with its words as the
  scrubber reads them (``scrub.phrase``, ``scrub.name_tokens``);
- ``edition_text``: every scrubbed text with its result, its words, and the
  words a row's own names can still replace.

A scrubbed text depends on the names, so the cache is only as good as its
invalidation. The scrub of a text depends only on the known phrases whose
first word is one of the text's words (`Scrubber._parse`); `edition_name` is
always exactly the names the cached texts were scrubbed against, so each
night: the phrases that came or went are the difference between the cached
names and the warehouse's, and every cached text holding the first word of
one of them is scrubbed again. The rest of the cache is reused as it is.
Rows kept by another version of the scrubber (``scrub.rules``: a fingerprint
of its source and this module's) or another key or way of hashing
(`key_check`) are never reused: they are made again and replaced.

Each build reads the cache into TEMP tables of its own connection (the whole
current mapping: cached entries still valid plus new ones computed here);
`save` then writes the difference back in one transaction, when the build is
allowed to write to the warehouse (the nightly flow's staging copy).

A night that starts from the previous edition, and whose rows that left (if
any) are known (a corrected file moves them into source_record_history and
rejected_row_history: `edition_delta.Changes.by_change`), does not read every
value of the warehouse to find what is new or gone; its cost follows what
changed. Loaded rows are never edited, and the golden records, households and
service events take their NIK, KK, names and texts from them, so:

- tokens and names: only those of the rows added, and of the golden records and
  households of the persons touched, can be new; only those of the rows that
  left can leave (`_gone`: those no row holds now);
- texts: new ones come from the rows added, the cases and service events of the
  persons touched, and the small tables (files, sheets, runs, rejected rows),
  read whole. A text can leave only with a row that left, a case or a small
  table's row: the copied edition holds the latter's scrubbed values as they
  were, hence the cached texts they can be; of those candidates, the ones no
  table holds now are gone. (When that cannot be told, e.g. a file's internal
  error, which the edition shows as one fixed sentence, changed, the texts are
  read whole.)

`_tokens` and `_names` are then the cache tables themselves, minus what left,
plus tonight's new entries, and `_texts` the scrubs of the texts of the rows
the edition writes (`texts_for`). tests/flows/test_edition_delta.py compares the
cache of such nights with the one a build from scratch saves.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb

from ppks.warehouse import keyed_hash, schema
from ppks.warehouse.keyed_hash import tokens
from ppks.warehouse.scrub import Scrubber, name_entry, split_text
from ppks.warehouse.scrub import rules as scrub_rules

TABLES = ("edition_name", "edition_text", "edition_token")
NAME_COLUMNS = ("nama", "nama_inti", "nasab", "nama_raw")  # of source_record
# Every name the warehouse knows, besides the loaded rows' own (table, column).
OTHER_NAMES = (("person", "nama"), ("rejected_row", "nama_raw"))
# A row without a person is a group of its own: its own names.
GROUP = "coalesce(person_id, '#' || record_id::VARCHAR)"
# Tables whose texts a night read by change takes from what changed, not from the copied
# edition: the loaded rows (those that left are in source_record_history), and the
# service events (their texts are their loaded rows').
UNCHANGED_TEXTS = ("source_record", "service_event")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _by_table(columns: list[tuple[str, str, bool]]) -> dict[str, list[tuple[str, bool]]]:
    """(table, column, is a list) grouped by table, in order."""
    out: dict[str, list[tuple[str, bool]]] = {}
    for table, column, is_list in columns:
        out.setdefault(table, []).append((column, is_list))
    return out


def _values_of(source: str, columns: list[tuple[str, bool]], alias: str) -> list[str]:
    """SELECTs of the values of these (column, is a list) columns of one table as one
    column ``alias``; ``source`` is what follows FROM (the table, its filter). The plain
    columns are read in one scan (one list of them, unnested): a scan and its filter per
    column was most of the statements that read the night's rows of a large table."""
    plain = [_q(c) for c, is_list in columns if not is_list]
    out = []
    if len(plain) == 1:
        out.append(f"SELECT {plain[0]} AS {alias} FROM {source}")
    elif plain:
        out.append(f"SELECT unnest([{', '.join(plain)}]) AS {alias} FROM {source}")
    out += [f"SELECT unnest({_q(c)}) AS {alias} FROM {source}" for c, is_list in columns if is_list]
    return out


def key_check(key: bytes) -> str:
    """Which key and which way of hashing a cached token was made with: a keyed hash of
    the source of ppks.warehouse.keyed_hash (not the key itself)."""
    scheme = hashlib.sha256(Path(keyed_hash.__file__).read_bytes()).digest()
    return hmac.digest(key, b"ppks-edition-token-cache:" + scheme, "sha256").hex()


TEXT, WORDS, INTEGER = "text", "words", "integer"


def _register(con: duckdb.DuckDBPyConnection, name: str, types: dict, rows: list[tuple]) -> None:
    """A TEMP table of Python rows, through Arrow (a list column of a hundred thousand
    rows is a second through Polars' Python constructor)."""
    import pyarrow as pa  # here: a night that builds no edition never imports it

    from ppks.warehouse import arrow_columns

    build = {
        TEXT: arrow_columns.strings,
        WORDS: arrow_columns.string_lists,
        INTEGER: arrow_columns.integers,
    }
    columns = list(zip(*rows, strict=True)) or [()] * len(types)
    frame = pa.table({c: build[t](v) for (c, t), v in zip(types.items(), columns, strict=True)})
    con.register("_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


class EditionCache:
    """The current tokens and scrubs of one build, as TEMP tables of ``con`` (``src`` is
    the warehouse): ``_tokens``, ``_texts``, ``_row_texts``."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        key: bytes,
        tables: set[str],
        by_change: bool = False,
    ):
        self.con = con
        self.key_check = key_check(key)
        self.key = key
        self.tables = tables  # tables and views of src
        self.cached = set(TABLES) <= tables
        self.rules = scrub_rules()
        # The rows that came, moved and left tonight are known (`edition_delta.Changes`:
        # TEMP tables _added, _removed, _persons): the cache reads those (see above).
        # Only when every cached entry is of this key and these rules.
        self.by_change = by_change and self.cached and not self._outdated()
        self.texts_since = False  # the texts read the same way (`_texts_since`)

    def _outdated(self) -> bool:
        """Whether the cache holds entries of another key or other rules."""
        checks = [
            f"SELECT 1 FROM src.main.{table} WHERE {column} <> '{mark}'"
            for table, column, mark in (
                ("edition_token", "key_check", self.key_check),
                ("edition_name", "rules", self.rules),
                ("edition_text", "rules", self.rules),
            )
        ]
        return bool(
            self.con.execute(f"SELECT EXISTS ({' UNION ALL '.join(checks)})").fetchall()[0][0]
        )

    def _tonight(self, table: str) -> str:
        """WHERE of the rows of ``table`` whose values can be new to the cache tonight."""
        if not self.by_change:
            return ""
        # The golden records, households and their members are made from the loaded rows
        # (their NIK, KK and names are some row's): read for the persons touched only.
        persons = " WHERE person_id IN (SELECT person_id FROM _persons)"
        return {
            "source_record": " WHERE record_id IN (SELECT record_id FROM _added)",
            "person": persons,
            "household_member": persons,
            "household": f" WHERE kk IN (SELECT kk FROM src.main.household_member{persons})",
        }.get(table, "")

    @staticmethod
    def create_tables(con: duckdb.DuckDBPyConnection) -> None:
        """The cache tables in ``src`` (a warehouse made before them)."""
        con.execute("USE src")
        try:
            schema.apply_tables(con, ("edition",))
        finally:
            con.execute("USE memory")

    def _cache(self, table: str, columns: str) -> str:
        """What to read of a cache table: the warehouse's rows made under this build's
        rules (its key, or the scrubber's rules), or an empty stand-in (a warehouse made
        before the cache, read-only)."""
        if not self.cached:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE _empty_{table} ({columns})")
            return f"_empty_{table}"
        if table == "edition_token":
            where = f"key_check = '{self.key_check}'"
            return f"(SELECT kind, value, token FROM src.main.{table} WHERE {where})"
        return f"(SELECT * EXCLUDE (rules) FROM src.main.{table} WHERE rules = '{self.rules}')"

    def _gone(self, name: str, key: str, columns: list[tuple[str, str, str]], now: str) -> None:
        """TEMP table ``name`` (columns ``key``) of the values the rows that left tonight
        held (source_record_history, rejected_row_history) that no row holds now.
        ``columns``: (SELECT list giving ``key``, table, column); ``now``: a TEMP table of
        the values read tonight, all held."""
        con = self.con
        history = {
            "source_record": "record_id IN (SELECT record_id FROM _removed)",
            "rejected_row": "file_sha256 IN (SELECT file_sha256 FROM _rejected_gone)",
        }
        left = [
            f"SELECT {select} FROM src.main.{table}_history WHERE {history[table]} "
            f"AND {column} IS NOT NULL"
            for select, table, column in columns
            if table in history and f"{table}_history" in self.tables
        ]
        if not left:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {key} FROM {now} LIMIT 0")
            return
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name}_left AS "
            f"({' UNION '.join(left)}) EXCEPT SELECT {key} FROM {now}"
        )
        if not con.execute(f"SELECT count(*) FROM {name}_left").fetchall()[0][0]:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_left")
            return
        # Of those, the ones a row still holds (one pass over each column).
        held = [
            f"SELECT {key} FROM (SELECT {select} FROM src.main.{table}) "
            f"SEMI JOIN {name}_left USING ({key})"
            for select, table, _ in columns
        ]
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {key} FROM {name}_left "
            f"EXCEPT ({' UNION ALL '.join(held)})"
        )

    # -- tokens ---------------------------------------------------------------

    def tokens(self, sources: list[tuple[str, str, str]]) -> None:
        """``_tokens(kind, value, token)`` of every (kind, table, column) value."""
        selects = [
            f"SELECT DISTINCT '{kind}' AS kind, {_q(column)}::VARCHAR AS value "
            f"FROM (SELECT * FROM src.main.{_q(table)}{self._tonight(table)}) "
            f"WHERE {_q(column)} IS NOT NULL"
            for kind, table, column in sources
        ] or ["SELECT NULL::VARCHAR AS kind, NULL::VARCHAR AS value WHERE false"]
        con = self.con
        con.execute(f"CREATE OR REPLACE TEMP TABLE _values AS {' UNION '.join(selects)}")
        cached = self._cache("edition_token", "kind VARCHAR, value VARCHAR, token VARCHAR")
        missing = con.execute(
            f"SELECT kind, value FROM _values ANTI JOIN {cached} AS c USING (kind, value) "
            "ORDER BY kind, value"
        ).fetchall()
        by_kind: dict[str, list[str]] = {}
        for kind, value in missing:
            by_kind.setdefault(kind, []).append(value)
        made = [
            (kind, v, t)
            for kind, vs in by_kind.items()
            for v, t in zip(vs, tokens(self.key, kind, vs), strict=True)
        ]
        _register(con, "_new_tokens", {"kind": TEXT, "value": TEXT, "token": TEXT}, made)
        if self.by_change:
            self._gone(
                "_gone_tokens",
                "kind, value",
                [
                    (f"'{kind}' AS kind, {_q(column)}::VARCHAR AS value", table, _q(column))
                    for kind, table, column in sources
                ],
                "_values",
            )
        # A night read by change keeps the other cached tokens: read where joined.
        con.execute(
            f"CREATE OR REPLACE TEMP {'VIEW' if self.by_change else 'TABLE'} _tokens AS "
            f"SELECT c.* FROM {cached} AS c"
            + ("" if self.by_change else " SEMI JOIN _values USING (kind, value)")
            + " UNION ALL SELECT * FROM _new_tokens"
        )

    # -- names ----------------------------------------------------------------

    def names(self, columns: dict[str, set[str]]) -> None:
        """``_names(name, phrase, tokens)`` of every name the warehouse knows, and
        ``_changed_first``: the first words of the phrases that came or went since the
        cached texts were scrubbed."""
        known = []
        if "source_record" in self.tables:
            known.append(
                "SELECT unnest([nama, nama_inti, nasab, nama_raw]) AS n FROM src.main.source_record"
                + self._tonight("source_record")
            )
        for table, column in OTHER_NAMES:
            if table in self.tables and column in columns.get(table, ()):
                known.append(f"SELECT {column} AS n FROM src.main.{table}{self._tonight(table)}")
        known = known or ["SELECT NULL::VARCHAR AS n WHERE false"]
        con = self.con
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _known AS "
            f"SELECT n AS name FROM ({' UNION '.join(known)}) WHERE n IS NOT NULL"
        )
        cached = self._cached_names = self._cache(
            "edition_name", "name VARCHAR, phrase VARCHAR[], tokens VARCHAR[]"
        )
        new = [
            n
            for (n,) in con.execute(
                f"SELECT name FROM _known ANTI JOIN {cached} AS c USING (name)"
            ).fetchall()
        ]
        rows = [(n, _list(whole), tokens) for n in new for whole, tokens in [name_entry(n)]]
        _register(con, "_new_names", {"name": TEXT, "phrase": WORDS, "tokens": WORDS}, rows)
        if self.by_change:
            # The names are the cached ones but those gone, and the new; the phrases that
            # came are the new names' no cached name has, those that went the gone names'
            # no name has now.
            held = [(f"{c} AS name", "source_record", c) for c in NAME_COLUMNS] + [
                (f"{c} AS name", t, c)
                for t, c in OTHER_NAMES
                if t in self.tables and c in columns.get(t, ())
            ]
            self._gone("_gone_names", "name", held, "_known")
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW _names AS SELECT * FROM {cached} "
                "ANTI JOIN _gone_names USING (name) UNION ALL SELECT * FROM _new_names"
            )
            # A phrase is compared only with the phrases of its first word: EXCEPT hashed
            # every cached phrase (a list of words each) for a night's few hundred.
            con.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE _changed_first AS
                WITH came AS (SELECT phrase FROM _new_names WHERE phrase IS NOT NULL),
                went AS (SELECT phrase FROM {cached} SEMI JOIN _gone_names USING (name)
                         WHERE phrase IS NOT NULL)
                SELECT DISTINCT phrase[1] AS word FROM (
                    (SELECT phrase FROM came
                     EXCEPT SELECT phrase FROM {cached} WHERE phrase IS NOT NULL
                     AND (len(phrase) = 0 OR phrase[1] IN (SELECT phrase[1] FROM came)))
                    UNION ALL
                    (SELECT phrase FROM went
                     EXCEPT SELECT phrase FROM _names WHERE phrase IS NOT NULL
                     AND (len(phrase) = 0 OR phrase[1] IN (SELECT phrase[1] FROM went)))
                )
                """
            )
            return
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _names AS
            SELECT c.* FROM {cached} AS c SEMI JOIN _known USING (name)
            UNION ALL SELECT * FROM _new_names
            """
        )
        # Phrases before (the cached names: what the cached texts were scrubbed
        # against) and after; a phrase is compared as its words.
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _changed_first AS
            WITH before AS (SELECT DISTINCT phrase FROM {cached} WHERE phrase IS NOT NULL),
                 after AS (SELECT DISTINCT phrase FROM _names WHERE phrase IS NOT NULL)
            SELECT DISTINCT phrase[1] AS word FROM (
                (SELECT * FROM before EXCEPT SELECT * FROM after)
                UNION ALL (SELECT * FROM after EXCEPT SELECT * FROM before)
            )
            """
        )

    # -- texts ----------------------------------------------------------------

    def texts(self, columns: list[tuple[str, str, bool]], row_keyed: set[str]) -> None:
        """``_texts(text, scrubbed, words, loose)`` of every value of these (table,
        column, is a list) columns (``row_keyed``: the tables with row-level scrubs;
        a night that added, moved or corrected rows makes ``_texts`` in `texts_for`)."""
        con = self.con
        cached = self._cache(
            "edition_text", "text VARCHAR, scrubbed VARCHAR, words VARCHAR[], loose VARCHAR[]"
        )
        # The cached texts a name that came or went can change: those holding its first
        # word, found by a join on their words (list_has_any against a list, row by row,
        # was most of a night's edition cache); all of them when no names were cached
        # (texts are only as valid as the names they were scrubbed against).
        stale = (
            f"SELECT text FROM (SELECT text, unnest(words) AS word FROM {cached}) "
            "SEMI JOIN _changed_first USING (word)"
            if con.execute(f"SELECT count(*) FROM {self._cached_names}").fetchall()[0][0]
            else f"SELECT text FROM {cached}"
        )
        self.texts_since = self._texts_since(columns, row_keyed, cached)
        if self.texts_since:
            # The texts new tonight, and the cached ones to scrub again that are still held.
            rescrub = (
                f"(SELECT text FROM _wanted ANTI JOIN {cached} AS c USING (text)) "
                f"UNION ({stale} EXCEPT SELECT text FROM _gone)"
            )
        else:
            selects = [
                f"SELECT DISTINCT {'unnest(' + _q(c) + ')' if is_list else _q(c)} AS text "
                f"FROM src.main.{_q(t)}"
                for t, c, is_list in columns
            ] or ["SELECT NULL::VARCHAR AS text"]
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _wanted AS "
                f"SELECT text FROM ({' UNION '.join(selects)}) WHERE text IS NOT NULL"
            )
            con.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE _valid AS
                SELECT text FROM {cached} SEMI JOIN _wanted USING (text)
                EXCEPT {stale}
                """
            )
            rescrub = "SELECT text FROM _wanted ANTI JOIN _valid USING (text)"
        new = [t for (t,) in con.execute(f"SELECT text FROM ({rescrub}) ORDER BY text").fetchall()]
        split = [split_text(t) for t in new]
        scrubber = Scrubber.of_phrases(self._phrases_for(split), {})
        rows = [(t, *scrubber.entry(t, s)) for t, s in zip(new, split, strict=True)]
        types = {"text": TEXT, "scrubbed": TEXT, "words": WORDS, "loose": WORDS}
        _register(con, "_new_texts", types, rows)
        if not self.texts_since:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _texts AS "
                f"SELECT c.* FROM {cached} AS c SEMI JOIN _valid USING (text) "
                "UNION ALL SELECT * FROM _new_texts"
            )

    # Tables whose rows a night read by change reads in part (the rest are read whole):
    # the loaded rows added, and the cases and service events of the persons touched.
    # A service event's texts are its loaded rows' (none can leave with it).
    PARTLY = {
        "source_record": "record_id IN (SELECT record_id FROM _added)",
        "ppks_case": "person_id IN (SELECT person_id FROM _persons)",
        "service_event": "person_id IN (SELECT person_id FROM _persons)",
    }

    def _texts_since(self, columns: list[tuple[str, str, bool]], row_keyed, cached) -> bool:
        """For a night read by change: ``_wanted``, the texts of the rows that can hold
        new ones (`PARTLY`), and ``_gone``, the cached texts no longer held. A text can
        only leave with a loaded row that left (its text is in source_record_history),
        or a row of a table read whole or a case: the copied edition's rows of those give
        the scrubbed values they held, hence the cached texts they can be, and those
        held nowhere now are gone. False (nothing made) when that cannot
        be told (a file's internal error changed: the edition holds a fixed sentence; a
        table besides the loaded rows and service events scrubbed row by row)."""
        con = self.con
        if (
            not self.by_change
            or row_keyed - set(UNCHANGED_TEXTS)
            or self._internal_reason_changed()
        ):
            return False

        tables = _by_table(columns)

        def values(database: str, table: str, where: str, of=None) -> list[str]:
            return _values_of(f"{database}.main.{_q(table)}{where}", of or tables[table], "v")

        def partly(table: str) -> str:
            return f" WHERE {self.PARTLY[table]}" if table in self.PARTLY else ""

        now = [v for t in tables for v in values("src", t, partly(t))] or [
            "SELECT NULL::VARCHAR AS v"
        ]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _wanted AS "
            f"SELECT DISTINCT v AS text FROM ({' UNION ALL '.join(now)}) WHERE v IS NOT NULL"
        )
        before = [
            v for t in tables if t not in UNCHANGED_TEXTS for v in values("ed", t, partly(t))
        ] or ["SELECT NULL::VARCHAR AS v"]
        # And the texts of the loaded rows that left (kept in source_record_history).
        removed = (
            values(
                "src", "source_record_history",
                " WHERE record_id IN (SELECT record_id FROM _removed)", tables["source_record"],
            )
            if "source_record" in tables and "source_record_history" in self.tables
            else []
        ) or ["SELECT NULL::VARCHAR AS v WHERE false"]  # fmt: skip
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _left AS
            (SELECT text FROM {cached} AS c
             SEMI JOIN ({" UNION ALL ".join(before)}) AS b ON b.v = c.scrubbed
             UNION SELECT v FROM ({" UNION ALL ".join(removed)}) WHERE v IS NOT NULL)
            EXCEPT SELECT text FROM _wanted
            """
        )
        # Column by column here: a plain column's scan takes the semi join's filter.
        held = [
            f"SELECT v AS text FROM ({v}) SEMI JOIN _left AS l ON l.text = v"
            for t in tables
            if t in self.PARTLY
            for column in tables[t]
            for v in values("src", t, "", [column])
        ] or ["SELECT NULL::VARCHAR AS text WHERE false"]
        left = con.execute("SELECT count(*) FROM _left").fetchall()[0][0]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _gone AS SELECT text FROM _left"
            + (f" EXCEPT ({' UNION ALL '.join(held)})" if left else "")
        )
        return True

    def _internal_reason_changed(self) -> bool:
        if "ingest_file" not in self.tables:
            return False
        internal = (
            "SELECT sha256, status, run_id, ingested_at FROM {}.main.ingest_file "
            "WHERE reason_code = 'internal'"
        )
        return bool(
            self.con.execute(
                f"SELECT count(*) FROM ({internal.format('ed')} EXCEPT {internal.format('src')})"
            ).fetchall()[0][0]
        )

    def texts_for(self, where: dict[str, tuple[str, str]] | None, columns) -> None:
        """``_texts`` of a night read by change: the cached and new scrubs of the
        texts of the rows it writes (``where``: table -> (_, WHERE of the warehouse's rows
        written, on ``src_t``)) and of the tables it writes whole."""
        if not self.texts_since:
            return
        needed = [
            v
            for t, of in _by_table(columns).items()
            for v in _values_of(
                f"src.main.{_q(t)} AS src_t"
                + (f" WHERE {where[t][1]}" if where and t in where else ""),
                of,
                "text",
            )
        ] or ["SELECT NULL::VARCHAR AS text"]
        cached = self._cache("edition_text", "")
        # The few texts wanted first, as a table: joined to the cache as one union of
        # scans, DuckDB took the cache (every text, its words) for the smaller side and
        # hashed it whole.
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _texts_needed AS "
            f"SELECT DISTINCT text FROM ({' UNION ALL '.join(needed)}) WHERE text IS NOT NULL "
            "EXCEPT SELECT text FROM _new_texts"
        )
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _texts AS
            SELECT c.* FROM {cached} AS c SEMI JOIN _texts_needed USING (text)
            UNION ALL SELECT * FROM _new_texts
            """
        )

    def _phrases_for(self, split: list[tuple[str, list[str]]]) -> set[tuple[str, ...]]:
        """The known phrases that can match inside these texts (those starting with one
        of their words); ``split`` is `split_text` of each."""
        first = sorted({w for _, found in split for w in found})
        rows = self.con.execute(
            "SELECT DISTINCT phrase FROM _names WHERE phrase IS NOT NULL "
            "AND phrase[1] IN (SELECT unnest($w::VARCHAR[]))",
            {"w": first},
        ).fetchall()
        return {tuple(p) for (p,) in rows}

    # -- rows -----------------------------------------------------------------

    def row_texts(self, columns: list[tuple[str, str, bool]], records: str | None = None) -> None:
        """``_row_texts(record_id, text, scrubbed)``: the cells of these row-keyed (table,
        column, is a list) columns whose row's person has a name word among the text's
        loose words (`Scrubber.row_text`); every other cell is its text's ``_texts`` scrub.
        ``records``: a TEMP table of the only record_ids wanted (an edition that writes
        some rows only)."""
        con = self.con
        if "source_record" not in self.tables or not columns:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _row_texts "
                "(record_id BIGINT, text VARCHAR, scrubbed VARCHAR)"
            )
            return
        only = "" if records is None else f" WHERE record_id IN (SELECT record_id FROM {records})"
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _row_group AS "
            f"SELECT record_id, {GROUP} AS grp FROM src.main.source_record{only}"
        )
        # The names of those rows' persons only (all of them without ``records``): the rows
        # of their persons, and those rows themselves when they have none (a group of its
        # own, `GROUP`). Said on the columns, not on `GROUP`, and the four name columns read
        # in one pass: the expression was built for every loaded row, once per column.
        groups = (
            ""
            if records is None
            else " WHERE person_id IN (SELECT grp FROM _row_group) OR (person_id IS NULL "
            "AND record_id IN (SELECT record_id FROM _row_group))"
        )
        # Only the name words that some text has loose: a few, not every word of every name.
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _name_token AS
            SELECT name, token FROM (SELECT name, unnest(tokens) AS token FROM _names)
            SEMI JOIN (SELECT DISTINCT unnest(loose) AS token FROM _texts) USING (token)
            """
        )
        names = ", ".join(NAME_COLUMNS)
        by_name = (
            f"SELECT n.grp, t.token FROM (SELECT {GROUP} AS grp, unnest([{names}]) AS name "
            f"FROM src.main.source_record{groups}) AS n JOIN _name_token AS t USING (name)"
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _group_token AS SELECT DISTINCT * FROM ({by_name})"
        )
        cells = " UNION ".join(
            f"SELECT record_id, {'unnest(' + _q(c) + ')' if is_list else _q(c)} AS text "
            f"FROM src.main.{_q(t)}{only}"
            for t, c, is_list in columns
        )
        candidates = con.execute(
            f"""
            WITH cell AS ({cells}),
            loose AS (SELECT text, unnest(loose) AS token FROM _texts)
            SELECT DISTINCT cell.record_id, cell.text FROM cell
            JOIN _row_group AS r USING (record_id)
            JOIN loose USING (text)
            JOIN _group_token AS g ON g.grp = r.grp AND g.token = loose.token
            ORDER BY ALL
            """
        ).fetchall()
        tokens_of = {
            r: frozenset(ts)
            for r, ts in con.execute(
                "SELECT r.record_id, list(g.token) FROM _row_group AS r "
                "JOIN _group_token AS g USING (grp) "
                "WHERE r.record_id IN (SELECT unnest($r::BIGINT[])) GROUP BY r.record_id",
                {"r": sorted({r for r, _ in candidates})},
            ).fetchall()
        }
        phrases = self._phrases_for([split_text(t) for _, t in candidates])
        scrubber = Scrubber.of_phrases(phrases, tokens_of)
        rows = [(r, t, scrubber.row_text(t, r)) for r, t in candidates]
        types = {"record_id": INTEGER, "text": TEXT, "scrubbed": TEXT}
        _register(con, "_row_texts", types, rows)

    # -- lists ----------------------------------------------------------------

    def list_scrubs(self, columns: list[tuple[str, str]]) -> tuple[dict, dict]:
        """(text -> scrub, (record_id, text) -> row scrub) for the elements of these list
        columns (few distinct values: headers, statuses)."""
        if not columns:
            return {}, {}
        elements = " UNION ".join(
            f"SELECT unnest({_q(c)}) AS text FROM src.main.{_q(t)}" for t, c in columns
        )
        texts = dict(
            self.con.execute(
                f"SELECT text, scrubbed FROM _texts SEMI JOIN ({elements}) USING (text)"
            ).fetchall()
        )
        rows = {
            (r, t): s
            for r, t, s in self.con.execute(
                "SELECT record_id, text, scrubbed FROM _row_texts "
                f"SEMI JOIN ({elements}) USING (text)"
            ).fetchall()
        }
        return texts, rows

    # -- save -----------------------------------------------------------------

    def save(self, also=None) -> None:
        """Write what changed back to the warehouse, in one transaction: afterwards the
        cache holds exactly this build's names, texts and tokens. ``also``: called in
        the same transaction (which edition the cache now goes with)."""
        con = self.con
        # table, the column that says under which key or rules a row was made, what of
        # the cache this build kept (and how a row is found in it), what it made anew
        saved = (
            ("edition_token", "key_check", self.key_check, "_values", "kind, value", "_new_tokens"),
            ("edition_name", "rules", self.rules, "_known", "name", "_new_names"),
            ("edition_text", "rules", self.rules, "_valid", "text", "_new_texts"),
        )
        con.execute("BEGIN")
        try:
            for table, column, mark, kept, key, new in saved:
                on = " AND ".join(f"k.{c} = c.{c}" for c in key.split(", "))
                if table == "edition_text" and self.texts_since:  # the texts gone or redone
                    con.execute(
                        f"DELETE FROM src.main.{table} WHERE text IN "
                        "(SELECT text FROM _gone UNION ALL SELECT text FROM _new_texts)"
                    )
                elif self.by_change and table != "edition_text":  # the tokens, names gone
                    gone = "_gone_tokens" if table == "edition_token" else "_gone_names"
                    con.execute(
                        f"DELETE FROM src.main.{table} AS c WHERE EXISTS (SELECT 1 FROM "
                        f"{gone} AS k WHERE {on})"
                    )
                else:
                    con.execute(
                        f"DELETE FROM src.main.{table} AS c WHERE {column} <> $m "
                        f"OR NOT EXISTS (SELECT 1 FROM {kept} AS k WHERE {on})",
                        {"m": mark},
                    )
                con.execute(f"INSERT INTO src.main.{table} SELECT *, $m FROM {new}", {"m": mark})
            if also is not None:
                also()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("CHECKPOINT src")


def _list(words: tuple[str, ...] | None) -> list[str] | None:
    return None if words is None else list(words)
