"""Per-field accuracy of extraction against a labels file (the format of
shared/corpus/labels.jsonl), with every disagreement listed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ilacs.documents import Document, read_document
from ilacs.errors import DocumentError
from ilacs.extract.letters import extract_letter
from ilacs.extract.models import ImprovementPoint, InspectionReport, VisitLetter
from ilacs.extract.provenance import opens_on_page, printed_on_page
from ilacs.extract.report import extract_report

REPORT_FIELDS = (
    "urn", "la_name", "framework", "inspection_type", "inspection_start", "inspection_end",
    "publication_date", "lead_inspector", "judgements", "improvement_items",
    "improvement_item_count", "judgement_pages", "improvement_item_pages",
)
# Scored without labels: the stored page of each judgement and point, against the document
# itself (its words printed there). Expected: no fact on a wrong page.
PAGE_FIELDS = frozenset({"judgement_pages", "improvement_item_pages", "priority_action_pages"})


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0


@dataclass
class Evaluation:
    documents: int = 0
    fields: dict[str, FieldScore] = field(default_factory=dict)
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def score(self, name: str, path: str, expected: Any, actual: Any) -> None:
        entry = self.fields.setdefault(name, FieldScore())
        entry.total += 1
        if expected == actual:
            entry.correct += 1
        else:
            self.disagreements.append(
                {"path": path, "field": name, "expected": expected, "actual": actual}
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "fields": {name: {"correct": s.correct, "total": s.total}
                       for name, s in self.fields.items()},
            "disagreements": self.disagreements,
        }


LETTER_FIELDS = (
    "urn", "la_name", "kind", "publication_date", "letter_date", "visit_start", "visit_end",
    "inspectors", "lead_inspector", "focus", "improvement_items", "priority_actions",
    "improvement_item_pages", "priority_action_pages",
)


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _items_label(items: tuple[ImprovementPoint, ...]) -> list[dict[str, Any]]:
    labels = []
    for item in items:
        label: dict[str, Any] = {"text": item.text, "outcome": item.outcome}
        if item.tag is not None:
            label["tag"] = item.tag
        labels.append(label)
    return labels


def letter_to_label(letter: VisitLetter) -> dict[str, Any]:
    """An extracted letter in the letter labels' shape."""
    return {
        "urn": letter.urn, "kind": letter.kind, "la_name": letter.la_name,
        "publication_date": _iso(letter.publication_date),
        "letter_date": _iso(letter.letter_date), "visit_start": _iso(letter.visit_start),
        "visit_end": _iso(letter.visit_end), "inspectors": list(letter.inspectors),
        "lead_inspector": letter.lead_inspector, "focus": letter.focus,
        "improvement_items": _items_label(letter.improvement_items),
        "priority_actions": _items_label(letter.priority_actions),
    }


def is_letter_labels(labels: list[dict[str, Any]]) -> bool:
    return bool(labels) and "visit_start" in labels[0]


def evaluate_letters(labels: Iterable[Mapping[str, Any]], corpus: Path) -> Evaluation:
    """Letters: 'focus' is what a focused visit looked at, or a JTAI's theme."""
    evaluation = Evaluation()
    for label in labels:
        path = str(label["path"])
        evaluation.documents += 1
        actual: dict[str, Any] | None = None
        try:
            document = read_document(corpus / path, display_path=path)
            letter, _problems = extract_letter(document)
        except DocumentError:
            letter = None
        if letter is not None:
            actual = letter_to_label(letter) | {
                "improvement_item_pages": misplaced_points(document, letter.improvement_items),
                "priority_action_pages": misplaced_points(document, letter.priority_actions)}
        for name in LETTER_FIELDS:
            got = actual.get(name) if actual is not None else "extraction failed"
            evaluation.score(name, path, [] if name in PAGE_FIELDS else label.get(name), got)
    return evaluation


def report_to_label(report: InspectionReport) -> dict[str, Any]:
    """An extracted report in the labels' shape."""
    return {
        "urn": report.urn,
        "la_name": report.la_name,
        "framework": report.framework,
        "inspection_type": report.inspection_type.value if report.inspection_type else None,
        "inspection_start": _iso(report.inspection_start),
        "inspection_end": _iso(report.inspection_end),
        "publication_date": _iso(report.publication_date),
        "lead_inspector": report.lead_inspector,
        "judgements": {j.key: j.grade.value for j in report.judgements},
        "improvement_items": _items_label(report.improvement_items),
        "improvement_item_count": len(report.improvement_items),
    }



def read_labels(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_reports(
    labels: Iterable[Mapping[str, Any]],
    corpus: Path,
    fields: tuple[str, ...] = REPORT_FIELDS,
) -> Evaluation:
    evaluation = Evaluation()
    for label in labels:
        path = str(label["path"])
        evaluation.documents += 1
        actual = _extract_as_label(corpus / path, path)
        expected = dict(label)
        expected["improvement_item_count"] = len(label.get("improvement_items") or [])
        expected |= dict.fromkeys(PAGE_FIELDS, [])
        for name in fields:
            if name not in label and name != "improvement_item_count" \
                    and name not in PAGE_FIELDS:
                continue
            if not label.get("valid_pdf", True):
                evaluation.score(name, path, "not extracted", "not extracted"
                                 if actual is None else "extracted")
                continue
            got = actual.get(name) if actual is not None else "extraction failed"
            evaluation.score(name, path, expected.get(name), got)
    return evaluation


def _extract_as_label(file: Path, path: str) -> dict[str, Any] | None:
    try:
        document = read_document(file, display_path=path)
    except DocumentError:
        return None
    extraction = extract_report(document)
    report = extraction.report
    if report is None:
        return None
    return report_to_label(report) | {
        "judgement_pages": [f"{j.key}: '{j.printed}' not on page {j.page}"
                            for j in report.judgements
                            if not printed_on_page(document, j.page, j.printed)],
        "improvement_item_pages": misplaced_points(document, report.improvement_items)}


def misplaced_points(document: Document, items: Iterable[ImprovementPoint]) -> list[str]:
    """The points whose opening words are not printed on the page they give."""
    return [f"point {n}: not on page {item.page}" for n, item in enumerate(items, 1)
            if not opens_on_page(document, item.page, item.text)]
