"""One headline indicator across England: every authority's value for a year, ranked, with
its region, England and the quartiles (`ilacs analyse indicator KEY`)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from ilacs.analysis.context import RANKING_RULE, competition_rank
from ilacs.analysis.record import AnalysisRecord
from ilacs.analysis.statistics import (
    ENGLAND,
    Described,
    IndicatorInfo,
    la_subject,
    region_subject,
)
from ilacs.errors import AnalysisError
from ilacs.statistics.catalogue import Indicator

COVERAGE = 0.5  # the default year is the latest in which at least this share have a value


@dataclass(frozen=True)
class AuthorityValue:
    urn: int
    name: str
    region: str
    value: float | None
    missing: str | None
    missing_note: str | None
    rank: int | None  # in England, by the indicator's direction (see RANKING_RULE)


@dataclass(frozen=True)
class RegionValue:
    code: str
    name: str
    value: float | None


@dataclass(frozen=True)
class IndicatorView(Described):
    indicator: IndicatorInfo
    year: int
    period: str
    years: tuple[int, ...]
    england: float | None
    regions: tuple[RegionValue, ...]
    with_value: int
    without_value: int
    q1: float | None
    median: float | None
    q3: float | None
    authorities: tuple[AuthorityValue, ...]  # ranked; authorities without a value last
    ranking_rule: str = RANKING_RULE


def indicator_view(record: AnalysisRecord, key: str, year: int | None = None) -> IndicatorView:
    stats = record.statistics
    indicator = stats.catalogue.indicators_by_key.get(key)
    if indicator is None:
        raise AnalysisError(f"unknown indicator {key!r}; the catalogue has: "
                            f"{', '.join(stats.catalogue.indicators_by_key)}")
    years = stats.years(key)
    if not years:
        raise AnalysisError(f"the record holds no figures for {key}: load its data set with "
                            "`ilacs statistics load` (or `ilacs build` for the bundled ones)")
    chosen = default_year(record, indicator) if year is None else year
    if chosen not in years:
        raise AnalysisError(f"{key} has no figures for {chosen}; it has "
                            f"{years[0]} to {years[-1]}")
    current = record.register.all()
    rows = []
    for authority in current:
        point = stats.value(key, la_subject(authority.urn), chosen)
        rows.append((authority, point))
    values = [p.value for _, p in rows if p is not None and p.value is not None]
    ranked = []
    for authority, point in rows:
        value = point.value if point else None
        rank = competition_rank(value, values, indicator.direction)[0] if value is not None \
            else None
        ranked.append(AuthorityValue(
            authority.urn, authority.name, authority.region_name, value,
            point.missing if point else None,
            point.missing_note if point else "no figure published for this year", rank))
    ranked.sort(key=lambda row: (row.rank is None, row.rank or 0, row.name))
    q1 = median = q3 = None
    if len(values) >= 2:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    regions = {a.region_ons_code: a.region_name for a in current}
    england = stats.value(key, ENGLAND, chosen)
    sample = england or next((p for _, p in rows if p is not None), None)
    return IndicatorView(
        indicator=IndicatorInfo.of(indicator), year=chosen,
        period=sample.period if sample else str(chosen), years=years,
        england=england.value if england else None,
        regions=tuple(RegionValue(code, name, _value(record, key, region_subject(code), chosen))
                      for code, name in sorted(regions.items(), key=lambda item: item[1])),
        with_value=len(values), without_value=len(rows) - len(values), q1=q1, median=median,
        q3=q3, authorities=tuple(ranked))


def default_year(record: AnalysisRecord, indicator: Indicator) -> int:
    """The latest year in which most current authorities have a figure."""
    stats = record.statistics
    current = [la_subject(a.urn) for a in record.register.all()]
    years = stats.years(indicator.key)
    for year in reversed(years):
        have = sum(1 for subject in current
                   if (p := stats.value(indicator.key, subject, year)) and p.value is not None)
        if have >= COVERAGE * len(current):
            return year
    return years[-1]


def _value(record: AnalysisRecord, key: str, subject: str, year: int) -> float | None:
    point = record.statistics.value(key, subject, year)
    return None if point is None else point.value
