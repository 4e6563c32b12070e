"""Full-text search of stored page text, with the filters the dashboard offers.

Every ingested page is in the FTS5 index `pages_fts`. A hit names its document, page, LA and
publication date whichever kind of document it is (report, letter or news article), so the
dashboard can filter by LA, year, kind and grade and link straight to the page.
"""

from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass
from datetime import date

from ilacs.errors import StoreError
from ilacs.extract.judgements import JUDGEMENT_FAMILIES
from ilacs.extract.models import Grade
from ilacs.store.rows import DocumentKind, SearchHit

_OPEN_MARK, _CLOSE_MARK = "\x02", "\x03"
SNIPPET_TOKENS = 24

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


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    total: int  # pages matching, before the limit
    match: str  # what FTS5 was asked: the query, or the query as one phrase


def search_pages(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[SearchHit]:
    """Pages matching a full-text query, best first, with a highlighted snippet."""
    return list(search(conn, query, SearchFilters(), limit).hits)


def search(conn: sqlite3.Connection, query: str, filters: SearchFilters = SearchFilters(),
           limit: int = 20, offset: int = 0) -> SearchResults:
    """Pages matching a full-text query and the filters, best first.

    The query may use FTS5 syntax ("unregistered placements", neglect OR abuse, plac*).
    Anything FTS5 cannot parse (a stray quote, a colon, a lone NOT) is searched as a phrase
    instead: a user's typing must never be an error.
    """
    text = query.strip()
    if not text or limit <= 0:
        return SearchResults(text, (), 0, text)
    try:
        return _search(conn, text, text, filters, limit, offset)
    except sqlite3.OperationalError:
        phrase = '"' + text.replace('"', '""') + '"'
        try:
            return _search(conn, text, phrase, filters, limit, offset)
        except sqlite3.Error as error:
            raise StoreError(f"the search for {query!r} failed ({error})") from error


def _search(conn: sqlite3.Connection, query: str, match: str, filters: SearchFilters,
            limit: int, offset: int) -> SearchResults:
    # Three small steps, measured faster than one join: rank the matching pages inside FTS5
    # (narrowed by the filters), then make snippets and join the facts for one page of hits
    # only. Joining first, or asking FTS5 for snippets before the cut, costs 20-30 times as
    # much for a word on every page ("children").
    where, params = _filter_sql(filters)
    narrowed = (
        "WHERE page_id IN (SELECT p.id FROM pages p WHERE p.document_sha256 IN "
        f"(SELECT d.sha256 FROM documents d {_DOCUMENT_FACTS} WHERE 1 {where}))"
    ) if where else ""
    ranked = f"""
        WITH hits AS MATERIALIZED (
            SELECT rowid AS page_id, rank FROM pages_fts WHERE pages_fts MATCH ?)
        SELECT {{columns}} FROM hits {narrowed}"""
    total = conn.execute(ranked.format(columns="count(*)"), (match, *params)).fetchone()[0]
    page_ids = [row[0] for row in conn.execute(
        ranked.format(columns="page_id") + " ORDER BY rank, page_id LIMIT ? OFFSET ?",
        (match, *params, limit, max(offset, 0)))]
    if not page_ids:
        return SearchResults(query, (), total, match)
    marks = ", ".join("?" * len(page_ids))
    snippets = dict(conn.execute(
        f"SELECT rowid, snippet(pages_fts, 0, ?, ?, '…', ?) FROM pages_fts "
        f"WHERE pages_fts MATCH ? AND rowid IN ({marks})",
        (_OPEN_MARK, _CLOSE_MARK, SNIPPET_TOKENS, match, *page_ids)).fetchall())
    facts = {row[0]: row for row in conn.execute(
        f"""
        SELECT p.id, p.document_sha256, d.path, d.kind, p.number, {_URN},
            coalesce(a.name, i.la_name_printed, v.la_name_printed), {_PUBLISHED}
        FROM pages p JOIN documents d ON d.sha256 = p.document_sha256 {_DOCUMENT_FACTS}
        LEFT JOIN authorities a ON a.urn = {_URN}
        WHERE p.id IN ({marks})
        """, page_ids)}
    hits = tuple(
        SearchHit(
            document_sha256=row[1], path=row[2], kind=DocumentKind(row[3]), page=row[4],
            snippet=_highlight(snippets.get(page_id, "")), urn=row[5], la_name=row[6],
            publication_date=date.fromisoformat(row[7]) if row[7] else None,
        )
        for page_id in page_ids
        for row in (facts[page_id],)
    )
    return SearchResults(query, hits, total, match)


def _filter_sql(filters: SearchFilters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.urn is not None:
        clauses.append(f"{_URN} = ?")
        params.append(filters.urn)
    if filters.year is not None:
        clauses.append(f"substr({_PUBLISHED}, 1, 4) = ?")
        params.append(f"{filters.year:04d}")
    if filters.kind is not None:
        clauses.append("d.kind = ?")
        params.append(filters.kind.value)
    if filters.grade is not None:
        keys = JUDGEMENT_FAMILIES.get(filters.judgement, (filters.judgement,))
        marks = ", ".join("?" * len(keys))
        clauses.append("EXISTS (SELECT 1 FROM judgements j WHERE j.inspection_id = i.id "
                       f"AND j.key IN ({marks}) AND j.grade = ?)")
        params.extend([*keys, filters.grade.value])
    return "".join(f" AND {clause}" for clause in clauses), params


def _highlight(snippet: str) -> str:
    """Escape the page text, then turn FTS5's match markers into <mark> elements."""
    return (
        html.escape(snippet, quote=False)
        .replace(_OPEN_MARK, "<mark>")
        .replace(_CLOSE_MARK, "</mark>")
    )
