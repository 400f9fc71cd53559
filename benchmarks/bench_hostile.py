"""Peak memory and time of reading the worst files, each in a fresh process.

    python benchmarks/bench_hostile.py [--write docs/PERFORMANCE.md]

Each file is read by `ppks.ingest.isolate.read_alone` (the path a night takes
for a file that broke its batch) inside a fresh `python` process measured by
`/usr/bin/time`: its peak RSS includes the reader process it starts.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "hostile")]

from helpers import write_xlsx  # noqa: E402
from workbooks import inflated, tksk_rows, without_dimension, write_tksk  # noqa: E402

READ = """
import sys
from pathlib import Path
from workbooks import item
from ppks.ingest.isolate import Limits, read_alone
o = read_alone(item(Path(sys.argv[1]), sys.argv[2]), Limits.from_env()).outcomes[0]
print("OUTCOME", o.status, o.reason_code, o.rows_loaded)
"""


def cases(folder: Path) -> dict[str, Path]:
    out = {
        "valid TKSK, 5,000 rows": write_tksk(folder / "big.xlsx", tksk_rows(5000)),
        "one cell at XFD999999 (declared extent)": write_tksk(
            folder / "far.xlsx", tksk_rows(3), far_cell=(999_998, 16_383)
        ),
        "one cell at XFD999999, no <dimension>": without_dimension(
            write_tksk(folder / "bomb.xlsx", tksk_rows(3), far_cell=(999_998, 16_383))
        ),
    }
    sheets = {f"S{k}": [["No", "Nama"], [1, "SUKARTI"]] for k in range(200)}
    out["200 sheets"] = write_xlsx(folder / "sheets.xlsx", sheets)
    out["a sheet padded to unzip to 200 MB"] = inflated(
        write_tksk(folder / "padded.xlsx", tksk_rows(3)), 200
    )
    lines = ["id_layanan;tanggal_layanan;nik;nama;kode_wilayah;kategori_ppks"]
    lines += [
        f"SLRT-3514-{k:06d};2026-08-01;3514130302240017;WARGA {k};3514132012;PPKS-07"
        for k in range(100_000)
    ]
    out["SLRT CSV, 100,000 rows"] = folder / "slrt.csv"
    out["SLRT CSV, 100,000 rows"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def measure(path: Path) -> tuple[float, float, str]:
    source = "slrt" if path.suffix == ".csv" else "tksk"
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "PEAK_KB %M", sys.executable, "-c", READ, str(path), source],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}:{ROOT / 'tests' / 'hostile'}"},
        check=False,
    )
    seconds = time.perf_counter() - started
    peak = int(re.search(r"PEAK_KB (\d+)", done.stderr)[1]) / 1024
    outcome = re.search(r"OUTCOME (.*)", done.stdout)
    return seconds, peak, outcome[1] if outcome else done.stderr[-300:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    lines = [
        "### The worst files: peak memory of their read",
        "",
        "Command: `python benchmarks/bench_hostile.py`. One fresh process per file "
        "(its reader process included).",
        "",
        "| file | size | outcome | seconds | peak RSS |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in cases(Path(tmp)).items():
            seconds, peak, outcome = measure(path)
            lines.append(
                f"| {name} | {path.stat().st_size / 1024:,.0f} KB | {outcome} "
                f"| {seconds:.1f} | {peak:,.0f} MB |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        with args.write.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
