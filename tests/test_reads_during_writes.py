"""Reading while another connection writes: every read of the search index and of a page's
snapshot sees one state of the file, never half of a write (a real SQLite file in WAL mode,
a writer thread ingesting real letters)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from conftest import LETTERS, require_shared
from ilacs.pipeline import find_files, ingest
from ilacs.store import open_store
from ilacs.store.search import SearchIndex
from ilacs.web.snapshot import load_snapshot


def test_reads_never_see_half_a_write(tmp_path: Path) -> None:
    require_shared()
    db = tmp_path / "ilacs.db"
    open_store(db).close()
    sources = find_files([LETTERS])[:40]
    failures: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        conn = open_store(db)
        try:
            for source in sources:  # one transaction a document, as an ingest stores them
                ingest(conn, [source])
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            conn.close()
            done.set()

    reader = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True,
                             check_same_thread=False)
    reader.row_factory = sqlite3.Row
    writer = threading.Thread(target=write)
    writer.start()
    reads = 0
    while not done.is_set() or reads < 5:
        try:
            for _ in range(20):  # the index's queries are the narrowest window to land in
                SearchIndex.load(reader)
            snapshot = load_snapshot(reader, f"read {reads}")
        except Exception as error:  # noqa: BLE001 (any failure is the finding)
            failures.append(error)
            break
        visits = sum(len(v) for v in snapshot.record.visits_by_urn.values())
        assert len(snapshot.documents) >= visits  # one state: no visit without its document
        reads += 1
    writer.join()
    assert failures == [] and reads >= 5
    assert not reader.in_transaction  # nothing left open to hold the writer's checkpoints
