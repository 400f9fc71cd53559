"""Fixtures of the warehouse tests: see editions.py."""

from editions import built  # noqa: F401  (the session fixture)
