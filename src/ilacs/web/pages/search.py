"""Full-text search across every ingested report, letter and article, with filters."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote_plus

from ilacs.analysis.names import long_date
from ilacs.store.rows import DocumentKind
from ilacs.store.search import (
    IndexedDocument,
    SearchFilters,
    SearchIndex,
    check_query,
    page_snippets,
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
    source,
)
from ilacs.web.pages.england import VISIT_NAMES
from ilacs.web.pages.search_documents import SORTS, Facet, MatchedDocument, facets
from ilacs.web.pages.search_facts import FactMatch, fact_matches
from ilacs.web.snapshot import Snapshot
from ilacs.web.snippets import SnippetCache
from ilacs.web.text_index import NOTHING, DocumentCodes, TextIndex
from ilacs.web.text_query import TextSearch

# Ten hits a page, as most search engines show. Each hit's snippet is FTS5 tokenising its
# whole page twice, the largest part of a search's cost (twenty a page: docs/web.md).
PER_PAGE = 10
MAX_PAGE = 100
# Snippets kept per version of the record: about 600 bytes each with their keys, so 12 MB.
SNIPPETS_KEPT = 20_000
KIND_NAMES = {DocumentKind.INSPECTION_REPORT: "Inspection report", DocumentKind.LETTER:
              "Visit letter", DocumentKind.NEWS: "News article"}
SEARCH_TEXTS_MISSING = (
    "This record holds facts only, not the words of reports and letters: a search finds "
    "authorities and themes by name. To search every page, add the documents' text with "
    "`ilacs ingest FOLDER` (files you have) or `ilacs update` (fetch from Ofsted).")


@dataclass(frozen=True)
class PageLink:
    page: int
    url: str


@dataclass(frozen=True)
class SearchHitView:
    """A matching document: its best page's snippet, and its other matching pages."""

    document: str
    kind: DocumentKind
    kind_name: str
    title: str  # what the document is: "Inspection report", "Focused visit letter" ...
    page: int  # the best matching page
    snippet_html: str  # that page's text, escaped, with matches in <mark>
    authority: AuthorityRef | None
    la_name: str | None
    published: date | None
    source: Source  # the best page
    pages_matching: int
    other_pages: tuple[PageLink, ...]  # the next best (at most OTHER_PAGES_SHOWN), in page order
    citation: str  # authority, document, date and page, as a reader would cite it


@dataclass(frozen=True)
class SearchPage:
    query: str
    filters: SearchFilters
    sort: str
    page: int
    per_page: int
    total: int  # documents matching
    pages_matching: int
    hits: tuple[SearchHitView, ...]
    previous_url: str | None
    next_url: str | None
    authorities: tuple[AuthorityRef, ...]
    years: tuple[int, ...]
    regions: tuple[str, ...]
    kinds: tuple[Option, ...]
    grades: tuple[Option, ...]
    judgements: tuple[Option, ...]
    sorts: tuple[Option, ...]
    facets: tuple[Facet, ...]
    texts_missing: str | None
    csv_url: str | None  # every matching document as CSV
    listed_at_most: int = MAX_PAGE * PER_PAGE  # documents beyond are counted, not listed
    notes: tuple[str, ...] = ()  # how the search was read, where it may not be what was meant
    facts: tuple[FactMatch, ...] = ()  # authorities and themes named by the search's words


def parse_search_filters(snapshot: Snapshot, la: str | None, year: str | None,
                         kind: str | None, grade: str | None,
                         judgement: str | None, region: str | None = None) -> SearchFilters:
    urn = parse_authority_urn(snapshot, la)
    regions = _regions(snapshot)
    if region and region not in regions:
        raise BadParameter(f"region={region!r} is not a region; use one of "
                           + ", ".join(regions))
    if year and not (year.isdigit() and len(year) == 4):
        raise BadParameter(f"year={year!r} is not a year (e.g. year=2024)")
    try:
        document_kind = DocumentKind(kind) if kind else None
    except ValueError:
        raise BadParameter(f"kind={kind!r} is not a kind of document; use one of "
                           + ", ".join(k.value for k in KIND_NAMES)) from None
    return SearchFilters(urn=urn, year=int(year) if year else None, kind=document_kind,
                         grade=parse_grade(grade), judgement=parse_judgement(judgement),
                         region=region or None)


def search_filters(snapshot: Snapshot, query: Mapping[str, str]) -> SearchFilters:
    """The filters of a search address's query parameters."""
    return parse_search_filters(snapshot, query.get("la"), query.get("year"),
                                query.get("kind"), query.get("grade"), query.get("judgement"),
                                query.get("region"))


def parse_sort(value: str | None) -> str:
    if not value:
        return "relevance"
    if value not in SORTS:
        raise BadParameter(f"sort={value!r}: use one of " + ", ".join(SORTS))
    return value


def parse_page_number(value: str | None) -> int:
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise BadParameter(f"page={value!r}: use a page number from 1 to {MAX_PAGE}")
    return int(value)


def search_index(snapshot: Snapshot, conn: sqlite3.Connection) -> SearchIndex:
    return snapshot.memo("search-index", lambda: SearchIndex.load(conn))


def document_codes(snapshot: Snapshot, conn: sqlite3.Connection) -> DocumentCodes:
    """The index's documents as codes, for filters and facets."""
    return snapshot.memo("search-codes", lambda: DocumentCodes.of(search_index(snapshot, conn)))


def text_index(snapshot: Snapshot, conn: sqlite3.Connection) -> TextIndex:
    """The record's text, indexed once per version of the record (the server's warm-up
    renders an empty search, which makes it before the first visitor searches)."""
    return snapshot.memo("search-text", lambda: TextIndex.build(
        conn, search_index(snapshot, conn), document_codes(snapshot, conn)))


def read_search(snapshot: Snapshot, conn: sqlite3.Connection, query: str) -> TextSearch | None:
    """The search as the index reads it; None for an empty one. A search over what one may
    cost raises SearchRejected."""
    index = text_index(snapshot, conn)
    text = query.strip()
    if not text:
        return None
    check_query(text)
    return index.read(text)


def matched_documents(index: TextIndex, search: TextSearch,
                      positions: Sequence[int]) -> list[MatchedDocument]:
    """The documents at `positions`, in that order, with their matching pages."""
    pages = index.pages_of(search, positions)
    return [MatchedDocument(position, *pages[position]) for position in positions]


def search_page(snapshot: Snapshot, conn: sqlite3.Connection, query: str,
                filters: SearchFilters, page: int = 1, sort: str = "relevance") -> SearchPage:
    search = read_search(snapshot, conn, query)
    index = search_index(snapshot, conn)
    codes = document_codes(snapshot, conn)
    texts = text_index(snapshot, conn)
    summary = texts.summary(search, filters) if search else NOTHING
    total = summary.documents
    chosen = matched_documents(texts, search, texts.documents(
        search, filters, sort, (page - 1) * PER_PAGE, PER_PAGE, summary.pages)
    ) if search else []
    match = search.match if search else ""
    snippets = page_snippets(conn, match, [found.page_ids[0] for found in chosen
                                           if found.page_ids],
                             snapshot.memo("search-snippets",
                                           lambda: SnippetCache(SNIPPETS_KEPT)))
    hits = tuple(_hit(snapshot, index, found,
                      snippets.get(found.page_ids[0], "") if found.page_ids else "")
                 for found in chosen)

    def url(page_number: int | None = None, csv: bool = False,
            changed: Mapping[str, object] | None = None) -> str:
        query_string: dict[str, object] = {
            "q": query, "la": filters.urn, "region": filters.region, "year": filters.year,
            "kind": filters.kind.value if filters.kind else None,
            "grade": filters.grade.value if filters.grade else None,
            "judgement": filters.judgement if filters.grade else None,
            "sort": sort if sort != "relevance" else None,
            "page": page_number if page_number and page_number > 1 else None}
        query_string.update(changed or {})
        if query_string.get("grade"):
            query_string["judgement"] = filters.judgement
        return urls.search_address(query_string, csv=csv)

    # A facet's links differ from the page's address in one parameter: its address without
    # that parameter is made once, not once a link (urlencode was a sixth of a page's build).
    without: dict[str, str] = {}

    def facet_url(parameter: str, value: str | None) -> str:
        base = without.get(parameter)
        if base is None:
            base = without[parameter] = url(changed={parameter: None})
        if value is None:
            return base
        added = f"{parameter}={quote_plus(value)}" + (
            f"&judgement={quote_plus(filters.judgement)}" if parameter == "grade" else "")
        return base + ("&" if "?" in base else "?") + added

    grades = {option.value: option.label for option in grade_options()}
    judgement_name = {o.value: o.label for o in judgement_options()}.get(
        filters.judgement, filters.judgement)
    last_page = min(MAX_PAGE, max(1, -(-total // PER_PAGE)))
    return SearchPage(
        query=query.strip(), filters=filters, sort=sort, page=page, per_page=PER_PAGE,
        total=total, pages_matching=summary.pages, hits=hits,
        previous_url=url(page - 1) if page > 1 else None,
        next_url=url(page + 1) if page < last_page else None,
        authorities=authority_refs(snapshot),
        years=snapshot.memo("search-years", lambda: _years(snapshot)),
        regions=_regions(snapshot),
        kinds=tuple(Option(kind.value, name) for kind, name in KIND_NAMES.items()),
        grades=grade_options(), judgements=judgement_options(),
        sorts=tuple(Option(key, name) for key, name in SORTS.items()),
        facets=facets(codes, summary.facets, filters, KIND_NAMES, grades, judgement_name,
                      facet_url) if total else (),
        texts_missing=None if snapshot.page_texts else SEARCH_TEXTS_MISSING,
        csv_url=url(csv=True) if total else None,
        notes=_notes(search, filters),
        facts=fact_matches(snapshot, query),
    )


OTHER_PAGES_SHOWN = 8


def _hit(snapshot: Snapshot, index: SearchIndex, found: MatchedDocument,
         snippet: str) -> SearchHitView:
    document = index.document(found.position)
    # a document the index finds whose pages it does not (never seen): its first page
    best = index.page_number(found.page_ids[0]) if found.page_ids else 1
    authority = snapshot.record.authority(document.urn) if document.urn is not None else None
    title = document_title(document)
    published = date.fromisoformat(document.published) if document.published else None
    return SearchHitView(
        document.path, document.kind, KIND_NAMES.get(document.kind, document.kind.value),
        title, best, snippet, authority_ref(authority) if authority else None,
        document.la_name, published, page_source(snapshot, document, best),
        found.pages_matching,
        tuple(PageLink(number, urls.document(document.sha256, number))
              for number in sorted(index.page_number(page_id)
                                   for page_id in found.page_ids[1:1 + OTHER_PAGES_SHOWN])),
        citation(document.la_name, title, published, best))


def page_source(snapshot: Snapshot, document: IndexedDocument, page: int) -> Source:
    found = source(snapshot, document.path, page)
    return found or Source(document.path, page, urls.document(document.sha256, page))


def document_title(document: IndexedDocument) -> str:
    if document.visit_kind:
        return VISIT_NAMES.get(document.visit_kind, KIND_NAMES[document.kind])
    return KIND_NAMES.get(document.kind, document.kind.value)


def citation(la_name: str | None, title: str, published: date | None, page: int) -> str:
    """'Isle of Wight, Focused visit letter (Ofsted, published 5 March 2024), page 3.'"""
    when = f"Ofsted, published {long_date(published)}" if published else \
        "Ofsted, date of publication not known"
    return f"{la_name or 'Authority unknown'}, {title} ({when}), page {page}."


AS_A_PHRASE = ("This search is not in the search syntax (a stray quote, a colon, a hyphen "
               "before a word, or AND NOT), so it was searched as one exact phrase. To leave a "
               "word out, write NOT before it: neglect NOT abuse.")
GRADES_ONLY_IN_REPORTS = ("Grades come from inspection reports: visit letters and news "
                          "articles have none, so a grade filter leaves only reports.")


def _notes(search: TextSearch | None, filters: SearchFilters) -> tuple[str, ...]:
    notes = []
    if search is not None and search.match != search.text:
        notes.append(AS_A_PHRASE)
    if filters.grade is not None and filters.kind not in (None, DocumentKind.INSPECTION_REPORT):
        notes.append(GRADES_ONLY_IN_REPORTS)
    return tuple(notes)


def _regions(snapshot: Snapshot) -> tuple[str, ...]:
    return snapshot.memo("search-regions", lambda: tuple(sorted(
        {authority.region_name for authority in snapshot.record.register.all()})))


def _years(snapshot: Snapshot) -> tuple[int, ...]:
    found = {row.publication_date.year for row in snapshot.record.inspections
             if row.publication_date}
    found |= {int(v.publication_date[:4]) for v in snapshot.record.visits if v.publication_date}
    return tuple(sorted(found, reverse=True))
