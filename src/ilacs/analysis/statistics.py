"""The headline indicators as analysis reads them: each place's values by year, with the
date each value refers to, so figures and inspections share one time axis."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ilacs.statistics.catalogue import Catalogue, Indicator, load_catalogue
from ilacs.statistics.model import IndicatorValue
from ilacs.store.statistics import indicator_values

ENGLAND = "england"


@dataclass(frozen=True)
class IndicatorInfo:
    """What a headline indicator is, as every answer about it states it."""

    key: str
    label: str
    short_label: str
    group: str
    unit: str
    direction: str  # higher_is_better, lower_is_better or none
    direction_basis: str | None
    about: str

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorInfo:
        return cls(indicator.key, indicator.label, indicator.short_label, indicator.group,
                   indicator.unit, indicator.direction, indicator.direction_basis,
                   indicator.about)


class Described:
    """Answers about one indicator read its description as their own: `answer.label`."""

    indicator: IndicatorInfo

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def label(self) -> str:
        return self.indicator.label

    @property
    def short_label(self) -> str:
        return self.indicator.short_label

    @property
    def group(self) -> str:
        return self.indicator.group

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def direction(self) -> str:
        return self.indicator.direction

    @property
    def direction_basis(self) -> str | None:
        return self.indicator.direction_basis

    @property
    def about(self) -> str:
        return self.indicator.about


def la_subject(urn: int) -> str:
    return f"la:{urn}"


def region_subject(region_ons_code: str) -> str:
    return f"region:{region_ons_code}"


@dataclass(frozen=True)
class Point:
    """One value of an indicator for one place: a figure, or why there is none."""

    year: int  # the year the period ends in
    period: str  # as published: "2025", "2024-25"
    refers_to: date  # the day the figures were counted at, or the end of the period
    value: float | None
    missing: str | None  # the symbol standing in its place (c, x, z ...)
    missing_note: str | None


@dataclass(frozen=True)
class StatisticsRecord:
    """Every headline indicator's points, by indicator and place (subject)."""

    catalogue: Catalogue
    points: Mapping[str, Mapping[str, tuple[Point, ...]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.points

    def indicator(self, key: str) -> Indicator:
        return self.catalogue.indicators_by_key[key]

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """The catalogue's indicators that have at least one value, in catalogue order."""
        return tuple(i for i in self.catalogue.indicators if self.points.get(i.key))

    def series(self, key: str, subject: str) -> tuple[Point, ...]:
        """The place's points for the indicator, oldest first (empty if it has none)."""
        return self.points.get(key, {}).get(subject, ())

    def value(self, key: str, subject: str, year: int) -> Point | None:
        return self._by_year.get((key, subject, year))

    def before(self, key: str, subject: str, day: date, within_days: int = 730) -> Point | None:
        """The latest figure (not a missing one) counted before `day`, and no more than
        `within_days` before it: what was known of the place when that day came."""
        found = None
        for point in self.series(key, subject):
            if point.refers_to >= day:
                break
            if point.value is not None and (day - point.refers_to).days <= within_days:
                found = point
        return found

    def values_of(self, key: str, year: int, urns: tuple[int, ...]) -> list[float]:
        """The figures (not missing ones) of these authorities for the year; kept, since
        every authority's page ranks itself among the same authorities."""
        cache_key = (key, year, urns)
        found = self._values_of.get(cache_key)
        if found is None:
            found = [p.value for urn in urns
                     if (p := self._by_year.get((key, f"la:{urn}", year))) is not None
                     and p.value is not None]
            self._values_of[cache_key] = found
        return found

    @cached_property
    def _values_of(self) -> dict[tuple[str, int, tuple[int, ...]], list[float]]:
        return {}

    def years(self, key: str) -> tuple[int, ...]:
        return tuple(sorted({p.year for points in self.points.get(key, {}).values()
                             for p in points}))

    def subjects(self, key: str) -> Iterable[str]:
        return self.points.get(key, {}).keys()

    @cached_property
    def _by_year(self) -> Mapping[tuple[str, str, int], Point]:
        return {(key, subject, p.year): p for key, places in self.points.items()
                for subject, points in places.items() for p in points}


def empty_statistics() -> StatisticsRecord:
    return StatisticsRecord(load_catalogue())


def refers_to(catalogue: Catalogue, indicator: Indicator, year: int) -> date:
    """The day an indicator's figures for `year` were counted at (31 March, 30 September...)."""
    dataset = catalogue.datasets_by_key[catalogue.numerator(indicator)[0].dataset]
    month, day = dataset.reference_month_day
    return date(year, month, day)


def statistics_record(values: Iterable[IndicatorValue],
                      catalogue: Catalogue | None = None) -> StatisticsRecord:
    catalogue = catalogue or load_catalogue()
    grouped: dict[str, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    known = catalogue.indicators_by_key
    for value in values:
        indicator = known.get(value.indicator)
        if indicator is None:
            continue  # derived under an older catalogue: not read until derived again
        grouped[value.indicator][value.subject].append(Point(
            value.year, value.period, refers_to(catalogue, indicator, value.year), value.value,
            value.missing, value.missing_note))
    return StatisticsRecord(catalogue, {
        key: {subject: tuple(sorted(points, key=lambda p: p.year))
              for subject, points in places.items()}
        for key, places in grouped.items()})


def load_statistics_record(conn: sqlite3.Connection) -> StatisticsRecord:
    return statistics_record(indicator_values(conn, with_sources=False))
