"""Apply the project's SQL files, folder by folder, in name order."""

from __future__ import annotations

from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def sql_files(folder: str) -> list[Path]:
    path = SQL_DIR / folder
    if not path.is_dir():
        raise FileNotFoundError(f"SQL folder missing: {path} (install the project with pip -e)")
    return sorted(path.glob("*.sql"))


def apply(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    for path in sql_files(folder):
        con.execute(path.read_text(encoding="utf-8"))
