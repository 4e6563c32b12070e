"""Full-text search across every ingested report, letter and article, with filters."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ilacs.caching import LatestKept
from ilacs.store.rows import DocumentKind
from ilacs.store.search import (
    Ranking,
    SearchFilters,
    SearchIndex,
    SearchResults,
    SnippetCache,
    rank_pages,
    results_page,
)
from ilacs.web import urls
from ilacs.web.pages.common import (
    AuthorityRef,
    BadParameter,
    Option,
    Source,
    authority_ref,
    authority_refs,
    grade_options,
    judgement_options,
    parse_authority_urn,
    parse_grade,
    parse_judgement,
)
from ilacs.web.snapshot import Snapshot

# Ten hits a page, as most search engines show. Each hit's snippet is FTS5 tokenising its
# whole page twice, the largest part of a search's cost: twenty a page put search p95 at 20
# clients at 88 ms against 66 ms for ten (benchmarks/web.py, docs/web.md).
PER_PAGE = 10
MAX_PAGE = 100
# Rankings kept per version of the record: at most 8 bytes a matching page, so even 128 of
# a word on every page of the full record ("children") hold about 12 MB.
RANKINGS_KEPT = 128
# Snippets kept per version of the record: about 600 bytes each with their keys, so 12 MB.
SNIPPETS_KEPT = 20_000
KIND_NAMES = {DocumentKind.INSPECTION_REPORT: "Inspection report", DocumentKind.LETTER:
              "Visit letter", DocumentKind.NEWS: "News article"}
SEARCH_TEXTS_MISSING = (
    "This record holds facts only, so there is no text to search yet. Add the documents' "
    "text with `ilacs ingest FOLDER` (files you have) or `ilacs update` (fetch from Ofsted), "
    "then search again."
)


@dataclass(frozen=True)
class SearchHitView:
    document: str
    kind: DocumentKind
    kind_name: str
    page: int
    snippet_html: str  # the page's text, escaped, with matches in <mark>
    authority: AuthorityRef | None
    la_name: str | None
    published: date | None
    source: Source


@dataclass(frozen=True)
class SearchPage:
    query: str
    filters: SearchFilters
    page: int
    per_page: int
    total: int
    hits: tuple[SearchHitView, ...]
    previous_url: str | None
    next_url: str | None
    authorities: tuple[AuthorityRef, ...]
    years: tuple[int, ...]
    kinds: tuple[Option, ...]
    grades: tuple[Option, ...]
    judgements: tuple[Option, ...]
    texts_missing: str | None
    listed_at_most: int = MAX_PAGE * PER_PAGE  # pages beyond are counted in total, not listed
    notes: tuple[str, ...] = ()  # how the search was read, where it may not be what was meant


def parse_search_filters(snapshot: Snapshot, la: str | None, year: str | None,
                         kind: str | None, grade: str | None,
                         judgement: str | None) -> SearchFilters:
    urn = parse_authority_urn(snapshot, la)
    if year and not (year.isdigit() and len(year) == 4):
        raise BadParameter(f"year={year!r} is not a year (e.g. year=2024)")
    try:
        document_kind = DocumentKind(kind) if kind else None
    except ValueError:
        raise BadParameter(f"kind={kind!r} is not a kind of document; use one of "
                           + ", ".join(k.value for k in KIND_NAMES)) from None
    return SearchFilters(urn=urn, year=int(year) if year else None, kind=document_kind,
                         grade=parse_grade(grade), judgement=parse_judgement(judgement))


def parse_page_number(value: str | None) -> int:
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise BadParameter(f"page={value!r}: use a page number from 1 to {MAX_PAGE}")
    return int(value)


class RankingCache:
    """The latest rankings by query text, bounded; a ranking wanted by several requests at
    once is computed by the first of them while the others wait for it."""

    def __init__(self, size: int) -> None:
        self._rankings: LatestKept[str, Ranking] = LatestKept(size)
        self._pending: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, text: str, compute: Callable[[str], Ranking]) -> Ranking:
        with self._lock:
            if (found := self._rankings.get(text)) is not None:
                return found
            pending = self._pending.setdefault(text, threading.Lock())
        with pending:
            with self._lock:
                if (found := self._rankings.get(text)) is not None:
                    return found
            try:
                ranking = compute(text)
            except BaseException:
                with self._lock:
                    self._pending.pop(text, None)
                raise
            with self._lock:
                self._rankings.put(text, ranking)
                self._pending.pop(text, None)
        return ranking

    def pending(self, text: str) -> bool:
        """Whether a request is ranking `text` now."""
        with self._lock:
            return text in self._pending

    def wait_if_pending(self, text: str) -> None:
        """Return once nobody is ranking `text` (at once if nobody is): a server waits here
        outside its page builders, so a build never sits idle on another's ranking."""
        with self._lock:
            pending = self._pending.get(text)
        if pending is not None:
            with pending:
                pass


def search_results(snapshot: Snapshot, conn: sqlite3.Connection, query: str,
                   filters: SearchFilters, page: int = 1) -> SearchResults:
    """`search` for a server: the facts index is loaded once per version of the record and
    a query's ranking is kept, so other filters and pages of the same text cost no ranking."""
    # Fetched even for an empty query, so that pre-rendering /search loads the index before
    # the first visitor searches.
    index = snapshot.memo("search-index", lambda: SearchIndex.load(conn))
    text = query.strip()
    if not text:
        return SearchResults(text, (), 0, text)
    ranking = search_rankings(snapshot).get(text, lambda key: rank_pages(conn, key))
    snippets = snapshot.memo("search-snippets", lambda: SnippetCache(SNIPPETS_KEPT))
    return results_page(conn, index, ranking, filters, PER_PAGE, (page - 1) * PER_PAGE,
                        snippets)


def search_rankings(snapshot: Snapshot) -> RankingCache:
    """The rankings kept for this version of the record."""
    return snapshot.memo("search-rankings", lambda: RankingCache(RANKINGS_KEPT))


def search_page(snapshot: Snapshot, conn: sqlite3.Connection, query: str,
                filters: SearchFilters, page: int = 1) -> SearchPage:
    results = search_results(snapshot, conn, query, filters, page)
    hits = []
    for hit in results.hits:
        authority = snapshot.record.authority(hit.urn) if hit.urn is not None else None
        hits.append(SearchHitView(
            hit.path, hit.kind, KIND_NAMES.get(hit.kind, hit.kind.value), hit.page, hit.snippet,
            authority_ref(authority) if authority else None, hit.la_name, hit.publication_date,
            Source(hit.path, hit.page, urls.document(hit.document_sha256, hit.page))))

    def page_url(number: int) -> str:
        return urls.search(q=query, la=filters.urn, year=filters.year,
                           kind=filters.kind.value if filters.kind else None,
                           grade=filters.grade.value if filters.grade else None,
                           judgement=filters.judgement if filters.grade else None,
                           page=number if number > 1 else None)

    last_page = min(MAX_PAGE, max(1, -(-results.total // PER_PAGE)))
    return SearchPage(
        query=query.strip(), filters=filters, page=page, per_page=PER_PAGE,
        total=results.total, hits=tuple(hits),
        previous_url=page_url(page - 1) if page > 1 else None,
        next_url=page_url(page + 1) if page < last_page else None,
        authorities=authority_refs(snapshot),
        years=snapshot.memo("search-years", lambda: _years(snapshot)),
        kinds=tuple(Option(kind.value, name) for kind, name in KIND_NAMES.items()),
        grades=grade_options(), judgements=judgement_options(),
        texts_missing=None if snapshot.page_texts else SEARCH_TEXTS_MISSING,
        notes=_notes(results, filters),
    )


AS_A_PHRASE = ("This search is not in the search syntax (a stray quote, a colon, a hyphen "
               "before a word, or AND NOT), so it was searched as one exact phrase. To leave a "
               "word out, write NOT before it: neglect NOT abuse.")
GRADES_ONLY_IN_REPORTS = ("Grades come from inspection reports: visit letters and news "
                          "articles have none, so a grade filter leaves only reports.")


def _notes(results: SearchResults, filters: SearchFilters) -> tuple[str, ...]:
    notes = []
    if results.query and results.match != results.query:
        notes.append(AS_A_PHRASE)
    if filters.grade is not None and filters.kind not in (None, DocumentKind.INSPECTION_REPORT):
        notes.append(GRADES_ONLY_IN_REPORTS)
    return tuple(notes)


def _years(snapshot: Snapshot) -> tuple[int, ...]:
    found = {row.publication_date.year for row in snapshot.record.inspections
             if row.publication_date}
    found |= {int(v.publication_date[:4]) for v in snapshot.record.visits if v.publication_date}
    return tuple(sorted(found, reverse=True))
