"""A search's documents as CSV: every one, not only a page of them, in the page's order."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date

from ilacs.store.search import SearchFilters
from ilacs.web.pages.search import (
    citation,
    document_title,
    matched_documents,
    page_source,
    read_search,
    search_index,
    text_index,
)
from ilacs.web.snapshot import Snapshot

CSV_COLUMNS = ("rank", "authority", "urn", "region", "document", "published", "best_page",
               "pages_matching", "matching_pages", "address", "on_ofsted", "citation")


def search_csv(snapshot: Snapshot, conn: sqlite3.Connection, query: str,
               filters: SearchFilters, sort: str = "relevance", base_url: str = "") -> str:
    """Every document matching the search (not only one page of them), a row each, in the
    page's order: what it is, where (addresses from `base_url`), its matching pages and how
    to cite it."""
    search = read_search(snapshot, conn, query)
    index = search_index(snapshot, conn)
    texts = text_index(snapshot, conn)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    if search is None:
        return out.getvalue()
    summary = texts.summary(search, filters)
    positions = texts.documents(search, filters, sort, 0, summary.documents, summary.pages)
    for rank, found in enumerate(matched_documents(texts, search, positions), start=1):
        document = index.document(found.position)
        numbers = [index.page_number(page_id) for page_id in found.page_ids] or [1]
        where = page_source(snapshot, document, numbers[0])
        title = document_title(document)
        published = date.fromisoformat(document.published) if document.published else None
        writer.writerow([
            rank, document.la_name or "", document.urn or "", document.region or "", title,
            document.published or "", numbers[0], found.pages_matching,
            " ".join(str(number) for number in numbers),
            f"{base_url}{where.url}" if where.url else "",
            where.on_ofsted or "", citation(document.la_name, title, published, numbers[0])])
    return out.getvalue()
