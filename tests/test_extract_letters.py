"""Focused-visit and JTAI letters against their verified labels (../shared/corpus/letters)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import LETTERS, CorpusRun
from ilacs.documents import read_document
from ilacs.extract.evaluation import letter_to_label, read_labels
from ilacs.extract.letters import extract_letter
from ilacs.reference import load_register

IDENTITY_FIELDS = ("urn", "la_name", "kind", "publication_date", "letter_date", "visit_start",
                   "visit_end", "inspectors", "lead_inspector")


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
    floors = {"focus": 1.0, "improvement_items": 0.99, "priority_actions": 1.0}
    labels = _labels()
    for field, floor in floors.items():
        correct = sum(letters[label["path"]][field] == label[field] for label in labels)
        assert correct / len(labels) >= floor, f"{field}: {correct} of {len(labels)}"


def test_every_letter_names_an_authority_of_the_register(letters_corpus: CorpusRun) -> None:
    """Over the whole corpus, labelled or not: the printed name is one the register knows,
    and it is the authority of the URN stored beside it."""
    register = load_register()
    named = 0
    for path, extraction in letters_corpus.extractions.items():
        letter = extraction.letter
        if letter is None:
            continue
        named += 1
        assert letter.la_name is not None and letter.urn is not None, path
        assert letter.urn in {a.urn for a in register.match_all(letter.la_name)}, path
    assert named >= 281


LETTER = """Dear Ms Smith
Focused visit to {name} children’s services
This letter summarises the findings of the focused visit to {name} children’s services
on 3 and 4 May 2023. His Majesty’s Inspectors for this visit were Ann Example and Bo Test.
"""


def test_a_name_that_is_no_authority_is_not_kept(tmp_path: Path) -> None:
    folder = tmp_path / "80524_milton keynes"
    folder.mkdir()
    path = folder / "children's services focused visit - 01 june 2023.txt"
    path.write_text(LETTER.format(name="Atlantis Borough"), encoding="utf-8")
    letter, problems = extract_letter(read_document(path))
    assert letter is not None and letter.la_name is None
    assert letter.urn == 80524  # from the folder, said so
    (problem,) = [p for p in problems if p.field == "la_name"]
    assert "Atlantis Borough" in problem.message and "80524" in problem.message

    loose = tmp_path / "letter.txt"  # no folder to fall back on: no authority at all
    loose.write_text(LETTER.format(name="Atlantis Borough"), encoding="utf-8")
    letter, problems = extract_letter(read_document(loose))
    assert letter is not None and letter.urn is None and letter.la_name is None
    assert any(p.field == "la_name" for p in problems)


@pytest.mark.parametrize("name", ["Milton Keynes", "Westmorland and Furness",
                                  "London Borough of Tower Hamlets"])
def test_a_name_ending_in_s_is_kept_whole(tmp_path: Path, name: str) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER.format(name=name), encoding="utf-8")
    letter, _ = extract_letter(read_document(path))
    assert letter is not None and letter.la_name == name
