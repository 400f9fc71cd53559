"""A real warehouse and its analyst edition, built by the real nightly flow on the sample inbox."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import ppks.flows.nightly as nightly_module
import pytest

from ppks.warehouse import analyst

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


@dataclass
class Built:
    warehouse: Path
    edition: Path
    key_file: Path
    first_tokens: dict  # snapshot of the first run's tokens
    first_key: str


def run_nightly(inbox: Path, warehouse: Path):
    """The night as production runs it: the flow builds the model and publishes the edition."""
    return nightly_module.nightly(inbox=inbox, warehouse=warehouse)


def tokens(edition: Path) -> dict:
    with duckdb.connect(str(edition), read_only=True) as con:
        return {
            "person": con.execute(
                "SELECT person_id, nik_token, kk_token FROM person ORDER BY ALL"
            ).fetchall(),
            "records": con.execute(
                "SELECT record_id, nik_token, kk_token FROM source_record ORDER BY ALL"
            ).fetchall(),
        }


@pytest.fixture(scope="session")
def built(samples_first_night, tmp_path_factory) -> Built:
    mp = pytest.MonkeyPatch()
    mp.delenv(analyst.KEY_ENV, raising=False)
    mp.delenv(analyst.KEY_FILE_ENV, raising=False)
    try:
        root = tmp_path_factory.mktemp("editions")
        # The first night (the session's, on the sample inbox): its warehouse folder's
        # files copied with their modes (warehouse, key, edition, notes).
        for path in samples_first_night.warehouse.parent.iterdir():
            if path.is_file():
                shutil.copy2(path, root / path.name)
        warehouse = root / samples_first_night.warehouse.name
        edition = analyst.analyst_path(warehouse)
        key_file = analyst.default_key_file(warehouse)
        first_tokens, first_key = tokens(edition), key_file.read_text()
        run_nightly(SAMPLES / "inbox", warehouse)  # the next night: same inbox, same key
    finally:
        mp.undo()
    return Built(warehouse, edition, key_file, first_tokens, first_key)


def cookbook_queries() -> list[str]:
    """Every ```sql block of docs/cookbook.md."""
    text = (SAMPLES.parents[2] / "docs" / "cookbook.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, re.S)


def query(path: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
