"""`ppks config`: what is in force, and where each value came from."""

from __future__ import annotations

from ppks import settings

DESCRIPTIONS = {
    "inbox": "inbox folder (tksk/, psm/, slrt/)",
    "warehouse": "full warehouse file (DuckDB)",
    "outbox": "reports and feedback workbooks, one folder per run",
    "secret_key_file": "key of the analyst edition's hashes (empty: beside the warehouse)",
    "schedule": "cron line of the nightly run",
    "timezone": "time zone of the schedule",
    "deployment": "name of the Prefect deployment",
    "review_decisions": "reviewers' SAMA/BEDA decisions (empty: beside the warehouse)",
}


def describe() -> str:
    values = settings.load()
    path = settings.config_path()
    lines = [f"settings file: {path}" + ("" if path.is_file() else " (not present)")]
    width = max(len(k) for k in values)
    for key, (value, origin) in values.items():
        shown = value if value not in ("", None) else "(not set)"
        lines.append(f"  {key:<{width}}  {shown}    [{origin}]")
        lines.append(f"  {'':<{width}}    {DESCRIPTIONS.get(key, '')}")
    lines.append("order: command-line flag > environment > settings file > default")
    lines.append(
        "environment variables: " + ", ".join(env for env, _ in settings.SETTINGS.values())
    )
    return "\n".join(lines)
