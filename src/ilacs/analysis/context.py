"""An authority's official statistics beside its statistical neighbours, region and England,
with its inspections, visits and interventions on the same time axis (`ilacs analyse
context`).

Rules, stated once here and printed with every answer:

- Neighbours: the DfE's 2025 model for periods ending in 2025 or later, the 2021 model for
  earlier ones (an authority absent from the 2021 model, such as Cumberland, uses the 2025
  model throughout). A neighbour that was reorganised is read under the code the model
  names (Cumbria's figures up to 2023, say).
- The neighbours' band is the lower quartile, median and upper quartile of the neighbours'
  values that year (the authority itself not included), with how many had one; with fewer
  than three values it is not drawn.
- Rank: among the authority and its neighbours with a value that year, and among every
  current authority in England, 1 = best where the indicator has a direction (highest for
  "higher is better", lowest for "lower is better") and 1 = highest where it has none.
  Authorities with the same value share the best rank.
- Missing figures (suppressed, not available) are never counted; the authority's own are
  shown with their symbol and meaning.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS, judgement_grade
from ilacs.analysis.names import framework_name, visit_kind_name
from ilacs.analysis.record import AnalysisRecord
from ilacs.analysis.statistics import (
    ENGLAND,
    Described,
    IndicatorInfo,
    Point,
    la_subject,
    region_subject,
)
from ilacs.errors import AnalysisError
from ilacs.extract.models import Grade
from ilacs.reference.register import Authority, NeighbourModel
from ilacs.statistics.catalogue import Indicator
from ilacs.store.interventions import Intervention

MIN_BAND = 3  # neighbours with a value needed to draw their band
RANKING_RULE = (
    "rank 1 = best where the indicator has a direction (highest if higher is better, lowest "
    "if lower is better), 1 = highest where it has none; ties share the best rank; among the "
    "authority and its neighbours with a value that year, and among every current authority"
)
NEIGHBOUR_RULE = (
    "neighbours: the DfE's 2025 model for periods ending in 2025 or later, the 2021 model "
    "before (the 2025 model throughout for an authority the 2021 model lacks); the band is "
    "the neighbours' lower quartile, median and upper quartile, drawn with 3 or more values"
)


@dataclass(frozen=True)
class YearContext:
    year: int
    period: str
    refers_to: date
    value: float | None
    missing: str | None
    missing_note: str | None
    neighbour_model: str
    neighbours_with_value: int
    neighbours_q1: float | None
    neighbours_median: float | None
    neighbours_q3: float | None
    region: float | None
    england: float | None
    rank: int | None  # among the authority and its neighbours with a value
    rank_of: int | None
    england_rank: int | None  # among every current authority with a value
    england_of: int | None


@dataclass(frozen=True)
class IndicatorContext(Described):
    indicator: IndicatorInfo
    years: tuple[YearContext, ...]

    @property
    def latest(self) -> YearContext | None:
        """The latest year the authority has a figure for."""
        return next((y for y in reversed(self.years) if y.value is not None), None)


@dataclass(frozen=True)
class TimelineMark:
    """An inspection, visit or intervention on the statistics' time axis."""

    date: date
    kind: str  # inspection, focused_visit, monitoring_visit, jtai, intervention
    label: str
    grade: Grade | None  # an inspection's overall grade (or its first judgement's)
    grades: dict[str, Grade]  # an inspection's judgements


@dataclass(frozen=True)
class PlaceRef:
    urn: int
    name: str


@dataclass(frozen=True)
class AuthorityContext:
    urn: int
    name: str
    region: str
    region_code: str
    neighbours: dict[str, tuple[PlaceRef, ...]]  # by model
    indicators: tuple[IndicatorContext, ...]
    marks: tuple[TimelineMark, ...]
    ranking_rule: str = RANKING_RULE
    neighbour_rule: str = NEIGHBOUR_RULE


def authority_context(record: AnalysisRecord, urn: int,
                      interventions: Iterable[Intervention] = (),
                      indicators: Sequence[str] | None = None) -> AuthorityContext:
    """Every headline indicator (or those named) for the authority, year by year."""
    authority = record.authority(urn)
    if authority is None:
        raise AnalysisError(f"no local authority has URN {urn}")
    stats = record.statistics
    chosen = stats.indicators if indicators is None else tuple(
        _known(record, key) for key in indicators)
    models = {model: _neighbour_urns(record, authority, model) for model in ("2021", "2025")}
    current = tuple(a.urn for a in record.register.all())
    return AuthorityContext(
        urn=urn, name=authority.name, region=authority.region_name,
        region_code=authority.region_ons_code,
        neighbours={model: tuple(PlaceRef(u, record.register.by_urn(u).name) for u in urns)
                    for model, urns in models.items()},
        indicators=tuple(_indicator(record, authority, indicator, models, current)
                         for indicator in chosen),
        marks=tuple(timeline_marks(record, urn, interventions)))


def _known(record: AnalysisRecord, key: str) -> Indicator:
    found = record.statistics.catalogue.indicators_by_key.get(key)
    if found is None:
        names = ", ".join(record.statistics.catalogue.indicators_by_key)
        raise AnalysisError(f"unknown indicator {key!r}; the catalogue has: {names}")
    return found


def _neighbour_urns(record: AnalysisRecord, authority: Authority,
                    model: NeighbourModel) -> tuple[int, ...]:
    return tuple(n.authority.urn for n in record.register.neighbours(authority.urn, model))


def model_for(year: int, models: dict[str, tuple[int, ...]]) -> str:
    return "2021" if year < 2025 and models.get("2021") else "2025"


def _indicator(record: AnalysisRecord, authority: Authority, indicator: Indicator,
               models: dict[str, tuple[int, ...]], current: tuple[int, ...]
               ) -> IndicatorContext:
    stats = record.statistics
    own = {p.year: p for p in stats.series(indicator.key, la_subject(authority.urn))}
    years = []
    for year in stats.years(indicator.key):
        model = model_for(year, models)
        point = own.get(year)
        if point is None and not _any_value(record, indicator.key, models[model], year):
            continue
        years.append(_year(record, indicator, authority, year, point, model, models[model],
                           current))
    return IndicatorContext(IndicatorInfo.of(indicator), tuple(years))


def _any_value(record: AnalysisRecord, key: str, urns: Iterable[int], year: int) -> bool:
    return any(_figure(record, key, la_subject(u), year) is not None for u in urns)


def _figure(record: AnalysisRecord, key: str, subject: str, year: int) -> float | None:
    point = record.statistics.value(key, subject, year)
    return None if point is None else point.value


def _year(record: AnalysisRecord, indicator: Indicator, authority: Authority, year: int,
          point: Point | None, model: str, neighbours: tuple[int, ...],
          current: tuple[int, ...]) -> YearContext:
    key = indicator.key
    values = record.statistics.values_of(key, year, neighbours)
    q1 = median = q3 = None
    if len(values) >= MIN_BAND:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    mine = point.value if point else None
    rank = rank_of = england_rank = england_of = None
    if mine is not None:
        rank, rank_of = competition_rank(mine, [*values, mine], indicator.direction)
        nation = record.statistics.values_of(key, year, current)
        if authority.active or authority.urn in current:
            england_rank, england_of = competition_rank(mine, nation, indicator.direction)
    sample = point or record.statistics.value(key, ENGLAND, year)
    return YearContext(
        year=year, period=sample.period if sample else str(year),
        refers_to=sample.refers_to if sample else date(year, 3, 31),
        value=mine, missing=point.missing if point else "x",
        missing_note=(point.missing_note if point else "no figure published for this year"),
        neighbour_model=model, neighbours_with_value=len(values), neighbours_q1=q1,
        neighbours_median=median, neighbours_q3=q3,
        region=_figure(record, key, region_subject(authority.region_ons_code), year),
        england=_figure(record, key, ENGLAND, year), rank=rank, rank_of=rank_of,
        england_rank=england_rank, england_of=england_of)


def competition_rank(value: float, values: Sequence[float], direction: str) -> tuple[int, int]:
    """(rank, group size): 1 + the values strictly better (see the module's rule)."""
    if direction == "lower_is_better":
        better = sum(1 for v in values if v < value)
    else:
        better = sum(1 for v in values if v > value)
    return 1 + better, len(values)


def timeline_marks(record: AnalysisRecord, urn: int,
                   interventions: Iterable[Intervention] = ()) -> list[TimelineMark]:
    """The authority's inspections, visits and interventions, oldest first."""
    marks: list[TimelineMark] = []
    for row in record.inspections_by_urn.get(urn, ()):
        assert row.date is not None  # inspections_by_urn holds dated ones only
        grades = {j: found[0] for j in BENCHMARK_JUDGEMENTS
                  if (found := judgement_grade(row, j)) is not None}
        headline = grades.get("overall_effectiveness") or next(iter(grades.values()), None)
        kind = f"{row.inspection_type.value} inspection" if row.inspection_type else \
            "inspection"
        marks.append(TimelineMark(row.date, "inspection",
                                  f"{kind.capitalize()} ({framework_name(row.framework)})",
                                  headline, grades))
    for visit in record.visits_by_urn.get(urn, ()):
        when = _day(visit.date)
        if when is not None:
            marks.append(TimelineMark(when, visit.kind, visit_kind_name(visit.kind), None, {}))
    for item in interventions:
        when = _day(item.start_date)
        if item.urn == urn and item.confirmed and when is not None:
            marks.append(TimelineMark(when, "intervention",
                                      item.type.replace("_", " ").capitalize(), None, {}))
    marks.sort(key=lambda mark: (mark.date, mark.kind))
    return marks


def _day(value: str | None) -> date | None:
    """A full or partial ISO date ("2013", "2013-05"), partial ones at their start."""
    if not value:
        return None
    try:
        parts = [int(part) for part in value.split("-")[:3]]
        return date(*parts, *[1] * (3 - len(parts)))
    except ValueError:
        return None
