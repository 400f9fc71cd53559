"""Where things are when nobody says otherwise.

Every default can be overridden on the command line; ``PPKS_HOME`` moves the
whole working area (inbox, warehouse, demo) at once.
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    return Path(os.environ.get("PPKS_HOME", "var")).resolve()


def default_inbox() -> Path:
    return home() / "inbox"


def default_warehouse() -> Path:
    return home() / "warehouse" / "ppks.duckdb"


def quiet_prefect() -> None:
    """No telemetry, and no shutdown noise from Prefect's temporary local server."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY", "false")
    os.environ.setdefault("PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS", "false")
    os.environ.setdefault("PREFECT_LOGGING_SERVER_LEVEL", "CRITICAL")
