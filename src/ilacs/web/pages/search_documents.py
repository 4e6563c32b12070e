"""Search hits as readers want them: one hit per document, not per page.

A word a letter uses on every page made seven of the top ten hits pages of that one letter.
A document ranks by its best page (FTS5's bm25 order); its other matching pages are listed
under it. Facets count the matching documents by kind, year, region and grade, each a link
that narrows the search to it.

A common word matches 11,000 pages of 800 documents: grouping them and counting facets one
document at a time in Python doubled a cold search's CPU and its p95 under load
(benchmarks/web.py), so both run on arrays of small integer codes, one per document, made
once per version of the record (`DocumentCodes`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS
from ilacs.extract.models import Grade
from ilacs.store.rows import DocumentKind
from ilacs.store.search import SearchFilters, SearchIndex

SORTS = {"relevance": "Best match first", "newest": "Newest first"}
Positions = npt.NDArray[np.int64]


@dataclass(frozen=True)
class MatchedDocument:
    position: int  # the document's, in the search index
    page_ids: Sequence[int]  # its matching pages, best first


@dataclass(frozen=True, eq=False)
class Grouped:
    """The pages matching a search, and their documents by the rank of their best page."""

    ids: Positions  # matching page ids, best first
    owners: Positions  # the position of each one's document
    documents: Positions  # each matching document's position, by its best page's rank

    @property
    def pages(self) -> int:
        return len(self.ids)

    def matched(self, position: int) -> MatchedDocument:
        return MatchedDocument(position, self.ids[self.owners == position].tolist())

    def pages_per_document(self, size: int) -> Positions:
        """How many pages match in each document, by position (`size` documents)."""
        return np.bincount(self.owners, minlength=size)


NO_PAGES = Grouped(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))


def group_by_document(index: SearchIndex, page_ids: Sequence[int]) -> Grouped:
    """The documents of ranked pages, each at the rank of its best page."""
    if not len(page_ids):
        return NO_PAGES
    ids = np.asarray(page_ids, dtype=np.int64)
    owners_of = np.frombuffer(index.page_documents, dtype=np.intc)
    known = ids < len(owners_of)  # a page written after the index was loaded has no owner
    ids = ids[known]
    owners = owners_of[ids].astype(np.int64)
    kept = owners >= 0
    ids, owners = ids[kept], owners[kept]
    documents, first = np.unique(owners, return_index=True)
    return Grouped(ids, owners, documents[np.argsort(first, kind="stable")])


@dataclass(frozen=True, eq=False)
class DocumentCodes:
    """Each document's kind, year, region, date and grades as small integers, by position.

    Made once per version of the record, before the first search (the server's warm-up
    renders an empty one): made by the first searches instead, it held the others."""

    kinds: tuple[str, ...]
    kind: Positions
    year: Positions  # 0: not known
    regions: tuple[str, ...]
    region: Positions  # -1: not known
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
            np.array([date.fromisoformat(d.published).toordinal() if d.published else 0
                      for d in documents], np.int64), grades)

    def grade(self, judgement: str) -> Positions:
        """Each document's grade for `judgement` as its place in `Grade` (-1: none)."""
        return self.grades[judgement]


def in_order(codes: DocumentCodes, grouped: Grouped, sort: str) -> Positions:
    """The documents best first, or newest first (undated last; ties keep the best first)."""
    if sort != "newest":
        return grouped.documents
    published = codes.published[grouped.documents]
    undated = published == 0
    return grouped.documents[np.lexsort((-published, undated))]


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


def facets(codes: DocumentCodes, documents: Positions, filters: SearchFilters,
           kind_names: dict[DocumentKind, str], grade_names: dict[str, str],
           judgement_name: str, url: Callable[[str, str | None], str]) -> tuple[Facet, ...]:
    """How many matching documents of each kind, year, region and grade for the chosen
    judgement; `url(parameter, value)` is the search with that parameter set (None: unset)."""
    def counted(codes_of: Positions, labels: Sequence[str]) -> dict[str, int]:
        chosen = codes_of[documents]
        counts = np.bincount(chosen[chosen >= 0], minlength=len(labels))
        return {label: int(count) for label, count in zip(labels, counts, strict=False)
                if count}

    kinds = counted(codes.kind, codes.kinds)
    years_seen = codes.year[documents]
    years = {str(year): int(count) for year, count in zip(
        *np.unique(years_seen[years_seen > 0], return_counts=True), strict=True)}
    regions = counted(codes.region, codes.regions)
    grades = counted(codes.grade(filters.judgement), [grade.value for grade in Grade])

    def facet(parameter: str, name: str, counts: dict[str, int], order: Sequence[str],
              labels: dict[str, str], chosen: str | None) -> Facet:
        return Facet(parameter, name, tuple(
            FacetValue(value, labels.get(value, value), counts[value],
                       url(parameter, None if value == chosen else value), value == chosen)
            for value in order if counts.get(value)))

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
