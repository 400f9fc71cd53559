"""A real warehouse and its analyst edition, built by the real nightly flow on the sample inbox.

Until the load step calls `apply_model` and the flow publishes the analyst
edition itself, the fixture adds exactly those two calls around the flow (the
integration the lead makes in ppks/warehouse/write_steps.py and flows/nightly.py).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import ppks.flows.nightly as nightly_module
import pytest

from ppks.warehouse import analyst, build
from ppks.warehouse import write_steps as run_module
from ppks.warehouse.marts import apply_model

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"

LINKAGE_OBJECTS = {
    "link_run",
    "person_link",
    "person_identity",
    "person_id_history",
    "person_id_current",
    "review_decision",
    "review_queue",
}


@dataclass
class Built:
    warehouse: Path
    edition: Path
    key_file: Path
    first_tokens: dict  # snapshot of the first run's tokens
    first_key: str


def _integrated() -> bool:
    return "apply_model" in inspect.getsource(run_module) and "analyst" in inspect.getsource(
        nightly_module
    )


def run_nightly(inbox: Path, warehouse: Path):
    if _integrated():
        return nightly_module.nightly(inbox=inbox, warehouse=warehouse)
    original_write, original_publish = nightly_module.write_results, build.publish

    def write_results(con, **kwargs):
        counts = original_write(con, **kwargs)
        apply_model(con)
        return counts

    def publish(staging, target, mode=0o600):
        built = analyst.build_edition(staging, target)
        try:
            original_publish(staging, target, mode)
        except BaseException:
            analyst.discard_edition(target)
            raise
        analyst.publish_edition(built, target)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nightly_module, "write_results", write_results)
        mp.setattr(build, "publish", publish)
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
def built(tmp_path_factory) -> Built:
    mp = pytest.MonkeyPatch()
    mp.delenv(analyst.KEY_ENV, raising=False)
    mp.delenv(analyst.KEY_FILE_ENV, raising=False)
    try:
        root = tmp_path_factory.mktemp("editions")
        warehouse = root / "ppks.duckdb"
        run_nightly(SAMPLES / "inbox", warehouse)
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
