"""The markdown summary of a run: files by status, rows by source, top reasons."""

from __future__ import annotations

from pathlib import Path

from ppks.reporting.labels import REASON_TEXT, file_reason_text


def run_summary_markdown(run_id: str, warehouse: Path, counts) -> str:
    lines = [f"# Nightly run `{run_id}`", "", f"Warehouse: `{warehouse}`", "", "## Files", ""]
    lines += ["| status | files |", "| --- | ---: |"]
    for status in ("loaded", "rejected", "duplicate"):
        lines.append(f"| {status} | {counts.files[status]} |")
    lines.append(f"| already in the warehouse (skipped) | {counts.files_skipped} |")
    lines += [
        "",
        "## Rows by source",
        "",
        "| source | loaded | rejected |",
        "| --- | ---: | ---: |",
    ]
    for source in ("tksk", "psm", "slrt"):
        lines.append(
            f"| {source} | {counts.rows_loaded[source]} | {counts.rows_rejected[source]} |"
        )
    if counts.reasons:
        lines += ["", "## Top reasons for rejected rows", "", "| reason | rows |", "| --- | ---: |"]
        for reason, n in counts.reasons.most_common(10):
            lines.append(f"| {reason} ({REASON_TEXT.get(reason, '')}) | {n} |")
    if counts.file_reasons:
        lines += ["", "## Rejected files by reason", "", "| reason | files |", "| --- | ---: |"]
        for reason, n in counts.file_reasons.most_common():
            lines.append(f"| {reason} ({file_reason_text(reason)[0]}) | {n} |")
    return "\n".join(lines) + "\n"
