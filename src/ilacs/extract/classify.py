"""Which kind of document a read document is, so the right extractor reads it."""

from __future__ import annotations

from enum import StrEnum

from ilacs.documents import Document
from ilacs.errors import Problem, ProblemKind
from ilacs.extract.letters import extract_letter, letter_kind
from ilacs.extract.models import Extraction
from ilacs.extract.report import extract_report, looks_like_report
from ilacs.extract.text import document_lines


class Kind(StrEnum):
    INSPECTION_REPORT = "inspection_report"
    LETTER = "letter"
    OTHER = "other"


def extract_document(document: Document) -> tuple[Kind, Extraction]:
    """Extract whatever the document is; a document of no known kind is kept as 'other' with a
    problem saying so, never forced into a kind."""
    lines = document_lines(document)
    if letter_kind(lines) is not None:
        letter, problems = extract_letter(document)
        return Kind.LETTER, Extraction(None, tuple(problems), letter)
    if looks_like_report(lines):
        return Kind.INSPECTION_REPORT, extract_report(document)
    problem = Problem(
        ProblemKind.UNKNOWN_DOCUMENT,
        "not recognised as an Ofsted inspection report or visit letter (no report title or "
        "letter heading found); stored as 'other' with its text, which stays searchable",
        document.path,
        page=1,
    )
    return Kind.OTHER, Extraction(None, (problem,))
