"""Ingest end to end against a real SQLite file: the whole corpus once per session, then
idempotence, re-extraction, bad files beside good ones, and the bundled record."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import ilacs.pipeline as pipeline
from conftest import REPORTS
from ilacs.pipeline import find_files, ingest
from ilacs.record import BUNDLE_FILE, ensure_authorities
from ilacs.store import open_store, record_to_bundle, summary

ISLE_OF_WIGHT = "80419_isle of wight"


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "pages", "inspections", "judgements", "points",
                          "problems")}


def test_bundled_record_matches_a_rebuild_from_the_corpus(corpus_db: Path) -> None:
    conn = open_store(corpus_db)
    rebuilt = record_to_bundle(conn)
    shipped_path = Path(__file__).resolve().parents[1] / "src" / "ilacs" / "store" / BUNDLE_FILE
    shipped = json.loads(shipped_path.read_text("utf-8"))
    assert rebuilt == shipped, "run scripts/build_bundle.py and commit the result"
    text = shipped_path.read_text("utf-8")
    assert "What needs to improve" not in text and "social work" not in text


def test_every_file_is_stored_or_reported(corpus_db: Path) -> None:
    conn = open_store(corpus_db)
    facts = summary(conn)
    assert facts.inspections == 493
    assert facts.authorities_covered == 153
    problem_paths = {row[0] for row in conn.execute(
        "SELECT path FROM problems WHERE severity = 'error'")}
    assert len(problem_paths) == 4  # the four HTML pages saved as .pdf, each named


def test_second_ingest_adds_nothing(corpus_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(corpus_db, copy)
    conn = open_store(copy)
    before = counts(conn)
    result = ingest(conn, find_files([REPORTS]), workers=1)
    assert (result.new, result.reextracted, result.unchanged) == (0, 0, 493)
    assert counts(conn) == before


def test_new_parser_version_reextracts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_dir: Path
) -> None:
    folder = REPORTS / ISLE_OF_WIGHT
    conn = open_store(tmp_path / "ilacs.db")
    ensure_authorities(conn)
    first = ingest(conn, find_files([folder]), workers=1)
    assert first.new == 3
    monkeypatch.setattr(pipeline, "PARSER_VERSION", "test-next-version")
    again = ingest(conn, find_files([folder]), workers=1)
    assert (again.new, again.reextracted) == (0, 3)
    versions = {row[0] for row in conn.execute("SELECT parser_version FROM documents")}
    assert versions == {"test-next-version"}
    assert conn.execute("SELECT count(*) FROM inspections").fetchone()[0] == 3


def test_ingesting_a_moved_folder_again_records_where_the_files_are_now(
        tmp_path: Path, shared_dir: Path) -> None:
    first, moved = tmp_path / "first", tmp_path / "moved"
    shutil.copytree(REPORTS / ISLE_OF_WIGHT, first / ISLE_OF_WIGHT)
    conn = open_store(tmp_path / "ilacs.db")
    ensure_authorities(conn)
    assert ingest(conn, find_files([first]), workers=1).new == 3

    def locations() -> set[str]:
        return {row[0] for row in conn.execute("SELECT location FROM documents")}

    assert {Path(place).parent for place in locations()} == {(first / ISLE_OF_WIGHT).resolve()}
    first.rename(moved)
    again = ingest(conn, find_files([moved]), workers=1)
    assert (again.new, again.reextracted, again.unchanged) == (0, 0, 3)
    assert {Path(place).parent for place in locations()} == {(moved / ISLE_OF_WIGHT).resolve()}
    assert all(Path(place).is_file() for place in locations())


def test_bad_files_beside_good_ones_do_not_stop_the_run(tmp_path: Path, shared_dir: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = next((REPORTS / ISLE_OF_WIGHT).glob("*2023.pdf"))
    shutil.copy(good, folder / good.name)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "error.pdf").write_text("<!DOCTYPE html><html>Service unavailable</html>")
    conn = open_store(tmp_path / "ilacs.db")
    ensure_authorities(conn)
    result = ingest(conn, find_files([folder]), workers=2)
    assert result.new == 1 and result.unreadable == 2 and result.inspections == 1
    assert {p.path for p in result.errors} == {"empty.pdf", "error.pdf"}
    row = conn.execute("SELECT urn, framework FROM inspections").fetchone()
    assert tuple(row) == (80419, "ilacs_2023")


def test_letters_are_stored_as_visits(tmp_path: Path, shared_dir: Path) -> None:
    folder = shared_dir / "corpus" / "letters" / "focused_visit" / "2532283_dorset"
    conn = open_store(tmp_path / "ilacs.db")
    ensure_authorities(conn)
    result = ingest(conn, find_files([folder]), workers=1)
    assert result.new == len(list(folder.glob("*.pdf"))) >= 2 and result.inspections == 0
    kinds = {row[0] for row in conn.execute("SELECT kind FROM documents")}
    assert kinds == {"letter"}
    visit = conn.execute(
        "SELECT urn, kind, visit_start, visit_end, focus, improvement_item_count FROM visits "
        "WHERE visit_start = '2023-05-17'").fetchone()
    assert tuple(visit) == (2532283, "focused_visit", "2023-05-17", "2023-05-18",
                            "16- and 17-year-old care leavers", 1)
    points = conn.execute("SELECT text, page FROM points JOIN visits USING (document_sha256)"
                          ).fetchall()
    assert ("The quality and timeliness of supervision.", 1) in [tuple(row) for row in points]


@pytest.mark.parametrize("workers", [1, 2])
def test_each_file_is_read_and_hashed_once(tmp_path: Path, shared_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           workers: int) -> None:
    """The ingest reads a file's bytes once and hands them on; duplicates of one file in a
    run are each stored as on a first run, whatever the workers' pace."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    reports = sorted((REPORTS / ISLE_OF_WIGHT).glob("*.pdf"))[:3]
    for report in reports:
        shutil.copy(report, folder / report.name)
    shutil.copy(reports[0], folder / "copy of the first.pdf")
    reads: list[str] = []
    real_read = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.parent == folder:
            reads.append(path.name)
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    conn = open_store(tmp_path / "ilacs.db")
    ensure_authorities(conn)
    result = ingest(conn, find_files([folder]), workers=workers)
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert sorted(reads) == pdfs  # once each, by the ingest (workers read nothing)
    # the copy, met later, is stored again under the bytes the first one stored
    assert (result.new, result.reextracted, result.unchanged) == (3, 1, 0)
    located = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert located == 3  # the copy is the same document
