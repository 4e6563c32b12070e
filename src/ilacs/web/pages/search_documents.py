"""Search hits as readers want them: one hit per document, not per page.

A word a letter uses on every page made seven of the top ten hits pages of that one letter.
A document ranks by its best page (FTS5's bm25 order); its other matching pages are listed
under it. Facets count the matching documents by kind, year, region and grade, each a link
that narrows the search to it.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ilacs.extract.models import Grade
from ilacs.store.rows import DocumentKind
from ilacs.store.search import SearchFilters, SearchIndex

SORTS = {"relevance": "Best match first", "newest": "Newest first"}


@dataclass(frozen=True)
class MatchedDocument:
    position: int  # the document's, in the search index
    page_ids: array[int]  # its matching pages, best first


@dataclass(frozen=True)
class Grouped:
    documents: tuple[MatchedDocument, ...]  # by their best page's rank
    pages: int  # matching pages in all


def group_by_document(index: SearchIndex, page_ids: Sequence[int]) -> Grouped:
    """The documents of ranked pages, each at the rank of its best page."""
    pages: dict[int, array[int]] = {}
    count = 0
    for page_id in page_ids:
        position = index.document_position(page_id)
        if position < 0:
            continue  # written after the index was loaded
        count += 1
        found = pages.get(position)
        if found is None:
            pages[position] = array("q", (page_id,))
        else:
            found.append(page_id)
    return Grouped(tuple(MatchedDocument(position, ids) for position, ids in pages.items()),
                   count)


def in_order(index: SearchIndex, grouped: Grouped, sort: str) -> tuple[MatchedDocument, ...]:
    """The documents best first, or newest first (undated last; ties keep the best first)."""
    if sort != "newest":
        return grouped.documents
    dated = [found for found in grouped.documents if index.document(found.position).published]
    undated = [found for found in grouped.documents
               if not index.document(found.position).published]
    # A reversed sort is still stable: documents of one day keep their best-first order.
    dated.sort(key=lambda found: index.document(found.position).published or "", reverse=True)
    return (*dated, *undated)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    url: str  # the search narrowed to this value, or widened again when it is chosen
    chosen: bool


@dataclass(frozen=True)
class Facet:
    parameter: str
    name: str
    values: tuple[FacetValue, ...]


def facets(index: SearchIndex, documents: Sequence[MatchedDocument], filters: SearchFilters,
           kind_names: dict[DocumentKind, str], grade_names: dict[str, str],
           judgement_name: str, url: Callable[[str, str | None], str]) -> tuple[Facet, ...]:
    """How many matching documents of each kind, year, region and grade for the chosen
    judgement; `url(parameter, value)` is the search with that parameter set (None: unset)."""
    kinds: Counter[str] = Counter()
    years: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    grades: Counter[str] = Counter()
    for found in documents:
        document = index.document(found.position)
        kinds[document.kind.value] += 1
        if document.published:
            years[document.published[:4]] += 1
        if document.region:
            regions[document.region] += 1
        for grade in grade_names:
            if document.graded(grade, filters.judgement):
                grades[grade] += 1

    def facet(parameter: str, name: str, counts: Counter[str], order: Sequence[str],
              labels: dict[str, str], chosen: str | None) -> Facet:
        return Facet(parameter, name, tuple(
            FacetValue(value, labels.get(value, value), counts[value],
                       url(parameter, None if value == chosen else value), value == chosen)
            for value in order if counts[value]))

    return (
        facet("kind", "Kind", kinds, [kind.value for kind in kind_names],
              {kind.value: name for kind, name in kind_names.items()},
              filters.kind.value if filters.kind else None),
        facet("year", "Published", years, sorted(years, reverse=True), {},
              str(filters.year) if filters.year else None),
        facet("region", "Region", regions, sorted(regions), {}, filters.region),
        facet("grade", f"Graded ({judgement_name.lower()})", grades,
              [grade.value for grade in Grade if grade.value in grade_names], grade_names,
              filters.grade.value if filters.grade else None),
    )
