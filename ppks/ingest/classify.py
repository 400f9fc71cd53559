"""Decide, before reading, what to do with each file of the inbox.

A file is its name plus its content hash. A pair already recorded in the
warehouse is skipped (so a second run over the same inbox changes nothing);
content already loaded under another name is a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass

from ppks.ingest.inbox import InboxFile


@dataclass(frozen=True)
class Known:
    pairs: frozenset[tuple[str, str]]
    loaded_by_hash: dict[str, str]


@dataclass
class InboxPlan:
    """The inbox sorted: files to read, copies of another file, files already in the warehouse."""

    to_read: list[InboxFile]
    duplicates: list[tuple[InboxFile, str]]
    skipped: list[InboxFile]


def plan(files: list[InboxFile], known: Known) -> InboxPlan:
    to_read: list[InboxFile] = []
    duplicates: list[tuple[InboxFile, str]] = []
    skipped: list[InboxFile] = []
    first_of_hash: dict[str, str] = {}
    # When copies arrive together, the shortest name is taken as the original:
    # resends add to a name ("(kirim ulang)", "(1)", "- Copy"), they rarely shorten it;
    # of two paths with one name, the one nearer the top of the inbox.
    for item in sorted(files, key=lambda f: (len(f.name), f.name, len(f.inbox_path))):
        if (item.name, item.sha256) in known.pairs:
            skipped.append(item)
        elif item.sha256 in known.loaded_by_hash:
            duplicates.append((item, known.loaded_by_hash[item.sha256]))
        elif item.sha256 in first_of_hash:
            duplicates.append((item, first_of_hash[item.sha256]))
        else:
            first_of_hash[item.sha256] = item.name
            to_read.append(item)
    order = {id(f): k for k, f in enumerate(files)}
    return InboxPlan(
        to_read=sorted(to_read, key=lambda f: order[id(f)]),
        duplicates=sorted(duplicates, key=lambda d: order[id(d[0])]),
        skipped=skipped,
    )
