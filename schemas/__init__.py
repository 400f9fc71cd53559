"""Pandera (Polars API) models: the raw rows of each source and the canonical record."""

from ppks.schemas.canonical_record import REJECT_CHECKS, CanonicalRecord
from ppks.schemas.raw import RAW_FIELDS, PsmRaw, SlrtRaw, TkskRaw, required_fields

__all__ = [
    "RAW_FIELDS",
    "REJECT_CHECKS",
    "CanonicalRecord",
    "PsmRaw",
    "SlrtRaw",
    "TkskRaw",
    "required_fields",
]
