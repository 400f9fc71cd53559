"""`ppks generate --months N`: a history of N report months, the same persons recurring."""

from __future__ import annotations

import csv
import re
import statistics
from collections import defaultdict

import generate.test_generate_truth as truth_checks

from ppks.cli import main
from ppks_generator.write_inbox import DEFAULT_MONTHS, last_months


def read_csv(path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_default_is_the_three_months_the_inbox_always_had():
    # So `ppks generate` without --months writes the same bytes as before it existed.
    assert last_months(3) == DEFAULT_MONTHS
    assert last_months(24)[0] == "2024-11" and last_months(24)[-1] == "2026-10"
    assert last_months(14)[:3] == ["2025-09", "2025-10", "2025-11"]


def test_two_years_of_reports_with_their_truth(tmp_path, capsys):
    out = tmp_path / "g24"
    assert main(["generate", "--out", str(out), "--persons", "300", "--seed", "5",
                 "--months", "24"]) == 0  # fmt: skip
    capsys.readouterr()
    files = read_csv(out / "truth" / "files.csv")
    rows = read_csv(out / "truth" / "rows.csv")
    persons = read_csv(out / "truth" / "persons.csv")
    months = last_months(24)

    tksk_months = {r["bulan"] for r in rows if r["source"] == "tksk"}
    assert tksk_months == set(months)
    # SLRT exports cover the two years too (their notes name each export's period).
    periods = [
        re.search(r"(\d{4}-\d{2})\.\.(\d{4}-\d{2})", f["note"]).groups()
        for f in files
        if f["folder"] == "slrt" and f["note"].startswith("slrt kab")
    ]
    covered = {m for first, last in periods for m in months if first <= m <= last}
    assert covered == set(months)

    truth_checks.test_every_inbox_file_is_listed_once_under_a_unique_name(out, files)
    truth_checks.test_files_count_their_rows(files, rows)
    truth_checks.test_row_ids_are_unique_and_persons_known(rows, persons)

    seen = defaultdict(set)
    for r in rows:
        if r["source"] == "tksk" and r["person_id"]:
            seen[r["person_id"]].add(r["bulan"])
    assert statistics.median(len(m) for m in seen.values()) >= 4, "the same persons recur"
