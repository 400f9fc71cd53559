"""The project as a user installs it: a wheel, in a venv of its own, run from an empty folder.

The fresh venv gets only the wheel (``pip install --no-deps``); the third-party
packages come from the project venv's site-packages through a ``.pth`` line,
so the test runs offline and in seconds. A ``.pth`` line adds a folder but
does not run the ``.pth`` files inside it, so the project's editable install
stays switched off there: ppks, its SQL and its flows come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = set(find_packages(str(ROOT), include=["ppks*"]))
    found |= {f"ppks.{p}" for p in find_packages(str(ROOT), include=["flows*", "schemas*"])}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_sql_is_read_from_the_package():
    from ppks.warehouse import schema

    tables = [p.name for p in schema.table_files("staging")]
    assert "ingest_file.sql" in tables
    assert "CREATE" in schema.sql_text("staging/ingest_file.sql").upper()


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PPKS_", "PREFECT_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(DO_NOT_TRACK="1", PREFECT_LOGGING_LEVEL="WARNING", PPKS_PROGRESS="0", **extra)
    return env


@pytest.mark.slow
def test_the_wheel_installs_and_runs_the_demo_from_an_empty_folder(tmp_path):
    # Built from a copy, so setuptools' build/ folder is not left in the checkout.
    source = tmp_path / "source"
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    for name in ("ppks", "ppks_generator", "flows", "schemas", "sql"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        check=True,
        env=_clean_env(),
        capture_output=True,
    )
    [wheel] = dist.glob("ppks_warehouse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ppks/sql/staging/ingest_file.sql" in names
    assert "ppks/flows/nightly.py" in names and "ppks/schemas/raw.py" in names
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"ppks", "ppks_generator"}, "only the product and its generator install"
    assert "ppks/reference/data/wilayah_jatim.csv" in names

    # A fresh venv without a pip of its own (ensurepip costs seconds): this pip installs
    # into it (--python), as the venv's own pip would.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            venv / "bin" / "python",
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        env=_clean_env(),
        capture_output=True,
    )

    empty = tmp_path / "empty"
    empty.mkdir()
    env = _clean_env(PPKS_HOME=str(empty))
    ppks = str(venv / "bin" / "ppks")
    where = subprocess.run(
        [
            venv / "bin" / "python",
            "-c",
            "import ppks, ppks.warehouse.schema as s; print(ppks.__file__); print(s.sql_root())",
        ],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(site) in where and str(ROOT) not in where, where

    version = subprocess.run(
        [ppks, "--version"], cwd=empty, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert version.startswith("ppks ")

    demo = subprocess.run(
        [ppks, "demo", "--persons", "60"], cwd=empty, env=env, capture_output=True, text=True
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    loaded = int(demo.stdout.split("rows loaded ")[1].split(",")[0])
    assert loaded > 0
    assert (empty / "demo" / "ppks.duckdb").is_file()
