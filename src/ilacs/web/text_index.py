"""The dashboard's search index: the record's text in tantivy, an index made for top-k
retrieval, so that a search costs what one page of results needs, not what every match does.

FTS5 ranks every matching page with bm25 before the first ten can be shown, so a search's
cost grew with the record (benchmarks/search_scale.py). Tantivy finds the best pages and
counts the matches in Rust. The record stays in SQLite: this index is made from it in
memory, once per version of the record, as the server's other caches are (docs/web.md).

Two indexes of the same words, each entry with its document's facts (position in the
search index, kind, year, region, authority, date, grades) as fast fields to filter and
count on:
- pages: a search matches the pages FTS5 matches, ranks them, and lists each document at
  the rank of its best page;
- documents, each page a value of its own (a phrase does not run from one page onto the
  next): for a search a document matches as soon as one of its pages does (words, phrases,
  OR), its documents and facets are counted here, a bucket a kind, year, region or grade.
  A search with AND or NOT needs its words on one page: its documents are counted from the
  pages, a bucket a document.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import tantivy

from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS
from ilacs.extract.models import Grade
from ilacs.store.rows import DocumentKind
from ilacs.store.search import SearchFilters, SearchIndex
from ilacs.web.memory import return_freed_memory
from ilacs.web.text_query import ANALYZER, TEXT, TextSearch, analyzer, as_query

Positions = npt.NDArray[np.int64]
_WRITER_HEAP = 32_000_000  # bytes a writer fills before it writes a segment
# Pages of one document ranked for a search: its best, and the others shown after it.
MAX_PAGES_RANKED = 1_000
FACETS = ("kind", "year", "region", "grade")


@dataclass(frozen=True, eq=False)
class DocumentCodes:
    """Each document's kind, year, region, authority, date and grades as small integers, by
    its position in the search index: the fields the index filters and counts facets on."""

    kinds: tuple[str, ...]
    kind: Positions
    year: Positions  # 0: not known
    regions: tuple[str, ...]
    region: Positions  # -1: not known
    urn: Positions  # 0: not known
    published: Positions  # the date's ordinal; 0: not known
    grades: dict[str, Positions]  # by judgement: the grade's place in `Grade`; -1: none

    @classmethod
    def of(cls, index: SearchIndex) -> DocumentCodes:
        documents = index.documents
        kinds = tuple(kind.value for kind in DocumentKind)
        regions = tuple(sorted({d.region for d in documents if d.region}))
        where = {region: at for at, region in enumerate(regions)}
        order = list(Grade)
        grades = {judgement: np.array(
            [next((at for at, grade in enumerate(order) if d.graded(grade.value, judgement)),
                  -1) if d.grades else -1 for d in documents], np.int64)
            for judgement in BENCHMARK_JUDGEMENTS}
        return cls(
            kinds, np.array([kinds.index(d.kind.value) for d in documents], np.int64),
            np.array([int(d.published[:4]) if d.published else 0 for d in documents],
                     np.int64),
            regions, np.array([where.get(d.region or "", -1) for d in documents], np.int64),
            np.array([d.urn or 0 for d in documents], np.int64),
            np.array([date.fromisoformat(d.published).toordinal() if d.published else 0
                      for d in documents], np.int64), grades)

    def grade(self, judgement: str) -> Positions:
        """Each document's grade for `judgement` as its place in `Grade` (-1: none)."""
        return self.grades[judgement]

    @staticmethod
    def grade_code(grade: Grade) -> int:
        """A grade's place in `Grade`, as `grades` holds it."""
        return list(Grade).index(grade)


def _schema(judgements: Sequence[str]) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(TEXT, stored=False, tokenizer_name=ANALYZER,
                           index_option="position")
    for name in ("position", "page", "kind", "year", "region", "urn",
                 *(f"grade_{key}" for key in judgements)):
        builder.add_unsigned_field(name, indexed=True, fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)
    return builder.build()


@dataclass(frozen=True)
class Summary:
    """What a search matches, counted: documents, pages, and documents by the code of each
    facet (kind, year, region + 1, grade of the filters' judgement + 1)."""

    documents: int
    pages: int
    facets: dict[str, dict[int, int]]


NOTHING = Summary(0, 0, {facet: {} for facet in FACETS})


class TextIndex:
    """The pages and documents of one version of the record, searchable by the dashboard."""

    def __init__(self, codes: DocumentCodes, pages: tantivy.Index, documents: tantivy.Index,
                 page_documents: Positions) -> None:
        self._codes = codes
        self._page_documents = page_documents  # page id -> its document's position; -1: none
        self._schema = pages.schema  # both indexes': one query serves both
        self._pages, self._documents = pages.searcher(), documents.searcher()
        self._words_of = analyzer()

    @classmethod
    def build(cls, conn: sqlite3.Connection, search_index: SearchIndex,
              codes: DocumentCodes) -> TextIndex:
        """Every page of the record, read once into both indexes."""
        schema = _schema(tuple(codes.grades))
        pages, documents = tantivy.Index(schema), tantivy.Index(schema)
        for index in (pages, documents):
            index.register_tokenizer(ANALYZER, analyzer())
        page_writer = pages.writer(heap_size=_WRITER_HEAP, num_threads=1)
        document_writer = documents.writer(heap_size=_WRITER_HEAP, num_threads=1)
        owner = search_index.page_documents
        current, document = -1, tantivy.Document()
        for page_id, text in conn.execute("SELECT id, text FROM pages ORDER BY id"):
            position = owner[page_id] if page_id < len(owner) else -1
            if position < 0:  # written after the facts were read: not this version
                continue
            if position != current:
                if current >= 0:
                    document_writer.add_document(document)
                current, document = position, cls._entry(codes, position, 0)
            document.add_text(TEXT, text)
            page = cls._entry(codes, position, page_id)
            page.add_text(TEXT, text)
            page_writer.add_document(page)
        if current >= 0:
            document_writer.add_document(document)
        for writer, index in ((page_writer, pages), (document_writer, documents)):
            writer.commit()
            writer.wait_merging_threads()
            index.reload()
        del page_writer, document_writer
        # the writers' buffers were most of what making the index took
        return_freed_memory()
        return cls(codes, pages, documents,
                   np.frombuffer(owner, dtype=np.int32).astype(np.int64))

    @staticmethod
    def _entry(codes: DocumentCodes, position: int, page_id: int) -> tantivy.Document:
        """An entry of a document's facts, without its text."""
        entry = tantivy.Document()
        entry.add_unsigned("position", position)
        entry.add_unsigned("page", page_id)
        entry.add_unsigned("kind", int(codes.kind[position]))
        entry.add_unsigned("year", int(codes.year[position]))
        entry.add_unsigned("region", int(codes.region[position]) + 1)
        entry.add_unsigned("urn", int(codes.urn[position]))
        entry.add_integer("published", int(codes.published[position]))
        for judgement, grades in codes.grades.items():
            entry.add_unsigned(f"grade_{judgement}", int(grades[position]) + 1)
        return entry

    def read(self, text: str) -> TextSearch:
        """The search `text` as a query (ilacs.web.text_query)."""
        return as_query(text, self._schema, self._pages, self._words_of)

    # -- counting ----------------------------------------------------------------------------

    def summary(self, search: TextSearch, filters: SearchFilters) -> Summary:
        """The documents and pages matching the search and the filters, and the facets."""
        query = self._filtered(search, filters)
        pages = _count(self._pages, query)
        if not pages:
            return NOTHING
        if search.any_page:
            fields = {"kind": "kind", "year": "year", "region": "region",
                      "grade": f"grade_{filters.judgement}"}
            found = self._documents.aggregate(query, {
                facet: {"terms": {"field": field, "size": 1000}}
                for facet, field in fields.items()})
            counted = {facet: {int(bucket["key"]): int(bucket["doc_count"])
                               for bucket in found[facet]["buckets"]} for facet in fields}
            # every document has one kind: its buckets count them all, without another
            # search (each call into the index waits for the GIL again under load)
            return Summary(sum(counted["kind"].values()), pages, counted)
        positions = self._matching_documents(query)
        codes = self._codes
        return Summary(len(positions), pages, {
            facet: _counted(values[positions]) for facet, values in (
                ("kind", codes.kind), ("year", codes.year), ("region", codes.region + 1),
                ("grade", codes.grade(filters.judgement) + 1))})

    def _matching_documents(self, query: tantivy.Query) -> Positions:
        """Every document with a page matching (positions, ascending): a bucket a document,
        counted on the pages."""
        found = self._pages.aggregate(query, {"documents": {"terms": {
            "field": "position", "size": max(1, len(self._codes.kind))}}})
        buckets = found["documents"]["buckets"]
        # itemgetter and map loop in C: a word on most pages of ten times the corpus is
        # 8,000 buckets, and this runs holding the GIL
        positions = np.fromiter(map(itemgetter("key"), buckets), np.float64, len(buckets))
        return np.sort(positions).astype(np.int64)

    # -- listing -----------------------------------------------------------------------------

    def documents(self, search: TextSearch, filters: SearchFilters, sort: str, offset: int,
                  limit: int, pages: int | None = None) -> list[int]:
        """The positions of the matching documents from `offset` on: each at the rank of its
        best page, or newest first (undated last; documents of one day by their best page).
        `pages`: how many pages match, if known (Summary.pages)."""
        if limit <= 0:
            return []
        query = self._filtered(search, filters)
        pages = _count(self._pages, query) if pages is None else pages
        if not pages:
            return []
        if sort != "newest":
            return self._by_best_page(query, offset + limit, pages)[offset:]
        if search.any_page:
            positions = self._newest_documents(query, offset + limit)
        else:
            positions = self._matching_documents(query)
        published = self._codes.published[positions]
        undated = published == 0
        window = np.lexsort((-published, undated))[offset:offset + limit]
        # ties within the window's days go to the best page: scored for those documents only
        best = np.zeros(len(positions))
        for n in np.flatnonzero(np.isin(published, published[window])).tolist():
            best[n] = -self._best_score(query, int(positions[n]))
        order = np.lexsort((positions, best, -published, undated))
        return [int(position) for position in positions[order[offset:offset + limit]]]

    def _newest_documents(self, query: tantivy.Query, wanted: int) -> Positions:
        """The `wanted` newest matching documents, and every other of their days."""
        newest = self._documents.search(query, wanted, count=False,
                                        order_by_field="published").hits
        if not newest:
            return np.zeros(0, np.int64)
        last_day = int(newest[-1][0])
        # every document of the last day in the window, not only those that fitted
        since = tantivy.Query.range_query(self._schema, "published", tantivy.FieldType.Integer,
                                          last_day, 2**62, include_lower=True,
                                          include_upper=True)
        both = tantivy.Query.boolean_query([(tantivy.Occur.Must, query),
                                            (tantivy.Occur.Must, since)])
        hits = self._documents.search(both, max(1, _count(self._documents, both)),
                                      count=False).hits
        values = self._documents.fast_field_values("position", [a for _, a in hits])
        return np.array(sorted(int(v) for v in values if v is not None), np.int64)

    def _best_score(self, query: tantivy.Query, position: int) -> float:
        within = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (
            tantivy.Occur.Must, tantivy.Query.term_query(self._schema, "position", position))])
        hits = self._pages.search(within, 1, count=False).hits
        return float(hits[0][0]) if hits else 0.0

    def _by_best_page(self, query: tantivy.Query, wanted: int, pages: int) -> list[int]:
        """Documents in the order of their best page, until `wanted` of them are found: top
        pages are fetched in growing batches, never all at once."""
        batch = max(4 * wanted, 64)
        while True:
            hits = self._pages.search(query, min(batch, pages), count=False).hits
            ordered = list(dict.fromkeys(int(p) for p in self._pages.fast_field_values(
                "position", [address for _, address in hits]) if p is not None))
            if len(ordered) >= wanted or batch >= pages:
                return ordered[:wanted]
            batch *= 4

    def pages_of(self, search: TextSearch, positions: Sequence[int]
                 ) -> dict[int, tuple[list[int], int]]:
        """For each document, the ids of its matching pages, best first (at most
        MAX_PAGES_RANKED), and how many match: one search for all of them."""
        if not positions:
            return {}
        within = tantivy.Query.boolean_query([(tantivy.Occur.Must, search.query), (
            tantivy.Occur.Must, tantivy.Query.term_set_query(self._schema, "position",
                                                             list(positions)))])
        hits = self._pages.search(within, max(1, min(MAX_PAGES_RANKED * len(positions),
                                                     self._pages.num_docs)), count=False).hits
        # the pages best first; each one's document from the page id, in numpy: the Python
        # run here holds the GIL that every other search in flight waits for
        pages = np.array(self._pages.fast_field_values(
            "page", [address for _, address in hits]), dtype=np.int64)
        owners = self._page_documents[pages] if len(pages) else pages
        found: dict[int, tuple[list[int], int]] = {}
        for position in positions:
            mine = pages[owners == position]
            found[position] = (mine[:MAX_PAGES_RANKED].tolist(), len(mine))
        return found

    def ranked_pages(self, search: TextSearch, filters: SearchFilters,
                     limit: int) -> list[tuple[float, int]]:
        """The best `limit` matching pages: (score, page id), best first."""
        hits = self._pages.search(self._filtered(search, filters), max(1, limit),
                                  count=False).hits
        ids = self._pages.fast_field_values("page", [address for _, address in hits])
        return [(float(score), int(page)) for (score, _), page in zip(hits, ids, strict=True)
                if page is not None]

    # -- filters -----------------------------------------------------------------------------

    def _filtered(self, search: TextSearch, filters: SearchFilters) -> tantivy.Query:
        clauses = [(tantivy.Occur.Must, search.query)]
        for field, value in self._filter_values(filters):
            clauses.append((tantivy.Occur.Must,
                            tantivy.Query.term_query(self._schema, field, value)))
        return tantivy.Query.boolean_query(clauses)

    def _filter_values(self, filters: SearchFilters) -> list[tuple[str, int]]:
        codes = self._codes
        values: list[tuple[str, int]] = []
        if filters.urn is not None:
            values.append(("urn", filters.urn))
        if filters.year is not None:
            values.append(("year", filters.year))
        if filters.kind is not None:
            values.append(("kind", codes.kinds.index(filters.kind.value)))
        if filters.region is not None:
            # a region none of the documents is in: a code no entry has (0 is "none")
            values.append(("region", codes.regions.index(filters.region) + 1
                           if filters.region in codes.regions else len(codes.regions) + 1))
        if filters.grade is not None:
            values.append((f"grade_{filters.judgement}", codes.grade_code(filters.grade) + 1))
        return values


def _count(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    """The entries matching (tantivy's stubs leave `count` out of its results)."""
    return int(cast(Any, searcher.search(query, 1, count=True)).count or 0)


def _counted(values: Positions) -> dict[int, int]:
    """How many times each value (≥ 0) occurs."""
    counts = np.bincount(values[values >= 0])
    return {int(value): int(counts[value]) for value in np.flatnonzero(counts)}
