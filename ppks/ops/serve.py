"""The scheduled deployment of the nightly flow, served by a long-running process.

`ppks serve` registers the deployment ``nightly/<deployment>`` with the Prefect
server named by ``PREFECT_API_URL`` (cron schedule in the configured time
zone, 02:00 Asia/Jakarta by default), and runs its flow runs in this process's
runner until stopped. One flow run at a time (``limit=1``); a second run that
starts anyway is refused by the warehouse lock.
"""

from __future__ import annotations

import os

from ppks import settings


def deployment_parameters(values: dict) -> dict:
    return {"inbox": str(values["inbox"]), "warehouse": str(values["warehouse"])}


def build_deployment(values: dict | None = None):
    """The RunnerDeployment of the nightly flow, with its cron schedule."""
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    from ppks.flows.nightly import nightly

    values = values or settings.current()
    return nightly.to_deployment(
        name=str(values["deployment"]),
        schedules=[Cron(str(values["schedule"]), timezone=str(values["timezone"]))],
        parameters=deployment_parameters(values),
        description="Nightly PPKS run: inbox → warehouse, reports and feedback in the outbox.",
        tags=["ppks", "nightly"],
        # The runner imports the flow by module name, from wherever it is installed,
        # so serving works from a wheel and from any working directory.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve(values: dict | None = None) -> None:
    """Register the deployment and serve it until the process is stopped."""
    from prefect import serve as prefect_serve

    values = values or settings.current()
    if not os.environ.get("PREFECT_API_URL"):
        raise settings.SettingsError(
            "PREFECT_API_URL is not set: start a Prefect server (prefect server start) and "
            "point PREFECT_API_URL at it, e.g. http://127.0.0.1:4200/api"
        )
    settings.export_secret_key_file()
    os.environ.setdefault("PPKS_OUTBOX", str(values["outbox"]))
    prefect_serve(build_deployment(values), limit=1)
