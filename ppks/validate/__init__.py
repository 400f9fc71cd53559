"""Validate stage: apply SOURCES.md's "Rules for a row" to canonical records."""

from ppks.validate.rules import REASON_TEXT, split_rows

__all__ = ["REASON_TEXT", "split_rows"]
