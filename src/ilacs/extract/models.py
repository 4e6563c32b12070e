"""The facts extraction returns, each with the page it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ilacs.errors import Problem
from ilacs.extract.themes import ThemeMatch


class DocumentKind(StrEnum):
    """What a document is, as extraction decides it and the store keeps it."""

    INSPECTION_REPORT = "inspection_report"
    LETTER = "letter"
    NEWS = "news"
    OTHER = "other"
    UNREADABLE = "unreadable"  # no text could be read: stored with its problem only


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
class ImprovementPoint:
    text: str
    outcome: int | None
    tag: str | None
    page: int
    section: str = "what_needs_to_improve"  # or "priority_action" / "areas_for_improvement"
    # Practice themes from the shipped classifier (set by `extract_document`), its version,
    # and whether it was confident of them.
    themes: tuple[ThemeMatch, ...] = ()
    themes_confident: bool = True
    theme_model: str | None = None


@dataclass(frozen=True)
class Strength:
    """Something a report praises, from its strengths list or a sentence of its summary."""

    text: str
    page: int
    source: str  # "strengths_list" or "summary" (see ilacs.extract.strengths)
    themes: tuple[ThemeMatch, ...] = ()
    themes_confident: bool = True
    theme_model: str | None = None


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
    improvement_items: tuple[ImprovementPoint, ...]
    field_pages: Mapping[str, int] = field(default_factory=dict)
    # what the report asks of the local safeguarding children board (SIF): the board's
    # points, never the authority's (section "lscb")
    board_recommendations: tuple[ImprovementPoint, ...] = ()
    strengths: tuple[Strength, ...] = ()

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
    improvement_items: tuple[ImprovementPoint, ...]
    priority_actions: tuple[ImprovementPoint, ...]
    monitoring_visit_number: int | None = None
    field_pages: Mapping[str, int] = field(default_factory=dict)
    focus_theme: str | None = None  # key in ilacs.extract.visit_themes
    headline: str | None = None  # the first sentence under "Headline findings"


class ClaimKind(StrEnum):
    GRADE = "grade"  # "rated inadequate in December 2021"
    RATING_CHANGE = "rating_change"  # "from 'good' overall to 'outstanding'"
    INTERVENTION = "intervention"  # "a statutory direction ... had now been lifted"


ALL_JUDGEMENTS = "all"  # "good in every category", "inadequate across all domains"


@dataclass(frozen=True)
class Claim:
    """One thing an article asserts about an LA, with the sentence that asserts it."""

    kind: ClaimKind
    urn: int | None
    evidence: str
    judgement: str | None = None  # a judgement key, or ALL_JUDGEMENTS
    grade: Grade | None = None
    previous_grade: Grade | None = None
    intervention_type: str | None = None
    action: str | None = None
    partner_urn: int | None = None
    person: str | None = None  # the commissioner or adviser named
    when_printed: str | None = None  # "in December 2021", "last month", "today"
    when: date | None = None  # the first day of the period `when_printed` names
    when_precision: str | None = None  # day, month or year


@dataclass(frozen=True)
class Quote:
    speaker: str
    role: str | None
    text: str  # a short snippet: the opening words of what was said


@dataclass(frozen=True)
class NewsArticle:
    title: str | None
    source_url: str | None
    publication_date: date | None
    la_names: tuple[str, ...]
    urns: tuple[int, ...]  # the LAs it is about, main one first
    mentioned_urns: tuple[int, ...]  # LAs named only in passing
    visit_dates: tuple[date, ...]
    inspectors: tuple[str, ...]
    claims: tuple[Claim, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Extraction:
    """What extraction made of one document: the facts (None if nothing usable) and problems."""

    report: InspectionReport | None
    problems: tuple[Problem, ...] = ()
    letter: VisitLetter | None = None
    article: NewsArticle | None = None
