"""The inbox's files in one stable order: by source, then by path, as Path orders paths."""

from __future__ import annotations

from pathlib import Path

from ppks.ingest.inbox import SOURCES, discover


def test_files_come_by_source_then_path_as_paths_order(tmp_path):
    inbox = tmp_path / "inbox"
    # Names whose order as text differs from their order as paths ('-' sorts before '/').
    relative = [
        "tksk/a-b.xlsx", "tksk/a/b.xlsx", "tksk/a/a.xlsx", "tksk/A.xlsx", "tksk/a b/c.xlsx",
        "psm/z.xlsx", "psm/desa-1/x.xlsx", "psm/desa/x.xlsx",
        "slrt/2026/01.csv", "slrt/2026-01.csv",
    ]  # fmt: skip
    for name in relative:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(name.encode())
    files, skipped = discover(inbox)
    assert skipped == []
    expected = sorted(
        (inbox / r for r in relative),
        key=lambda p: (SOURCES.index(p.relative_to(inbox).parts[0]), p),
    )
    assert [f.path for f in files] == expected
    assert all(isinstance(f.path, Path) and f.path.is_file() for f in files)
