"""The `hard` profile writes the damage of issue #10; the default profile stays as it was."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from ppks_generator import generate_inbox
from ppks_generator.noise import HARD_ONLY_KINDS
from ppks_generator.profile import HARD, PROFILES, current, use


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hard")
    generate_inbox(out, 1500, 5, profile_name="hard")
    return out


def _rows(out: Path) -> list[dict[str, str]]:
    with (out / "truth" / "rows.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown generator profile"):
        generate_inbox(tmp_path, 10, 1, profile_name="nightmare")
    assert current().name == "default"


def test_profiles_are_named_and_hard_is_harder() -> None:
    assert set(PROFILES) == {"default", "hard"}
    default = PROFILES["default"]
    for field in ("id_missing", "id_length", "dob_blank", "dob_year", "dob_placeholder"):
        assert getattr(HARD.hand, field) > getattr(default.hand, field), field
    assert HARD.no_nik > default.no_nik and HARD.twins > default.twins


def test_hard_profile_writes_its_damage(hard: Path) -> None:
    rows = _rows(hard)
    kinds = Counter(k for r in rows for k in r["noise"].split("|") if k)
    assert set(kinds) >= HARD_ONLY_KINDS
    loaded = [r for r in rows if r["expected"] == "load"]
    no_nik = sum(1 for r in loaded if not r["nik"]) / len(loaded)
    assert no_nik > 0.1
    # Some people are reported in two kecamatan (they moved).
    places = defaultdict(set)
    for r in loaded:
        places[r["person_id"]].add(r["kode_kecamatan"])
    assert any(len(k) > 1 for k in places.values())
    # Some TKSK reports carry no place in their file name.
    tksk = {r["source_file"] for r in rows if r["folder"] == "tksk"}
    assert any(name.lower().startswith(("laporan tksk ", "lap tksk ")) for name in tksk)
    assert current().name == "default"


def test_hard_profile_is_deterministic(hard: Path, tmp_path: Path) -> None:
    generate_inbox(tmp_path, 1500, 5, profile_name="hard")
    for name in ("rows.csv", "persons.csv", "files.csv"):
        assert (tmp_path / "truth" / name).read_bytes() == (hard / "truth" / name).read_bytes()


def test_use_sets_the_active_profile() -> None:
    try:
        assert use("hard") is HARD
    finally:
        use("default")
