"""Shared fixtures. The corpus is read from ../shared (beside the repository), never copied;
each corpus PDF is read and extracted once per test session."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import pytest
from filelock import FileLock

if TYPE_CHECKING:
    from fake_ofsted import FakeServer
    from in_process import InProcessClient

from ilacs.documents import Document
from ilacs.errors import Problem
from ilacs.extract import Extraction
from ilacs.ingest.interventions import import_seed
from ilacs.ingest.settle import settle
from ilacs.pipeline import (
    Extractor,
    IngestSummary,
    Outcome,
    default_workers,
    find_files,
    store_outcome,
)
from ilacs.record import ensure_authorities
from ilacs.store import defer_search_indexing, open_store, resume_search_indexing

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REPORTS = SHARED / "corpus" / "reports"
LETTERS = SHARED / "corpus" / "letters"
LABELS = SHARED / "corpus" / "labels.jsonl"
INTERVENTION_EVENTS = SHARED / "reference" / "interventions" / "events.jsonl"


# Fixtures that read every document of the shared corpus; a test using one is marked `corpus`.
CORPUS_FIXTURES = frozenset({"corpus", "letters_corpus", "corpus_db", "web", "client",
                             "published", "writable_db", "statistics_db"})


# The longest modules first. `make test` runs two pytest-xdist workers that each take whole
# modules in the order collected (--dist loadfile --no-loadscope-reorder): one of these taken
# last would leave the other worker idle for minutes at the end.
LONGEST_FIRST = ("test_web_browser.py", "test_theme_model.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)
    items.sort(key=lambda item: LONGEST_FIRST.index(item.path.name)
               if item.path.name in LONGEST_FIRST else len(LONGEST_FIRST))


def require_shared() -> None:
    if not REPORTS.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: the shared corpus is not at {SHARED}; tests that read the "
                    "real reports need ../shared beside the repository")


def load_report_labels() -> list[dict[str, Any]]:
    if not LABELS.is_file():
        return []
    with LABELS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class CorpusRun:
    """Every file of a shared corpus folder (the reports, by default), read and extracted
    once, exactly as ingest reads them, on ingest's worker processes (the outcomes can be
    stored with `store_outcome`)."""

    def __init__(self, folder: Path = REPORTS) -> None:
        self.sources = find_files([folder])
        self.outcomes: list[Outcome] = []
        self.documents: dict[str, Document] = {}
        self.extractions: dict[str, Extraction] = {}
        self.unreadable: dict[str, Problem] = {}
        with Extractor(default_workers()) as extractor:
            for source in self.sources:
                data = source.path.read_bytes()
                self.outcomes += extractor.submit(source, data, hashlib.sha256(data).hexdigest())
            self.outcomes += extractor.finish()
        for outcome in self.outcomes:
            source = outcome.source
            if outcome.problem is not None:
                self.unreadable[source.display] = outcome.problem
            elif outcome.document is not None and outcome.extraction is not None:
                self.documents[source.display] = outcome.document
                self.extractions[source.display] = outcome.extraction


_Made = TypeVar("_Made")


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[], _Made]) -> _Made:
    """`make()` once per test run. Under pytest-xdist (`make test` runs two workers) the first
    worker to ask makes it and keeps it pickled in the run's temporary folder, which every
    worker shares; the others wait for it and read it, rather than reading the corpus again."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make()
    shared = factory.getbasetemp().parent
    kept = shared / f"{name}.pickle"
    with FileLock(shared / f"{name}.lock"):
        if kept.is_file():
            made: _Made = pickle.loads(kept.read_bytes())
            return made
        made = make()
        kept.write_bytes(pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
        return made


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    require_shared()
    return made_once(tmp_path_factory, "corpus", CorpusRun)


@pytest.fixture(scope="session")
def letters_corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    require_shared()
    if not LETTERS.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no letters corpus at {LETTERS}")
    return made_once(tmp_path_factory, "letters_corpus", lambda: CorpusRun(LETTERS))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    require_shared()
    return SHARED


@pytest.fixture(scope="session")
def server() -> Iterator[FakeServer]:
    """The fake Ofsted website on 127.0.0.1; each test installs the site it needs."""
    from fake_ofsted import serve  # fake_ofsted reads SHARED from this module

    with serve() as running:
        yield running


def newest(outcomes: list[Outcome], count: int) -> list[Outcome]:
    """The `count` most recently published reports or letters among the outcomes."""
    def published(outcome: Outcome) -> date:
        extraction = outcome.extraction
        found = extraction and (extraction.report or extraction.letter)
        return (found and found.publication_date) or date.min
    return sorted(outcomes, key=published)[-count:]


@pytest.fixture(scope="session")
def corpus_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record built as scripts/build_bundle.py builds it: the interventions seed and every
    report and letter (read once, in the `corpus` and `letters_corpus` fixtures).

    It is built in two steps, as a record grows: everything but the three newest reports and
    two newest letters (which starts the change log), then those five, which the change log
    lists as new. Tests only read it; a test that writes works on a copy."""
    require_shared()
    return made_once(tmp_path_factory, "corpus_db", lambda: build_corpus_record(
        request.getfixturevalue("corpus"), request.getfixturevalue("letters_corpus"),
        tmp_path_factory.mktemp("record") / "ilacs.db"))


def build_corpus_record(corpus: CorpusRun, letters_corpus: CorpusRun, path: Path) -> Path:
    conn = open_store(path)
    ensure_authorities(conn)
    import_seed(conn, INTERVENTION_EVENTS)
    run = IngestSummary(files=len(corpus.outcomes) + len(letters_corpus.outcomes))
    later = [*newest(corpus.outcomes, 3), *newest(letters_corpus.outcomes, 2)]
    replaced: set[str] = set()
    # as a first ingest stores them: the search index made in one pass at the end of the step
    defer_search_indexing(conn)
    for outcome in [*corpus.outcomes, *letters_corpus.outcomes]:
        if outcome not in later:
            store_outcome(conn, outcome, run, replaced)
    assert resume_search_indexing(conn)
    assert settle(conn).changes == 1  # the baseline
    for outcome in later:
        store_outcome(conn, outcome, run, replaced)
    assert settle(conn).changes == len(later)
    load_shared_statistics(conn)
    conn.close()
    assert run.new == 493 + 281 and run.unreadable == 4
    return path


def load_shared_statistics(conn: sqlite3.Connection) -> None:
    """The official statistics of ../shared/reference/dfe, as `ilacs statistics load`
    loads them (the lookup table is refused, by name)."""
    from ilacs.ingest.statistics import find_statistics_files, load_statistics

    if not DFE.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no DfE statistics at {DFE}")
    files, problems = find_statistics_files([DFE])
    result = load_statistics(conn, files, workers=2)
    assert problems == [] and len(result.datasets) == 17
    refused = sorted(p.path for p in result.problems if p.severity.value == "error")
    assert refused == [str(DFE / "LTLA-UTLA_Apr23_Lookup_England-Wales.csv")]


DFE = SHARED / "reference" / "dfe"


@pytest.fixture(scope="session")
def statistics_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record holding only official statistics, loaded from ../shared/reference/dfe as
    `ilacs statistics load` loads them."""
    def make() -> Path:
        path = tmp_path_factory.mktemp("statistics") / "ilacs.db"
        conn = open_store(path)
        ensure_authorities(conn)
        load_shared_statistics(conn)
        conn.close()
        return path
    return made_once(tmp_path_factory, "statistics_db", make)


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `make run` serves: the bundled facts-only record, no page text."""
    from ilacs.record import load_bundled_record

    def make() -> Path:
        path = tmp_path_factory.mktemp("bundled") / "ilacs.db"
        conn = open_store(path)
        load_bundled_record(conn)
        conn.close()
        return path
    return made_once(tmp_path_factory, "bundled_db", make)


@pytest.fixture(scope="session")
def web(corpus_db: Path) -> Iterator[str]:
    """The dashboard over the full record (every report and letter ingested), on 127.0.0.1."""
    from ilacs.web import WebSettings
    from web_server import running_server

    with running_server(WebSettings(corpus_db)) as url:
        yield fitted(url)


@pytest.fixture(scope="module")
def client(web: str) -> Iterator[httpx.Client]:
    """An HTTP client of the dashboard over the full record."""
    with httpx.Client(base_url=web, timeout=60) as http:
        yield http


@pytest.fixture(scope="session")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic record (tests/small_record.py): no corpus needed."""
    from small_record import build_small_record

    return build_small_record(tmp_path_factory.mktemp("small") / "ilacs.db")


@pytest.fixture(scope="module")
def app(small_db: Path) -> Iterator[InProcessClient]:
    """The dashboard over the small record, in process (no socket): for what a real server
    on a port adds nothing to, such as headers, redirects and error envelopes."""
    from ilacs.web import WebSettings, create_app
    from in_process import in_process

    with in_process(create_app(WebSettings(small_db, warm=False))) as client:
        yield client


@pytest.fixture(scope="session")
def bundled_web(bundled_db: Path) -> Iterator[str]:
    """The dashboard as `make run` starts it: the bundled record, documents found in ../shared."""
    from ilacs.web import WebSettings
    from web_server import running_server

    with running_server(WebSettings(bundled_db, (REPORTS, LETTERS))) as url:
        yield fitted(url)


def fitted(url: str) -> str:
    """`url` once its server has fitted the expected-grade models. An authority's page waits
    for them, seconds of CPU and more on a busy machine: without this the first test to open
    one waits instead, and a browser gives up on a page after 30 s."""
    httpx.get(f"{url}/la/80419.json", timeout=600).raise_for_status()
    return url


@pytest.fixture(scope="session")
def published(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`ilacs publish` of the full record, as it will be hosted at PUBLISHED_AT."""
    from ilacs.web.publish import publish

    return made_once(tmp_path_factory, "published", lambda: publish(
        corpus_db, tmp_path_factory.mktemp("published") / "site", PUBLISHED_AT,
        (REPORTS, LETTERS)))


PUBLISHED_AT = "https://example.org/ilacs"


WRITE_TOKEN = "a-long-test-token-not-a-secret"


@pytest.fixture(scope="module")
def writable_db(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the full record for a module that writes, with the news articles in
    ../shared ingested so that it holds interventions the news suggested."""
    import sqlite3

    from ilacs.pipeline import ingest

    path = tmp_path_factory.mktemp("writable") / "ilacs.db"
    with sqlite3.connect(corpus_db) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    # two articles written here about interventions the register does not hold, so that
    # there are suggestions to confirm whatever the register holds
    written = tmp_path_factory.mktemp("written-news")
    for name, council in [("wokingham.txt", "Wokingham Borough Council"),
                          ("derby.txt", "Derby City Council")]:
        (written / name).write_text(
            f"Improvement notice for {council}\nPublished: 2 June 2025\nThe Department for "
            f"Education has issued an improvement notice to {council} after Ofsted's "
            "inspection of its children's services.\n", "utf-8")
    conn = open_store(path)
    try:
        ingest(conn, find_files([SHARED / "corpus" / "docs" / "news", written]))
    finally:
        conn.close()
    return path


def suggested(db: Path) -> list[tuple[int, int]]:
    """(intervention id, urn) of every suggestion not yet confirmed."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, urn FROM interventions WHERE NOT confirmed "
                            "ORDER BY id").fetchall()
