"""Full-text search of stored page text in FTS5, with the filters the dashboard offers.

Every ingested page is in the FTS5 index `pages_fts`. A hit names its document, page, LA and
publication date whichever kind of document it is (report, letter or news article), so a
search can filter by LA, year, kind and grade and link straight to the page. The CLI's
`ilacs search` searches here; the dashboard ranks and counts in an index made for top-k
retrieval (ilacs.web.text_index) and asks FTS5 here only for its snippets (`page_snippets`)
and the facts of its pages (`SearchIndex`).

A search is three steps:
- `rank_pages`: FTS5 ranks every matching page once (bm25, ties by page id). The filters
  cannot change a page's bm25 score (it depends on the whole index, not on the hits), so a
  filtered search is this order with pages left out, and one ranking serves every filter and
  every page of results for the same text.
- `SearchIndex`: every page's document facts (LA, year, kind, grades), loaded in one go and
  small (a few MB for the full record); filters are applied against it in Python.
- `results_page`: filter, cut one page of hits, and ask FTS5 for those pages' snippets only.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import sys
import threading
import time
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import compress
from operator import itemgetter
from typing import Protocol

from ilacs.errors import StoreError
from ilacs.extract.judgements import JUDGEMENT_FAMILIES
from ilacs.extract.models import Grade
from ilacs.extract.text import SOFT_HYPHEN_MARK, SUB_BULLETS
from ilacs.store.rows import DocumentKind, SearchHit
from ilacs.store.transactions import read_transaction, transaction

_OPEN_MARK, _CLOSE_MARK = "\x02", "\x03"
# Stored page text is pdfium's, which no browser shows as printed: a hyphen it took for a
# soft one is U+FFFE, and bullets drawn from Symbol and Wingdings fonts are private-use code
# points (U+F06E, U+F0A7, and U+F02D for a dash, in the corpus), all drawn as empty boxes.
# Snippets show them as the hyphens, dashes and bullets they are (as extraction reads them).
SYMBOL_FONT_BULLET = "•"
_SHOWN_AS = {SOFT_HYPHEN_MARK: "-",
             **{mark: "–" for mark in SUB_BULLETS if "\ue000" <= mark <= "\uf8ff"}}
# One pass that finds the few marks there are: str.translate with a table looks up every
# character in Python, 13 µs a snippet, two thirds of what building a page of hits costs.
_PDFIUM_MARKS = re.compile(f"[{SOFT_HYPHEN_MARK}\ue000-\uf8ff]")
SNIPPET_TOKENS = 24
_ID_HEX_DIGITS = 16  # a page id as fixed-width hex: any SQLite rowid fits
ADMITTED_KEPT = 64  # filters whose page flags an index keeps: 64 x 12 kB for the full record

# A document's LA and publication date, from whichever fact table holds it.
_DOCUMENT_FACTS = """
    LEFT JOIN inspections i ON i.document_sha256 = d.sha256
    LEFT JOIN visits v ON v.document_sha256 = d.sha256
    LEFT JOIN articles ar ON ar.document_sha256 = d.sha256
"""
_URN = "coalesce(i.urn, v.urn)"
_PUBLISHED = "coalesce(i.publication_date, v.publication_date, ar.publication_date)"


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing a search; None means "any"."""

    urn: int | None = None
    year: int | None = None  # the year the document was published
    kind: DocumentKind | None = None
    grade: Grade | None = None  # reports whose inspection gave this grade for `judgement`
    judgement: str = "overall_effectiveness"
    region: str | None = None  # the region of the document's authority


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    total: int  # pages matching, before the limit
    match: str  # what FTS5 was asked: the query, or the query as one phrase


@dataclass(frozen=True)
class Ranking:
    """Every page matching a query, best first, whatever the filters."""

    query: str
    match: str  # what FTS5 was asked: the query, or the query as one phrase
    page_ids: Sequence[int]  # an array: 8 bytes a page, so a server can keep many


@dataclass(frozen=True)
class IndexedDocument:
    sha256: str
    path: str
    kind: DocumentKind
    urn: int | None
    la_name: str | None
    published: str | None  # ISO date as stored; the year filter compares its first 4 characters
    grades: frozenset[tuple[str, str]]  # (judgement key, grade) given by its inspection
    region: str | None = None  # its authority's
    visit_kind: str | None = None  # a letter's: focused_visit, monitoring_visit, jtai

    def graded(self, grade: str, judgement: str) -> bool:
        """Whether its inspection gave `grade` for `judgement` (or a judgement of its family)."""
        keys = JUDGEMENT_FAMILIES.get(judgement, (judgement,))
        return any((key, grade) in self.grades for key in keys)


def search_pages(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[SearchHit]:
    """Pages matching a full-text query, best first, with a highlighted snippet."""
    return list(search(conn, query, SearchFilters(), limit).hits)


def search(conn: sqlite3.Connection, query: str, filters: SearchFilters = SearchFilters(),
           limit: int = 20, offset: int = 0) -> SearchResults:
    """Pages matching a full-text query and the filters, best first.

    The query may use FTS5 syntax ("unregistered placements", neglect OR abuse, plac*).
    Anything FTS5 cannot parse (a stray quote, a colon, a lone NOT) is searched as a phrase
    instead: a user's typing must never be an error. Each call loads the facts index and
    ranks anew.
    """
    text = query.strip()
    if not text or limit <= 0:
        return SearchResults(text, (), 0, text)
    return results_page(conn, SearchIndex.load(conn), rank_pages(conn, text), filters,
                        limit, offset)


# What one search may cost: no request may hold the others (a query of 3,000 prefix terms
# once ran for ten minutes at 2.4 GB).
MAX_QUERY_CHARS = 256
MAX_QUERY_TERMS = 16
MAX_PREFIX_TERMS = 4
MIN_PREFIX_CHARS = 3  # 'a*' matches a great part of the index
SEARCH_SECONDS = 2.0  # SQLite is interrupted past this
SNIPPETS_PER_STATEMENT = 500  # parameters a statement: SQLite builds allow 32,766 or more
_PROGRESS_STEPS = 10_000  # virtual machine steps between looks at the clock


class SearchRejected(StoreError):
    """A query over what one search may cost, saying which limit it passed."""


def check_query(text: str) -> None:
    """Refuse a query that could hold the server, saying why (see MAX_QUERY_CHARS ...)."""
    if "\x00" in text:
        raise SearchRejected("a search cannot contain a NUL character")
    if len(text) > MAX_QUERY_CHARS:
        raise SearchRejected(f"a search is at most {MAX_QUERY_CHARS} characters "
                             f"(this one has {len(text)})")
    terms = re.findall(r'"[^"]*"?|[^\s"]+', text)
    if len(terms) > MAX_QUERY_TERMS:
        raise SearchRejected(f"a search has at most {MAX_QUERY_TERMS} words or phrases "
                             f"(this one has {len(terms)})")
    # a lone '*' is no prefix term: FTS5 cannot parse it and it is searched as a phrase
    prefixes = re.findall(r"([^\s\"*()]+)\*", text)
    if len(prefixes) > MAX_PREFIX_TERMS:
        raise SearchRejected(f"a search has at most {MAX_PREFIX_TERMS} words ending in * "
                             f"(this one has {len(prefixes)})")
    short = [prefix for prefix in prefixes if len(prefix) < MIN_PREFIX_CHARS]
    if short:
        raise SearchRejected(f"a word ending in * needs at least {MIN_PREFIX_CHARS} letters "
                             f"before the * ('plac*', not '{short[0]}*')")


def rank_pages(conn: sqlite3.Connection, query: str) -> Ranking:
    """Every page matching `query` in bm25 order (ties by page id), falling back to the
    query as one phrase when FTS5 cannot parse it. A query over budget (see check_query,
    SEARCH_SECONDS) raises SearchRejected."""
    text = query.strip()
    if not text:
        return Ranking(text, text, array("q"))
    check_query(text)
    with within_budget(conn, query) as late:
        try:
            return Ranking(text, text, _ranked(conn, text))
        except sqlite3.OperationalError:
            if late():
                raise
            phrase = '"' + text.replace('"', '""') + '"'
            return Ranking(text, phrase, _ranked(conn, phrase))


@contextmanager
def within_budget(conn: sqlite3.Connection, query: str) -> Iterator[Callable[[], bool]]:
    """SQLite interrupted past SEARCH_SECONDS, which raises SearchRejected; yields whether
    the time is up. Other errors of SQLite raise StoreError naming the search."""
    deadline = time.monotonic() + SEARCH_SECONDS

    def late() -> bool:
        return time.monotonic() > deadline

    conn.set_progress_handler(lambda: int(late()), _PROGRESS_STEPS)
    try:
        yield late
    except sqlite3.Error as error:
        if late():
            raise SearchRejected(f"the search took more than {SEARCH_SECONDS:g} s and was "
                                 "stopped; use fewer or longer words") from error
        raise StoreError(f"the search for {query!r} failed ({error})") from error
    finally:
        conn.set_progress_handler(None, 0)


def _ranked(conn: sqlite3.Connection, match: str) -> array[int]:
    # One row holding every id, not a row per id: Python's sqlite3 lets go of the GIL for
    # each row, and under a server's load 11,000 hand-backs (a word on every page) cost
    # more than the ranking. SQLite keeps a subquery's ORDER BY when the outer query is an
    # aggregate other than count, min or max (select.c), so the ids are in rank order;
    # tests/test_search.py checks it against a plain ORDER BY rank. Fixed-width hex, not a
    # JSON array: it decodes in C (0.04 ms for 11,674 ids, against 0.8 ms for json.loads),
    # and that time holds the GIL that every other request in flight is waiting for.
    [text] = conn.execute(
        f"SELECT group_concat(printf('%0{_ID_HEX_DIGITS}x', rowid), '') FROM (SELECT rowid "
        "FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rank, rowid)", (match,)).fetchone()
    ids = array("q")  # the same 8 bytes as the hex: a negative rowid would come back as one
    ids.frombytes(bytes.fromhex(text or ""))
    if sys.byteorder == "little":
        ids.byteswap()  # hex digits are written most significant first
    return ids


def results_page(conn: sqlite3.Connection, index: SearchIndex, ranking: Ranking,
                 filters: SearchFilters, limit: int, offset: int,
                 kept: KeptSnippets | None = None) -> SearchResults:
    """One page of `ranking`'s hits that pass the filters, with snippets; `total` counts
    every page that passes. Snippets in `kept` are not made again, and those made are kept."""
    ids = admitted_ids(index, ranking.page_ids, filters)
    start = max(offset, 0)
    chosen = list(ids[start:start + max(limit, 0)])
    snippets = page_snippets(conn, ranking.match, chosen, kept)
    hits = tuple(hit for page_id in chosen
                 if (hit := index.hit(page_id, snippets.get(page_id, ""))) is not None)
    return SearchResults(ranking.query, hits, len(ids), ranking.match)


def page_snippets(conn: sqlite3.Connection, match: str, page_ids: Sequence[int],
                  kept: KeptSnippets | None = None) -> dict[int, str]:
    """Each page's snippet for what FTS5 was asked (HTML); those in `kept` are not made
    again, and those made are kept."""
    snippets = kept.known(match, page_ids) if kept is not None else {}
    wanted = [i for i in page_ids if i not in snippets]
    made: dict[int, str] = {}
    # a statement names each page: the CLI may ask for more than SQLite takes at once
    for start in range(0, len(wanted), SNIPPETS_PER_STATEMENT):
        made.update(_snippets(conn, match, wanted[start:start + SNIPPETS_PER_STATEMENT]))
    if kept is not None:
        kept.keep(match, made)
    snippets.update(made)
    return snippets


def admitted_ids(index: SearchIndex, ids: Sequence[int], filters: SearchFilters
                 ) -> Sequence[int]:
    """The ids, in order, of the pages the filters let through."""
    admitted = index.admitted(filters)
    return ids if admitted is None else _admitted_ids(ids, admitted)


def _admitted_ids(ids: Sequence[int], admitted: bytes) -> list[int]:
    """The ids whose flag is set, in order. A page written after the index was loaded (an
    id past the flags) is let through by none."""
    if not ids:
        return []
    if max(ids) < len(admitted):
        # itemgetter and compress loop in C: a third faster than a comprehension over a
        # word on every page, and this runs holding the GIL.
        return list(compress(ids, itemgetter(*ids)(admitted) if len(ids) > 1
                             else (admitted[ids[0]],)))
    return [page_id for page_id in ids if page_id < len(admitted) and admitted[page_id]]


def _snippets(conn: sqlite3.Connection, match: str, page_ids: list[int]) -> dict[int, str]:
    """One statement and one row back, whatever the number of pages: Python's sqlite3 lets
    go of the GIL for each statement and each row, and under a server's load each taking it
    back waits behind the other requests (docs/web.md: search under load). (snippet() may
    not be an aggregate's argument, hence the materialised step.)"""
    if not page_ids:
        return {}
    marks = ", ".join("?" * len(page_ids))
    if _has_prefix(match):
        # A prefix is merged from every word it begins at each call of FTS5 (ten pages of
        # "plac*" one at a time: 77 ms at ten times the corpus), so it makes one pass over
        # the ids' range, with the list checked outside FTS5 (`+rowid`).
        where = f"rowid BETWEEN ? AND ? AND +rowid IN ({marks})"
        ids: tuple[int, ...] = (min(page_ids), max(page_ids), *page_ids)
    else:
        # FTS5 given a rowid IN list is called once per id and seeks each word's list to
        # that page: about 0.1 ms a page whatever the record's size. One pass over the ids'
        # range reads every match between the first and the last: at ten times the corpus,
        # 6 ms for the ten pages of a common word.
        where = f"rowid IN ({marks})"
        ids = tuple(page_ids)
    with within_budget(conn, match):
        [text] = conn.execute(
            f"""WITH hits AS MATERIALIZED (
                SELECT rowid AS id, snippet(pages_fts, 0, ?, ?, '…', ?) AS snippet
                FROM pages_fts WHERE pages_fts MATCH ? AND {where})
            SELECT json_group_array(json_array(id, snippet)) FROM hits""",
            (_OPEN_MARK, _CLOSE_MARK, SNIPPET_TOKENS, match, *ids)).fetchone()
    return {page_id: _highlight(snippet) for page_id, snippet in json.loads(text)}


def _has_prefix(match: str) -> bool:
    """Whether an FTS5 query has a '*' outside its quoted phrases."""
    return "*" in re.sub(r'"(?:[^"]|"")*"', "", match)


class KeptSnippets(Protocol):
    """Snippets a caller keeps between searches (the dashboard keeps one per record version):
    those `known` are not made again, and those made are offered to `keep`."""

    def known(self, match: str, page_ids: Sequence[int]) -> dict[int, str]: ...

    def keep(self, match: str, snippets: dict[int, str]) -> None: ...


def compact_search_index(conn: sqlite3.Connection) -> bool:
    """Merge the full-text index into one segment if writes have left it in several; True
    if it did.

    Each batch of pages written adds an FTS5 segment, and a query opens a cursor on every
    segment for every term: on the full record (21 segments after one ingest) a one-page
    snippet query took 2 to 4 times as long as on one segment, and the cold searches of
    benchmarks/web.py, one at a time, about 6% longer. Merging the full record's index
    takes about 0.3 s.
    """
    [segments] = conn.execute("SELECT count(DISTINCT segid) FROM pages_fts_idx").fetchone()
    if segments <= 1:
        return False
    with transaction(conn):
        conn.execute("INSERT INTO pages_fts (pages_fts) VALUES ('optimize')")
    return True


class SearchIndex:
    """Every page's document and its facts, in memory: what the filters and the hits need.

    Load it once per version of the record (a server) or once per search (the CLI); both
    filter through `admitted`, the one statement of what each filter means. Pages are held
    in flat arrays indexed by page id (SQLite's rowids: positive and dense), not as an
    object each: a server keeps this for as long as the record is unchanged, and 12,000
    more objects for the garbage collector to walk make its full pauses longer and sooner.
    """

    def __init__(self, documents: Sequence[IndexedDocument], page_documents: array[int],
                 page_numbers: array[int]) -> None:
        self._documents = documents
        self._page_documents = page_documents  # page id -> index in documents; -1: no page
        self._page_numbers = page_numbers  # page id -> its number in its document
        pages_of = [array("q") for _ in documents]
        for page_id, position in enumerate(page_documents):
            if position >= 0:
                pages_of[position].append(page_id)
        self._pages_of = pages_of
        self._admitted: OrderedDict[SearchFilters, bytes] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> SearchIndex:
        with read_transaction(conn):  # pages and documents from one state of the file
            return cls._load(conn)

    @classmethod
    def _load(cls, conn: sqlite3.Connection) -> SearchIndex:
        grades: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for inspection_id, key, grade in conn.execute(
                "SELECT inspection_id, key, grade FROM judgements"):
            grades[inspection_id].add((key, grade))
        documents = [
            IndexedDocument(row[0], row[1], DocumentKind(row[2]), row[4], row[5], row[6],
                            frozenset(grades.get(row[3], ())), row[7], row[8])
            for row in conn.execute(f"""
                SELECT d.sha256, d.path, d.kind, i.id, {_URN},
                    coalesce(a.name, i.la_name_printed, v.la_name_printed), {_PUBLISHED},
                    a.region_name, v.kind
                FROM documents d {_DOCUMENT_FACTS}
                LEFT JOIN authorities a ON a.urn = {_URN}""")
        ]
        position = {document.sha256: index for index, document in enumerate(documents)}
        size = (conn.execute("SELECT max(id) FROM pages").fetchone()[0] or 0) + 1
        page_documents, page_numbers = array("i", [-1]) * size, array("i", [0]) * size
        for page_id, sha256, number in conn.execute(
                "SELECT id, document_sha256, number FROM pages"):
            page_documents[page_id], page_numbers[page_id] = position[sha256], number
        return cls(tuple(documents), page_documents, page_numbers)

    def admitted(self, filters: SearchFilters) -> bytes | None:
        """Which pages the filters let through, as a flag per page id (1: in); None when
        they let every page through. Kept for the latest few filters, which many searches
        share."""
        if filters.urn is None and filters.year is None and filters.kind is None \
                and filters.grade is None and filters.region is None:
            return None
        with self._lock:
            found = self._admitted.get(filters)
            if found is not None:
                self._admitted.move_to_end(filters)
        if found is None:
            flags = bytearray(len(self._page_documents))
            for document, pages in zip(self._documents, self._pages_of, strict=True):
                if _passes(document, filters):
                    for page_id in pages:
                        flags[page_id] = 1
            found = bytes(flags)
            with self._lock:
                self._admitted[filters] = found
                while len(self._admitted) > ADMITTED_KEPT:
                    self._admitted.popitem(last=False)
        return found

    def document_position(self, page_id: int) -> int:
        """The position of the page's document (see `document`); -1 for a page written
        after this index was loaded."""
        if not 0 <= page_id < len(self._page_documents):
            return -1
        return self._page_documents[page_id]

    def document(self, position: int) -> IndexedDocument:
        return self._documents[position]

    @property
    def documents(self) -> Sequence[IndexedDocument]:
        """Every document, at its position."""
        return self._documents

    @property
    def page_documents(self) -> array[int]:
        """The position of each page id's document (-1: no such page), a C int each."""
        return self._page_documents

    def page_number(self, page_id: int) -> int:
        return self._page_numbers[page_id]

    def hit(self, page_id: int, snippet: str) -> SearchHit | None:
        """The page as a hit; None for a page written after this index was loaded."""
        if not 0 <= page_id < len(self._page_documents) or self._page_documents[page_id] < 0:
            return None
        document = self._documents[self._page_documents[page_id]]
        return SearchHit(
            document_sha256=document.sha256, path=document.path, kind=document.kind,
            page=self._page_numbers[page_id], snippet=snippet, urn=document.urn,
            la_name=document.la_name, publication_date=date.fromisoformat(document.published)
            if document.published else None,
        )


def _passes(document: IndexedDocument, filters: SearchFilters) -> bool:
    if filters.urn is not None and document.urn != filters.urn:
        return False
    if filters.year is not None and (document.published or "")[:4] != f"{filters.year:04d}":
        return False
    if filters.kind is not None and document.kind != filters.kind:
        return False
    if filters.region is not None and document.region != filters.region:
        return False
    if filters.grade is not None:
        return document.graded(filters.grade.value, filters.judgement)
    return True


def _highlight(snippet: str) -> str:
    """Escape the page text, turn FTS5's match markers into <mark> elements, and pdfium's
    marks for hyphens, dashes and bullets into characters a browser shows."""
    escaped = _PDFIUM_MARKS.sub(_shown_as, html.escape(snippet, quote=False))
    return escaped.replace(_OPEN_MARK, "<mark>").replace(_CLOSE_MARK, "</mark>")


def _shown_as(mark: re.Match[str]) -> str:
    return _SHOWN_AS.get(mark.group(), SYMBOL_FONT_BULLET)
