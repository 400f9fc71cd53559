"""Imported first by the reader processes' forkserver (ppks.ingest.isolate), before Polars.

Polars reads POLARS_MAX_THREADS once, when it is imported. The readers already
run as one process per core, and the frames of a batch are small: a thread pool
per process as large as the machine only makes two processes' threads take
turns on two cores, and hands every small operation from thread to thread. An
operator's own setting is kept.
"""

import os

os.environ.setdefault("POLARS_MAX_THREADS", "1")
