"""The project's SQL, applied folder by folder, in name order.

The SQL lives in ``sql/`` at the top of the repository and is installed as
the package data ``ppks.sql`` (pyproject.toml maps one onto the other), so it
is read through importlib.resources and works from a wheel as from a
checkout. Every reader of SQL goes through ``sql_files`` or ``sql_text``.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

import duckdb


def sql_root() -> Traversable:
    return resources.files("ppks.sql")


def sql_files(folder: str) -> list[Traversable]:
    """The ``*.sql`` files of one folder (e.g. ``01_tables``), in name order."""
    path = sql_root() / folder
    if not path.is_dir():
        raise FileNotFoundError(f"SQL folder missing from the installed package: ppks/sql/{folder}")
    return sorted((p for p in path.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)


def sql_text(relpath: str) -> str:
    """The text of one SQL file, e.g. ``sql_text("01_tables/link_run.sql")``."""
    return (sql_root() / relpath).read_text(encoding="utf-8")


def apply(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    for path in sql_files(folder):
        con.execute(path.read_text(encoding="utf-8"))
