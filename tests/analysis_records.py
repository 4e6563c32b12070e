"""Small hand-built records for analysis tests: real register, invented inspections."""

from __future__ import annotations

from datetime import date, timedelta

from ilacs.analysis.record import AnalysisRecord
from ilacs.analysis.statistics import statistics_record
from ilacs.extract.models import Grade, InspectionType
from ilacs.extract.theme_model import packaged_model
from ilacs.extract.themes import ThemeMatch
from ilacs.reference import load_register
from ilacs.statistics.model import IndicatorValue
from ilacs.store.points import PointRow
from ilacs.store.rows import InspectionRow, JudgementRow
from ilacs.store.story import VisitRow

REGISTER = load_register()


def urn_of(name: str) -> int:
    found = REGISTER.match(name)
    assert found is not None, name
    return found.urn


def inspection(id: int, urn: int, start: str, framework: str = "ilacs_2018",
               **grades: str) -> InspectionRow:
    first = date.fromisoformat(start)
    return InspectionRow(
        id=id, document_sha256=f"{id:064d}", document_path=f"{urn}/inspection-{start}.pdf",
        urn=urn, la_name_printed=None, framework=framework,
        inspection_type=InspectionType.STANDARD,
        inspection_type_basis=None, inspection_start=first,
        inspection_end=first + timedelta(days=11), publication_date=None,
        publication_date_source=None, lead_inspector=None, improvement_item_count=0,
        judgements=tuple(JudgementRow(key, Grade(value), 2, None)
                         for key, value in grades.items()),
    )


def visit(urn: int, start: str, kind: str = "monitoring_visit") -> VisitRow:
    return VisitRow(kind=kind, visit_start=start, visit_end=start, publication_date=None,
                    inspectors=(), lead_inspector=None, focus=None, focus_theme=None,
                    monitoring_visit_number=None, points=(),
                    improvement_item_count=0, priority_action_count=0,
                    document_path=f"{urn}/visit-{start}.pdf", urn=urn)


def item(urn: int, event_id: int, when: str, number: int, text: str,
         event: str = "inspection", themes: tuple[str, ...] | None = None) -> PointRow:
    """A point; with `themes`, stored as the current classifier filed them (the analyses read
    stored themes), else classified from `text` when read."""
    return PointRow(urn=urn, event=event, event_id=event_id, start=date.fromisoformat(when),
                    published=None, framework=None, document_path=f"{urn}/{event}-{when}.pdf",
                    number=number, position=number, section="what_needs_to_improve", text=text,
                    outcome=None, tag=None, page=3,
                    themes=None if themes is None else tuple(
                        ThemeMatch(key, text) for key in themes),
                    themes_confident=None if themes is None else True,
                    theme_model=None if themes is None else packaged_model().version)


def figure(indicator: str, urn: int | None, year: int, value: float | None,
           missing: str | None = None) -> IndicatorValue:
    """A headline value of an authority (or England, for urn None)."""
    subject = "england" if urn is None else f"la:{urn}"
    return IndicatorValue(indicator, subject, urn, year, str(year), value,
                          None if value is not None else (missing or "x"), None, ())


def record(inspections: list[InspectionRow], visits: list[VisitRow] | None = None,
           points: list[PointRow] | None = None,
           figures: list[IndicatorValue] | None = None) -> AnalysisRecord:
    return AnalysisRecord(REGISTER, tuple(inspections), tuple(visits or ()), tuple(points or ()),
                          statistics_record(figures or ()))
