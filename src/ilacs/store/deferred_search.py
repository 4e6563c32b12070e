"""The full-text index kept in step in one pass after a bulk write, not a page at a time.

The triggers on `pages` index each page as it is written. For a record's first ingest that
is most of the storing's cost, and rebuilding the index from `pages` in one pass costs a
quarter of it (README, "The database, from any SQL tool"). While `search_index_deferred`
holds its row the triggers leave the index alone; `resume_search_indexing` rebuilds it from
every page and removes the row, in one transaction. A writer that stops before resuming
(killed, a power cut) leaves the row: the next writable open of the record rebuilds the
index (`open_store`), so no page stays unsearchable. A rebuild is correct whatever the index
held, so a second writer that repairs the index while a bulk write goes on only makes that
write's later pages indexed one by one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from ilacs.store.transactions import transaction


def search_indexing_deferred(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM search_index_deferred").fetchone() is not None


def defer_search_indexing(conn: sqlite3.Connection) -> None:
    """Leave the full-text index alone until `resume_search_indexing`: pages written
    meanwhile are stored but not found by search."""
    with transaction(conn):
        conn.execute("INSERT OR IGNORE INTO search_index_deferred (id, since) VALUES (1, ?)",
                     (datetime.now(UTC).isoformat(timespec="seconds"),))


def resume_search_indexing(conn: sqlite3.Connection) -> bool:
    """If indexing was deferred, rebuild the full-text index from every stored page and index
    pages as they are written again; True if it did."""
    if not search_indexing_deferred(conn):  # the usual case, without the write lock
        return False
    with transaction(conn):
        if not search_indexing_deferred(conn):  # another writer rebuilt it meanwhile
            return False
        conn.execute("INSERT INTO pages_fts (pages_fts) VALUES ('rebuild')")
        conn.execute("DELETE FROM search_index_deferred")
    return True
