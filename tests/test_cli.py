"""The ppks command: help on every subcommand, one-line errors, exit codes."""

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from ppks import settings
from ppks.cli import build_parser, main, pipeline_commands


def _subcommands(parser=None, prefix=()):
    """The parser and every subcommand and sub-subcommand under it, as found in the
    argparse tree: (), ("nightly",), ("review",), ("review", "import"), ..."""
    parser = parser or build_parser()
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _subcommands(sub, (*prefix, name))


COMMANDS = list(_subcommands())


def test_the_subcommands_are_all_found():
    assert {"nightly", "export", "subject", "docs", "edition", "config", "serve"} <= {
        c[0] for c in COMMANDS if c
    }
    assert {(), ("review",), ("review", "import"), ("review", "export")} <= set(COMMANDS)


def test_the_readme_names_every_subcommand():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        if command:
            assert f"`ppks {' '.join(command)}" in readme, command


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ppks")
def test_every_subcommand_has_help_showing_the_settings_in_force(
    command, capsys, monkeypatch, tmp_path
):
    monkeypatch.setenv("PPKS_WAREHOUSE", str(tmp_path / "from-env.duckdb"))
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "usage: ppks " + " ".join(command) in out
    if "--warehouse" in out:
        assert "from-env.duckdb[environmentPPKS_WAREHOUSE]" in "".join(out.split())


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("ppks 0.")


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--parquet", "out"],
        ["subject", "--nik", "3578010101010001"],
        ["docs", "--out", "w.md"],
        ["edition"],
        ["review", "export", "--out", "r.xlsx"],
        ["nightly"],
    ],
    ids=lambda a: a[0] if a[0] != "review" else "review export",
)
def test_every_command_reads_the_warehouse_from_ppks_warehouse(argv, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PPKS_HOME", str(tmp_path / "home"))
    (tmp_path / "inbox").mkdir()
    monkeypatch.setenv("PPKS_INBOX", str(tmp_path / "inbox"))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    # A warehouse that cannot exist: each command must fail naming it, not the default.
    monkeypatch.setenv("PPKS_WAREHOUSE", str(blocker / "env.duckdb"))
    assert main(argv) == 1
    assert str(blocker) in capsys.readouterr().err


def test_settings_file_is_read_by_the_analyst_commands(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("PPKS_WAREHOUSE", raising=False)
    config = tmp_path / "ppks.toml"
    config.write_text('warehouse = "wh/from-file.duckdb"\n', encoding="utf-8")
    monkeypatch.setenv("PPKS_CONFIG", str(config))
    assert main(["export", "--parquet", str(tmp_path / "out")]) == 1
    assert str(tmp_path / "wh" / "from-file_analyst.duckdb") in capsys.readouterr().err
    assert main(["edition"]) == 1
    assert str(tmp_path / "wh" / "from-file.duckdb") in capsys.readouterr().err
    # A flag wins over the file.
    assert main(["edition", "--warehouse", str(tmp_path / "flag.duckdb")]) == 1
    assert str(tmp_path / "flag.duckdb") in capsys.readouterr().err


def test_review_import_honours_ppks_review_decisions(monkeypatch, tmp_path, xlsx):
    workbook = xlsx(
        "review.xlsx",
        {
            "Review": [
                ["file_a", "sheet_a", "row_a", "file_b", "sheet_b", "row_b", "keputusan"],
                ["a.xlsx", "S", 5, "b.xlsx", "S", 7, "SAMA"],
            ]
        },
    )
    decisions = tmp_path / "elsewhere" / "decisions.csv"
    decisions.parent.mkdir()
    monkeypatch.setenv("PPKS_REVIEW_DECISIONS", str(decisions))
    monkeypatch.setenv("PPKS_WAREHOUSE", str(tmp_path / "wh" / "ppks.duckdb"))
    assert main(["review", "import", str(workbook), "--reviewer", "rina"]) == 0
    assert decisions.is_file()
    assert not (tmp_path / "wh" / "review_decisions.csv").exists()
    assert settings.review_decisions_path(tmp_path / "wh" / "ppks.duckdb") == decisions


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


def test_what_the_night_prepares_while_its_server_boots_is_there():
    # Prepared ahead only to save time: a name gone in an upgrade would fail nothing,
    # and the night would quietly wait for it again.
    for module in pipeline_commands.NIGHT_MODULES:
        importlib.import_module(module)
    for module, name in pipeline_commands.NIGHT_MODELS:
        model = getattr(importlib.import_module(module), name)
        model.model_rebuild()
        assert model.__pydantic_complete__
