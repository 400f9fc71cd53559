"""One moderate inbox shared by the generator tests (about 2 seconds to write)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ppks_generator import generate_inbox

PERSONS = 1500
SEED = 11


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("inbox1500")
    summary = generate_inbox(out, PERSONS, SEED)
    assert summary["persons"] == PERSONS
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def files(generated: Path) -> list[dict[str, str]]:
    return read_csv(generated / "truth" / "files.csv")


@pytest.fixture(scope="session")
def rows(generated: Path) -> list[dict[str, str]]:
    return read_csv(generated / "truth" / "rows.csv")


@pytest.fixture(scope="session")
def persons(generated: Path) -> list[dict[str, str]]:
    return read_csv(generated / "truth" / "persons.csv")
