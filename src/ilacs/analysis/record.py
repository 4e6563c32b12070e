"""The record as analysis sees it: inspections, visits, improvement points and strengths, with
the register.

Analyses are pure functions of an `AnalysisRecord`, so tests build small records by hand and
the CLI and web app load the real one from the store once.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TypeVar, cast

from ilacs.analysis.statistics import StatisticsRecord, empty_statistics, load_statistics_record
from ilacs.reference.register import Authority, Register, UnknownAuthority, load_register
from ilacs.store.points import PointRow, all_points
from ilacs.store.queries import all_inspections
from ilacs.store.rows import InspectionRow
from ilacs.store.story import VisitRow, all_visits
from ilacs.store.strengths import StrengthRow, all_strengths

_T = TypeVar("_T")


@dataclass(frozen=True)
class AnalysisRecord:
    register: Register
    inspections: tuple[InspectionRow, ...]
    visits: tuple[VisitRow, ...] = ()
    points: tuple[PointRow, ...] = ()
    statistics: StatisticsRecord = field(default_factory=empty_statistics)
    strengths: tuple[StrengthRow, ...] = ()
    _derived: dict[object, object] = field(default_factory=dict, init=False, repr=False,
                                           compare=False)

    def derived(self, key: object, compute: Callable[[], _T]) -> _T:
        """`compute()` once per record for `key`: what an analysis works out from the whole
        record and reads again for each authority (every authority's current grade, say). Two
        threads asking at once may both compute it; the record never changes, so they agree."""
        if key not in self._derived:
            self._derived[key] = compute()
        return cast(_T, self._derived[key])

    @cached_property
    def inspections_by_urn(self) -> Mapping[int, tuple[InspectionRow, ...]]:
        """Each authority's dated full inspections, oldest first."""
        grouped: dict[int, list[InspectionRow]] = defaultdict(list)
        for row in self.inspections:
            if row.urn is not None and row.date is not None:
                grouped[row.urn].append(row)
        return {urn: tuple(sorted(rows, key=_inspection_order)) for urn, rows in grouped.items()}

    @cached_property
    def visits_by_urn(self) -> Mapping[int, tuple[VisitRow, ...]]:
        grouped: dict[int, list[VisitRow]] = defaultdict(list)
        for row in self.visits:
            if row.urn is not None and row.date is not None:
                grouped[row.urn].append(row)
        return {urn: tuple(sorted(rows, key=lambda v: v.date or "")) for urn, rows in
                grouped.items()}

    @cached_property
    def strengths_by_inspection(self) -> Mapping[int, tuple[StrengthRow, ...]]:
        """Each inspection's strengths, in the report's order."""
        grouped: dict[int, list[StrengthRow]] = defaultdict(list)
        for strength in self.strengths:
            grouped[strength.inspection_id].append(strength)
        return {key: tuple(rows) for key, rows in grouped.items()}

    @cached_property
    def as_of(self) -> date | None:
        """The latest date the record knows of: its horizon for "still inadequate" and "due"."""
        dates = [d for row in self.inspections for d in (row.inspection_end, row.date,
                                                          row.publication_date) if d]
        dates += [date.fromisoformat(d) for v in self.visits
                  for d in (v.visit_end, v.date, v.publication_date) if d]
        dates += [point.date for point in self.points if point.date]
        return max(dates, default=None)

    def authority(self, urn: int) -> Authority | None:
        """The registered authority with this URN (None for a URN the register lacks)."""
        try:
            return self.register.by_urn(urn)
        except UnknownAuthority:
            return None

    def latest_inspection(self, urn: int, on: date | None = None) -> InspectionRow | None:
        """The authority's latest full inspection (on or before `on`, if given)."""
        rows = [row for row in self.inspections_by_urn.get(urn, ())
                if on is None or (row.date is not None and row.date <= on)]
        return rows[-1] if rows else None


def _inspection_order(row: InspectionRow) -> tuple[date, int]:
    assert row.date is not None
    return row.date, row.id


def load_record(conn: sqlite3.Connection, register: Register | None = None) -> AnalysisRecord:
    return AnalysisRecord(
        register=register or load_register(),
        inspections=tuple(all_inspections(conn)),
        visits=tuple(all_visits(conn)),
        points=tuple(all_points(conn)),
        strengths=tuple(all_strengths(conn)),
        statistics=load_statistics_record(conn),
    )
