"""Large appends made by one thread, so that a table's row groups stay whole.

DuckDB stores a table in row groups of 122,880 rows. An append made by several
threads leaves each thread's last row group partly filled, in the middle of the
table: person_link after a whole build was 122,880 / 122,880 / 16,384 / 122,880 /
117,738 rows, every time. The first night that appends to such a table has its
checkpoint merge the partial group with the ones after it (DuckDB's vacuum: from a
group on, when the rows of up to four groups fit in one group fewer), rewriting up
to three row groups, maps and all: about 0.75 s CPU of the 1%-new night after a
whole build (its record stage), and as much again in the analyst edition's commit
when its tables came out cut (docs/PERFORMANCE.md, branch night8).

A table appended to by one thread fills its groups in order and leaves only the
last one partial; later appends go on filling it. The work that makes the rows
stays parallel (another DuckDB, or a TEMP table made before): only the append runs
on one thread, which costs a whole build a little wall time (the compression is the
same work, on one core) and a small night nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


@contextlib.contextmanager
def one_writer(con: duckdb.DuckDBPyConnection, when: bool = True) -> Iterator[None]:
    """Statements run inside append on one thread (a setting of the database, restored);
    with ``when`` False, on the database's threads as they are."""
    if not when:
        yield
        return
    ((threads,),) = con.execute("SELECT current_setting('threads')").fetchall()
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        # After a failed statement the transaction is aborted and SET raises too: the
        # first error is the one to see (the night's database is discarded with it).
        with contextlib.suppress(duckdb.TransactionException):
            con.execute(f"SET threads = {int(threads)}")
