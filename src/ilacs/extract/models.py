"""The facts extraction returns, each with the page it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ilacs.errors import Problem


class Grade(StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    ADEQUATE = "adequate"  # pre-2013 four-point scale only
    INADEQUATE = "inadequate"


class InspectionType(StrEnum):
    STANDARD = "standard"
    SHORT = "short"


class TypeBasis(StrEnum):
    """How the standard/short type was decided."""

    STATED = "stated"
    ON_SITE_LENGTH = "on_site_length"


class DateSource(StrEnum):
    DOCUMENT = "document"
    FILE_NAME = "file_name"


@dataclass(frozen=True)
class Judgement:
    key: str  # normalised, e.g. "help_and_protection"
    grade: Grade
    page: int
    printed: str  # the judgement's wording as printed, for provenance


@dataclass(frozen=True)
class ImprovementItem:
    text: str
    outcome: int | None
    tag: str | None
    page: int
    section: str = "what_needs_to_improve"  # or "priority_action" / "areas_for_improvement"


@dataclass(frozen=True)
class InspectionReport:
    """A full inspection report of an LA's children's services."""

    la_name: str | None
    urn: int | None
    framework: str | None
    inspection_type: InspectionType | None
    inspection_type_basis: TypeBasis | None
    inspection_start: date | None
    inspection_end: date | None
    publication_date: date | None
    publication_date_source: DateSource | None
    lead_inspector: str | None
    judgements: tuple[Judgement, ...]
    improvement_items: tuple[ImprovementItem, ...]
    field_pages: Mapping[str, int] = field(default_factory=dict)

    def grade_of(self, key: str) -> Grade | None:
        return next((j.grade for j in self.judgements if j.key == key), None)


@dataclass(frozen=True)
class VisitLetter:
    """A focused-visit, monitoring-visit or JTAI letter."""

    kind: str
    la_name: str | None
    urn: int | None
    publication_date: date | None
    letter_date: date | None
    visit_start: date | None
    visit_end: date | None
    inspectors: tuple[str, ...]
    lead_inspector: str | None
    focus: str | None
    improvement_items: tuple[ImprovementItem, ...]
    priority_actions: tuple[ImprovementItem, ...]
    monitoring_visit_number: int | None = None
    field_pages: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Extraction:
    """What extraction made of one document: the facts (None if nothing usable) and problems."""

    report: InspectionReport | None
    problems: tuple[Problem, ...] = ()
    letter: VisitLetter | None = None
