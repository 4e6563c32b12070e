"""The national picture over time: grade distributions, transitions and time to improve.

Rules, stated once:
- An inspection belongs to the calendar year of its first day on site (publication date
  where the dates were not found) and to the framework era it was carried out under.
- A transition is a pair of consecutive full inspections of the *same* authority (same URN)
  that both graded the judgement. A successor authority inherits no grades, so a
  predecessor's last inspection and its successor's first are never paired here; use
  `lineage_history` to show them together, labelled.
- Time out of inadequate runs from the first day on site of an inspection judged inadequate
  (the first of a run of inadequate judgements) to the first day on site of the next
  inspection that was not; an authority still inadequate at its latest inspection is counted
  as "not yet out", with the time so far to the record's horizon.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ilacs.analysis.grades import (
    FRAMEWORK_ERAS,
    GRADE_ORDER,
    check_judgement,
    count_grades,
    judgement_grade,
)
from ilacs.analysis.record import AnalysisRecord
from ilacs.extract.models import Grade
from ilacs.reference.register import Authority
from ilacs.store.rows import InspectionRow


@dataclass(frozen=True)
class Distribution:
    period: str  # a year, a framework id, or a region's name
    counts: Mapping[Grade, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def shares(self) -> dict[Grade, float]:
        total = self.total
        return {g: round(100 * n / total, 1) if total else 0.0 for g, n in self.counts.items()}


@dataclass(frozen=True)
class Transition:
    urn: int
    before: InspectionRow
    after: InspectionRow
    from_grade: Grade
    to_grade: Grade


@dataclass(frozen=True)
class TransitionMatrix:
    judgement: str
    transitions: tuple[Transition, ...]

    def count(self, from_grade: Grade, to_grade: Grade) -> int:
        return sum(t.from_grade is from_grade and t.to_grade is to_grade
                   for t in self.transitions)

    @property
    def grades(self) -> tuple[Grade, ...]:
        seen = {t.from_grade for t in self.transitions} | {t.to_grade for t in self.transitions}
        return tuple(g for g in GRADE_ORDER if g in seen)


@dataclass(frozen=True)
class InadequateSpell:
    urn: int
    name: str
    start: date  # first day on site of the inspection judged inadequate
    end: date | None  # first day on site of the next inspection not judged inadequate
    months: float  # to `end`, or to the record's horizon when still inadequate
    out: bool
    monitoring_visits: int  # monitoring visits during the spell
    region: str


@dataclass(frozen=True)
class HistoryEntry:
    urn: int
    name: str
    inherited: bool  # True: the inspection is of a predecessor, shown for its history only
    inspection: InspectionRow


def _year(row: InspectionRow) -> str:
    assert row.date is not None
    return str(row.date.year)


def _era(row: InspectionRow) -> str:
    return row.framework or "unknown"


MONTH_DAYS = 30.4375  # the mean Gregorian month
_ERA_POSITION = {era: n for n, era in enumerate(FRAMEWORK_ERAS)}

PERIODS: Mapping[str, Callable[[InspectionRow], str]] = {"year": _year, "era": _era}


def grade_distribution(record: AnalysisRecord, judgement: str = "overall_effectiveness",
                       by: str = "year", region: str | None = None) -> list[Distribution]:
    """How many inspections gave each grade, per year or framework era (all inspections)."""
    check_judgement(judgement)
    period_of = PERIODS[by]
    grades: dict[str, list[Grade]] = defaultdict(list)
    for urn, rows in record.inspections_by_urn.items():
        if region and not _in_region(record, urn, region):
            continue
        for row in rows:
            found = judgement_grade(row, judgement)
            if found:
                grades[period_of(row)].append(found[0])
    order = (lambda p: _ERA_POSITION.get(p, 99)) if by == "era" else (lambda p: p)
    return [Distribution(period, count_grades(grades[period]))
            for period in sorted(grades, key=order)]


def latest_by_region(record: AnalysisRecord,
                     judgement: str = "overall_effectiveness") -> list[Distribution]:
    """Each region's current grades (every active authority's latest full inspection)."""
    check_judgement(judgement)
    grades: dict[str, list[Grade]] = defaultdict(list)
    for authority in record.register.all():
        latest = record.latest_inspection(authority.urn)
        found = judgement_grade(latest, judgement) if latest else None
        if found:
            grades[authority.region_name].append(found[0])
    return [Distribution(region, count_grades(grades[region])) for region in sorted(grades)]


def grade_report(record: AnalysisRecord, judgement: str = "overall_effectiveness",
                 by: str = "year", region: str | None = None) -> list[Distribution]:
    """`ilacs analyse grades`: per year or era (every inspection), or each region's current
    grades (by='region')."""
    if by == "region":
        return latest_by_region(record, judgement)
    return grade_distribution(record, judgement, by, region)


def transitions_summary(record: AnalysisRecord, judgement: str = "overall_effectiveness",
                        frameworks: Iterable[str] | None = None) -> dict[str, Any]:
    """`ilacs analyse transitions`: the matrix as counts, from grade to grade."""
    matrix = transitions(record, judgement, frameworks)
    return {"judgement": judgement, "pairs": len(matrix.transitions), "matrix": {
        a.value: {b.value: matrix.count(a, b) for b in matrix.grades} for a in matrix.grades}}


def transitions(record: AnalysisRecord, judgement: str = "overall_effectiveness",
                frameworks: Iterable[str] | None = None) -> TransitionMatrix:
    """Every pair of consecutive graded inspections of the same authority.

    `frameworks` limits pairs to those whose later inspection is under one of them.
    """
    check_judgement(judgement)
    allowed = set(frameworks) if frameworks else None
    found: list[Transition] = []
    for urn, rows in sorted(record.inspections_by_urn.items()):
        graded = [(row, g[0]) for row in rows if (g := judgement_grade(row, judgement))]
        for (before, g1), (after, g2) in zip(graded, graded[1:], strict=False):
            if allowed is None or after.framework in allowed:
                found.append(Transition(urn, before, after, g1, g2))
    return TransitionMatrix(judgement, tuple(found))


def inadequate_spells(record: AnalysisRecord,
                      judgement: str = "overall_effectiveness") -> list[InadequateSpell]:
    """Every run of inadequate judgements, with how long it took to leave it."""
    check_judgement(judgement)
    horizon = record.as_of
    spells: list[InadequateSpell] = []
    for urn, rows in sorted(record.inspections_by_urn.items()):
        authority = record.authority(urn)
        start: date | None = None
        for row in rows:
            found = judgement_grade(row, judgement)
            if found is None or row.date is None:
                continue
            if found[0] is Grade.INADEQUATE and start is None:
                start = row.date
            elif found[0] is not Grade.INADEQUATE and start is not None:
                spells.append(_spell(record, urn, authority, start, row.date))
                start = None
        if start is not None and horizon is not None:
            spells.append(_spell(record, urn, authority, start, None, horizon))
    return spells


def median_months_out(spells: Iterable[InadequateSpell]) -> float | None:
    """The median time out of inadequate over spells that ended (completed spells only)."""
    months = [spell.months for spell in spells if spell.out]
    return round(statistics.median(months), 1) if months else None


def lineage_history(record: AnalysisRecord, urn: int) -> list[HistoryEntry]:
    """The authority's full inspections after its predecessors', oldest first.

    A predecessor's inspections are marked `inherited`: they are history, not grades of
    the successor (which has none until it is inspected itself).
    """
    authority = record.register.by_urn(urn)
    entries: list[HistoryEntry] = []
    for predecessor in _ancestors(authority, record):
        entries.extend(HistoryEntry(predecessor.urn, predecessor.name, True, row)
                       for row in record.inspections_by_urn.get(predecessor.urn, ()))
    entries.extend(HistoryEntry(urn, authority.name, False, row)
                   for row in record.inspections_by_urn.get(urn, ()))
    return sorted(entries, key=lambda e: (e.inspection.date or date.min, e.inherited is False))


def _ancestors(authority: Authority, record: AnalysisRecord) -> list[Authority]:
    seen: list[Authority] = []
    queue = list(record.register.predecessors(authority.urn))
    while queue:
        current = queue.pop(0)
        if all(current.urn != a.urn for a in seen):
            seen.append(current)
            queue.extend(record.register.predecessors(current.urn))
    return seen


def _spell(record: AnalysisRecord, urn: int, authority: Authority | None, start: date,
           end: date | None, horizon: date | None = None) -> InadequateSpell:
    until = end or horizon
    assert until is not None
    # A spell still open runs to the horizon inclusive: the visit that set it counts.
    visits = sum(1 for v in record.visits_by_urn.get(urn, ())
                 if v.kind == "monitoring_visit" and v.date and start.isoformat() < v.date
                 and (v.date < until.isoformat() or (end is None and v.date == until.isoformat())))
    return InadequateSpell(
        urn=urn, name=authority.name if authority else str(urn), start=start, end=end,
        months=months_between(start, until), out=end is not None, monitoring_visits=visits,
        region=authority.region_name if authority else "",
    )


def months_between(start: date, end: date) -> float:
    """Calendar months between two dates, to one decimal."""
    return round((end - start).days / MONTH_DAYS, 1)


def _in_region(record: AnalysisRecord, urn: int, region: str) -> bool:
    authority = record.authority(urn)
    return authority is not None and region.casefold() in (
        authority.region_name.casefold(), authority.region_code.casefold())
