"""PPKS warehouse: read East Java's social-welfare field reports, link people, load DuckDB.

The stages are subpackages, in the order the data flows through them:
``ingest`` (find and read files), ``normalise`` (clean values, flag problems),
``link`` (find each person), ``warehouse`` (load DuckDB).  ``generate`` writes
synthetic inboxes with their ground truth.
"""

__version__ = "0.1.0"
