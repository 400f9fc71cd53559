"""Bad files never stop the night; a run that cannot complete says why in one line."""

from __future__ import annotations

import shutil
from collections import namedtuple

from helpers import SAMPLES

from ppks.cli import main
from ppks.ingest import sniff
from ppks.ingest.classify import Known, plan
from ppks.ingest.inbox import discover
from ppks.pipeline import process_batch
from ppks.warehouse import build


def test_an_enormous_file_is_rejected_and_the_others_load(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "inbox", inbox)
    big = inbox / "tksk" / "LAPORAN AGUSTUS KEC BEJI.xlsx"
    monkeypatch.setattr(sniff, "MAX_FILE_BYTES", big.stat().st_size - 1)
    files, _ = discover(inbox)
    result = process_batch(plan(files, Known(frozenset(), {})).to_read)
    status = {o.item.name: (o.status, o.reason_code) for o in result.outcomes}
    assert status[big.name] == ("rejected", "too_large")
    assert sum(1 for s, _ in status.values() if s == "loaded") > 20


def test_a_full_disk_fails_the_run_with_one_line(tmp_path, monkeypatch, capsys):
    inbox = tmp_path / "inbox"
    (inbox / "tksk").mkdir(parents=True)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(build.shutil, "disk_usage", lambda _: usage(10 << 30, 10 << 30, 1 << 20))
    code = main(["nightly", "--inbox", str(inbox), "--warehouse", str(tmp_path / "w.duckdb")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and "not enough free disk space" in err[0], err
    assert not (tmp_path / "w.duckdb").exists()
