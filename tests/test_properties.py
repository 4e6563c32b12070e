"""Properties of the parsers people can reach, over inputs nobody wrote by hand (hypothesis).

Each parser takes text from outside: a search box, a page's address, a document, a DfE file,
a GOV.UK page. Whatever arrives, it answers or refuses with a typed error that says why;
it never fails with an error of Python's own. Examples are derandomised, so a failure seen
once is seen again on every machine, and the inputs are mutations of real ones in ../shared.
`ILACS_PROPERTY_EXAMPLES=2000 pytest tests/test_properties.py` looks further, at random.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LETTERS, REPORTS, SHARED, require_shared
from ilacs.documents import Document, read_document
from ilacs.documents.model import Page
from ilacs.errors import IlacsError
from ilacs.extract.classify import extract_document
from ilacs.extract.notices import NoticePage, notice_events
from ilacs.pipeline import find_files, ingest
from ilacs.sources import ees, govuk
from ilacs.statistics.tidy import read_tidy_bytes
from ilacs.store import open_store
from ilacs.store.search import MAX_QUERY_CHARS, SearchRejected, search

# ILACS_PROPERTY_EXAMPLES=2000 searches further, with fresh random examples each run.
DEEPER = os.environ.get("ILACS_PROPERTY_EXAMPLES")
PROPERTY = settings(max_examples=int(DEEPER or 120), deadline=None, derandomize=not DEEPER,
                    database=None, suppress_health_check=[HealthCheck.too_slow,
                                                          HealthCheck.function_scoped_fixture])

# The words and marks search syntax is made of, so that examples reach FTS5's parser.
QUERY_TOKENS = st.sampled_from([
    "neglect", "care", "leavers", "plac*", "pla*", "p*", "*", '"', '"unregistered placements"',
    "OR", "AND", "NOT", "NEAR", "NEAR(", ")", "(", ":", "^", "-", "+", "'", "\x00", "é",
    "\U0001f600", "ﬁ", "\u200b", "\ufffe", "a" * 80, "{", "}", "[", "]", "\\", "%", "_",
])
QUERIES = st.one_of(st.text(max_size=MAX_QUERY_CHARS + 40),
                    st.lists(QUERY_TOKENS, max_size=24).map(" ".join),
                    st.lists(QUERY_TOKENS, max_size=24).map("".join))


@pytest.fixture(scope="module")
def search_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    require_shared()
    conn = open_store(tmp_path_factory.mktemp("search") / "ilacs.db")
    ingest(conn, find_files([LETTERS])[:6])
    yield conn
    conn.close()


@PROPERTY
@given(text=QUERIES)
def test_any_search_is_answered_or_refused_with_a_reason(search_store: sqlite3.Connection,
                                                         text: str) -> None:
    try:
        results = search(search_store, text, limit=5)
    except SearchRejected as refused:
        assert str(refused)  # the reason the user is shown
        return
    assert len(results.hits) <= min(5, results.total)
    assert all(hit.page >= 1 for hit in results.hits)


PAGES = ["/", "/index.json", "/la/80419", "/la/80419.json", "/compare", "/compare.json",
         "/themes", "/search", "/search.json", "/changes", "/changes.atom", "/find",
         "/indicators", "/downloads", "/interventions"]
PARAMETERS = st.sampled_from(["q", "la", "judgement", "region", "sort", "order", "page",
                              "per_page", "year", "kind", "grade", "theme", "name", "since",
                              "framework", "indicator", "x"])
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "nan", "inadequate", "overall_effectiveness",
                     "80419", "London", "%00", "../../etc/passwd", "<script>", "9" * 40]),
)


@PROPERTY
@given(path=st.sampled_from(PAGES),
       query=st.lists(st.tuples(PARAMETERS, VALUES), max_size=6))
def test_any_page_parameters_are_answered_without_a_server_error(
        client: httpx.Client, path: str, query: list[tuple[str, str]]) -> None:
    address = f"{path}?{urlencode(query)}" if query else path
    response = client.get(address)
    assert response.status_code < 500, (address, response.text[:300])


def _mutations(rng: random.Random, text: str) -> str:
    """Lines dropped, repeated, swapped or cut, characters inserted: what a bad text layer,
    a redesigned template or a truncated download does to a document."""
    lines = text.splitlines()
    for _ in range(rng.randint(1, 8)):
        if not lines:
            break
        at = rng.randrange(len(lines))
        action = rng.choice(["drop", "repeat", "swap", "cut", "insert", "upper"])
        if action == "drop":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "cut":
            lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
        elif action == "insert":
            lines.insert(at, rng.choice(["Inspection dates: 31 February 2019", "1.", "•",
                                         "Overall effectiveness Requires improvement to be",
                                         "Lead inspector:", "\x0c", "What needs to improve",
                                         "Areas for improvement", "Judgement Grade"]))
        else:
            lines[at] = lines[at].upper()
    return "\n".join(lines)


@pytest.fixture(scope="module")
def real_documents() -> list[Document]:
    require_shared()
    picked = [*sorted(REPORTS.rglob("*.pdf"))[::60], *sorted(LETTERS.rglob("*.pdf"))[::70]]
    documents = []
    for path in picked:
        try:
            documents.append(read_document(path, display_path=f"{path.parent.name}/{path.name}"))
        except IlacsError:
            continue  # the HTML pages saved as PDFs: not documents to mutate
    return documents


@PROPERTY
@given(seed=st.integers(min_value=0, max_value=2**32), which=st.integers(min_value=0))
def test_extraction_of_mutated_documents_never_fails(real_documents: list[Document],
                                                    seed: int, which: int) -> None:
    original = real_documents[which % len(real_documents)]
    rng = random.Random(seed)
    pages = tuple(Page(page.number, _mutations(rng, page.text)) for page in original.pages
                  if rng.random() > 0.1)
    mutated = Document(original.path, original.sha256, original.size, original.media_type,
                       pages)
    kind, extraction = extract_document(mutated)
    for problem in extraction.problems:
        assert problem.path == original.path and problem.message


DFE_FILES = ["b1_children_in_need_2013_to_2025.csv", "cla_number_and_rate_per_10k_children.csv"]


@pytest.fixture(scope="module")
def dfe_heads() -> list[bytes]:
    require_shared()
    heads = []
    for name in DFE_FILES:
        with (SHARED / "reference" / "dfe" / name).open("rb") as handle:
            heads.append(b"".join(handle.readline() for _ in range(60)))
    return heads


@PROPERTY
@given(seed=st.integers(min_value=0, max_value=2**32), which=st.integers(min_value=0),
       junk=st.binary(max_size=12))
def test_a_mutated_dfe_file_is_read_or_refused_with_a_reason(
        dfe_heads: list[bytes], seed: int, which: int, junk: bytes) -> None:
    rng = random.Random(seed)
    text = _mutations(rng, dfe_heads[which % len(dfe_heads)].decode("utf-8-sig"))
    data = text.encode("utf-8")
    if junk:
        at = rng.randrange(len(data) + 1)
        data = data[:at] + junk + data[at:]
    try:
        table = read_tidy_bytes(data, "mutated.csv")
    except IlacsError as refused:
        assert "mutated.csv" in f"{refused.path} {refused}"
        return
    for problem in table.problems:
        assert problem.path == "mutated.csv" and problem.message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["details", "body", "title", "description", "first_published_at",
                         "collection_groups", "documents", "links", "base_path", "content_id",
                         "x"]), inner, max_size=5),
    max_leaves=20)


@PROPERTY
@given(content=st.dictionaries(st.sampled_from(["details", "title", "description", "links",
                                                "first_published_at", "base_path"]),
                               JSON_VALUES, max_size=6))
def test_any_govuk_json_is_read_or_refused_with_a_reason(content: dict[str, Any]) -> None:
    json.dumps(content)  # what the content API could send: JSON
    try:
        documents = govuk.listed_documents(content, "https://www.gov.uk/x")
    except IlacsError as refused:
        assert str(refused)
    else:
        assert all(str(item.get("base_path")).startswith("/") for item in documents)
    sections = govuk.collection_sections(content)
    assert all(isinstance(title, str) for title in sections.values())
    page = govuk.notice_page(content, "/government/publications/x", None)
    notice_events(page)


@PROPERTY
@given(answer=st.one_of(
    st.text(max_size=60),
    st.dictionaries(st.sampled_from(["results", "paging", "totalPages", "x"]), JSON_VALUES,
                    max_size=3).map(json.dumps),
    st.builds(lambda results, total: json.dumps({"results": results,
                                                 "paging": {"totalPages": total}}),
              st.lists(JSON_VALUES, max_size=3), JSON_VALUES)))
def test_any_ees_listing_is_read_or_refused_with_a_reason(answer: str) -> None:
    from ilacs.statistics.catalogue import load_catalogue

    try:
        results, pages = ees.listing_page(answer, "https://ees.example/v1/publications")
    except IlacsError as refused:
        assert "ees.example" in f"{refused.path} {refused}"
        return
    datasets = list(load_catalogue().datasets)
    for item in results:
        found = ees.recognise(item, datasets, {"title": "a publication"})
        assert found is None or found.version


@pytest.fixture(scope="module")
def notices() -> list[NoticePage]:
    folder = SHARED / "corpus" / "govuk_notices"
    if not folder.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no GOV.UK notices at {folder}")
    pages = []
    for path in sorted(folder.glob("*.txt")):
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
        pages.append(NoticePage(lines[0], lines[1], lines[2], "\n".join(lines[3:]), None))
    return pages


@PROPERTY
@given(seed=st.integers(min_value=0, max_value=2**32), which=st.integers(min_value=0))
def test_events_of_a_mutated_notice_never_fail(notices: list[NoticePage], seed: int,
                                               which: int) -> None:
    original = notices[which % len(notices)]
    rng = random.Random(seed)
    page = NoticePage(original.address, _mutations(rng, original.title),
                      _mutations(rng, original.description), _mutations(rng, original.body),
                      None)
    events, problems = notice_events(page)
    for problem in problems:
        assert problem.message
    for event in events:
        assert event.source == page.address


def test_the_mutations_change_what_they_are_given(real_documents: list[Document]) -> None:
    """The properties above would prove nothing if the documents came back untouched."""
    text = real_documents[0].pages[0].text
    assert sum(_mutations(random.Random(seed), text) != text for seed in range(20)) >= 18
