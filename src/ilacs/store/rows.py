"""What the store returns: typed, frozen rows, never sqlite3.Row or dicts.

These are the stored shapes (with ids, document paths, provenance pages); the extraction
models in `ilacs.extract.models` are what goes in. Keeping them apart lets the schema carry
things extraction does not know (origin, ids) and lets readers rely on enums and dates
instead of the text SQLite holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from ilacs.errors import Problem, ProblemKind, Severity
from ilacs.extract.models import DateSource, Grade, InspectionType, TypeBasis
from ilacs.extract.models import DocumentKind as DocumentKind  # the kind the store keeps


class Origin(StrEnum):
    INGESTED = "ingested"  # read from a file here: page text and every fact
    BUNDLED = "bundled"  # loaded from the shipped record: facts only, no page text


class StoredVersion(NamedTuple):
    """How a stored document got here, so ingest knows whether to (re)read it."""

    origin: Origin
    parser_version: str


@dataclass(frozen=True)
class JudgementRow:
    key: str
    grade: Grade
    page: int | None
    printed: str | None  # None for bundled rows: the record ships facts, not report wording


@dataclass(frozen=True)
class InspectionRow:
    id: int
    document_sha256: str
    document_path: str
    urn: int | None
    la_name_printed: str | None
    framework: str | None
    inspection_type: InspectionType | None
    inspection_type_basis: TypeBasis | None
    inspection_start: date | None
    inspection_end: date | None
    publication_date: date | None
    publication_date_source: DateSource | None
    lead_inspector: str | None
    improvement_item_count: int
    field_pages: Mapping[str, int] = field(default_factory=dict)
    judgements: tuple[JudgementRow, ...] = ()

    @property
    def date(self) -> date | None:
        """The date that orders inspections: when inspectors were on site, else publication."""
        return self.inspection_start or self.publication_date

    def grade_of(self, key: str) -> Grade | None:
        return next((j.grade for j in self.judgements if j.key == key), None)


@dataclass(frozen=True)
class AuthorityRow:
    urn: int
    la_code: str
    ons_code: str
    name: str
    slug: str
    region_code: str | None
    region_name: str | None
    la_type: str | None
    population: int | None
    active: bool


@dataclass(frozen=True)
class LatestRow:
    """One authority and its most recent full inspection (None if never inspected).

    `authority` is None only for an inspected URN missing from the register, so that no
    inspection disappears from the table; `la_name` then falls back to the printed name.
    """

    urn: int
    la_name: str | None
    authority: AuthorityRow | None
    inspection: InspectionRow | None


@dataclass(frozen=True)
class SearchHit:
    """A page matching a full-text search; `snippet` is HTML (text escaped, matches in <mark>)."""

    document_sha256: str
    path: str
    kind: DocumentKind
    page: int
    snippet: str
    urn: int | None
    la_name: str | None
    publication_date: date | None


@dataclass(frozen=True)
class ProblemRow:
    id: int
    document_sha256: str | None
    path: str
    kind: ProblemKind
    severity: Severity
    message: str
    page: int | None
    field: str | None
    snippet: str | None
    parser_version: str | None
    recorded_at: str
    row: int | None = None

    def to_problem(self) -> Problem:
        return Problem(
            kind=self.kind,
            message=self.message,
            path=self.path,
            page=self.page,
            field=self.field,
            snippet=self.snippet,
            severity=self.severity,
            row=self.row,
        )


@dataclass(frozen=True)
class StoreSummary:
    """Counts for the CLI summary and the status page."""

    documents_by_kind: Mapping[str, int]
    documents_by_origin: Mapping[str, int]
    inspections: int
    judgements: int
    report_points: int  # inspection reports' improvement points whose text is held
    points_themed_only: int  # points known by their themes and page alone (bundled record)
    problems_by_severity: Mapping[str, int]
    authorities: int
    authorities_covered: int  # authorities in the register with at least one inspection

    @property
    def documents(self) -> int:
        return sum(self.documents_by_kind.values())

    @property
    def problems(self) -> int:
        return sum(self.problems_by_severity.values())
