"""Exports that hold identities are created 0600; ppks subject leaves a line in the access log."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys

from editions import query

from ppks.cli import main
from ppks.warehouse import access_log, build


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_subject_export_is_private_and_the_request_is_logged(built, tmp_path, capsys):
    warehouse = tmp_path / "ppks.duckdb"  # a copy: the shared warehouse stays as built
    shutil.copyfile(built.warehouse, warehouse)
    nik = query(warehouse, "SELECT nik FROM person WHERE nik IS NOT NULL LIMIT 1")[0][0]
    out = tmp_path / "sar" / "sar.xlsx"
    args = ["subject", "--nik", nik, "--warehouse", str(warehouse), "--export", str(out)]
    assert main([*args, "--requested-by", "PPID Dinsos"]) == 0
    assert main(["subject", "--nama", "NOBODY AT ALL", "--lahir", "1990-01-01",
                 "--warehouse", str(warehouse)]) == 0  # fmt: skip
    capsys.readouterr()
    assert mode(out) == 0o600
    rows = query(
        warehouse,
        "SELECT requested_by, os_user, query, exported_to, found FROM subject_access_log "
        "ORDER BY accessed_at",
    )
    assert [(r[0], json.loads(r[2]), r[3], r[4]) for r in rows] == [
        ("PPID Dinsos", {"nik": nik}, str(out.resolve()), True),
        (rows[1][1], {"nama": "NOBODY AT ALL", "tanggal_lahir": "1990-01-01"}, None, False),
    ]
    assert rows[1][1]  # the operating-system user
    assert not warehouse.with_name(warehouse.name + ".wal").exists()


def test_subject_is_refused_while_a_night_holds_the_lock(built, tmp_path, capsys):
    warehouse = tmp_path / "ppks.duckdb"
    shutil.copyfile(built.warehouse, warehouse)
    nik = query(warehouse, "SELECT nik FROM person WHERE nik IS NOT NULL LIMIT 1")[0][0]
    with build.exclusive_lock(warehouse):  # as a nightly run holds it
        code = main(["subject", "--nik", nik, "--warehouse", str(warehouse)])
    assert code == 1
    assert "another run holds" in capsys.readouterr().err
    assert query(warehouse, "SELECT count(*) FROM subject_access_log") == [(0,)]


def test_review_export_is_private(built, tmp_path, capsys):
    out = tmp_path / "review.xlsx"
    assert main(["review", "export", "--warehouse", str(built.warehouse), "--out", str(out)]) == 0
    capsys.readouterr()
    assert mode(out) == 0o600


def reader(warehouse):
    """A read-only DuckDB session on the warehouse in another process (an analyst's)."""
    process = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "ready"
    return process


READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("ready", flush=True)
time.sleep(600)
"""


def test_with_a_reader_on_the_warehouse_the_log_waits_beside_it_and_is_never_lost(
    built, tmp_path, capsys
):
    warehouse = tmp_path / "ppks.duckdb"
    shutil.copyfile(built.warehouse, warehouse)
    nik = query(warehouse, "SELECT nik FROM person WHERE nik IS NOT NULL LIMIT 1")[0][0]
    pending = access_log.pending_path(warehouse)
    session = reader(warehouse)
    try:
        assert main(["subject", "--nik", nik, "--warehouse", str(warehouse)]) == 0
        assert main(["subject", "--nik", nik, "--warehouse", str(warehouse),
                     "--requested-by", "second"]) == 0  # fmt: skip
    finally:
        session.kill()
        session.wait()
    assert "Loaded rows" in capsys.readouterr().out
    assert mode(pending) == 0o600 and len(access_log.pending(warehouse)) == 2
    assert query(warehouse, "SELECT count(*) FROM subject_access_log") == [(0,)]

    # The next night's copy takes the pending lines; publishing removes the file.
    staging = build.start_copy(warehouse, "night")
    build.publish(staging, warehouse)
    assert not pending.exists()
    rows = query(warehouse, "SELECT requested_by FROM subject_access_log ORDER BY accessed_at")
    assert rows[1] == ("second",) and len(rows) == 2

    # Without readers, a request goes straight into the table.
    assert main(["subject", "--nik", nik, "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT count(*) FROM subject_access_log") == [(3,)]
    assert not pending.exists()
