"""Headline indicators, derived from the long series by the catalogue's rules.

A value is `scale` x (sum of the numerator terms, each times its factor) / the denominator,
for one place and period. Decisions made here, once, and stored with each value:

- A place is its subject: an authority under any of its codes is one subject ("la:80419");
  where an authority has figures under two codes for the same period (a former code and its
  current one), the current code's figure is taken.
- A term whose data set refers to another date of the year is read for the period that
  period's figures were counted in: the population for reporting year 2025 (to 31 March
  2025) is ONS's mid-2024 estimate; for the workforce at 30 September 2025, mid-2025.
- A missing figure in any term makes the value missing, with that figure's symbol and a note
  saying which term it was; a term with no figure at all for that place and period makes the
  value "not available" (x), except the numerator: no numerator, no value.
- Division by zero is "not applicable" (z).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ilacs.statistics.catalogue import Catalogue, Indicator, Term
from ilacs.statistics.model import IndicatorValue, SeriesPoint
from ilacs.statistics.periods import period_label
from ilacs.statistics.symbols import Missing

SeriesName = tuple[str, str, str]  # dataset, indicator, filters as stored
_PREFERENCE = {"same": 0, "former_code": 1}


def term_series(term: Term) -> SeriesName:
    return term.series


def catalogue_series(catalogue: Catalogue) -> set[SeriesName]:
    """Every series some indicator reads."""
    return {term_series(term) for indicator in catalogue.indicators
            for term in _terms(catalogue, indicator)}


def _terms(catalogue: Catalogue, indicator: Indicator) -> tuple[Term, ...]:
    denominator = catalogue.denominator(indicator)
    return catalogue.numerator(indicator) + ((denominator,) if denominator else ())


@dataclass(frozen=True)
class _Figure:
    value: float | None
    missing: str | None
    period: str
    dataset: str
    indicator: str
    row: int

    def source(self) -> dict[str, object]:
        return {"dataset": self.dataset, "column": self.indicator, "row": self.row,
                "period": self.period}


# series -> subject -> year -> figure
_Index = dict[SeriesName, dict[str, dict[int, _Figure]]]


def derive_indicators(catalogue: Catalogue, points: Iterable[SeriesPoint]) -> list[IndicatorValue]:
    """Every headline indicator's value for every place and period the series allow."""
    index, urns = _index(points)
    values: list[IndicatorValue] = []
    for indicator in catalogue.indicators:
        values.extend(_derive(catalogue, indicator, index, urns))
    return values


def _index(points: Iterable[SeriesPoint]) -> tuple[_Index, dict[str, int | None]]:
    index: _Index = defaultdict(lambda: defaultdict(dict))
    rank: dict[tuple[SeriesName, str, int], int] = {}
    urns: dict[str, int | None] = {}
    for point in points:
        name = (point.dataset, point.indicator, point.filters)
        preference = _PREFERENCE.get(point.relation, 0)
        key = (name, point.subject, point.year)
        if key in rank and rank[key] <= preference:
            continue
        rank[key] = preference
        urns[point.subject] = point.urn
        index[name][point.subject][point.year] = _Figure(
            point.value, point.missing, point.period, point.dataset, point.indicator, point.row)
    return index, urns


def _year_shift(catalogue: Catalogue, numerator: Term, other: Term) -> int:
    """How many years before (negative) or after the numerator's period year `other` is
    read: the latest year whose reference date is on or before the numerator's."""
    month, day = catalogue.datasets_by_key[numerator.dataset].reference_month_day
    other_month, other_day = catalogue.datasets_by_key[other.dataset].reference_month_day
    base = 2001  # not a leap year, so 02-29 cannot occur; any year gives the same answer
    return 0 if date(base, other_month, other_day) <= date(base, month, day) else -1


def _derive(catalogue: Catalogue, indicator: Indicator, index: _Index,
            urns: Mapping[str, int | None]) -> list[IndicatorValue]:
    numerator = catalogue.numerator(indicator)
    denominator = catalogue.denominator(indicator)
    first = numerator[0]
    found: list[IndicatorValue] = []
    subjects = set(index.get(term_series(first), {}))
    for subject in sorted(subjects):
        years = set(index[term_series(first)][subject])
        for term in numerator[1:]:
            years |= set(index.get(term_series(term), {}).get(subject, {}))
        for year in sorted(years):
            found.append(_value(catalogue, indicator, index, subject, urns.get(subject), year,
                                numerator, denominator))
    return found


def _value(catalogue: Catalogue, indicator: Indicator, index: _Index, subject: str,
           urn: int | None, year: int, numerator: tuple[Term, ...],
           denominator: Term | None) -> IndicatorValue:
    used: list[_Figure] = []
    total = 0.0
    missing: tuple[str, str] | None = None
    period = ""
    for term in numerator:
        figure = index.get(term_series(term), {}).get(subject, {}).get(year)
        if figure is None:
            missing = missing or (Missing.NOT_AVAILABLE.value,
                                  f"no figure for {_term_name(term)} in this period")
            continue
        used.append(figure)
        period = period or period_label(figure.period)
        if figure.value is None:
            missing = missing or (figure.missing or Missing.NOT_AVAILABLE.value,
                                  f"{_meaning(figure.missing)} ({_term_name(term)})")
        else:
            total += figure.value * term.factor
    value: float | None = None if missing else total * indicator.scale
    if denominator is not None and missing is None:
        shift = _year_shift(catalogue, numerator[0], denominator)
        base = index.get(term_series(denominator), {}).get(subject, {}).get(year + shift)
        if base is None:
            missing = (Missing.NOT_AVAILABLE.value,
                       f"no figure for {_term_name(denominator)} for {year + shift}")
        else:
            used.append(base)
            if base.value is None:
                missing = (base.missing or Missing.NOT_AVAILABLE.value,
                           f"{_meaning(base.missing)} ({_term_name(denominator)})")
            elif base.value * denominator.factor == 0:
                missing = (Missing.NOT_APPLICABLE.value, "the denominator is zero")
            else:
                value = total * indicator.scale / (base.value * denominator.factor)
    return IndicatorValue(
        indicator=indicator.key, subject=subject, urn=urn, year=year, period=period,
        value=None if missing else value, missing=missing[0] if missing else None,
        missing_note=missing[1] if missing else None,
        sources=tuple(figure.source() for figure in used))


def _term_name(term: Term) -> str:
    filters = ", ".join(term.filters.values())
    return f"{term.dataset} {term.indicator}" + (f" ({filters})" if filters else "")


def _meaning(symbol: str | None) -> str:
    try:
        return Missing(symbol or "x").meaning
    except ValueError:
        return "not available"
