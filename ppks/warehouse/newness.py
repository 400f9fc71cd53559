"""Which of two loaded files is the newer: the one a correction should keep."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

_CORRECTION_WORDS = re.compile(
    r"revisi|rev\b|_rev|perbaikan|koreksi|update|final|terbaru|\(\d+\)|ulang", re.IGNORECASE
)


def _mtimes(inbox: Path | None, files: list[tuple[str, str]]) -> dict[str, float]:
    """Name → latest modification time of the files of that name in their source folder.

    One walk per source folder (not a glob per file: a name such as ``Lap [rev].xlsx`` is
    not a pattern, and a provincial inbox is walked once); links are not followed, as the
    inbox scan does not follow them.
    """
    if inbox is None:
        return {}
    wanted: dict[str, set[str]] = {}
    for source, name in files:
        wanted.setdefault(source, set()).add(name)
    out: dict[str, float] = {}
    for source, names in wanted.items():
        for folder, _subfolders, filenames in os.walk(Path(inbox) / source):
            for name in names.intersection(filenames):
                path = Path(folder) / name
                if not path.is_symlink() and path.is_file():
                    out[name] = max(out.get(name, 0.0), path.stat().st_mtime)
    return out


def file_newness(
    con: duckdb.DuckDBPyConnection, run_id: str, inbox: Path | str | None, files: list[tuple]
):
    """The sort key that puts the newest of ``files`` last.

    ``files`` are (source, name, sha256, run_id, ingested_at) of loaded files.
    """
    old_shas = {s for (s,) in con.execute("SELECT sha256 FROM file_supersede").fetchall()}
    mtimes = _mtimes(
        Path(inbox) if inbox else None, [(f[0], f[1]) for f in files if f[3] == run_id]
    )

    def newness(f: tuple) -> tuple:
        _source, name, sha, file_run, ingested_at = f
        return (
            sha not in old_shas,
            ingested_at,
            file_run,
            mtimes.get(name, 0.0) if file_run == run_id else 0.0,
            bool(_CORRECTION_WORDS.search(Path(name).stem)),
            len(name),
            name,
        )

    return newness
