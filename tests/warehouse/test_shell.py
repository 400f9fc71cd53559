"""Both editions open in the DuckDB shell analysts install from PyPI (duckdb-cli)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from editions import cookbook_queries

PACKAGE = "duckdb-cli"


@pytest.fixture(scope="session")
def shell(tmp_path_factory) -> Path:
    """The registry's duckdb shell, installed into a private folder by pip."""
    target = tmp_path_factory.mktemp("duckdb-cli")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--target", str(target), PACKAGE],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        text = result.stderr + result.stdout
        unreachable = any(
            s in text
            for s in ("Could not find a version", "NewConnectionError", "Network is unreachable",
                      "Temporary failure in name resolution", "No matching distribution")
        )  # fmt: skip
        if unreachable:
            pytest.skip(f"package registry unreachable, cannot install {PACKAGE}: {text[-300:]}")
        raise AssertionError(f"pip install {PACKAGE} failed:\n{text}")
    binary = target / "duckdb_cli" / "duckdb"
    assert binary.exists(), f"{PACKAGE} has no duckdb binary at {binary}"
    binary.chmod(binary.stat().st_mode | 0o111)
    return binary


def run_shell(shell: Path, database: Path, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(shell), "-readonly", "-csv", str(database), "-c", sql],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "HOME": str(database.parent)},
    )  # fmt: skip


def test_shell_is_the_registry_release(shell):
    version = subprocess.run([str(shell), "--version"], capture_output=True, text=True).stdout
    assert version.startswith("v1."), version


@pytest.mark.parametrize("edition", ["full", "analyst"])
def test_shell_opens_the_edition_and_runs_the_cookbook(shell, built, edition):
    path = built.warehouse if edition == "full" else built.edition
    for sql in cookbook_queries():
        result = run_shell(shell, path, sql)
        assert result.returncode == 0 and not result.stderr, f"{sql}\n{result.stderr}"
        assert result.stdout.strip(), sql
