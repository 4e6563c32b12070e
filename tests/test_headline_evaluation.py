"""A letter's headline (the first sentence of its headline findings) measured against labels
made here (`ilacs eval headlines`): the field is stored, so it is scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED
from eval_runs import eval_first_labels
from ilacs.extract.headline_evaluation import (
    HeadlineLabelError,
    evaluate_headlines,
    read_headline_labels,
)

HEADLINE_LABELS = Path(__file__).parent / "data" / "headline_labels.jsonl"
CORPUS = SHARED / "corpus"


def test_every_letter_is_labelled() -> None:
    rows = read_headline_labels(HEADLINE_LABELS)
    assert len(rows) == 281 and all((CORPUS / row["path"]).exists() for row in rows)
    # COVID-era visits and older JTAI letters print no headline findings
    assert 200 <= sum(row["sha"] is not None for row in rows) < len(rows)


def test_every_letters_headline_matches_its_label() -> None:
    result = evaluate_headlines(read_headline_labels(HEADLINE_LABELS), CORPUS)
    print(f"\nright {result.right}/{result.letters}, pages {result.page_right}/{result.labelled}")
    # includes 'Headline Findings' (Durham, 2021) and 'Headline Findings.' (Lambeth, 2025)
    assert result.right == result.letters, result.disagreements
    assert result.page_right == result.labelled


def test_eval_headlines_prints_json(tmp_path: Path) -> None:
    found = eval_first_labels("headlines", HEADLINE_LABELS, 5, CORPUS, tmp_path)
    assert found["letters"] == 5 and found["right"] <= 5 and found["page_right"] <= found["found"]


def test_a_malformed_headline_label_is_named_by_line(tmp_path: Path) -> None:
    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"path": "x.pdf", "sha": null, "page": null}\n'
                   '{"path": "y.pdf", "sha": "abc", "page": null}\n', "utf-8")
    with pytest.raises(HeadlineLabelError, match="line 2: expected sha and page"):
        read_headline_labels(bad)
