"""Writing and reading the problems log: what went wrong with which file, page and field.

A problem belongs to the current state of a file. Each carries the document's bytes
(`document_sha256`, NULL when the file could not be read at all) and the absolute location of
the file it was met in, so the stage that decides (ingest) can drop the problems of what a
file was before it was fixed, and name a moved file where it is now.
"""

from __future__ import annotations

import sqlite3

from ilacs.errors import Problem, StoreError
from ilacs.store.queries import problem_row
from ilacs.store.transactions import transaction
from ilacs.store.values import now_text


def insert_problem(
    conn: sqlite3.Connection,
    problem: Problem,
    sha256: str | None,
    parser_version: str | None,
    recorded_at: str,
    location: str | None = None,
) -> None:
    """One row, inside the caller's transaction."""
    conn.execute(
        """
        INSERT INTO problems (document_sha256, path, kind, severity, message, page, field,
            snippet, parser_version, recorded_at, row, location)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            sha256, problem.path, problem.kind.value, problem.severity.value, problem.message,
            problem.page, problem.field, problem.snippet, parser_version, recorded_at,
            problem.row, location,
        ),
    )


def record_problem(
    conn: sqlite3.Connection,
    problem: Problem,
    sha256: str | None = None,
    parser_version: str | None = None,
    location: str | None = None,
) -> bool:
    """Record a problem not tied to a saved extraction; return False if already recorded.

    An identical problem (same document, path, kind, message, page and field) is kept once,
    so a scheduled run that meets the same trouble every day does not grow the log.
    """
    try:
        with transaction(conn):
            exists = conn.execute(
                """
                SELECT 1 FROM problems
                WHERE document_sha256 IS ? AND path = ? AND kind = ? AND message = ?
                    AND page IS ? AND field IS ? AND row IS ?
                """,
                (sha256, problem.path, problem.kind.value, problem.message, problem.page,
                 problem.field, problem.row),
            ).fetchone()
            if exists:
                if location is not None:
                    conn.execute(
                        "UPDATE problems SET location = ? WHERE document_sha256 IS ? AND path = ?"
                        " AND location IS NULL", (location, sha256, problem.path))
                return False
            insert_problem(conn, problem, sha256, parser_version, now_text(), location)
    except sqlite3.Error as error:
        raise StoreError(f"could not record a problem ({error})", path=problem.path) from error
    return True


def problems_of(conn: sqlite3.Connection, sha256: str) -> list[Problem]:
    """The problems recorded for a document's bytes, in the order they were met."""
    rows = conn.execute("SELECT * FROM problems WHERE document_sha256 = ? ORDER BY id",
                        (sha256,))
    return [problem_row(row).to_problem() for row in rows]


def place_problems(conn: sqlite3.Connection, sha256: str, path: str, location: str) -> None:
    """Name a stored document's problems by where its file is now. Writes nothing when they
    already do."""
    stale = "document_sha256 = ? AND (path IS NOT ? OR location IS NOT ?)"
    arguments = (sha256, path, location)
    if conn.execute(f"SELECT 1 FROM problems WHERE {stale} LIMIT 1", arguments).fetchone():
        with transaction(conn):
            conn.execute(f"UPDATE problems SET path = ?, location = ? WHERE {stale}",
                         (path, location, *arguments))


def forget_problems(
    conn: sqlite3.Connection,
    location: str,
    keep_sha256: str | None,
    path: str | None = None,
) -> int:
    """Delete the problems met in the file at `location` (or, for rows recorded before
    locations were, at display `path`) that concern other bytes than `keep_sha256`: what the
    file held before. Returns how many went."""
    earlier = ("(location = ? OR (location IS NULL AND path IS ?))"
               " AND document_sha256 IS NOT ?")
    arguments = (location, path, keep_sha256)
    if not conn.execute(f"SELECT 1 FROM problems WHERE {earlier} LIMIT 1",
                        arguments).fetchone():
        return 0
    with transaction(conn):
        return conn.execute(f"DELETE FROM problems WHERE {earlier}", arguments).rowcount


def unread_file_locations(conn: sqlite3.Connection) -> list[str]:
    """Where the files are that could not be read at all (no bytes, so no document)."""
    return [row[0] for row in conn.execute(
        "SELECT DISTINCT location FROM problems WHERE document_sha256 IS NULL"
        " AND location IS NOT NULL ORDER BY location")]


def forget_unread_file(conn: sqlite3.Connection, location: str) -> None:
    """Delete the problems of a file that could not be read, found gone since."""
    with transaction(conn):
        conn.execute("DELETE FROM problems WHERE document_sha256 IS NULL AND location = ?",
                     (location,))
