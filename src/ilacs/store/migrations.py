"""The schema, as one ordered list of recorded migrations.

A database is upgraded by applying, in order, each migration it has not recorded in
`_migrations`; each one runs in its own transaction together with its record, so a failed
migration leaves the database at the previous step and running again is always safe. Change
the schema only by appending a migration: never edit one that has shipped.

Why the schema looks as it does:
- `documents` is keyed by the sha256 of the bytes, so the same file ingested twice is one row
  and `parser_version` says when its facts are stale. `origin` separates documents read here
  ('ingested', with page text) from facts shipped in the bundled record ('bundled', no text).
- `pages` carries an INTEGER PRIMARY KEY besides its natural key (document, page number):
  the full-text index refers to pages by rowid, and SQLite may renumber implicit rowids on
  VACUUM, which would silently point search hits at the wrong page.
- `pages_fts` is an external-content FTS5 index over `pages.text`, kept in step by triggers,
  so every way a page is deleted (directly or by cascade from its document) updates search.
  A first ingest defers them and rebuilds the index once at its end
  (ilacs.store.deferred_search).
- Dates are ISO text (YYYY-MM-DD): they sort correctly as text and read back as `date`.
- Problems have no foreign key to documents: a problem may concern a file that was never
  stored (it could not be read), and the log must survive whatever happens to documents.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ilacs.errors import StoreError
from ilacs.store.schema import (
    CHANGES_SCHEMA,
    DEFERRED_SEARCH_SCHEMA,
    DOWNLOADS_SCHEMA,
    INITIAL_SCHEMA,
    INTERVENTION_EVENTS_SCHEMA,
    POINT_THEME_COLUMNS,
    POINT_THEMES_SCHEMA,
    POINTS_SCHEMA,
    STATISTICS_SCHEMA,
    STORY_SCHEMA,
    STRENGTHS_SCHEMA,
    VISITS_SCHEMA,
)
from ilacs.store.transactions import transaction


@dataclass(frozen=True)
class Migration:
    id: int
    description: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents, pages with full-text search, authorities, inspections, judgements, "
        "findings and problems",
        INITIAL_SCHEMA,
    ),
    Migration(
        2,
        "visits (focused visits, monitoring visits, JTAIs) and what they asked to improve",
        VISITS_SCHEMA,
    ),
    Migration(
        3,
        "visit themes and headlines; news articles with their claims and quotes; the "
        "interventions register",
        STORY_SCHEMA,
    ),
    Migration(
        4,
        "downloads: the ledger of files fetched from Ofsted's website by `ilacs update`",
        DOWNLOADS_SCHEMA,
    ),
    Migration(
        5,
        "documents.location: where an ingested file was read from, so the dashboard can open "
        "the source at the page a fact came from",
        "ALTER TABLE documents ADD COLUMN location TEXT;",
    ),
    Migration(
        6,
        "the change log: what the record learned and when (new and corrected inspections, "
        "visits and interventions), for `ilacs changes` and the Atom feed",
        CHANGES_SCHEMA,
    ),
    Migration(
        7,
        "point_themes: the themes and page of improvement points whose text is not held "
        "(bundled documents), so theme counts work before documents are ingested",
        POINT_THEMES_SCHEMA,
    ),
    Migration(
        8,
        "official statistics: sources, areas joined to the register, long series of every "
        "figure (suppressed ones as typed missing values), headline indicator values; the "
        "row of a problem in a CSV file",
        STATISTICS_SCHEMA,
    ),
    Migration(
        9,
        "intervention_events: the dated, sourced events an intervention is made of; "
        "interventions.person (a commissioner's or adviser's name)",
        INTERVENTION_EVENTS_SCHEMA,
    ),
    Migration(
        10,
        "improvement points' themes stored once, with the classifier's version and whether "
        "it was confident (findings, visit_findings, point_themes)",
        POINT_THEME_COLUMNS,
    ),
    Migration(
        11,
        "problems.location: the file a problem was met in, so a file fixed or moved since "
        "no longer keeps the problems of what it was",
        "ALTER TABLE problems ADD COLUMN location TEXT;",
    ),
    Migration(
        12,
        "strengths: what a report praises (its strengths list or its summary's sentences of "
        "praise), with page and themes",
        STRENGTHS_SCHEMA,
    ),
    Migration(
        13,
        "points: what inspectors asked to improve, from reports and letters alike, in one "
        "table keyed by document (replaces findings, visit_findings and point_themes)",
        POINTS_SCHEMA,
    ),
    Migration(
        14,
        "search_index_deferred: while it holds a row the triggers leave the full-text index "
        "alone, and it is rebuilt in one pass after the bulk write (a first ingest)",
        DEFERRED_SEARCH_SCHEMA,
    ),
)

_LEDGER = """
CREATE TABLE IF NOT EXISTS _migrations (
    id INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


def applied_migrations(conn: sqlite3.Connection) -> list[int]:
    """Ids of the migrations this database has recorded, in order."""
    # Under the write lock from the start: in WAL mode a bare CREATE that turns a read into a
    # write fails at once ("database is locked") if another process wrote in between,
    # whatever the busy timeout; BEGIN IMMEDIATE waits for the lock instead.
    with transaction(conn):
        conn.execute(_LEDGER)
    return [row[0] for row in conn.execute("SELECT id FROM _migrations ORDER BY id")]


def apply_migrations(
    conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[int]:
    """Apply each migration not yet recorded; return the ids applied (empty if up to date)."""
    done = set(applied_migrations(conn))
    known = {migration.id for migration in migrations}
    if done - known:
        raise StoreError(
            f"the database has schema migrations {sorted(done - known)} that this version of "
            "ilacs does not know: it was written by a newer ilacs. Upgrade ilacs to use it."
        )
    applied: list[int] = []
    for migration in sorted(migrations, key=lambda m: m.id):
        if migration.id in done:
            continue
        try:
            with transaction(conn):
                # Read again under the write lock: another process opening the same new
                # database may have applied it while this one waited.
                if conn.execute("SELECT 1 FROM _migrations WHERE id = ?",
                                (migration.id,)).fetchone():
                    continue
                for statement in sql_statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO _migrations (id, description, applied_at) VALUES (?, ?, ?)",
                    (migration.id, migration.description, _now()),
                )
        except sqlite3.Error as error:
            raise StoreError(
                f"schema migration {migration.id} ({migration.description}) failed: {error}. "
                f"The database is unchanged since migration {max(done | set(applied), default=0)}."
            ) from error
        applied.append(migration.id)
    return applied


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sql_statements(sql: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole.

    `executescript` would commit any open transaction first, so migrations run their
    statements one by one inside `transaction` instead.
    """
    statements: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]!r}")
    return statements
