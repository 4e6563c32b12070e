"""Comparing authorities: several side by side, or one with its neighbours, region and England."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from ilacs.analysis.benchmark import benchmark
from ilacs.analysis.grades import JUDGEMENT_NAMES
from ilacs.analysis.indicators import indicator_view
from ilacs.errors import AnalysisError
from ilacs.web import urls
from ilacs.web.pages.authority import NEIGHBOUR_MODEL
from ilacs.web.pages.common import (
    AuthorityRef,
    BadParameter,
    Distribution,
    GradeCell,
    Option,
    authority_ref,
    authority_refs,
    distribution,
    grade_cells,
    judgement_options,
)
from ilacs.web.pages.grade_tables import GradeTableRow, grade_table_csv
from ilacs.web.snapshot import Snapshot

MAX_AUTHORITIES = 20


@dataclass(frozen=True)
class CompareRow:
    authority: AuthorityRef
    role: str  # "chosen", or "neighbour 3" for the third most similar
    inspected: date | None
    grades: tuple[GradeCell, ...]


@dataclass(frozen=True)
class GroupRow:
    """The grades of a group of authorities (neighbours, a region, England) for each judgement."""

    label: str
    distributions: tuple[Distribution, ...]  # in the order of `ComparePage.judgements`


@dataclass(frozen=True)
class IndicatorValue:
    value: float | None
    missing: str | None  # the symbol in its place (c, x ...), or x when none was published
    england_rank: int | None  # 1 = best (or highest where the indicator has no direction)


@dataclass(frozen=True)
class IndicatorRow:
    """One headline indicator's latest figures for every authority compared, and England."""

    key: str
    label: str
    unit: str
    direction: str
    period: str
    url: str
    values: tuple[IndicatorValue, ...]  # in the order of `ComparePage.figures_of`
    neighbours_median: float | None  # of the first authority's neighbours (with=neighbours)
    england: float | None


@dataclass(frozen=True)
class ComparePage:
    judgements: tuple[Option, ...]
    chosen: tuple[int, ...]
    with_neighbours: bool
    rows: tuple[CompareRow, ...]
    groups: tuple[GroupRow, ...]  # each chosen authority's neighbours and region, then England
    choices: tuple[AuthorityRef, ...]  # every active authority, for the form
    indicators: tuple[IndicatorRow, ...] = ()  # official figures of the authorities chosen
    figures_of: tuple[AuthorityRef, ...] = ()  # the authorities `indicators` has values for
    slots: int = 4  # authorities the form offers: every one chosen, and one more
    csv_url: str | None = None  # the grades table, as CSV


def parse_urns(snapshot: Snapshot, values: Sequence[str]) -> tuple[int, ...]:
    urns: list[int] = []
    for value in values:
        for part in value.split(","):
            text = part.strip()
            if not text:
                continue
            if not text.isdigit() or snapshot.record.authority(int(text)) is None:
                raise BadParameter(f"la={text!r} is not the URN of a local authority (e.g. "
                                   "la=80419); each LA's URN is in its page address")
            if int(text) not in urns:
                urns.append(int(text))
    if len(urns) > MAX_AUTHORITIES:
        raise BadParameter(f"compare at most {MAX_AUTHORITIES} authorities at once")
    return tuple(urns)


def compare_page(snapshot: Snapshot, urns: tuple[int, ...], with_neighbours: bool) -> ComparePage:
    rows = [_row(snapshot, urn, "chosen") for urn in urns]
    groups: dict[str, GroupRow] = {}  # by label: two chosen authorities may share a region
    for index, urn in enumerate(urns):
        try:
            found = benchmark(snapshot.record, urn, NEIGHBOUR_MODEL)
        except AnalysisError:  # no neighbours: a predecessor authority, say
            continue
        if with_neighbours and index == 0:
            rows += [_row(snapshot, n.current.urn, f"neighbour {n.rank}")
                     for n in found.judgements[0].neighbours if n.current.urn not in urns]
        for position, label in enumerate(_group_labels(found.authority.name,
                                                       found.authority.region_name)):
            groups.setdefault(label, GroupRow(label, tuple(
                distribution(JUDGEMENT_NAMES[result.judgement],
                             result.standings[position].counts)
                for result in found.judgements)))
    england = groups.pop("England", None)
    return ComparePage(
        judgements=judgement_options(), chosen=urns, with_neighbours=with_neighbours,
        rows=tuple(rows), groups=(*groups.values(), *([england] if england else [])),
        choices=authority_refs(snapshot),
        indicators=_indicators(snapshot, urns, with_neighbours),
        figures_of=tuple(authority_ref(snapshot.record.register.by_urn(urn)) for urn in urns),
        slots=min(MAX_AUTHORITIES, max(4, len(urns) + 1)),
        csv_url=urls.compare_csv(urns, with_neighbours) if rows else None,
    )


def compare_csv(snapshot: Snapshot, urns: tuple[int, ...], with_neighbours: bool,
                base_url: str) -> str:
    """The grades table of a comparison: every authority compared and how it is shown."""
    page = compare_page(snapshot, urns, with_neighbours)
    return grade_table_csv(page.judgements, (
        GradeTableRow(row.authority, row.inspected, row.grades, row.role) for row in page.rows),
        base_url, shown_as=True)


def _indicators(snapshot: Snapshot, urns: Sequence[int],
                with_neighbours: bool) -> tuple[IndicatorRow, ...]:
    """Each indicator in the latest year most authorities have, for every authority chosen
    (and the first one's neighbours' median, when they are asked for)."""
    if not urns:
        return ()
    record = snapshot.record
    neighbours = [n.authority.urn for n in record.register.neighbours(urns[0], NEIGHBOUR_MODEL)
                  ] if with_neighbours else []
    found = []
    for indicator in record.statistics.indicators:
        view = snapshot.memo(("indicator-view", indicator.key),
                             partial(indicator_view, record, indicator.key))
        by_urn = {row.urn: row for row in view.authorities}
        values = []
        for urn in urns:
            row = by_urn.get(urn)  # None: a defunct authority, not ranked among current ones
            if row is None:
                values.append(IndicatorValue(None, "x", None))
            else:
                values.append(IndicatorValue(row.value, None if row.value is not None else
                                             row.missing or "x", row.rank))
        around = [row.value for urn in neighbours
                  if (row := by_urn.get(urn)) is not None and row.value is not None]
        found.append(IndicatorRow(indicator.key, indicator.label, indicator.unit,
                                  indicator.direction, view.period, urls.indicator(indicator.key),
                                  tuple(values), statistics.median(around) if around else None,
                                  view.england))
    return tuple(found)


def _group_labels(name: str, region: str) -> tuple[str, str, str]:
    # In the order `benchmark` gives standings: neighbours, region, England.
    return (f"{name}'s statistical neighbours ({NEIGHBOUR_MODEL})", region, "England")


def _row(snapshot: Snapshot, urn: int, role: str) -> CompareRow:
    authority = snapshot.record.register.by_urn(urn)
    latest = snapshot.record.latest_inspection(urn)
    return CompareRow(authority_ref(authority), role, latest.date if latest else None,
                      grade_cells(snapshot, latest))
