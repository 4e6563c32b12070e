"""Transactions: the one place that begins, commits and rolls back.

Connections from `open_store` are in autocommit mode, and every group of writes that must
land together (one document and all its facts, one migration, one bundle) runs inside
`transaction`. A failure part way through leaves what was stored before it untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count

_savepoint_ids = count(1)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block atomically: all of its writes are kept, or none are.

    Outside a transaction this takes the write lock at once (BEGIN IMMEDIATE), so two writers
    wait for each other instead of failing half way. Inside one it nests as a savepoint, so a
    caller can group several saves and still have each roll back on its own.
    """
    if conn.in_transaction:
        name = f"ilacs_{next(_savepoint_ids)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def read_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block's reads against one state of the file: a writer in another process
    (WAL) commits beside it, never between two of its queries. Nests inside any transaction
    already open (which is one state already)."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")
