"""Full-text search over the real record (every report and letter ingested).

The store's search (the CLI's) is checked against SQL written here independently of
ilacs.store.search: one ranked FTS5 query joined to the fact tables, filtered in SQL. The
dashboard's (ilacs.web.text_index, tantivy) must match the same pages, page for page, and
list documents at the rank of their best page in its own order.
"""

from __future__ import annotations

import html
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ilacs.extract.judgements import JUDGEMENT_FAMILIES
from ilacs.extract.models import Grade
from ilacs.ingest.settle import settle
from ilacs.record import ensure_authorities
from ilacs.store.rows import DocumentKind
from ilacs.store.search import (
    SNIPPETS_PER_STATEMENT,
    SYMBOL_FONT_BULLET,
    SearchFilters,
    SearchIndex,
    compact_search_index,
    rank_pages,
    results_page,
    search,
)
from ilacs.web.pages.search import (
    OTHER_PAGES_SHOWN,
    PER_PAGE,
    read_search,
    search_page,
    text_index,
)
from ilacs.web.snapshot import Snapshot, load_snapshot
from ilacs.web.snippets import SnippetCache
from test_store_factories import fresh_store, make_document, make_report, save_report

ANY = SearchFilters()
ALL = 1_000_000  # a limit above any number of pages
QUERIES = ["children", "plac*", '"unregistered placements"', "neglect OR abuse",
           "care leavers housing", "LADO"]
FILTERS = [
    SearchFilters(kind=DocumentKind.LETTER),
    SearchFilters(kind=DocumentKind.INSPECTION_REPORT),
    SearchFilters(year=2019),
    SearchFilters(urn=80419),
    SearchFilters(grade=Grade.INADEQUATE),
    SearchFilters(grade=Grade.GOOD, judgement="children_in_care"),  # a family of keys
    SearchFilters(grade=Grade.REQUIRES_IMPROVEMENT, judgement="impact_of_leaders"),
    SearchFilters(urn=80419, kind=DocumentKind.INSPECTION_REPORT, grade=Grade.GOOD),
    SearchFilters(year=2023, kind=DocumentKind.LETTER),
]


@pytest.fixture(scope="module")
def conn(corpus_db: Path) -> Iterator[sqlite3.Connection]:
    """Read-only and with sqlite3.Row rows, as the server opens the record."""
    conn = sqlite3.connect(f"{corpus_db.resolve().as_uri()}?mode=ro", uri=True,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def snapshot(conn: sqlite3.Connection) -> Snapshot:
    return load_snapshot(conn, "test-search")


def expected(conn: sqlite3.Connection, match: str,
             filters: SearchFilters = ANY) -> list[tuple[str, int]]:
    """(document, page) of every page matching `match` and the filters, best first."""
    clauses: list[str] = ["pages_fts MATCH ?"]
    params: list[object] = [match]
    if filters.urn is not None:
        clauses.append("(i.urn = ? OR (i.urn IS NULL AND v.urn = ?))")
        params += [filters.urn, filters.urn]
    if filters.year is not None:
        clauses.append("coalesce(i.publication_date, v.publication_date, "
                       "ar.publication_date) LIKE ?")
        params.append(f"{filters.year}-%")
    if filters.kind is not None:
        clauses.append("d.kind = ?")
        params.append(filters.kind.value)
    if filters.grade is not None:
        keys = JUDGEMENT_FAMILIES[filters.judgement]
        clauses.append(f"i.id IN (SELECT inspection_id FROM judgements WHERE grade = ? "
                       f"AND key IN ({', '.join('?' * len(keys))}))")
        params += [filters.grade.value, *keys]
    rows = conn.execute(f"""
        SELECT p.document_sha256, p.number FROM pages_fts f
        JOIN pages p ON p.id = f.rowid JOIN documents d ON d.sha256 = p.document_sha256
        LEFT JOIN inspections i ON i.document_sha256 = d.sha256
        LEFT JOIN visits v ON v.document_sha256 = d.sha256
        LEFT JOIN articles ar ON ar.document_sha256 = d.sha256
        WHERE {' AND '.join(clauses)} ORDER BY f.rank, f.rowid""", params).fetchall()
    return [(row[0], row[1]) for row in rows]


def found(conn: sqlite3.Connection, query: str, filters: SearchFilters = ANY,
          limit: int = ALL, offset: int = 0) -> list[tuple[str, int]]:
    return [(hit.document_sha256, hit.page)
            for hit in search(conn, query, filters, limit, offset).hits]


@pytest.mark.parametrize("query", QUERIES)
def test_ranking_is_fts5s_own_bm25_order(conn: sqlite3.Connection, query: str) -> None:
    direct = [row[0] for row in conn.execute(
        "SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rank, rowid", (query,))]
    ranking = rank_pages(conn, query)
    assert (ranking.match, list(ranking.page_ids)) == (query, direct)
    assert len(direct) > 0
    assert found(conn, query) == expected(conn, query)


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_filtered_results_keep_the_order_and_exact_totals(conn: sqlite3.Connection,
                                                          filters: SearchFilters) -> None:
    matched_some = False
    for query in QUERIES:
        want = expected(conn, query, filters)
        results = search(conn, query, filters, limit=ALL)
        assert results.total == len(want), query
        assert [(hit.document_sha256, hit.page) for hit in results.hits] == want, query
        matched_some = matched_some or bool(want)
    assert matched_some  # each filter must be tried on pages it lets through


def test_the_filters_do_filter(conn: sqlite3.Connection) -> None:
    everything = search(conn, "children", limit=1).total
    for filters in FILTERS:
        assert 0 < search(conn, "children", filters, limit=1).total < everything, filters
    hits = search(conn, "neglect", SearchFilters(urn=80582, kind=DocumentKind.LETTER)).hits
    assert hits and all(hit.urn == 80582 and hit.kind is DocumentKind.LETTER for hit in hits)


def test_pages_of_results_follow_on_without_gaps(conn: sqlite3.Connection) -> None:
    filters = SearchFilters(kind=DocumentKind.INSPECTION_REPORT)
    want = expected(conn, "neglect", filters)
    assert len(want) > 3 * PER_PAGE
    pages = [found(conn, "neglect", filters, PER_PAGE, start)
             for start in range(0, len(want), PER_PAGE)]
    assert [hit for page in pages for hit in page] == want
    assert len(pages[-1]) == len(want) - PER_PAGE * (len(pages) - 1)
    beyond = search(conn, "neglect", filters, PER_PAGE, len(want))
    assert beyond.hits == () and beyond.total == len(want)


def test_snippets_are_fts5s_for_each_page(conn: sqlite3.Connection) -> None:
    index = SearchIndex.load(conn)
    for query, filters in [("plac*", SearchFilters(year=2019)), ('"unregistered placements"', ANY),
                           ("children", SearchFilters(kind=DocumentKind.LETTER))]:
        results = results_page(conn, index, rank_pages(conn, query), filters, 5, 3)
        assert len(results.hits) == 5
        for hit in results.hits:
            [(alone,)] = conn.execute(
                "SELECT snippet(pages_fts, 0, char(2), char(3), '…', 24) FROM pages_fts "
                "JOIN pages p ON p.id = pages_fts.rowid WHERE pages_fts MATCH ? "
                "AND p.document_sha256 = ? AND p.number = ?",
                (query, hit.document_sha256, hit.page)).fetchall()
            assert "<mark>" in hit.snippet
            assert hit.snippet == shown(alone)


def snippet_requests(conn: sqlite3.Connection) -> list[str]:
    """Start recording the SQL that asks FTS5 for snippets on `conn` (as SQLite runs it)."""
    asked: list[str] = []
    conn.set_trace_callback(lambda sql: asked.append(sql) if "snippet(" in sql else None)
    return asked


def _pages_asked(statements: list[str]) -> list[int]:
    """How many pages each snippet statement asked for (the ids of its rowid IN list)."""
    return [len(re.findall(r"rowid IN \(([^)]*)\)", statement)[0].split(","))
            for statement in statements]


def test_kept_snippets_are_not_made_again(conn: sqlite3.Connection) -> None:
    index = SearchIndex.load(conn)
    ranking = rank_pages(conn, "neglect OR abuse")  # reports and letters among the best ten
    letters = SearchFilters(kind=DocumentKind.LETTER)
    kept = SnippetCache(1000)
    try:
        asked = snippet_requests(conn)
        first = results_page(conn, index, ranking, ANY, 10, 0, kept)
        # one statement for the ten pages (each statement and row hands the GIL back)
        assert _pages_asked(asked) == [10] and len(kept) == 10
        assert "+rowid" not in asked[0]  # no prefix: FTS5 seeks each page
        again = results_page(conn, index, ranking, ANY, 10, 0, kept)
        assert len(asked) == 1  # the same page again cost no SQL
        # Letters among the best ten are kept already; only the others are asked for.
        shared = {(h.document_sha256, h.page) for h in first.hits if h.kind is letters.kind}
        assert 0 < len(shared) < 10
        assert results_page(conn, index, ranking, letters, 10, 0, kept) == \
            results_page(conn, index, ranking, letters, 10, 0)
        assert _pages_asked(asked) == [10, 10 - len(shared), 10]  # the last call keeps none
        # a prefix is merged once for all ten pages, in one pass over their ids' range
        del asked[:]
        results_page(conn, index, rank_pages(conn, "plac*"), ANY, 10, 0, kept)
        assert _pages_asked(asked) == [10] and "+rowid IN" in asked[0]
    finally:
        conn.set_trace_callback(None)
    assert first == again == results_page(conn, index, ranking, ANY, 10, 0)


def test_more_snippets_than_a_statement_takes_are_asked_in_parts(
        conn: sqlite3.Connection) -> None:
    # the CLI's --limit may ask for thousands of pages: more than SQLite takes parameters
    wanted = 2 * SNIPPETS_PER_STATEMENT + 7
    ranking = rank_pages(conn, "children")
    assert len(ranking.page_ids) > wanted
    try:
        asked = snippet_requests(conn)
        found = results_page(conn, SearchIndex.load(conn), ranking, ANY, wanted, 0)
        assert _pages_asked(asked) == [SNIPPETS_PER_STATEMENT, SNIPPETS_PER_STATEMENT, 7]
    finally:
        conn.set_trace_callback(None)
    assert len(found.hits) == wanted
    assert all("<mark>" in hit.snippet for hit in found.hits)


def test_snippets_kept_are_the_latest_few(conn: sqlite3.Connection) -> None:
    index = SearchIndex.load(conn)
    kept = SnippetCache(15)
    for query in ["neglect", "adoption"]:
        results_page(conn, index, rank_pages(conn, query), ANY, 10, 0, kept)
    assert len(kept) == 15
    assert len(kept.known("neglect", rank_pages(conn, "neglect").page_ids[:10])) == 5
    assert len(kept.known("adoption", rank_pages(conn, "adoption").page_ids[:10])) == 10


@pytest.mark.parametrize("query", ['homes: "unregistered', "placements:", "NOT", '"'])
def test_a_query_fts5_cannot_parse_is_searched_as_a_phrase(conn: sqlite3.Connection,
                                                           query: str) -> None:
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?", (query,)).fetchall()
    phrase = '"' + query.replace('"', '""') + '"'
    results = search(conn, query, limit=ALL)
    assert results.match == phrase
    assert [(hit.document_sha256, hit.page) for hit in results.hits] == expected(conn, phrase)
    assert results.total == len(expected(conn, phrase))


def by_document(pages: list[tuple[str, int]]) -> dict[str, set[int]]:
    """(document, page) pairs as each document's set of pages."""
    grouped: dict[str, set[int]] = {}
    for sha256, number in pages:
        grouped.setdefault(sha256, set()).add(number)
    return grouped


def tantivy_pages(snapshot: Snapshot, conn: sqlite3.Connection, query: str,
                  filters: SearchFilters) -> list[tuple[float, str, int]]:
    """(score, document, page) of every page the dashboard's index finds, best first."""
    search = read_search(snapshot, conn, query)
    assert search is not None
    numbers = dict(conn.execute("SELECT p.id, p.document_sha256 || ' ' || p.number FROM pages p"))
    return [(score, *numbers[page_id].split(" ")) for score, page_id in
            text_index(snapshot, conn).ranked_pages(search, filters, ALL)]


def test_the_server_finds_the_pages_fts5_finds_and_lists_documents_by_their_best_page(
        conn: sqlite3.Connection, snapshot: Snapshot) -> None:
    """The dashboard's index (tantivy) matches exactly the pages FTS5 matches, and lists
    each document at the rank of its best page in its own BM25 order."""
    for query in ["neglect", "plac*", 'homes: "unregistered', "care leavers housing",
                  "neglect NOT abuse"]:
        for filters in [SearchFilters(), *FILTERS[:5]]:
            match = search(conn, query, limit=1).match
            documents = by_document(expected(conn, match, filters))
            ranked = tantivy_pages(snapshot, conn, query, filters)
            assert by_document([(sha, int(n)) for _, sha, n in ranked]) == documents
            best_first = list(dict.fromkeys(sha for _, sha, _ in ranked))
            for page in (1, 2):
                view = search_page(snapshot, conn, query, filters, page)
                assert view.total == len(documents), (query, filters)
                assert view.pages_matching == sum(len(found) for found in documents.values())
                shown = best_first[(page - 1) * PER_PAGE: page * PER_PAGE]
                assert [(hit.source.url or "").split("/")[-1].split("#")[0]
                        for hit in view.hits] == shown, (query, filters)
                for hit, sha256 in zip(view.hits, shown, strict=True):
                    pages = [int(n) for _, sha, n in ranked if sha == sha256]
                    assert hit.page == pages[0] and hit.pages_matching == len(pages)
                    assert [other.page for other in hit.other_pages] == sorted(
                        pages[1:1 + OTHER_PAGES_SHOWN])
    view = search_page(snapshot, conn, "neglect", FILTERS[0], 2)
    assert view.previous_url and len(view.hits) == PER_PAGE


def test_the_search_syntax_is_read_as_fts5_reads_it(conn: sqlite3.Connection,
                                                     snapshot: Snapshot) -> None:
    """Operators, precedence, phrases, prefixes and what falls back to a phrase: the pages
    found are FTS5's, page for page."""
    for query in ["neglect OR abuse housing", "(neglect OR abuse) housing", "a NOT b",
                  "neglect NOT abuse OR housing", '"edge of care" OR SGO*', "child's",
                  "children-in-care", "NEAR(neglect abuse)", "text:neglect",
                  "neglect AND", "OR neglect", "(neglect", "plac* AND NOT", "Ofsted's *",
                  "LADO", "sexual exploitation"]:
        match = search(conn, query, limit=1).match
        search_ = read_search(snapshot, conn, query)
        assert search_ is not None
        fts5 = {row[0] for row in conn.execute(
            "SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?", (search_.match,))}
        found = {page_id for _, page_id in text_index(snapshot, conn).ranked_pages(
            search_, ANY, ALL)}
        assert found == fts5, (query, search_.match, match)


def test_newest_first_orders_documents_by_publication_keeping_best_first_on_a_day(
        conn: sqlite3.Connection, snapshot: Snapshot) -> None:
    best = search_page(snapshot, conn, "neglect", ANY, 1)
    newest = [hit for page in (1, 2, 3) for hit in search_page(
        snapshot, conn, "neglect", ANY, page, sort="newest").hits]
    dates = [hit.published for hit in newest]
    assert all(d is not None for d in dates)
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert newest[0].published == max(
        date.fromisoformat(row[0]) for row in conn.execute(
            "SELECT coalesce(i.publication_date, v.publication_date) FROM pages_fts f "
            "JOIN pages p ON p.id = f.rowid "
            "LEFT JOIN inspections i ON i.document_sha256 = p.document_sha256 "
            "LEFT JOIN visits v ON v.document_sha256 = p.document_sha256 "
            "WHERE pages_fts MATCH 'neglect'"))
    assert best.total == search_page(snapshot, conn, "neglect", ANY, sort="newest").total
    assert [hit.source for hit in best.hits] != [hit.source for hit in newest[:PER_PAGE]]


def test_facets_count_the_documents_each_filter_would_leave(
        conn: sqlite3.Connection, snapshot: Snapshot) -> None:
    view = search_page(snapshot, conn, "neglect", ANY)
    facets = {facet.parameter: facet for facet in view.facets}
    assert set(facets) == {"kind", "year", "region", "grade"}
    assert sum(value.count for value in facets["kind"].values) == view.total
    for parameter, filters in [
            ("kind", lambda value: SearchFilters(kind=DocumentKind(value))),
            ("year", lambda value: SearchFilters(year=int(value))),
            ("region", lambda value: SearchFilters(region=value)),
            ("grade", lambda value: SearchFilters(grade=Grade(value)))]:
        for value in facets[parameter].values[:3]:
            narrowed = search_page(snapshot, conn, "neglect", filters(value.value))
            assert narrowed.total == value.count, (parameter, value.value)
            assert f"{parameter}={value.value.replace(' ', '+')}" in value.url
            chosen = next(v for f in narrowed.facets if f.parameter == parameter
                          for v in f.values if v.chosen)
            assert chosen.value == value.value and f"{parameter}=" not in chosen.url


def test_a_region_filter_keeps_that_regions_authorities(conn: sqlite3.Connection,
                                                        snapshot: Snapshot) -> None:
    view = search_page(snapshot, conn, "neglect", SearchFilters(region="London"))
    assert view.total > 0
    assert {hit.authority.region for hit in view.hits if hit.authority} == {"London"}


def test_a_hit_cites_authority_document_date_and_page(conn: sqlite3.Connection,
                                                      snapshot: Snapshot) -> None:
    for hit in search_page(snapshot, conn, "neglect", ANY).hits:
        assert hit.la_name and hit.published
        assert hit.citation.startswith(f"{hit.la_name}, {hit.title} (Ofsted, published ")
        assert hit.citation.endswith(f", page {hit.page}.")
        assert hit.document not in hit.citation


def test_the_search_index_is_made_once_however_many_first_searches_want_it(
        conn: sqlite3.Connection) -> None:
    snapshot = load_snapshot(conn, "test-search-once")
    made: list[int] = []
    start = threading.Barrier(8)

    def make() -> object:
        made.append(1)
        time.sleep(0.2)  # long enough for every other thread to ask meanwhile
        return object()

    found: list[object] = []

    def search() -> None:
        start.wait()
        found.append(snapshot.memo("slow-index", make))

    threads = [threading.Thread(target=search) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and len(found) == 8 and all(f is found[0] for f in found)


def test_a_region_none_of_the_documents_is_in_finds_nothing(tmp_path: Path) -> None:
    """Not the documents whose region is not known: the region's code is one no page has."""
    conn = fresh_store(tmp_path / "record")
    ensure_authorities(conn)
    save_report(conn, make_report(grade="good"))  # the Isle of Wight: the South East
    save_report(conn, make_report(grade="good", urn=None, la_name="Nowhere"),
                make_document("Children in need.", path="reports/unknown/report.pdf"))
    conn.row_factory = sqlite3.Row
    snapshot = load_snapshot(conn, "two-reports")
    assert search_page(snapshot, conn, "children", ANY).total == 2
    assert search_page(snapshot, conn, "children", SearchFilters(region="South East")
                       ).total == 1
    assert search_page(snapshot, conn, "children", SearchFilters(region="London")).total == 0


def test_a_page_written_after_the_index_was_loaded_passes_no_filter(tmp_path: Path) -> None:
    conn = fresh_store(tmp_path / "record")
    save_report(conn, make_report(grade="good"))
    index = SearchIndex.load(conn)
    save_report(conn, make_report(grade="good", start=date(2014, 5, 1), published=None),
                make_document("Children in need in 2014.", path="reports/80419/older.pdf"))
    ranking = rank_pages(conn, "children")
    assert len(ranking.page_ids) == 3  # two pages of the first report, one of the second

    unfiltered = results_page(conn, index, ranking, SearchFilters(), PER_PAGE, 0)
    reports = results_page(conn, index, ranking,
                           SearchFilters(kind=DocumentKind.INSPECTION_REPORT), PER_PAGE, 0)
    assert unfiltered.total == 3 and len(unfiltered.hits) == 2  # the new page has no facts yet
    assert reports.total == 2
    assert [hit.page for hit in reports.hits] == [hit.page for hit in unfiltered.hits]


def segments(conn: sqlite3.Connection) -> int:
    count: int = conn.execute("SELECT count(DISTINCT segid) FROM pages_fts_idx").fetchone()[0]
    return count


def test_a_settled_record_has_its_search_index_in_one_segment(
        conn: sqlite3.Connection) -> None:
    assert segments(conn) == 1  # the corpus record was settled after its last ingest


def test_merging_the_search_index_changes_no_result(tmp_path: Path) -> None:
    conn = fresh_store(tmp_path / "record")
    for year in range(2014, 2024):  # ten writes: FTS5 leaves the index in several segments
        save_report(conn, make_report(start=date(year, 3, 6), end=date(year, 3, 17),
                                      published=date(year, 4, 20)),
                    make_document(f"Children in need in {year}.", "Neglect of children; "
                                  f"placements for care leavers in {year}.",
                                  path=f"reports/80419/{year}.pdf"))
    assert segments(conn) > 1
    queries = ["children", "plac*", "neglect OR care", '"care leavers"', "2019"]
    before = [search(conn, query, limit=ALL) for query in queries]

    assert compact_search_index(conn) is True
    assert segments(conn) == 1
    assert [search(conn, query, limit=ALL) for query in queries] == before
    assert [len(results.hits) for results in before] == [20, 10, 10, 10, 2]
    assert compact_search_index(conn) is False  # nothing left to merge


def test_settling_merges_the_search_index(tmp_path: Path) -> None:
    conn = fresh_store(tmp_path / "record")
    for number in range(3):
        save_report(conn, make_report(), make_document(f"Page {number} of children's text.",
                                                       path=f"reports/80419/{number}.pdf"))
    assert segments(conn) > 1
    settle(conn)
    assert segments(conn) == 1


def shown(snippet: str) -> str:
    """FTS5's snippet as a page shows it: escaped, matches marked, and pdfium's soft hyphens,
    symbol-font dashes and other private-use glyphs as a hyphen, dashes and bullets."""
    marked = html.escape(snippet, quote=False).replace("\x02", "<mark>").replace(
        "\x03", "</mark>").replace("\ufffe", "-").replace("\uf02d", "–").replace("\uf0be", "–")
    return re.sub("[\ue000-\uf8ff]", "•", marked)


def test_snippets_show_pdfium_marks_as_hyphens_dashes_and_bullets(tmp_path: Path) -> None:
    conn = fresh_store(tmp_path / "record")
    save_report(conn, make_report(), make_document(
        "Inspectors looked at:\n\uf0a7 neglect of children\n\uf06e multi\ufffeagency plans\n"
        "\uf02d audits"))
    [hit] = search(conn, "neglect OR plans OR audits").hits
    assert hit.snippet == (f"Inspectors looked at:\n{SYMBOL_FONT_BULLET} <mark>neglect</mark> of "
                           f"children\n{SYMBOL_FONT_BULLET} multi-agency <mark>plans</mark>\n"
                           "– <mark>audits</mark>")
    assert search(conn, '"multi-agency plans"').total == 1  # U+FFFE parts words as "-" does
