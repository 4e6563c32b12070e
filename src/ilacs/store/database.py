"""Opening the ilacs database: one SQLite file, found the same way by every entry point.

Every caller (CLI, web app, tests) goes through `open_store`, so each connection has the same
settings: WAL so the web app can read while an `update` writes, foreign keys on so deleting a
document removes its facts, rows addressable by column name, and the schema migrated. Writes
go through `ilacs.store.transactions.transaction`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from ilacs.errors import StoreError
from ilacs.store.deferred_search import resume_search_indexing
from ilacs.store.migrations import apply_migrations

DB_ENV_VAR = "ILACS_DB"
DEFAULT_DB_NAME = "ilacs.db"
MEMORY = ":memory:"


def resolve_db_path(option: str | None) -> Path:
    """The database the user meant: an explicit option, else $ILACS_DB, else ./ilacs.db."""
    if option:
        return Path(option)
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env)
    return Path.cwd() / DEFAULT_DB_NAME


def _use_wal(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """Switch a new file to WAL. Several processes opening the same new file at once may
    find it locked while another switches it: try again for a few seconds."""
    for attempt in range(attempts):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05 + 0.01 * attempt)


def open_read_only(path: Path | str) -> sqlite3.Connection:
    """The database at `path` for reading only (SQLite refuses any write), rows as
    `sqlite3.Row`, usable from the thread the caller hands it to. Never creates or migrates."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def open_store(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path`.

    The connection is in autocommit mode: `transaction` groups writes explicitly, so no
    statement is ever left in an implicit transaction that a later error could half-commit.
    """
    in_memory = str(path) == MEMORY
    where = MEMORY if in_memory else str(Path(path))
    conn: sqlite3.Connection | None = None
    try:
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(where, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            _use_wal(conn)
            # With WAL, NORMAL syncs at checkpoints rather than at every commit: the file
            # cannot be corrupted, though a power cut may lose the last documents stored
            # (a rerun of the ingest stores them again). A third of the commit's time.
            conn.execute("PRAGMA synchronous = NORMAL")
        apply_migrations(conn)
        # a bulk write that stopped before it indexed its pages
        resume_search_indexing(conn)
    except (sqlite3.Error, OSError) as error:
        if conn is not None:
            conn.close()
        raise StoreError(
            f"cannot open the ilacs database ({error}). Check that this is a SQLite file "
            f"written by ilacs, or choose another file with --db or ${DB_ENV_VAR}.",
            path=where,
        ) from error
    except StoreError:
        if conn is not None:
            conn.close()
        raise
    return conn
