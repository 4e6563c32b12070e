"""The official statistics' pages: every headline indicator (/indicators), and one indicator
across England (/indicators/KEY): a map, every authority ranked, and its figures by the grade
of the inspection that followed, with the inspection-year change."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ilacs.analysis.evidence import (
    GradeDistribution,
    InspectionYearChange,
    grade_distribution,
    inspection_year_change,
)
from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS, JUDGEMENT_NAMES
from ilacs.analysis.indicators import IndicatorView, indicator_view
from ilacs.analysis.statistics import ENGLAND
from ilacs.errors import AnalysisError
from ilacs.statistics.units import unit_name
from ilacs.web import urls
from ilacs.web.pages.common import BadParameter, Option, PageNotFound
from ilacs.web.pages.context import NO_STATISTICS
from ilacs.web.pages.england import tile_places
from ilacs.web.snapshot import Snapshot

BANDS = 5  # the map's colour bands: quintiles of the authorities' values


@dataclass(frozen=True)
class IndicatorSummary:
    key: str
    label: str
    short_label: str
    group: str
    unit: str
    unit_name: str
    direction: str
    first_year: int | None
    last_year: int | None
    england: float | None  # in the latest year
    period: str | None
    url: str


@dataclass(frozen=True)
class IndicatorGroup:
    name: str
    indicators: tuple[IndicatorSummary, ...]


@dataclass(frozen=True)
class IndicatorsPage:
    available: bool
    message: str | None
    groups: tuple[IndicatorGroup, ...]


def indicators_page(snapshot: Snapshot) -> IndicatorsPage:
    stats = snapshot.record.statistics
    if stats.empty:
        return IndicatorsPage(False, NO_STATISTICS, ())
    groups: dict[str, list[IndicatorSummary]] = {}
    for indicator in stats.indicators:
        years = stats.years(indicator.key)
        latest = stats.value(indicator.key, ENGLAND, years[-1]) if years else None
        groups.setdefault(indicator.group, []).append(IndicatorSummary(
            indicator.key, indicator.label, indicator.short_label, indicator.group,
            indicator.unit, unit_name(indicator.unit), indicator.direction,
            years[0] if years else None, years[-1] if years else None,
            latest.value if latest else None, latest.period if latest else None,
            urls.indicator(indicator.key)))
    return IndicatorsPage(True, None, tuple(IndicatorGroup(name, tuple(items))
                                            for name, items in groups.items()))


@dataclass(frozen=True)
class IndicatorTile:
    urn: int
    name: str
    abbr: str
    col: int
    row: int
    url: str
    value: float | None
    band: int | None  # 1 (lowest fifth) to 5 (highest fifth); None: no figure


@dataclass(frozen=True)
class IndicatorMap:
    columns: int
    rows: int
    edges: tuple[float, ...]  # the values between bands, lowest first
    tiles: tuple[IndicatorTile, ...]


@dataclass(frozen=True)
class IndicatorPage:
    view: IndicatorView
    unit_name: str
    years: tuple[Option, ...]
    judgement: str
    judgements: tuple[Option, ...]
    map: IndicatorMap
    by_grade: GradeDistribution | None
    inspection_year: InspectionYearChange | None
    csv_url: str
    json_url: str


def parse_indicator_query(snapshot: Snapshot, key: str, year: str | None,
                          judgement: str | None) -> tuple[str, int | None, str]:
    stats = snapshot.record.statistics
    if key not in stats.catalogue.indicators_by_key:
        raise PageNotFound(f"there is no indicator {key!r}: /indicators lists them")
    chosen: int | None = None
    if year:
        if not year.isdigit() or int(year) not in stats.years(key):
            raise BadParameter(f"year={year!r} is not a year with figures for this indicator")
        chosen = int(year)
    if judgement and judgement not in BENCHMARK_JUDGEMENTS:
        raise BadParameter(f"judgement={judgement!r} is not a judgement; use one of "
                           f"{', '.join(BENCHMARK_JUDGEMENTS)}")
    return key, chosen, judgement or "overall_effectiveness"


def indicator_page(snapshot: Snapshot, key: str, year: int | None,
                   judgement: str) -> IndicatorPage:
    return snapshot.memo(("indicator", key, year, judgement),
                         lambda: _indicator_page(snapshot, key, year, judgement))


def _indicator_page(snapshot: Snapshot, key: str, year: int | None,
                    judgement: str) -> IndicatorPage:
    record = snapshot.record
    try:
        view = indicator_view(record, key, year)
    except AnalysisError as error:
        raise PageNotFound(str(error)) from None
    by_grade: GradeDistribution | None = None
    change: InspectionYearChange | None = None
    try:
        by_grade = grade_distribution(record, key, judgement)
        change = inspection_year_change(record, key, judgement)
    except AnalysisError:
        pass
    return IndicatorPage(
        view=view, unit_name=unit_name(view.unit),
        years=tuple(Option(str(y), str(y)) for y in reversed(view.years)),
        judgement=judgement,
        judgements=tuple(Option(j, JUDGEMENT_NAMES[j]) for j in BENCHMARK_JUDGEMENTS),
        map=_map(view), by_grade=by_grade, inspection_year=change,
        csv_url=urls.indicator_csv(key, year=year),
        json_url=urls.indicator(key, json=True, year=year, judgement=judgement
                                if judgement != "overall_effectiveness" else None))


def _map(view: IndicatorView) -> IndicatorMap:
    columns, rows, places = tile_places()
    values = sorted(a.value for a in view.authorities if a.value is not None)
    edges = tuple(values[int(len(values) * k / BANDS)] for k in range(1, BANDS)) if \
        len(values) >= BANDS else ()
    tiles = []
    for row in view.authorities:
        place = places.get(row.urn)
        if place is None:
            continue
        band = None if row.value is None or not edges else \
            1 + sum(1 for edge in edges if row.value >= edge)
        tiles.append(IndicatorTile(row.urn, row.name, place.abbr, place.col, place.row,
                                   urls.authority(row.urn), row.value, band))
    return IndicatorMap(columns, rows, edges, tuple(sorted(tiles, key=lambda t: (t.row, t.col))))


def indicator_csv(snapshot: Snapshot, key: str, year: int | None) -> str:
    """Every authority's value for the year, ranked, as the page's table shows it."""
    view = indicator_page(snapshot, key, year, "overall_effectiveness").view
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("indicator", "period", "rank", "authority", "urn", "region", "value",
                     "missing", "missing_note", "unit"))
    for row in view.authorities:
        writer.writerow((view.key, view.period, row.rank or "", row.name, row.urn, row.region,
                         "" if row.value is None else f"{row.value:.6g}",
                         row.missing or "" if row.value is None else "",
                         row.missing_note or "" if row.value is None else "", view.unit))
    return out.getvalue()
