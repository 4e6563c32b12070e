"""Focused-visit and JTAI letters against their verified labels (../shared/corpus/letters)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import SHARED
from ilacs.documents import read_document
from ilacs.extract.evaluation import letter_to_label, read_labels
from ilacs.extract.letters import extract_letter

LETTERS = SHARED / "corpus" / "letters"
IDENTITY_FIELDS = ("urn", "kind", "publication_date", "visit_start", "visit_end")


def _labels() -> list[dict[str, Any]]:
    path = LETTERS / "labels.jsonl"
    return read_labels(path) if path.is_file() else []


@pytest.fixture(scope="session")
def letters() -> dict[str, dict[str, Any]]:
    if not LETTERS.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no letters corpus at {LETTERS}")
    extracted = {}
    for label in _labels():
        document = read_document(LETTERS / label["path"], display_path=label["path"])
        letter, _problems = extract_letter(document)
        assert letter is not None, label["path"]
        extracted[label["path"]] = letter_to_label(letter)
    return extracted


@pytest.mark.parametrize("label", _labels(), ids=lambda label: str(label["path"]))
def test_letter_identity_and_visit_dates(letters: dict[str, dict[str, Any]],
                                         label: dict[str, Any]) -> None:
    actual = letters[label["path"]]
    for field in IDENTITY_FIELDS:
        assert actual[field] == label[field], f"{label['path']}: {field}"


def test_letter_fields_accuracy_floor(letters: dict[str, dict[str, Any]]) -> None:
    """Work in progress (issue 3): these floors are what the extractor reaches today and may
    only go up; the issue's bars are 100 % on identity, dates and inspectors and 95 % on
    the item lists."""
    floors = {"letter_date": 0.99, "inspectors": 0.99, "lead_inspector": 0.98, "focus": 0.8,
              "improvement_items": 0.95, "priority_actions": 0.97}
    labels = _labels()
    for field, floor in floors.items():
        correct = sum(letters[label["path"]][field] == label[field] for label in labels)
        assert correct / len(labels) >= floor, f"{field}: {correct} of {len(labels)}"
