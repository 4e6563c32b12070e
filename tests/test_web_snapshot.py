"""What the web app serves from: the record's snapshot, and when it notices the file changed.

A real record in a file, written to through a second connection as another process would.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

from ilacs.record import ensure_authorities
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
