"""Same seed, same bytes: the pipeline detects resent files by sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ppks_generator import generate_inbox


def digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = generate_inbox(tmp_path / "a", 400, 3)
    second = generate_inbox(tmp_path / "b", 400, 3)
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert a == b
    assert first["files"] == second["files"] == len([k for k in a if k.startswith("inbox")])
    assert {"truth/files.csv", "truth/rows.csv", "truth/persons.csv"} <= set(a)


def test_another_seed_gives_another_inbox(tmp_path: Path) -> None:
    generate_inbox(tmp_path / "a", 300, 3)
    generate_inbox(tmp_path / "b", 300, 4)
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert a["truth/persons.csv"] != b["truth/persons.csv"]


def test_worker_processes_do_not_change_the_output(tmp_path: Path) -> None:
    generate_inbox(tmp_path / "one", 300, 5, workers=1)
    generate_inbox(tmp_path / "two", 300, 5, workers=2)
    assert digests(tmp_path / "one") == digests(tmp_path / "two")


def test_a_second_run_replaces_the_first(tmp_path: Path) -> None:
    generate_inbox(tmp_path, 300, 1)
    generate_inbox(tmp_path, 250, 2)
    listed = (tmp_path / "truth" / "files.csv").read_text().splitlines()[1:]
    on_disk = [p for p in (tmp_path / "inbox").rglob("*") if p.is_file()]
    assert len(listed) == len(on_disk)


def test_kabupaten_and_months_are_honoured(tmp_path: Path) -> None:
    generate_inbox(tmp_path, 300, 1, kabupaten=["35.78"], months=["2026-01", "2026-02"])
    persons = (tmp_path / "truth" / "persons.csv").read_text().splitlines()[1:]
    desas = [line.split(",")[6] for line in persons if line.startswith("P")]
    assert desas and all(d.startswith("35.78.") for d in desas)
    rows = (tmp_path / "truth" / "rows.csv").read_text()
    assert ",tksk,tksk,2026-01," in rows and ",tksk,tksk,2026-02," in rows
    assert "2026-10" not in rows


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"kabupaten": ["35.99"]}, "unknown kabupaten"), ({"months": ["2026-13"]}, "month")],
)
def test_bad_arguments_are_refused(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_inbox(tmp_path, 100, 1, **kwargs)
