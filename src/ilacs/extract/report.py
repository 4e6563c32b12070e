"""Full inspection reports: from a read document to an InspectionReport with provenance."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

from ilacs.documents import Document
from ilacs.errors import Problem, ProblemKind, Severity
from ilacs.extract import judgements as judgement_layouts
from ilacs.extract.authority import resolve_authority
from ilacs.extract.dates import DateRange, date_from_file_name, parse_date, parse_date_blocks
from ilacs.extract.frameworks import Framework, load_frameworks
from ilacs.extract.improvements import extract_items, find_list_start
from ilacs.extract.inspectors import find_lead_inspector
from ilacs.extract.models import (
    DateSource,
    Extraction,
    ImprovementPoint,
    InspectionReport,
    InspectionType,
    Judgement,
    TypeBasis,
)
from ilacs.extract.strengths import report_strengths
from ilacs.extract.text import Line, document_lines
from ilacs.extract.title import find_authority_name, labelled_value

_DATES_LABEL = re.compile(r"^Inspection dates?\b\s*:?", re.IGNORECASE)
_PUBLISHED_LABEL = re.compile(r"^(?:Report )?published\s*:?", re.IGNORECASE)
_STATED_TYPE = re.compile(r"\bthis was an? (short|standard) inspection\b", re.IGNORECASE)
SHORT_INSPECTION_MAX_DAYS = 7


def looks_like_report(lines: Sequence[Line]) -> bool:
    """A report's title opens a line near the top ('Inspection of ... children's services',
    wrapped over up to three lines); the same words inside an article's sentence do not make
    it a report."""
    head = [line.text.casefold() for line in lines[:15]]
    return any(
        _TITLE_START.match(head[index]) and pattern.search(" ".join(head[index : index + 3]))
        for index in range(len(head))
        for framework in load_frameworks() for pattern in framework.title_patterns
    )


_TITLE_START = re.compile(r"^(?:re-?)?(?:inspection|review)\b")


def extract_report(document: Document, lines: Sequence[Line] | None = None) -> Extraction:
    """The report's facts; `lines` are the document's (`document_lines`) when already read."""
    lines = document_lines(document) if lines is None else lines
    problems: list[Problem] = []
    page_one = [line for line in lines if line.page == lines[0].page] if lines else []
    pages: dict[str, int] = {}

    la_name, la_page = find_authority_name(page_one)
    _note(pages, "la_name", la_page)
    resolution = resolve_authority(la_name, document.path, la_page)
    if resolution.problem is not None:
        problems.append(resolution.problem)
    framework, judgements = _judgements_and_framework(lines)
    blocks, dates_page = _inspection_dates(page_one)
    _note(pages, "inspection_dates", dates_page)
    publication, publication_source, publication_page = _publication_date(page_one, document.path)
    _note(pages, "publication_date", publication_page)
    lead, lead_page = find_lead_inspector(lines)
    _note(pages, "lead_inspector", lead_page)
    authority_inspected = _inspects_the_authority(page_one)
    items = _improvement_points(lines, framework) if framework and authority_inspected else []
    board = _board_recommendations(lines, framework, items, authority_inspected) \
        if framework else []
    strengths = report_strengths(lines, framework) if framework and authority_inspected else ()

    inspection_type, type_basis = _inspection_type(lines, framework, blocks)
    report = InspectionReport(
        la_name=la_name,
        urn=resolution.urn,
        framework=framework.id if framework else None,
        inspection_type=inspection_type,
        inspection_type_basis=type_basis,
        inspection_start=blocks[0].start if blocks else None,
        inspection_end=blocks[-1].end if blocks else None,
        publication_date=publication,
        publication_date_source=publication_source,
        lead_inspector=lead,
        judgements=tuple(judgements),
        improvement_items=tuple(items),
        field_pages=pages,
        board_recommendations=tuple(board),
        strengths=strengths,
    )
    problems.extend(_missing_fields(report, document.path))
    return Extraction(report, tuple(problems))


_BOARD_REVIEW_TITLE = re.compile(r"^Review of the effectiveness of the local safeguarding",
                                 re.IGNORECASE)
_AUTHORITY_TITLE = re.compile(r"^(?:Re-?inspection|Inspection) of", re.IGNORECASE)


def _inspects_the_authority(page_one: Sequence[Line]) -> bool:
    """A stand-alone review of a safeguarding children board (2015) makes recommendations to
    the board, not the local authority: they are not the authority's improvement items."""
    for line in page_one[:8]:
        if _AUTHORITY_TITLE.match(line.text):
            return True
        if _BOARD_REVIEW_TITLE.match(line.text):
            return False
    return True


def _note(pages: dict[str, int], field: str, page: int | None) -> None:
    if page is not None:
        pages[field] = page


def _judgements_and_framework(lines: Sequence[Line]) -> tuple[Framework | None, list[Judgement]]:
    """Try each layout; the framework is the one whose judgement set the document makes."""
    frameworks = load_frameworks()
    head = " ".join(line.text for line in lines[:15])
    by_layout: dict[str, list[Framework]] = {}
    for framework in frameworks:
        by_layout.setdefault(framework.layout, []).append(framework)
    for framework in by_layout.get("record_of_main_findings", []):
        if any(pattern.search(head) for pattern in framework.title_patterns):
            return framework, judgement_layouts.record_of_main_findings(lines, framework)
    table = by_layout.get("ilacs_table", [])
    found = judgement_layouts.ilacs_table(lines, table)
    if found:
        keys = {judgement.key for judgement in found}
        best = max(table, key=lambda f: (len(keys & set(f.judgement_keys))
                                         - len(set(f.required_judgements) - keys)))
        return best, found
    for framework in by_layout.get("sif_list", []):
        found = judgement_layouts.sif_list(lines, framework)
        if found or any(pattern.search(head) for pattern in framework.title_patterns):
            return framework, found
    return None, []


def _inspection_dates(page_one: Sequence[Line]) -> tuple[list[DateRange], int | None]:
    value = labelled_value(page_one, _DATES_LABEL)
    if value is None:
        return [], None
    text, page = value
    return parse_date_blocks(text), page


def _publication_date(page_one: Sequence[Line], path: str) -> tuple[date | None,
                                                                     DateSource | None, int | None]:
    """Ofsted's file names carry the date the report went on its website, which is what users
    mean by publication; the date printed in the report is the fallback (a day or two apart
    in a few reports)."""
    from_name = date_from_file_name(PurePath(path).name)
    if from_name is not None:
        return from_name, DateSource.FILE_NAME, None
    value = labelled_value(page_one, _PUBLISHED_LABEL, max_lines=1)
    if value is not None:
        stated = parse_date(value[0])
        if stated is not None:
            return stated, DateSource.DOCUMENT, value[1]
    return None, None, None


def _inspection_type(
    lines: Sequence[Line], framework: Framework | None, blocks: Sequence[DateRange]
) -> tuple[InspectionType | None, TypeBasis | None]:
    if framework is None or not framework.has_short_inspections:
        return None, None
    for line in lines[:200]:
        stated = _STATED_TYPE.search(line.text)
        if stated:
            return InspectionType(stated.group(1).casefold()), TypeBasis.STATED
    if not blocks:
        return None, None
    first = blocks[0]
    short = first.days <= SHORT_INSPECTION_MAX_DAYS
    kind = InspectionType.SHORT if short else InspectionType.STANDARD
    return kind, TypeBasis.ON_SITE_LENGTH


def _improvement_points(lines: Sequence[Line], framework: Framework) -> list[ImprovementPoint]:
    start = find_list_start(lines, framework.improvement_headings)
    if start is None:
        return []
    return extract_items(lines, start, framework.improvement_end_headings,
                         numbered=framework.improvement_style == "numbered")


def _board_recommendations(lines: Sequence[Line], framework: Framework,
                           authority_items: Sequence[ImprovementPoint],
                           authority_inspected: bool) -> list[ImprovementPoint]:
    """The list in the board's section ('What does the LSCB need to improve?', or
    'Recommendations' after the board's grade): the board's points, section 'lscb'. The
    section is looked for after the authority's own list, which the summary's mention of
    the board's grade precedes. A stand-alone review of a board is the board's section
    from its first page: its list is the first the review has, however far from the grade
    on page one."""
    if not framework.board_headings:
        return []
    numbered = framework.improvement_style == "numbered"
    if not authority_inspected:
        start = find_list_start(lines, framework.board_headings)
        return [] if start is None else extract_items(
            lines, start, framework.board_end_headings, numbered=numbered, section="lscb")
    after_page = max((item.page or 0 for item in authority_items), default=0)
    for index, line in enumerate(lines):
        if line.page <= after_page or not _BOARD_JUDGEMENT.match(line.text):
            continue
        window = lines[index:index + _BOARD_LIST_WITHIN]
        start = find_list_start(window, framework.board_headings)
        if start is not None:
            return extract_items(lines, index + start, framework.board_end_headings,
                                 numbered=numbered, section="lscb")
    return []


_BOARD_LIST_WITHIN = 60  # lines from the board's grade to its list's heading


# The board's section opens with its grade: 'The Local Safeguarding Children Board is good'.
# Some name the board by its area: 'The effectiveness of the Swindon Safeguarding Children
# Board (SSCB) is good'.
_BOARD_JUDGEMENT = re.compile(
    r"^(?:the effectiveness of )?the (?:local safeguarding children board|lscb|"
    r"(?:[\w’'&-]+ ){1,4}safeguarding children board)"
    r"(?:\s*\([a-z]+\))?(?:\s+(?:is|requires)\b|$)", re.IGNORECASE)


def _missing_fields(report: InspectionReport, path: str) -> list[Problem]:
    expected = {
        "la_name": report.la_name,
        "framework": report.framework,
        "inspection_start": report.inspection_start,
        "lead_inspector": report.lead_inspector,
        "publication_date": report.publication_date,
    }
    problems = [
        Problem(ProblemKind.MISSING_FIELD, f"no {field.replace('_', ' ')} found in the report",
                path, page=1, field=field, severity=Severity.WARNING)
        for field, value in expected.items()
        if value is None
    ]
    if not report.judgements and report.framework is not None:
        problems.append(Problem(ProblemKind.MISSING_FIELD, "no judgement table or graded "
                                "judgements found", path, page=1, field="judgements"))
    return problems
