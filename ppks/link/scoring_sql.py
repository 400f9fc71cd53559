"""The statements Splink sends DuckDB to score a stored model's pairs, kept beside the model.

Every incremental night scores its blocked pairs with the same stored model, and Splink
wrote the same statements for it every night: building its Linker and writing predict's
SQL with sqlglot was about 0.25 s of CPU of a 1%-new night's 2.5 s of linkage at six
months (docs/PERFORMANCE.md, branch link30), fixed whatever the night brought. The
statements of one scoring are recorded (`Recording`), kept in `link_model.scoring_sql`
with the key of everything that shaped them (`key`), and replayed by later nights
(`Kept.statements`) without building a Linker: the same SQL on the same tables gives the
same pairs and weights.

The key holds the model as scoring reads it, the weight threshold, the columns of the
tables Splink reads (its SQL lists them), Splink's and DuckDB's versions and `FORMAT`: a
new model, an upgrade, or a change of what scoring hands Splink misses, and the night
scores as before and records the statements again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from importlib import metadata

import duckdb

logger = logging.getLogger(__name__)

# What is recorded and how it is replayed: bump it when either changes.
FORMAT = 1
# Statements Splink issues to read a table's columns while it writes its SQL: the key
# holds what they read, and a replay needs none of them.
_READS = ("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS",)
# Statements a replay repeats: the tables of one scoring, made and dropped.
_WRITES = ("CREATE TABLE ", "DROP TABLE IF EXISTS ")


def key(con: duckdb.DuckDBPyConnection, settings: dict, threshold: float, tables: list[str]) -> str:
    """What shaped Splink's statements: the model's settings as handed to the Linker, the
    threshold, the columns (and types) of the tables it reads on `con`, the versions."""
    columns = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE list_contains($tables, table_name) ORDER BY table_name, ordinal_position",
        {"tables": sorted(tables)},
    ).fetchall()
    text = json.dumps(
        {
            "settings": settings,
            "threshold": repr(float(threshold)),
            "columns": columns,
            "splink": metadata.version("splink"),
            "duckdb": duckdb.__version__,
            "format": FORMAT,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Kept:
    """link_model.scoring_sql of the model in use (None: nothing kept yet); after a
    scoring that missed, `recorded` holds the text to keep in its place."""

    text: str | None
    recorded: str | None = None

    def statements(self, wanted: str) -> tuple[list[str], str] | None:
        """(statements, the table of scored pairs they leave) kept under key `wanted`."""
        if not self.text:
            return None
        kept = json.loads(self.text)
        if kept.get("key") != wanted:
            return None
        return kept["statements"], kept["output"]

    def record(self, wanted: str, statements: list[str], output: str) -> None:
        """Keep what a scoring sent, when every statement is one a replay can repeat or
        one whose answer the key holds; otherwise nothing (an upgrade of Splink that
        sends something else scores the old way until this module learns it)."""
        kept = []
        for sql in statements:
            head = " ".join(sql.split()).upper()
            if head.startswith(_READS):
                continue
            if not head.startswith(_WRITES):
                return
            kept.append(sql)
        if not any(" ".join(sql.split()).startswith(f"CREATE TABLE {output} ") for sql in kept):
            return
        names = _Names()
        kept = [_SPLINK_TABLE.sub(names.deterministic, sql) for sql in kept]
        output = _SPLINK_TABLE.sub(names.deterministic, output)
        self.recorded = json.dumps({"key": wanted, "statements": kept, "output": output})


# Splink names a table it makes by its purpose and a hash of its SQL and of a random id of
# the Linker: kept as they are, two runs of one night would keep two texts.
_SPLINK_TABLE = re.compile(r"\b(__splink__\w+?)_[0-9a-f]{9}\b")


class _Names:
    """Each of Splink's table names, by its purpose and the order it first appears."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def deterministic(self, match: re.Match) -> str:
        return self.names.setdefault(match[0], f"{match[1]}_ppks{len(self.names)}")


class Recording:
    """The statements Splink's DuckDBAPI `db_api` sends while the block runs.

    Wraps that one object's method (Splink's own hook for running SQL), never the class:
    another Linker in the process is untouched. A Splink without it records nothing."""

    def __init__(self, db_api) -> None:
        self.db_api = db_api
        self.statements: list[str] | None = None

    def __enter__(self) -> Recording:
        run = getattr(self.db_api, "_execute_sql_against_backend", None)
        if run is None:
            return self
        statements: list[str] = []

        def recording(sql: str):
            statements.append(sql)
            return run(sql)

        self.db_api._execute_sql_against_backend = recording
        self.statements = statements
        return self

    def __exit__(self, *exc) -> None:
        self.db_api.__dict__.pop("_execute_sql_against_backend", None)
        if exc[0] is not None:
            self.statements = None


def replay(con: duckdb.DuckDBPyConnection, statements: list[str], output: str) -> str | None:
    """The kept statements run on `con`; the table of scored pairs they leave, or None
    when one fails (what the key does not hold: the caller scores through Splink)."""
    try:
        for sql in statements:
            con.execute(sql)
    except duckdb.Error as exc:
        logger.warning("kept scoring statements failed (%s); Splink writes them again", exc)
        return None
    return output
