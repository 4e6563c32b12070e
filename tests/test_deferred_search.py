"""A first ingest indexes its pages for search in one pass at its end; one killed before that
leaves a record whose index the next writable open rebuilds."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPORTS, require_shared
from ilacs.pipeline import find_files, ingest
from ilacs.store import open_read_only, open_store

WORDS = ("neglect", "placements", "adoption", "care leavers", "plac*")


def _reports(count: int) -> list[Path]:
    require_shared()
    return sorted(REPORTS.rglob("*.pdf"))[:count]


def _index_matches_pages(conn: sqlite3.Connection) -> bool:
    """FTS5's own check of the index against every page's text (rank 1: the content too)."""
    try:
        conn.execute("INSERT INTO pages_fts (pages_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def _found(conn: sqlite3.Connection, words: str) -> set[tuple[str, int]]:
    return {(sha256, number) for sha256, number in conn.execute(
        "SELECT p.document_sha256, p.number FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid "
        "WHERE pages_fts MATCH ?", (words,))}


def _rebuilds(conn: sqlite3.Connection) -> list[str]:
    asked: list[str] = []
    conn.set_trace_callback(lambda sql: asked.append(sql) if "'rebuild'" in sql else None)
    return asked


def test_a_first_ingest_indexes_in_one_pass_and_finds_what_page_by_page_finds(
        tmp_path: Path) -> None:
    files = _reports(8)
    at_once = open_store(tmp_path / "at_once.db")
    rebuilt = _rebuilds(at_once)
    ingest(at_once, find_files(files))
    assert len(rebuilt) == 1
    assert at_once.execute("SELECT count(*) FROM search_index_deferred").fetchone()[0] == 0
    assert _index_matches_pages(at_once)

    # the same files, the first alone (a first ingest), then the others into a record that
    # holds pages: those are indexed one by one, by the triggers
    one_by_one = open_store(tmp_path / "one_by_one.db")
    ingest(one_by_one, find_files(files[:1]))
    rebuilt = _rebuilds(one_by_one)
    ingest(one_by_one, find_files(files[1:]))
    assert rebuilt == []
    assert _index_matches_pages(one_by_one)
    for words in WORDS:
        found = _found(at_once, words)
        assert found and found == _found(one_by_one, words), words


def test_pages_written_while_indexing_is_deferred_are_indexed_at_the_next_open(
        tmp_path: Path) -> None:
    path = tmp_path / "ilacs.db"
    ingest(open_store(path), find_files(_reports(2)))
    conn = open_store(path)
    conn.execute("INSERT INTO search_index_deferred (id, since) VALUES (1, 'now')")
    # a page stored as a bulk write stores it, never indexed: the writer stopped there
    conn.execute("INSERT INTO pages (document_sha256, number, text) SELECT document_sha256, "
                 "9999, 'a page about zyxquo arrangements' FROM pages LIMIT 1")
    assert _found(conn, "zyxquo") == set() and not _index_matches_pages(conn)
    conn.close()

    reading = open_read_only(path)  # a reader cannot write, so it does not repair
    assert reading.execute("SELECT count(*) FROM search_index_deferred").fetchone()[0] == 1
    reading.close()
    reopened = open_store(path)
    assert reopened.execute("SELECT count(*) FROM search_index_deferred").fetchone()[0] == 0
    assert _index_matches_pages(reopened)
    assert [number for _, number in _found(reopened, "zyxquo")] == [9999]


@pytest.mark.slow
def test_a_first_ingest_killed_part_way_leaves_a_record_whose_search_is_mended(
        tmp_path: Path) -> None:
    require_shared()
    path = tmp_path / "ilacs.db"
    ingest_run = subprocess.Popen(
        [sys.executable, "-c", "from ilacs.cli import cli; cli()",
         "--db", str(path), "ingest", str(REPORTS), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while stored < 200 and time.monotonic() < deadline and ingest_run.poll() is None:
            time.sleep(0.2)
            if path.exists():
                try:
                    reading = open_read_only(path)
                    stored = reading.execute("SELECT count(*) FROM pages").fetchone()[0]
                    reading.close()
                except Exception:  # noqa: BLE001 - the schema may not be there yet
                    stored = 0
        assert stored >= 200, "the ingest stored no pages"
        os.kill(ingest_run.pid, signal.SIGKILL)
        ingest_run.wait()
    finally:
        if ingest_run.poll() is None:
            ingest_run.kill()
    reading = open_read_only(path)
    assert reading.execute("SELECT count(*) FROM search_index_deferred").fetchone()[0] == 1
    assert reading.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'children'"
                           ).fetchone()[0] == 0  # stored, not yet found
    reading.close()
    mended = open_store(path)
    pages = mended.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert _index_matches_pages(mended)
    assert mended.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'children'"
                          ).fetchone()[0] > pages // 2
    # and the next ingest goes on from there, page by page
    rebuilt = _rebuilds(mended)
    ingest(mended, find_files(_reports(3)))
    assert rebuilt == [] and _index_matches_pages(mended)
