"""Factories that build the small world the store and export tests need, with no mocks.

`make_report(grade="good")` builds a real InspectionReport, `make_document(...)` a real
Document whose sha256 is the hash of its text, `make_authority(...)` a frozen register entry,
and `fresh_store(tmp_path)` a migrated SQLite file. Shared by tests/test_store_*.py and
tests/test_export_*.py (imported by module name: pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ilacs.documents import Document, MediaType, Page
from ilacs.errors import Problem, ProblemKind, Severity
from ilacs.extract.classify import with_themes
from ilacs.extract.models import (
    DateSource,
    Extraction,
    Grade,
    ImprovementPoint,
    InspectionReport,
    InspectionType,
    Judgement,
    Strength,
    TypeBasis,
)
from ilacs.store import DocumentKind, open_store, save_document

ILACS_2023_KEYS = (
    "impact_of_leaders",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "overall_effectiveness",
)
PARSER_VERSION = "test.1"


def fresh_store(tmp_path: Path) -> sqlite3.Connection:
    """An empty, migrated store in a real file."""
    return open_store(tmp_path / "store" / "ilacs.db")


def make_document(
    *pages: str,
    path: str = "reports/80419_isle_of_wight/report_2023-04-20.pdf",
    sha256: str | None = None,
) -> Document:
    texts = pages or (
        "Isle of Wight\nInspection of children's social care services\n"
        "Inspection dates: 6 to 17 March 2023",
        "What needs to improve?\nThe timeliness of assessments for children in need.",
    )
    digest = sha256 or hashlib.sha256("\f".join(texts).encode()).hexdigest()
    return Document(
        path=path,
        sha256=digest,
        size=sum(len(text) for text in texts),
        media_type=MediaType.PDF,
        pages=tuple(Page(number, text) for number, text in enumerate(texts, start=1)),
    )


def make_report(
    grade: str = "good",
    urn: int | None = 80419,
    la_name: str = "Isle of Wight",
    start: date | None = date(2023, 3, 6),
    end: date | None = date(2023, 3, 17),
    published: date | None = date(2023, 4, 20),
    keys: tuple[str, ...] = ILACS_2023_KEYS,
    items: tuple[str, ...] = (
        "The timeliness of assessments for children in need.",
        "The quality of plans. (outcome 1, national framework)",
    ),
    lead_inspector: str | None = "Jane Example",
    framework: str = "ilacs_2023",
    strengths: tuple[str, ...] = (),
) -> InspectionReport:
    """A full ILACS report graded `grade` on every judgement."""
    return InspectionReport(
        la_name=la_name,
        urn=urn,
        framework=framework,
        inspection_type=InspectionType.STANDARD,
        inspection_type_basis=TypeBasis.ON_SITE_LENGTH,
        inspection_start=start,
        inspection_end=end,
        publication_date=published,
        publication_date_source=DateSource.DOCUMENT,
        lead_inspector=lead_inspector,
        judgements=tuple(
            Judgement(key, Grade(grade), 1, f"{key.replace('_', ' ')}: {grade}") for key in keys
        ),
        improvement_items=tuple(
            ImprovementPoint(
                text=text,
                outcome=1 if "outcome 1" in text else None,
                tag="(outcome 1, national framework)" if "outcome 1" in text else None,
                page=2,
            )
            for text in items
        ),
        field_pages={"inspection_dates": 1, "lead_inspector": 2},
        strengths=tuple(Strength(text, 1, "summary") for text in strengths),
    )


def make_problem(
    path: str = "reports/80419_isle_of_wight/report_2023-04-20.pdf",
    kind: ProblemKind = ProblemKind.MISSING_FIELD,
    message: str = "no lead inspector found",
    severity: Severity = Severity.WARNING,
    page: int | None = None,
) -> Problem:
    return Problem(kind=kind, message=message, path=path, page=page, severity=severity)


def save_report(
    conn: sqlite3.Connection,
    report: InspectionReport | None = None,
    document: Document | None = None,
    problems: tuple[Problem, ...] = (),
    parser_version: str = PARSER_VERSION,
) -> Document:
    """Save a report the way ingest does (themes and all); return the document saved."""
    document = document or make_document()
    save_document(
        conn,
        document,
        # themes are decided at extraction, as `extract_document` does
        with_themes(Extraction(report if report is not None else make_report(), problems)),
        parser_version,
        DocumentKind.INSPECTION_REPORT,
    )
    return document


@dataclass(frozen=True)
class Authority:
    """Shaped like ilacs.reference.Authority, which the store takes as an argument."""

    urn: int
    la_code: str
    ons_code: str
    name: str
    slug: str
    region_code: str | None = "SE"
    region_name: str | None = "South East"
    la_type: str | None = "Unitary Authority"
    population: int | None = 30000
    active: bool = True


ISLE_OF_WIGHT = Authority(80419, "921", "E06000046", "Isle of Wight", "isle-of-wight")
ISLES_OF_SCILLY = Authority(
    80420, "420", "E06000053", "Isles of Scilly", "isles-of-scilly", population=500
)
ISLINGTON = Authority(
    80471, "206", "E09000019", "Islington", "islington", "L", "London", "London Borough", 60000
)
NORTHAMPTONSHIRE = Authority(
    80519, "928", "E10000021", "Northamptonshire", "northamptonshire", "EM", "East Midlands",
    "County", 200000, active=False,
)
REGISTER = (ISLE_OF_WIGHT, ISLES_OF_SCILLY, ISLINGTON, NORTHAMPTONSHIRE)
