"""What the web app serves from: the record, loaded once and reloaded when the file changes.

Every page is a pure function of a `Snapshot`, so a page costs no SQL (search apart) and a
page's answer can be cached until the database changes. The database is opened read-only
for requests: the dashboard never writes unless a write token is configured.
"""

from __future__ import annotations

import logging
import pickle
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from ilacs.analysis.expected import ExpectedGrades, all_expected_grades
from ilacs.analysis.record import AnalysisRecord, load_record
from ilacs.analysis.schedule import Due, next_due
from ilacs.analysis.themes import ThemedPoint, themed_points
from ilacs.child_process import ChildFailed, run_module
from ilacs.errors import AnalysisError, StoreError
from ilacs.record import ensure_authorities
from ilacs.reference import load_register
from ilacs.store import open_read_only, open_store
from ilacs.store.documents import DocumentRef, document_refs, page_text_count
from ilacs.store.interventions import Intervention, list_interventions
from ilacs.store.queries import grades_and_statistics_version
from ilacs.store.story import ClaimRow, claims_for
from ilacs.store.transactions import read_transaction

_T = TypeVar("_T")
MMAP_BYTES = 1 << 30
CACHE_KIB = 64 * 1024
# How often a request looks at whether the database file changed. Looking is two stat calls
# on the event loop, each letting go of the GIL and waiting to get it back behind the pages
# being built: in a burst of new searches, py-spy found the loop there in a fifth of its
# samples, and looking twice a second instead saved 6% of the server's CPU.
VERSION_CHECK_SECONDS = 0.5
FIT_SECONDS = 600  # the expected-grade models take seconds; a child past this is stopped
FITS_KEPT = 4  # fits kept by what they read: a record's current one and a few before it
_FITS: OrderedDict[str, Future[Mapping[str, ExpectedGrades]]] = OrderedDict()
_FITS_LOCK = threading.Lock()
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    version: str  # changes whenever the database file does
    record: AnalysisRecord
    interventions: tuple[Intervention, ...]
    claims: tuple[ClaimRow, ...]
    documents: Mapping[str, DocumentRef]  # by sha256
    page_texts: int  # pages of text held (0: facts only, so search has nothing to find)
    db_path: Path | None = None  # the file it was read from (None: a connection's own)
    # what the expected-grade models read (store.queries.grades_and_statistics_version):
    # snapshots that agree on it, and on the record's date, share one fit
    model_inputs: str = ""
    _memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _pending: dict[object, threading.Lock] = field(default_factory=dict, repr=False,
                                                   compare=False)

    @cached_property
    def by_path(self) -> Mapping[str, DocumentRef]:
        return {ref.path: ref for ref in self.documents.values()}

    @cached_property
    def themed(self) -> tuple[ThemedPoint, ...]:
        return tuple(themed_points(self.record))

    @cached_property
    def due(self) -> Mapping[int, Due]:
        return {due.urn: due for due in next_due(self.record)}

    @property
    def expected(self) -> Mapping[str, ExpectedGrades]:
        """The expected-grade model of every judgement, fitted and back-tested (seconds of
        work) once per state of what it reads, in a thread of its own that others wait for:
        while an ingest of letters writes, every new snapshot shares the one fit.

        Not a daemon thread: the interpreter waits for it at exit. A daemon thread stopped
        inside the numerical libraries as the process ends aborts it (exit status 134)."""
        # the models read grades and figures, and predict as at the record's latest date:
        # files that agree on both (a copy of a record, say) share one fit too
        key = f"inputs:{self.model_inputs}@{self.record.as_of}" \
            if self.db_path and self.model_inputs else f"snapshot:{self.version}:{id(self)}"
        with _FITS_LOCK:
            future = _FITS.get(key)
            if future is None or (future.done() and future.exception() is not None):
                future = _FITS[key] = Future()  # a failed fit is tried again
                while len(_FITS) > FITS_KEPT:
                    _FITS.popitem(last=False)
                threading.Thread(target=_fit_models, args=(self, future),
                                 name="ilacs-models", daemon=False).start()
            else:
                _FITS.move_to_end(key)  # the least recently asked for goes first
        return future.result()

    def memo(self, key: object, compute: Callable[[], _T]) -> _T:
        """`compute()` once per snapshot for `key` (a page's data, say): a thread that wants
        it while another computes it waits for that one (the search index takes seconds,
        and twenty first searches at once must not make it twenty times)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]  # type: ignore[return-value]
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:
            with self._lock:
                if key in self._memo:
                    return self._memo[key]  # type: ignore[return-value]
            try:
                value = compute()
                with self._lock:
                    self._memo[key] = value
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        return value


def _fit_models(snapshot: Snapshot, future: Future[Mapping[str, ExpectedGrades]]) -> None:
    """Fit in a child process that ends when the models are (see ilacs.web.fit_models). The
    child reads the record from the file itself: the snapshot's objects are shared with the
    threads serving pages, so copying them to it could see them change."""
    try:
        if snapshot.db_path is None:
            future.set_result(all_expected_grades(snapshot.record))
            return
        try:
            fitted = run_module("ilacs.web.fit_models", [str(snapshot.db_path)], FIT_SECONDS)
        except ChildFailed as error:
            raise AnalysisError(f"fitting the expected-grade models failed: {error}") from error
        future.set_result(pickle.loads(fitted))  # our own child's answer
    except BaseException as error:  # the waiting request reports it
        future.set_exception(error)


def load_snapshot(conn: sqlite3.Connection, version: str,
                  db_path: Path | None = None) -> Snapshot:
    """Everything a page reads, from one state of the file (an ingest may be writing)."""
    with read_transaction(conn):
        return Snapshot(
            version=version,
            record=load_record(conn, load_register()),
            interventions=tuple(list_interventions(conn)),
            claims=tuple(claims_for(conn)),
            documents={ref.sha256: ref for ref in document_refs(conn)},
            page_texts=page_text_count(conn),
            db_path=db_path,
            model_inputs=grades_and_statistics_version(conn),
        )


def read_connection(db_path: Path) -> sqlite3.Connection:
    """A read-only connection as the server's threads hold them."""
    conn = open_read_only(db_path)
    # Search reads the full-text index over and over: map the file and keep a larger page
    # cache, measured to halve a cold search on the full record.
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return conn


class SnapshotSource:
    """Hands out the current snapshot, reloading it after another process writes the file."""

    def __init__(self, db_path: Path, check_every: float = VERSION_CHECK_SECONDS) -> None:
        if not db_path.exists():
            raise StoreError(f"there is no ilacs record at {db_path}; run `ilacs build` (the "
                             "bundled record) or `ilacs ingest FOLDER` first, or pass --db",
                             path=str(db_path))
        self.db_path = db_path
        conn = open_store(db_path)  # migrate once, writable, before serving read-only
        try:
            ensure_authorities(conn)
        finally:
            conn.close()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._check_every = check_every
        self._next_check = time.monotonic() + check_every
        self._snapshot = load_snapshot(self.connection(), self._file_version(), self.db_path)
        _warm(self._snapshot)

    def connection(self) -> sqlite3.Connection:
        """This thread's read-only connection (sqlite3 connections are not shared)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = read_connection(self.db_path)
        return conn

    def writable_connection(self) -> sqlite3.Connection:
        return open_store(self.db_path)

    def current(self) -> Snapshot:
        """The snapshot of the record, the file looked at every `check_every` seconds: a
        write by another process shows within that; one by this process, at once (`refresh`).
        While another thread is loading a new snapshot, the one before is handed out."""
        if time.monotonic() < self._next_check:
            return self._snapshot
        return self._look(wait=False)

    def refresh(self) -> Snapshot:
        """The snapshot as the file is now (after this process wrote to it, say)."""
        return self._look(wait=True)

    def _look(self, wait: bool) -> Snapshot:
        self._next_check = time.monotonic() + self._check_every
        if self._file_version() == self._snapshot.version:
            return self._snapshot
        if not self._lock.acquire(blocking=wait):
            return self._snapshot  # being loaded by another thread
        try:
            version = self._file_version()  # again: a load may have ended meanwhile
            if version != self._snapshot.version:
                self._snapshot = load_snapshot(self.connection(), version, self.db_path)
                _warm(self._snapshot)
            return self._snapshot
        finally:
            self._lock.release()

    def _file_version(self) -> str:
        parts = []
        for path in (self.db_path, self.db_path.with_name(self.db_path.name + "-wal")):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            parts.append(f"{stat.st_mtime_ns:x}.{stat.st_size:x}")
        return "-".join(parts)


def _warm(snapshot: Snapshot) -> None:
    """Classify improvement points, work out windows and fit the expected-grade models in
    the background, so the first visitor to an LA page does not wait for them. A failure
    here is the page's to report (it asks again); the warm-up only logs it, as it does when
    the server stops while the models are being fitted."""
    def warm() -> None:
        try:
            snapshot.themed, snapshot.due, snapshot.expected  # noqa: B018 - computed for later
        except Exception:
            _log.warning("warming the snapshot %s failed", snapshot.version, exc_info=True)

    threading.Thread(target=warm, daemon=True, name="ilacs-warm").start()
