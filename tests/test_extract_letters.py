"""Focused-visit and JTAI letters against their verified labels (../shared/corpus/letters)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import LETTERS, CorpusRun
from ilacs.extract.evaluation import letter_to_label, read_labels

IDENTITY_FIELDS = ("urn", "kind", "publication_date", "letter_date", "visit_start", "visit_end",
                   "inspectors", "lead_inspector")


def _labels() -> list[dict[str, Any]]:
    path = LETTERS / "labels.jsonl"
    return read_labels(path) if path.is_file() else []


@pytest.fixture(scope="session")
def letters(letters_corpus: CorpusRun) -> dict[str, dict[str, Any]]:
    extracted = {}
    for label in _labels():
        letter = letters_corpus.extractions[label["path"]].letter
        assert letter is not None, label["path"]
        extracted[label["path"]] = letter_to_label(letter)
    return extracted


@pytest.mark.parametrize("label", _labels(), ids=lambda label: str(label["path"]))
def test_letter_identity_dates_and_inspectors(letters: dict[str, dict[str, Any]],
                                         label: dict[str, Any]) -> None:
    actual = letters[label["path"]]
    for field in IDENTITY_FIELDS:
        assert actual[field] == label[field], f"{label['path']}: {field}"


def test_letter_fields_accuracy_floor(letters: dict[str, dict[str, Any]]) -> None:
    """The issue's bar is 95 % on the item lists; these floors are what the extractor reaches
    today (focus is not in the bar) and may only go up."""
    floors = {"focus": 0.95, "improvement_items": 0.95, "priority_actions": 0.97}
    labels = _labels()
    for field, floor in floors.items():
        correct = sum(letters[label["path"]][field] == label[field] for label in labels)
        assert correct / len(labels) >= floor, f"{field}: {correct} of {len(labels)}"
