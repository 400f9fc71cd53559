"""The README's numbers are the code's: batch sizes, limits and defaults."""

from __future__ import annotations

import re
from pathlib import Path

import ppks.flows.nightly as nightly

from ppks import settings
from ppks.ingest.isolate import WORKERS, Limits
from ppks.settings import MEMORY_LIMIT
from ppks.warehouse.mart_delta import MOVED_SHARE

README = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text().split())


def test_batch_sizes():
    files, mb = re.search(r"up to (\d+) files or (\d+) MB", README).groups()
    assert int(files) == nightly.BATCH_FILES
    assert int(mb) * 1024 * 1024 == nightly.BATCH_BYTES


def test_reader_limits():
    words = {"two": 2, "three": 3, "four": 4}
    workers = re.search(r"by (\w+) worker processes", README).group(1)
    assert words.get(workers, workers) == WORKERS
    memory = re.search(r"`PPKS_READ_MEMORY_MB`, default (\d+)", README).group(1)
    assert int(memory) * 1024 * 1024 == Limits.memory_bytes
    seconds = re.search(r"`PPKS_READ_TIMEOUT_S`, default (\d+)", README).group(1)
    assert float(seconds) == Limits.file_seconds


def test_memory_limit():
    assert f"`PPKS_MEMORY_LIMIT` (default `{MEMORY_LIMIT}`)" in README


def test_setting_defaults_and_variables():
    for env, default in settings.SETTINGS.values():
        assert f"`{env}`" in README, env
        text = default()
        if text and not text.startswith("/"):  # the schedule, the time zone
            assert text in README, (env, text)
    assert f"`{settings.DECISIONS_NAME}`" in README


def test_marts_share_built_whole():
    shares = {"a quarter": 0.25, "a third": 1 / 3, "half": 0.5}
    share = re.search(r"moves more than (a quarter|a third|half) of a mart's rows", README).group(1)
    assert shares[share] == MOVED_SHARE
