"""The shapes every page shares: authorities, grades with their source, grade counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ilacs.analysis.grades import (
    BENCHMARK_JUDGEMENTS,
    GRADE_NAMES,
    GRADE_ORDER,
    JUDGEMENT_NAMES,
    judgement_grade,
)
from ilacs.extract.models import Grade
from ilacs.reference.register import Authority
from ilacs.store.rows import InspectionRow
from ilacs.web import urls
from ilacs.web.documents import where_published
from ilacs.web.snapshot import Snapshot

# The grades a current inspection can give, best first (pre-2013 "adequate" is history only).
CURRENT_GRADES: tuple[Grade, ...] = tuple(g for g in GRADE_ORDER if g is not Grade.ADEQUATE)


# What a page says when the record holds documents' facts but not their text.
TEXTS_MISSING = (
    "This record holds the facts of these documents but not their text. To read what "
    "inspectors asked this authority to improve, and to search it, add the documents: "
    "`ilacs ingest FOLDER` for files you have, or `ilacs update` to fetch them from Ofsted."
)
WORDS_MISSING = (
    "Points from documents whose text this record does not hold are counted under their "
    "themes, with a link to their page, but their words are not shown. To read them, and to "
    "search them, add the documents: `ilacs ingest FOLDER` for files you have, or "
    "`ilacs update` to fetch them from Ofsted."
)


class PageNotFound(LookupError):
    """A page for something the record does not have (an unknown LA, say)."""


class BadParameter(ValueError):
    """A query parameter that cannot be used; the message names it and says what is allowed."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Source:
    """Where a fact came from: a document and page, and a link that opens it there."""

    document: str
    page: int | None
    url: str | None  # None when the record does not hold that document
    on_ofsted: str | None = None  # the document on Ofsted's website (or its LA's reports)


@dataclass(frozen=True)
class AuthorityRef:
    urn: int
    name: str
    slug: str
    region: str
    la_type: str | None
    url: str


@dataclass(frozen=True)
class GradeCell:
    judgement: str
    grade: Grade | None
    grade_name: str | None
    judged_as: str | None  # the stored judgement that gave it (older frameworks differ)
    source: Source | None


@dataclass(frozen=True)
class GradeCount:
    grade: Grade
    name: str
    count: int
    percent: float


@dataclass(frozen=True)
class Distribution:
    label: str
    total: int
    counts: tuple[GradeCount, ...]
    note: str | None = None  # what to know before reading the row (a framework began, few)


def judgement_options() -> tuple[Option, ...]:
    return tuple(Option(key, JUDGEMENT_NAMES[key]) for key in BENCHMARK_JUDGEMENTS)


def grade_options() -> tuple[Option, ...]:
    return tuple(Option(grade.value, GRADE_NAMES[grade]) for grade in CURRENT_GRADES)


def authority_ref(authority: Authority) -> AuthorityRef:
    return AuthorityRef(authority.urn, authority.name, authority.slug, authority.region_name,
                        authority.la_type, urls.authority(authority.urn))


def authority_refs(snapshot: Snapshot) -> tuple[AuthorityRef, ...]:
    """Every authority, for the pickers of the search and changes pages."""
    return snapshot.memo("authority-refs", lambda: tuple(
        authority_ref(a) for a in snapshot.record.register.all()))


def source(snapshot: Snapshot, document_path: str | None, page: int | None) -> Source | None:
    if document_path is None:
        return None
    ref = snapshot.by_path.get(document_path)
    if ref is None:
        return Source(document_path, page, None)
    return Source(document_path, page, urls.document(ref.sha256, page),
                  where_published(snapshot, ref))


def grade_cells(snapshot: Snapshot, inspection: InspectionRow | None) -> tuple[GradeCell, ...]:
    """An inspection's grade for every benchmark judgement (None where it made none)."""
    cells = []
    for judgement in BENCHMARK_JUDGEMENTS:
        found = judgement_grade(inspection, judgement) if inspection else None
        if inspection is None or found is None:
            cells.append(GradeCell(judgement, None, None, None, None))
            continue
        grade, key = found
        page = next((row.page for row in inspection.judgements if row.key == key), None)
        cells.append(GradeCell(judgement, grade, GRADE_NAMES[grade], key,
                               source(snapshot, inspection.document_path, page)))
    return tuple(cells)


def distribution(label: str, counts: Mapping[Grade, int],
                 adequate: bool | None = None) -> Distribution:
    """How many of each grade, and their shares. "Adequate" (a grade only before 2014) is
    counted if `adequate`, or when None, if these counts hold one."""
    total = sum(counts.values())
    with_adequate = bool(counts.get(Grade.ADEQUATE)) if adequate is None else adequate
    shown = [g for g in GRADE_ORDER if g is not Grade.ADEQUATE or with_adequate]
    return Distribution(label, total, tuple(
        GradeCount(g, GRADE_NAMES[g], counts.get(g, 0),
                   round(100 * counts.get(g, 0) / total, 1) if total else 0.0)
        for g in shown))


def distribution_rows(rows: Sequence[tuple[str, Mapping[Grade, int]]]
                      ) -> tuple[Distribution, ...]:
    """The rows of one table of distributions, with the same grades in the same columns:
    "Adequate" in every row if any row has one."""
    adequate = any(counts.get(Grade.ADEQUATE) for _, counts in rows)
    return tuple(distribution(label, counts, adequate) for label, counts in rows)


def parse_authority_urn(snapshot: Snapshot, la: str | None) -> int | None:
    """The `la` query parameter: an authority's URN, or None when not given."""
    if not la:
        return None
    if not la.isdigit() or snapshot.record.authority(int(la)) is None:
        raise BadParameter(f"la={la!r} is not the URN of a local authority (e.g. la=80419)")
    return int(la)


def parse_grade(value: str | None, parameter: str = "grade") -> Grade | None:
    if not value:
        return None
    try:
        return Grade(value)
    except ValueError:
        allowed = ", ".join(g.value for g in CURRENT_GRADES)
        raise BadParameter(f"{parameter}={value!r} is not a grade; use one of {allowed}") from None


def parse_judgement(value: str | None, parameter: str = "judgement") -> str:
    if not value:
        return BENCHMARK_JUDGEMENTS[0]
    if value not in BENCHMARK_JUDGEMENTS:
        raise BadParameter(f"{parameter}={value!r} is not a judgement; use one of "
                           + ", ".join(BENCHMARK_JUDGEMENTS))
    return value
