"""The ppks command: help on every subcommand, one-line errors, exit codes."""

import subprocess
import sys

import pytest

from ppks.cli import main


@pytest.mark.parametrize("command", ["nightly", "generate", "demo"])
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage: ppks " + command in capsys.readouterr().out


def test_missing_inbox_fails_with_one_line(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ppks.cli",
            "nightly",
            "--inbox",
            str(tmp_path / "nope"),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"ppks nightly: error: inbox folder not found: {tmp_path / 'nope'}"
    ]


def test_unwritable_warehouse_folder_fails_cleanly(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["nightly", "--inbox", str(inbox), "--warehouse", str(blocker / "w.duckdb")])
    assert code == 1
