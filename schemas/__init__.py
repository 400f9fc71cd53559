"""Pandera (Polars API) models: the raw rows of each source and the canonical record."""

from schemas.raw import RAW_FIELDS, PsmRaw, SlrtRaw, TkskRaw, required_fields
from schemas.record import REJECT_CHECKS, CanonicalRecord

__all__ = [
    "RAW_FIELDS",
    "REJECT_CHECKS",
    "CanonicalRecord",
    "PsmRaw",
    "SlrtRaw",
    "TkskRaw",
    "required_fields",
]
