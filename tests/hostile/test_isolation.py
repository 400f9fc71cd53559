"""A file that crashes, hangs or exhausts its reader costs that file; the other files load."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from workbooks import item, tksk_rows, without_dimension, write_tksk

from ppks.ingest.isolate import Limits, read_batches

LIMITS = Limits(memory_bytes=2 << 30, file_seconds=60)


def outcomes(results) -> dict[str, tuple[str, str | None, int]]:
    return {
        o.item.name: (o.status, o.reason_code, o.rows_loaded) for r in results for o in r.outcomes
    }


def test_a_cell_at_xfd999999_is_rejected_as_too_large_before_any_grid(tmp_path):
    good = [write_tksk(tmp_path / f"good{k}.xlsx", tksk_rows(4)) for k in range(3)]
    far = write_tksk(tmp_path / "far.xlsx", tksk_rows(3), far_cell=(999_998, 16_383))
    results = read_batches(
        [[item(good[0]), item(far), item(good[1])], [item(good[2])]], limits=LIMITS
    )
    got = outcomes(results)
    assert got["far.xlsx"][:2] == ("rejected", "too_large")
    assert "XFD999999" in results[0].outcomes[1].reason
    assert all(got[p.name] == ("loaded", None, 4) for p in good)


def test_a_file_that_aborts_its_reader_is_found_and_the_batch_still_loads(tmp_path):
    # Without a <dimension> element the stray cell is only met inside calamine, which
    # asks for a grid of 16 billion cells and aborts its process.
    good = [write_tksk(tmp_path / f"good{k}.xlsx", tksk_rows(4)) for k in range(3)]
    bomb = without_dimension(
        write_tksk(tmp_path / "bomb.xlsx", tksk_rows(3), far_cell=(999_998, 16_383))
    )
    results = read_batches(
        [[item(good[0]), item(bomb), item(good[1])], [item(good[2])]], limits=LIMITS
    )
    got = outcomes(results)
    assert got["bomb.xlsx"][:2] == ("rejected", "reader_crashed")
    assert all(got[p.name] == ("loaded", None, 4) for p in good)
    assert [o.item.name for o in results[0].outcomes] == ["good0.xlsx", "bomb.xlsx", "good1.xlsx"]


def test_a_worker_killed_mid_batch_costs_nothing(tmp_path, caplog):
    files = [write_tksk(tmp_path / f"f{k}.xlsx", tksk_rows(800)) for k in range(4)]
    killed: list[int] = []

    def kill_first_worker():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for pid in workers_of(os.getpid()):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                break
            time.sleep(0.02)

    killer = threading.Thread(target=kill_first_worker)
    killer.start()
    results = read_batches([[item(p) for p in files]], limits=LIMITS, workers=1)
    killer.join()
    assert killed, "no worker process was seen"
    assert "reading them one by one" in caplog.text
    assert all(v == ("loaded", None, 800) for v in outcomes(results).values())


def test_a_file_over_its_time_limit_is_rejected_as_reader_timeout(tmp_path):
    slow = write_tksk(tmp_path / "slow.xlsx", tksk_rows(3000))
    results = read_batches([[item(slow)]], limits=Limits(memory_bytes=2 << 30, file_seconds=0.001))
    assert outcomes(results)["slow.xlsx"][:2] == ("rejected", "reader_timeout")


def workers_of(pid: int) -> list[int]:
    """Grandchildren of ``pid`` (the forkserver's children): the reader processes."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return [g for c in children.get(pid, []) for g in children.get(c, [])]


def test_a_file_gone_before_its_read_costs_that_file_not_the_night(tmp_path):
    # An OSError inside a worker (here: the file vanished between the inbox scan and
    # the read; at provincial scale, a worker out of address space) is the file's.
    good = [write_tksk(tmp_path / f"good{k}.xlsx", tksk_rows(4)) for k in range(2)]
    gone = write_tksk(tmp_path / "gone.xlsx", tksk_rows(3))
    batch = [item(good[0]), item(gone), item(good[1])]
    gone.unlink()
    got = outcomes(read_batches([batch], limits=LIMITS))
    assert got["gone.xlsx"][:2] == ("rejected", "io_error")
    assert all(got[p.name] == ("loaded", None, 4) for p in good)
