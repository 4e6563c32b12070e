"""Search hits as readers want them: one hit per document, not per page, and facets.

A word a letter uses on every page made seven of the top ten hits pages of that one letter:
a search lists documents, each with its best page and its other matching pages. Facets
count the matching documents by kind, year, region and grade, each a link that narrows the
search to it; the index counts them (ilacs.web.text_index).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ilacs.extract.models import Grade
from ilacs.store.rows import DocumentKind
from ilacs.store.search import SearchFilters
from ilacs.web.text_index import DocumentCodes

SORTS = {"relevance": "Best match first", "newest": "Newest first"}


@dataclass(frozen=True)
class MatchedDocument:
    position: int  # the document's, in the search index
    page_ids: Sequence[int]  # its matching pages, best first (at most MAX_PAGES_RANKED)
    pages_matching: int


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


def facets(codes: DocumentCodes, counts: dict[str, dict[int, int]], filters: SearchFilters,
           kind_names: dict[DocumentKind, str], grade_names: dict[str, str],
           judgement_name: str, url: Callable[[str, str | None], str]) -> tuple[Facet, ...]:
    """How many matching documents of each kind, year, region and grade for the chosen
    judgement (`counts`: by code, as `Summary.facets`); `url(parameter, value)` is the
    search with that parameter set (None: unset)."""
    def labelled(by_code: dict[int, int], labels: Sequence[str], first: int = 0
                 ) -> dict[str, int]:
        return {labels[code - first]: count for code, count in by_code.items()
                if 0 <= code - first < len(labels) and count}

    kinds = labelled(counts["kind"], codes.kinds)
    years = {str(year): count for year, count in counts["year"].items() if year > 0 and count}
    # regions and grades are counted from 1 (0: none)
    regions = labelled(counts["region"], codes.regions, first=1)
    grades = labelled(counts["grade"], [grade.value for grade in Grade], first=1)

    def facet(parameter: str, name: str, by_value: dict[str, int], order: Sequence[str],
              labels: dict[str, str], chosen: str | None) -> Facet:
        return Facet(parameter, name, tuple(
            FacetValue(value, labels.get(value, value), by_value[value],
                       url(parameter, None if value == chosen else value), value == chosen)
            for value in order if by_value.get(value)))

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
