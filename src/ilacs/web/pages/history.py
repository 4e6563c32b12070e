"""An authority's grade history: its full inspections as table rows, and each judgement's
grades over time beside every grade its statistical neighbours were given, with the dates
a new framework began (a grade before one is not the same measure as a grade after it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ilacs.analysis.grades import BENCHMARK_JUDGEMENTS, JUDGEMENT_NAMES, judgement_grade
from ilacs.analysis.names import framework_name
from ilacs.extract.frameworks import load_frameworks
from ilacs.extract.models import Grade
from ilacs.store.rows import InspectionRow
from ilacs.web import urls
from ilacs.web.pages.common import (
    GradeCell,
    Source,
    authority_ref,
    grade_cells,
    judgement_options,
    source,
)
from ilacs.web.pages.grade_tables import GradeTableRow, grade_table_csv
from ilacs.web.snapshot import Snapshot


@dataclass(frozen=True)
class HistoryRow:
    """One full inspection of the authority."""

    date: date | None
    framework: str
    grades: tuple[GradeCell, ...]  # in the order of the benchmark judgements
    source: Source | None


@dataclass(frozen=True)
class GradeMark:
    date: date
    grade: Grade
    framework: str | None  # its id: grades under different frameworks are not one series


@dataclass(frozen=True)
class GradeSeries:
    """One judgement's grades over time: the authority's, and its neighbours' beside them."""

    judgement: str
    name: str
    own: tuple[GradeMark, ...]  # oldest first
    neighbours: tuple[GradeMark, ...]  # every graded full inspection of the neighbours
    neighbour_inspections: int  # how many of the neighbours' inspections gave this grade


@dataclass(frozen=True)
class FrameworkBreak:
    """The day a framework began: grades either side of it are not one series."""

    date: date
    framework: str


def framework_breaks(after: date, until: date) -> tuple[FrameworkBreak, ...]:
    """Each framework that started after `after`, up to `until`: where a series breaks."""
    return tuple(FrameworkBreak(framework.starts, framework.name)
                 for framework in load_frameworks()[1:] if after < framework.starts <= until)


@dataclass(frozen=True)
class GradeHistory:
    csv_url: str  # the grades of the charts, the authority's and its neighbours', as CSV
    rows: tuple[HistoryRow, ...]  # oldest first
    series: tuple[GradeSeries, ...]  # a judgement each, in the benchmark order
    breaks: tuple[FrameworkBreak, ...]
    start: date  # the span every series is drawn over
    end: date


def grade_history(snapshot: Snapshot, urn: int, neighbours: tuple[int, ...]) -> GradeHistory:
    own = snapshot.record.inspections_by_urn.get(urn, ())
    theirs = [row for neighbour in neighbours
              for row in snapshot.record.inspections_by_urn.get(neighbour, ())]
    rows = tuple(HistoryRow(row.date, framework_name(row.framework), grade_cells(snapshot, row),
                            source(snapshot, row.document_path, 1)) for row in own)
    series = []
    for judgement in BENCHMARK_JUDGEMENTS:
        marks = _marks(own, judgement)
        around = _marks(theirs, judgement)
        series.append(GradeSeries(judgement, JUDGEMENT_NAMES[judgement], marks, around,
                                  len(around)))
    dated = [row.date for row in (*own, *theirs) if row.date is not None]
    end = snapshot.record.as_of or max(dated, default=date.today())
    start = min(dated, default=end)
    start = date(start.year, 1, 1)
    return GradeHistory(urls.history_csv(urn), rows, tuple(series),
                        framework_breaks(start, end), start, end)


def history_csv(snapshot: Snapshot, urn: int, neighbours: Sequence[tuple[int, int]],
                base_url: str) -> str:
    """Every full inspection of the authority, then of each neighbour ((rank, URN), most
    similar first), each judgement's grade with the address of its report page."""
    register = snapshot.record.register
    shown = [(urn, "this authority"), *((other, f"neighbour {rank}")
                                         for rank, other in neighbours)]
    return grade_table_csv(judgement_options(), (
        GradeTableRow(authority_ref(register.by_urn(who)), row.date, grade_cells(snapshot, row),
                      role, framework_name(row.framework))
        for who, role in shown for row in snapshot.record.inspections_by_urn.get(who, ())),
        base_url, shown_as=True, framework=True)


def _marks(inspections: tuple[InspectionRow, ...] | list[InspectionRow],
           judgement: str) -> tuple[GradeMark, ...]:
    found = []
    for row in inspections:
        graded = judgement_grade(row, judgement)
        if graded is not None and row.date is not None:
            found.append(GradeMark(row.date, graded[0], row.framework))
    return tuple(sorted(found, key=lambda mark: mark.date))
