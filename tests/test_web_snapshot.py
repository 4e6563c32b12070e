"""What the web app serves from: the record's snapshot, and when it notices the file changed.

A real record in a file, written to through a second connection as another process would.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest

from ilacs.record import ensure_authorities
from ilacs.store import open_store
from ilacs.web.snapshot import SnapshotSource
from test_store_factories import fresh_store, make_document, make_report, save_report


def record_with_one_report(tmp_path: Path) -> Path:
    conn = fresh_store(tmp_path)
    ensure_authorities(conn)
    save_report(conn, make_report(grade="good"))
    db = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    conn.close()
    return db


def write_a_report(db: Path, year: int) -> None:
    """Another report for the same LA, through a connection of its own."""
    conn = fresh_store(db.parent.parent)
    try:
        save_report(conn, make_report(grade="outstanding", start=date(year, 5, 6),
                                      end=date(year, 5, 17), published=date(year, 6, 20)),
                    make_document(f"Isle of Wight, {year}.", path=f"reports/80419/{year}.pdf"))
    finally:
        conn.close()


def reports(source: SnapshotSource) -> int:
    return len(source.current().record.inspections)


def test_another_processs_write_shows_at_the_next_look(tmp_path: Path) -> None:
    db = record_with_one_report(tmp_path)
    source = SnapshotSource(db, check_every=0.05)
    assert reports(source) == 1
    write_a_report(db, 2019)
    deadline = time.monotonic() + 10
    while reports(source) == 1:
        assert time.monotonic() < deadline, "the new report never showed"
        time.sleep(0.02)
    assert reports(source) == 2


def test_between_looks_the_snapshot_stands_and_a_refresh_looks_at_once(
        tmp_path: Path) -> None:
    db = record_with_one_report(tmp_path)
    # Each look is two stat calls that let go of the GIL on the event loop: not per request.
    source = SnapshotSource(db, check_every=3600)
    before = source.current()
    write_a_report(db, 2019)
    assert source.current() is before
    refreshed = source.refresh()  # as after a write by this process
    assert refreshed is not before and len(refreshed.record.inspections) == 2
    assert source.current() is refreshed


def test_a_read_only_server_writes_nothing_when_it_starts(corpus_db: Path,
                                                          tmp_path: Path) -> None:
    """Starting (migration check, register check, snapshot, warm-up) commits nothing to an
    up-to-date record: another connection sees the same data version before and after."""
    copy = tmp_path / "record.db"
    shutil.copy(corpus_db, copy)
    watcher = sqlite3.connect(copy)
    before = watcher.execute("PRAGMA data_version").fetchone()[0]
    source = SnapshotSource(copy)
    assert source.current().record.inspections
    time.sleep(1)  # the warm-up threads have had their go
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == before


@pytest.mark.slow
def test_snapshots_that_read_the_same_grades_and_figures_share_one_fit(
        corpus_db: Path, tmp_path: Path) -> None:
    """A write that changes no inspection, figure or date (a problem logged, as an ingest of
    letters changes only visits) makes a new snapshot but not a new fit: pages never wait
    seconds for models while a record is being written."""
    copy = tmp_path / "record.db"
    shutil.copy(corpus_db, copy)
    source = SnapshotSource(copy, check_every=0)
    first = source.current()
    fitted = first.expected
    assert fitted and all(result.predictions for result in fitted.values())
    with sqlite3.connect(copy) as writer:
        writer.execute("INSERT INTO problems (path, kind, severity, message, recorded_at) "
                       "VALUES ('x.pdf', 'missing_field', 'warning', 'a test', '2026-01-01')")
    second = source.refresh()
    assert second.version != first.version and second.model_inputs == first.model_inputs
    assert second.expected is fitted
    backup = tmp_path / "backup.db"  # another file that reads the same: the same fit
    shutil.copy(copy, backup)
    assert SnapshotSource(backup).current().expected is fitted
    conn = open_store(copy)  # a new inspection: what the models read has changed
    save_report(conn, make_report(grade="good", start=date(2026, 5, 6), end=date(2026, 5, 17),
                                  published=date(2026, 6, 20)),
                make_document("Isle of Wight, 2026.", path="reports/80419/2026.pdf"))
    conn.close()
    third = source.refresh()
    assert third.model_inputs != first.model_inputs
