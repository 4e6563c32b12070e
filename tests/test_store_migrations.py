"""ilacs.store.migrations: applying is idempotent, upgrades keep data, failures roll back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ilacs.errors import StoreError
from ilacs.store import MIGRATIONS, Migration, applied_migrations, apply_migrations
from ilacs.store.migrations import sql_statements
from test_store_factories import fresh_store, save_report

ADD_NOTES = Migration(
    len(MIGRATIONS) + 1,
    "test: a notes column on inspections, filled from the lead inspector",
    """
    ALTER TABLE inspections ADD COLUMN notes TEXT;
    UPDATE inspections SET notes = 'led by ' || lead_inspector;
    """,
)


def _bare(tmp_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path / "bare.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def test_a_second_run_applies_nothing(tmp_path: Path) -> None:
    conn = _bare(tmp_path)
    assert apply_migrations(conn) == [m.id for m in MIGRATIONS]
    recorded = conn.execute("SELECT id, description, applied_at FROM _migrations").fetchall()
    schema = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert apply_migrations(conn) == []
    assert conn.execute("SELECT id, description, applied_at FROM _migrations").fetchall() == (
        recorded
    )
    assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert [row[1] for row in recorded] == [m.description for m in MIGRATIONS]


def test_a_database_at_migration_n_upgrades_keeping_its_data(tmp_path: Path) -> None:
    conn = fresh_store(tmp_path)
    save_report(conn)
    assert applied_migrations(conn) == [m.id for m in MIGRATIONS]

    assert apply_migrations(conn, (*MIGRATIONS, ADD_NOTES)) == [ADD_NOTES.id]

    assert applied_migrations(conn) == [*(m.id for m in MIGRATIONS), ADD_NOTES.id]
    rows = [tuple(row) for row in conn.execute("SELECT urn, notes FROM inspections")]
    assert rows == [(80419, "led by Jane Example")]
    assert conn.execute("SELECT count(*) FROM judgements").fetchone()[0] == 5
    found = conn.execute("SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'timeliness'")
    assert len(found.fetchall()) == 1


def test_points_of_reports_letters_and_the_bundle_become_one_table(tmp_path: Path) -> None:
    """Migration 13 copies findings, visit_findings and point_themes into `points`, keyed by
    document, a bundled point's space-separated keys as the stored JSON."""
    conn = _bare(tmp_path)
    apply_migrations(conn, [m for m in MIGRATIONS if m.id < 13])
    for sha, kind, origin in (("r", "inspection_report", "ingested"), ("l", "letter", "ingested"),
                              ("b", "letter", "bundled")):
        conn.execute("INSERT INTO documents (sha256, path, size, kind, origin, parser_version, "
                     "ingested_at) VALUES (?, ?, 1, ?, ?, 'v', 'now')", (sha, sha, kind, origin))
    conn.execute("INSERT INTO inspections (id, document_sha256, urn) VALUES (7, 'r', 80419)")
    conn.execute("INSERT INTO findings VALUES (7, 1, 'what_needs_to_improve', 'Plans.', 1, "
                 "NULL, 3, '[[\"planning\", \"plans\"]]', 1, 'm1')")
    conn.execute("INSERT INTO findings VALUES (7, 2, 'lscb', 'The board.', NULL, NULL, 4, "
                 "'[]', 1, 'm1')")
    for sha, visit in (("l", 8), ("b", 9)):
        conn.execute("INSERT INTO visits (id, document_sha256, urn, kind) "
                     "VALUES (?, ?, 80419, 'focused_visit')", (visit, sha))
    conn.execute("INSERT INTO visit_findings VALUES (8, 1, 'priority_action', 'Visits.', NULL, "
                 "'Now', 2, '[]', 0, 'm1')")
    conn.execute("INSERT INTO point_themes VALUES ('b', 1, 'what_needs_to_improve', 5, "
                 "'planning supervision', 1, 'm1')")
    conn.execute("INSERT INTO point_themes VALUES ('b', 2, 'what_needs_to_improve', 6, '', "
                 "0, 'm1')")
    conn.execute("INSERT INTO point_themes VALUES ('b', 3, 'what_needs_to_improve', 7, "
                 "' lado\t  neglect    health ', 1, 'm1')")

    assert apply_migrations(conn) == [m.id for m in MIGRATIONS if m.id >= 13]

    rows = [tuple(row) for row in conn.execute("SELECT * FROM points ORDER BY 1, 2")]
    assert rows == [
        ("b", 1, "what_needs_to_improve", None, None, None, 5,
         '[["planning", ""], ["supervision", ""]]', 1, "m1"),
        ("b", 2, "what_needs_to_improve", None, None, None, 6, "[]", 0, "m1"),
        ("b", 3, "what_needs_to_improve", None, None, None, 7,
         '[["lado", ""], ["neglect", ""], ["health", ""]]', 1, "m1"),
        ("l", 1, "priority_action", "Visits.", None, "Now", 2, "[]", 0, "m1"),
        ("r", 1, "what_needs_to_improve", "Plans.", 1, None, 3, '[["planning", "plans"]]', 1,
         "m1"),
        ("r", 2, "lscb", "The board.", None, None, 4, "[]", 1, "m1"),
    ]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert not tables & {"findings", "visit_findings", "point_themes"}
    conn.execute("DELETE FROM documents WHERE sha256 = 'r'")
    assert conn.execute("SELECT count(*) FROM points WHERE document_sha256 = 'r'").fetchone() \
        == (0,)


def test_a_failing_migration_leaves_the_previous_schema_and_is_not_recorded(
    tmp_path: Path,
) -> None:
    conn = fresh_store(tmp_path)
    broken = Migration(ADD_NOTES.id, "test: fails half way", """
        ALTER TABLE inspections ADD COLUMN notes TEXT;
        INSERT INTO no_such_table VALUES (1);
    """)
    expected = (f"migration {ADD_NOTES.id} .*no_such_table.*unchanged since migration "
                f"{MIGRATIONS[-1].id}")
    with pytest.raises(StoreError, match=expected):
        apply_migrations(conn, (*MIGRATIONS, broken))
    assert applied_migrations(conn) == [m.id for m in MIGRATIONS]
    columns = [row[1] for row in conn.execute("PRAGMA table_info(inspections)")]
    assert "notes" not in columns


def test_a_database_from_a_newer_ilacs_is_refused(tmp_path: Path) -> None:
    conn = fresh_store(tmp_path)
    apply_migrations(conn, (*MIGRATIONS, ADD_NOTES))
    with pytest.raises(StoreError, match="newer ilacs"):
        apply_migrations(conn)


def test_sql_statements_keep_trigger_bodies_whole() -> None:
    statements = sql_statements(MIGRATIONS[0].sql)
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER")]
    assert len(triggers) == 3
    assert all(s.endswith("END;") for s in triggers)


def test_ten_first_runs_on_one_new_database_all_succeed(tmp_path: Path) -> None:
    """Processes opening the same new file at once: each migration applied exactly once, no
    "table already exists" or "database is locked" (they wait for the write lock)."""
    database, go = tmp_path / "new.db", tmp_path / "go"
    code = ("import sys, time, pathlib\n"
            "from ilacs.store import open_store\n"
            "go = pathlib.Path(sys.argv[2])\n"
            "while not go.exists(): time.sleep(0.005)\n"
            "open_store(sys.argv[1]).close()\n")
    runs = [subprocess.Popen([sys.executable, "-c", code, str(database), str(go)],
                             stderr=subprocess.PIPE, text=True) for _ in range(10)]
    time.sleep(1.0)  # every process is waiting at the line
    go.touch()
    said = [run.communicate(timeout=120)[1] for run in runs]
    failures = [text for run, text in zip(runs, said, strict=True) if run.returncode]
    assert not failures, failures
    conn = sqlite3.connect(database)
    ids = [row[0] for row in conn.execute("SELECT id FROM _migrations ORDER BY id")]
    assert ids == [m.id for m in MIGRATIONS]
