"""Which kind of document a read document is, so the right extractor reads it."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from ilacs.documents import Document, MediaType
from ilacs.errors import Problem, ProblemKind
from ilacs.extract.articles import extract_article, looks_like_article
from ilacs.extract.letters import extract_letter, letter_kind
from ilacs.extract.models import DocumentKind, Extraction, ImprovementPoint, Strength
from ilacs.extract.report import extract_report, looks_like_report
from ilacs.extract.text import document_lines
from ilacs.extract.theme_model import PointThemes, themes_of


def extract_document(document: Document,
                     source_url: str | None = None) -> tuple[DocumentKind, Extraction]:
    """Extract a document (see `_extract`) and file its improvement points and strengths
    under themes."""
    kind, extraction = _extract(document, source_url)
    return kind, with_themes(extraction)


def with_themes(extraction: Extraction) -> Extraction:
    """The extraction with the themes of every improvement point and strength, classified in
    one batch."""
    report, letter = extraction.report, extraction.letter
    lists: list[tuple[ImprovementPoint, ...]] = (
        [report.improvement_items, report.board_recommendations] if report else []) + (
        [letter.improvement_items, letter.priority_actions] if letter else [])
    strengths = report.strengths if report else ()
    texts = [item.text for items in lists for item in items] + [s.text for s in strengths]
    verdicts = iter(themes_of(texts))
    themed = [tuple(_themed(item, next(verdicts)) for item in items) for items in lists]
    if report:
        report = replace(report, improvement_items=themed[0], board_recommendations=themed[1],
                         strengths=tuple(_themed(s, next(verdicts)) for s in strengths))
        themed = themed[2:]
    if letter:
        letter = replace(letter, improvement_items=themed[0], priority_actions=themed[1])
    return replace(extraction, report=report, letter=letter)


_Classified = TypeVar("_Classified", ImprovementPoint, Strength)


def _themed(item: _Classified, verdict: PointThemes) -> _Classified:
    return replace(item, themes=verdict.matches, themes_confident=verdict.confident,
                   theme_model=verdict.model)


def _extract(document: Document, source_url: str | None) -> tuple[DocumentKind, Extraction]:
    """Extract whatever the document is: a letter, a report, or a news article or press
    release about an LA's children's services. A document of no known kind is kept as 'other'
    with a problem saying so, never forced into a kind."""
    lines = document_lines(document)
    if letter_kind(lines) is not None:
        letter, problems = extract_letter(document, lines)
        # a news page that reproduces a letter also says things of its own (the grade the
        # letter follows, say): its claims are the article's
        article = extract_article(document, source_url) \
            if document.media_type is not MediaType.PDF and looks_like_article(document) \
            else None
        return DocumentKind.LETTER, Extraction(None, tuple(problems), letter, article)
    if looks_like_report(lines):
        return DocumentKind.INSPECTION_REPORT, extract_report(document, lines)
    if document.media_type is not MediaType.PDF and looks_like_article(document):
        article = extract_article(document, source_url)
        return DocumentKind.NEWS, Extraction(None, (), article=article)
    problem = Problem(
        ProblemKind.UNKNOWN_DOCUMENT,
        "not recognised as an Ofsted inspection report, visit letter or news article about an "
        "LA's children's services (no report title, letter heading, or council named with "
        "Ofsted or children's services); stored as 'other' with its text, which stays "
        "searchable",
        document.path,
        page=1,
    )
    return DocumentKind.OTHER, Extraction(None, (problem,))
