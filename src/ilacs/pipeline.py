"""The ingest recipe: find files -> read (documents) -> extract -> store, one transaction per
document, reading and extracting on several cores while one writer stores the results."""

from __future__ import annotations

import glob
import hashlib
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ilacs.documents import Document
from ilacs.documents.reader import bytes_to_document
from ilacs.errors import DocumentError, Problem, ProblemKind, Severity
from ilacs.extract import PARSER_VERSION
from ilacs.extract.classify import extract_document
from ilacs.extract.models import Extraction
from ilacs.ingest.settle import settle
from ilacs.record import ensure_register
from ilacs.store import (
    DocumentKind,
    Origin,
    defer_search_indexing,
    forget_problems,
    forget_unread_file,
    note_location,
    place_problems,
    problems_of,
    record_problem,
    resume_search_indexing,
    save_document,
    save_unreadable,
    stored_kind,
    stored_version,
    unread_file_locations,
)
from ilacs.store.documents import page_text_count

SUPPORTED_SUFFIXES = {".pdf", ".html", ".htm", ".txt"}
# Documents a folder may hold that ilacs does not read: each is reported, never skipped
# silently (other files, such as a folder's README or labels, are not documents).
REPORTED_SUFFIXES = {".doc", ".docx", ".odt", ".rtf", ".pages", ".xps", ".epub"}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    display: str  # how the record and every problem name it: relative to the folder given


@dataclass
class IngestSummary:
    files: int = 0
    new: int = 0
    reextracted: int = 0
    unchanged: int = 0
    unreadable: int = 0
    inspections: int = 0
    visits: int = 0
    articles: int = 0
    contradictions: int = 0  # news claims the record contradicts, after this run
    changes: int = 0  # entries this run added to the change log (`ilacs changes`)
    # every problem of the files this run met, those recorded by an earlier run and still
    # standing included, so `--strict` fails on a rerun as it did the first time
    problems: list[Problem] = field(default_factory=list)
    standing: int = 0  # of `problems`, how many an earlier run recorded

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


@dataclass(frozen=True)
class Outcome:
    source: SourceFile
    sha256: str
    size: int
    document: Document | None
    kind: DocumentKind | None
    extraction: Extraction | None
    problem: Problem | None


def find_files(inputs: Iterable[str | Path]) -> list[SourceFile]:
    """Folders (searched recursively), files and glob patterns, in a stable order."""
    found: dict[Path, SourceFile] = {}
    for given in inputs:
        text = str(given)
        matches = [Path(p) for p in sorted(glob.glob(text))] if glob.has_magic(text) else [
            Path(text)]
        for match in matches:
            if match.is_dir():
                for path in sorted(match.rglob("*")):
                    if path.is_file() and path.suffix.lower() in (SUPPORTED_SUFFIXES
                                                                  | REPORTED_SUFFIXES):
                        found.setdefault(path.resolve(), SourceFile(
                            path, path.relative_to(match).as_posix()))
            elif match.is_file():
                found.setdefault(match.resolve(), SourceFile(match, _display_for_file(match)))
            else:
                raise FileNotFoundError(f"{text}: no such file or folder")
    return list(found.values())


def _display_for_file(path: Path) -> str:
    """A single file keeps its provider folder ('<urn>_<name>/file.pdf') when it has one."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def ingest(
    conn: sqlite3.Connection,
    sources: list[SourceFile],
    workers: int = 1,
    on_progress: Callable[[SourceFile], None] | None = None,
) -> IngestSummary:
    """Store every source not already stored with the current parser version (into a
    record that has the bundled interventions register, so that news links to it)."""
    ensure_register(conn)
    summary = IngestSummary(files=len(sources))
    for location in unread_file_locations(conn):
        if not Path(location).exists():  # a file that could not be read is gone since
            forget_unread_file(conn, location)
    replaced: set[str] = set()

    def store(outcomes: Iterable[Outcome]) -> None:
        for outcome in outcomes:
            store_outcome(conn, outcome, summary, replaced)
            if on_progress:
                on_progress(outcome.source)

    # A first ingest indexes its pages for search in one pass at its end, a quarter of the
    # cost of a page at a time (ilacs.store.deferred_search); later ones a page at a time, so
    # that adding a few files does not re-index the whole record.
    in_bulk = bool(sources) and page_text_count(conn) == 0
    if in_bulk:
        defer_search_indexing(conn)
    try:
        with Extractor(workers) as extractor:
            for source in sources:
                store(_ingest_one(conn, source, extractor, summary, on_progress))
            store(extractor.finish())
    finally:
        if in_bulk:
            resume_search_indexing(conn)
    settled = settle(conn)
    summary.contradictions = settled.contradictions
    summary.changes = settled.changes
    return summary


def _ingest_one(conn: sqlite3.Connection, source: SourceFile, extractor: Extractor,
                summary: IngestSummary,
                on_progress: Callable[[SourceFile], None] | None) -> list[Outcome]:
    """Read one file once: a file already stored as it is is noted where it is now, any other
    is handed to `extractor` with its bytes; returns the outcomes finished meanwhile."""
    location = str(source.path.resolve())
    try:
        data = source.path.read_bytes()
    except OSError as error:
        # unreadable (permissions), vanished or failing: a problem naming the file, kept
        # until the file reads; the rest goes on and nothing stored is touched
        problem = Problem(
            ProblemKind.UNREADABLE_FILE, f"cannot read the file ({error.strerror or error})",
            source.display, severity=Severity.ERROR)
        record_problem(conn, problem, None, PARSER_VERSION, location)
        summary.problems.append(problem)
        summary.unreadable += 1
        if on_progress:
            on_progress(source)
        return []
    digest = hashlib.sha256(data).hexdigest()
    # Problems belong to what the file holds now: those of what it held before it was
    # fixed or replaced go.
    forget_problems(conn, location, digest, source.display)
    stored = stored_version(conn, digest)
    # Bytes met earlier in this run are extracted again, as on the first run: whether a
    # duplicate counts as stored must not depend on how far the workers have got.
    current = stored is not None and stored.origin is Origin.INGESTED and \
        stored.parser_version == PARSER_VERSION and digest not in extractor.submitted
    if current and stored_kind(conn, digest) is not DocumentKind.UNREADABLE:
        summary.unchanged += 1
        # The same bytes, perhaps from a folder moved since: the dashboard opens the
        # source from where it is now, and its problems name it there, once.
        note_location(conn, digest, location)
        place_problems(conn, digest, source.display, location)
        standing = problems_of(conn, digest)
        summary.problems.extend(standing)
        summary.standing += len(standing)
        if on_progress:
            on_progress(source)
        return []
    # New bytes, a newer parser, or the same bad bytes at another path (four identical
    # error pages, say: each path gets its own problem, so no file is silently dropped).
    return extractor.submit(source, data, digest)


# Files read and waiting for a worker, per worker: their bytes are held in memory meanwhile.
WAITING_PER_WORKER = 4


class Extractor:
    """Reads nothing itself: documents arrive with their bytes (read once, by the ingest),
    are extracted on `workers` processes, and come back in the order they were given. At
    most WAITING_PER_WORKER documents per worker wait, so memory stays flat whatever the
    number of files; the pool starts only once a second document arrives."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.submitted: set[str] = set()
        self._first: tuple[SourceFile, bytes, str] | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: deque[Future[Outcome]] = deque()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def submit(self, source: SourceFile, data: bytes, digest: str) -> list[Outcome]:
        """Hand over one document; returns the outcomes that had to be collected to make room
        (in order)."""
        self.submitted.add(digest)
        if self.workers <= 1:
            return [extract_file_bytes(source, data, digest)]
        if self._pool is None:
            if self._first is None:
                self._first = (source, data, digest)
                return []
            self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                             initializer=_exit_with_parent,
                                             initargs=(os.getpid(),))
            self._waiting.append(self._pool.submit(extract_file_bytes, *self._first))
            self._first = None
        self._waiting.append(self._pool.submit(extract_file_bytes, source, data, digest))
        done = []
        while len(self._waiting) > self.workers * WAITING_PER_WORKER:
            done.append(self._waiting.popleft().result())
        return done

    def finish(self) -> Iterator[Outcome]:
        """Every outcome not yet returned, in order."""
        if self._first is not None:  # one document only: no pool for it
            first, self._first = self._first, None
            yield extract_file_bytes(*first)
        while self._waiting:
            yield self._waiting.popleft().result()


def _exit_with_parent(parent: int) -> None:
    """Runs in each worker: when the ingest that started it is killed (kill -9 gives it no
    chance to stop its workers), the worker ends too instead of waiting forever for work."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, name="ilacs-parent-watch", daemon=True).start()


def extract_file_bytes(source: SourceFile, data: bytes, digest: str) -> Outcome:
    """Make a document of a file's bytes (their sha256 `digest` already known) and extract
    it; runs in a worker process."""
    try:
        document = bytes_to_document(data, source.display, source.path.suffix.lower(), digest)
    except DocumentError as error:
        return Outcome(source, digest, len(data), None, None, None, error.problem)
    kind, extraction = extract_document(document)
    return Outcome(source, digest, len(data), document, kind, extraction, None)


def store_outcome(conn: sqlite3.Connection, outcome: Outcome, summary: IngestSummary,
                  replaced: set[str]) -> None:
    """Store one read-and-extracted file in its own transaction. `replaced` holds the
    unreadable bytes whose problems this run has already recorded afresh."""
    previous = stored_version(conn, outcome.sha256)
    location = str(outcome.source.path.resolve())
    if outcome.problem is not None or outcome.document is None or outcome.extraction is None:
        problem = outcome.problem
        if problem is not None:
            if outcome.sha256 in replaced:
                # the same bad bytes at another path in this run: one problem per file
                record_problem(conn, problem, outcome.sha256, PARSER_VERSION, location)
            else:
                # what earlier runs recorded for these bytes (perhaps at paths since moved)
                # gives way to what this run met
                save_unreadable(conn, outcome.source.display, outcome.sha256, outcome.size,
                                problem, PARSER_VERSION, location)
                replaced.add(outcome.sha256)
            summary.problems.append(problem)
        summary.unreadable += 1
        return
    kind = outcome.kind or DocumentKind.OTHER
    save_document(conn, outcome.document, outcome.extraction, PARSER_VERSION, kind,
                  location=location)
    summary.problems.extend(outcome.extraction.problems)
    summary.inspections += outcome.extraction.report is not None
    summary.visits += outcome.extraction.letter is not None
    summary.articles += outcome.extraction.article is not None
    if previous is None or previous.origin is Origin.BUNDLED:
        summary.new += 1
    else:
        summary.reextracted += 1


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))
