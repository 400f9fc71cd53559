"""Prefect flows: thin orchestration over the ``ppks`` package."""

from ppks.settings import quiet_prefect

quiet_prefect()
