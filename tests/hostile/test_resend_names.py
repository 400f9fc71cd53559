"""A corrected file whose name is also a glob pattern is still known by its time in the inbox."""

from __future__ import annotations

import os

import duckdb
from ppks.flows.nightly import nightly
from workbooks import tksk_rows, write_tksk


def test_the_file_modified_last_wins_whatever_its_name(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "ppks.duckdb"
    # Same kecamatan and month; no correction word; by name alone "[b]" would win.
    older = write_tksk(inbox / "tksk" / "Lap Puspo [b].xlsx", tksk_rows(3))
    newer = write_tksk(inbox / "tksk" / "arsip" / "Lap Puspo [a].xlsx", tksk_rows(4))
    stamp = older.stat().st_mtime
    os.utime(older, (stamp - 3600, stamp - 3600))
    os.utime(newer, (stamp, stamp))
    nightly(inbox=inbox, warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        status = dict(con.execute("SELECT source_file, status FROM ingest_file").fetchall())
    assert status == {"Lap Puspo [a].xlsx": "loaded", "Lap Puspo [b].xlsx": "superseded"}
