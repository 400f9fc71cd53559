"""Settings: environment over file over defaults; `ppks config` says where each value came from."""

from __future__ import annotations

import pytest

from ppks import settings
from ppks.cli import main


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for env, _ in settings.SETTINGS.values():
        monkeypatch.delenv(env, raising=False)
    monkeypatch.delenv("PPKS_CONFIG", raising=False)
    monkeypatch.setenv("PPKS_HOME", str(tmp_path / "home"))
    return tmp_path


def test_defaults_file_and_environment(clean_env, monkeypatch, capsys):
    values = settings.load()
    assert values["schedule"] == ("0 2 * * *", "default")
    assert values["timezone"] == ("Asia/Jakarta", "default")
    assert values["inbox"][0] == clean_env / "home" / "inbox"

    config = clean_env / "etc" / "ppks.toml"
    config.parent.mkdir()
    config.write_text('inbox = "in"\nschedule = "15 3 * * *"\n', encoding="utf-8")
    monkeypatch.setenv("PPKS_CONFIG", str(config))
    monkeypatch.setenv("PPKS_OUTBOX", str(clean_env / "out"))
    values = settings.load()
    assert values["inbox"] == (clean_env / "etc" / "in", f"file {config}")
    assert values["schedule"][0] == "15 3 * * *"
    assert values["outbox"] == (clean_env / "out", "environment PPKS_OUTBOX")

    assert main(["config"]) == 0
    shown = capsys.readouterr().out
    assert "15 3 * * *" in shown and "[environment PPKS_OUTBOX]" in shown


@pytest.mark.parametrize(
    "text, message",
    [
        ('schedule = "every night"\n', "cron line"),
        ('timezone = "Asia/Nowhere"\n', "time zone"),
        ('inbx = "typo"\n', "unknown setting"),
        ("inbox = \n", "cannot read"),
    ],
)
def test_bad_settings_fail_with_one_line(clean_env, monkeypatch, capsys, text, message):
    config = clean_env / "ppks.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PPKS_CONFIG", str(config))
    assert main(["config"]) == 1
    assert message in capsys.readouterr().err
