"""Where things are when nobody says otherwise.

Every default can be overridden on the command line; ``PPKS_HOME`` moves the
whole working area (inbox, warehouse, demo) at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path


def home() -> Path:
    return Path(os.environ.get("PPKS_HOME", "var")).resolve()


def quiet_prefect() -> None:
    """No telemetry, and no shutdown noise from Prefect's temporary local server."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY", "false")
    os.environ.setdefault("PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS", "false")
    os.environ.setdefault("PREFECT_LOGGING_SERVER_LEVEL", "CRITICAL")
    # On a busy 2-core machine the temporary server can take longer than
    # Prefect's default to start; a night must not fail for that.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


# --- Settings: one path for every command -----------------------------------
#
# A command-line flag wins over an environment variable, which wins over the
# settings file (TOML, ``PPKS_CONFIG``, else ``$PPKS_HOME/ppks.toml``), which
# wins over the built-in default. Every command resolves its paths through
# ``resolve``; ``ppks config`` and every ``--help`` show what is in force and
# where each value came from.
#
# Not pydantic-settings (installed through Prefect): it layers the same
# sources but does not say which source gave each value, which is what
# ``ppks config`` is for, nor resolve relative paths against the settings
# file's folder; four small functions here do both.

DECISIONS_NAME = "review_decisions.csv"
# The night's DuckDB memory: every DuckDB database a night opens (the private copy,
# linkage's own, the analyst edition's, the reports') runs under it and spills to a
# folder beside its file past it. DuckDB's own default is 80% of the machine's memory,
# and it keeps every block a query read cached up to its limit: without one, a night's
# memory grew with the history its queries read, not with what arrived.
MEMORY_LIMIT = "3GB"
# A night whose files to read come to at most this share of the bytes of the files
# already loaded writes the live warehouse in place, in one DuckDB transaction, when
# nobody has the file open (flows/night.py, ppks.warehouse.in_place): the copy of the
# whole warehouse was most of what such a night's cost grew by with the history. A
# larger night (a month of reports, a first night) works on a private copy: it would
# keep readers out of the live file for minutes, and the copy is a small part of it.
IN_PLACE_SHARE = "0.05"
_UNITS = {"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}  # fmt: skip


def _beside_the_warehouse() -> str:
    """Empty: decided beside the warehouse in use (review_decisions_file, analyst.load_key)."""
    return ""


# key: (environment variable, its default). The one place a default is written:
# a function, because paths under PPKS_HOME are known only when a command runs.
SETTINGS: dict[str, tuple[str, Callable[[], str]]] = {
    "inbox": ("PPKS_INBOX", lambda: str(home() / "inbox")),
    "warehouse": ("PPKS_WAREHOUSE", lambda: str(home() / "warehouse" / "ppks.duckdb")),
    "outbox": ("PPKS_OUTBOX", lambda: str(home() / "outbox")),
    "secret_key_file": ("PPKS_SECRET_KEY_FILE", _beside_the_warehouse),
    "schedule": ("PPKS_SCHEDULE", lambda: "0 2 * * *"),
    "timezone": ("PPKS_TIMEZONE", lambda: "Asia/Jakarta"),
    "deployment": ("PPKS_DEPLOYMENT", lambda: "ppks-nightly"),
    "review_decisions": ("PPKS_REVIEW_DECISIONS", _beside_the_warehouse),
    "memory_limit": ("PPKS_MEMORY_LIMIT", lambda: MEMORY_LIMIT),
    "in_place_share": ("PPKS_IN_PLACE_SHARE", lambda: IN_PLACE_SHARE),
}
PATH_KEYS = ("inbox", "warehouse", "outbox", "secret_key_file", "review_decisions")


class SettingsError(ValueError):
    """The settings file cannot be read or holds a value that makes no sense."""


def config_path() -> Path:
    return Path(os.environ.get("PPKS_CONFIG") or home() / "ppks.toml").resolve()


def _file_values(path: Path) -> dict:
    import tomllib

    if not path.is_file():
        if os.environ.get("PPKS_CONFIG"):
            raise SettingsError(f"settings file not found: {path} (PPKS_CONFIG)")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"cannot read the settings file {path}: {exc}") from exc
    table = data.get("ppks", data)
    unknown = sorted(set(table) - set(SETTINGS))
    if unknown:
        raise SettingsError(f"unknown setting(s) in {path}: {', '.join(unknown)}")
    return table


def load() -> dict[str, tuple[object, str]]:
    """Every setting in force: key -> (value, where it came from)."""
    path = config_path()
    values = _file_values(path)
    out: dict[str, tuple[object, str]] = {}
    base = path.parent
    for key, (env, default) in SETTINGS.items():
        if os.environ.get(env):
            value, origin = os.environ[env], f"environment {env}"
        elif key in values:
            value, origin = str(values[key]), f"file {path}"
        else:
            value, origin = default(), "default"
        if key in PATH_KEYS and value:
            p = Path(value).expanduser()
            value = p if p.is_absolute() or origin.startswith("environment") else base / p
            value = value.resolve()
        out[key] = (value, origin)
    _check(out)
    return out


def _check(values: dict[str, tuple[object, str]]) -> None:
    _megabytes(str(values["memory_limit"][0]))
    _share(str(values["in_place_share"][0]))
    fields = str(values["schedule"][0]).split()
    if len(fields) != 5:
        raise SettingsError(
            f"schedule must be a cron line of 5 fields, e.g. '0 2 * * *': {values['schedule'][0]!r}"
        )
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(str(values["timezone"][0]))
    except Exception as exc:
        raise SettingsError(f"unknown time zone: {values['timezone'][0]!r}") from exc


def resolve(key: str, flag: object = None) -> Path:
    """A path setting for one command: its flag if given, else the setting in force."""
    if flag not in (None, ""):
        return Path(flag).expanduser().resolve()
    return Path(current()[key])


def review_decisions_file(warehouse: Path | str, flag: object = None) -> Path:
    """Reviewers' same/different decisions: flag, PPKS_REVIEW_DECISIONS, ppks.toml,
    else ``review_decisions.csv`` beside the warehouse in use."""
    if flag not in (None, ""):
        return Path(flag).expanduser().resolve()
    configured = current()["review_decisions"]
    return Path(configured) if configured else Path(warehouse).with_name(DECISIONS_NAME)


def review_decisions_path(warehouse: Path | str) -> Path | None:
    """The decisions file the night applies, if there is one."""
    path = review_decisions_file(warehouse)
    return path if path.exists() else None


def help_text(key: str, what: str) -> str:
    """``--help`` text of a path flag: what it is, and the value in force with its origin."""
    env = SETTINGS[key][0]
    try:
        value, origin = load()[key]
        now = f"{value or '(beside the warehouse)'} [{origin}]"
    except SettingsError as exc:
        now = f"unreadable settings: {exc}"
    return f"{what} (default: {env}, else '{key}' in ppks.toml; now {now})".replace("%", "%%")


def _megabytes(text: str) -> float:
    match = re.fullmatch(r"\s*([\d.]+)\s*([A-Za-z]*)\s*", text)
    if not match or match[2].upper() not in _UNITS or not float(match[1]):
        raise SettingsError(
            f"memory_limit (PPKS_MEMORY_LIMIT): not a size DuckDB reads: {text!r} (e.g. 3GB)"
        )
    return float(match[1]) * _UNITS[match[2].upper()] / 1e6


def _share(text: str) -> float:
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise SettingsError(
            f"in_place_share (PPKS_IN_PLACE_SHARE): a share between 0 and 1: {text!r} (e.g. 0.05)"
        )
    return share


def in_place_share() -> float:
    """Up to which share of the bytes already loaded a night's files are read and written
    on the live warehouse in one transaction (0: every night with a file works on a copy)."""
    return _share(str(current()["in_place_share"]))


def memory_limit(share: float = 1.0) -> str:
    """The night's DuckDB memory limit, or ``share`` of it, as DuckDB reads it."""
    text = str(current()["memory_limit"])
    megabytes = _megabytes(text)
    if share == 1.0:
        return text
    return f"{max(1, int(megabytes * share))}MB"


def current() -> dict[str, object]:
    """Every setting in force, values only."""
    return {key: value for key, (value, _) in load().items()}


def default_outbox() -> Path:
    return Path(current()["outbox"])


def export_secret_key_file() -> None:
    """Make a configured key file visible to the analyst edition (it reads the environment)."""
    key_file = current()["secret_key_file"]
    if key_file:
        os.environ.setdefault("PPKS_SECRET_KEY_FILE", str(key_file))
