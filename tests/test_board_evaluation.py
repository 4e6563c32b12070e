"""The board's points of every SIF report measured against labels made here
(`ilacs eval board`): the field is stored, so it is scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPORTS, CorpusRun
from eval_runs import eval_first_labels
from ilacs.extract.board_evaluation import BoardLabelError, read_board_labels, score_board
from ilacs.extract.label_files import loose_hash

BOARD_LABELS = Path(__file__).parent / "data" / "board_labels.jsonl"


def test_every_sif_report_is_labelled() -> None:
    rows = read_board_labels(BOARD_LABELS)
    assert len(rows) == 168 and len({row["path"] for row in rows}) == 168
    assert all((REPORTS / row["path"]).exists() for row in rows)
    assert sum(row["board_review"] for row in rows) >= 140
    assert sum(len(row["items"]) for row in rows) >= 780


def test_the_boards_points_match_the_labels(corpus: CorpusRun) -> None:
    # the reports as ingest reads and extracts them (the corpus fixture's), not read again
    labels = read_board_labels(BOARD_LABELS)
    paths = [str(label["path"]) for label in labels]
    result = score_board(labels, {path: corpus.extractions[path].report for path in paths})
    print(f"\\nlists right {result.list_right}/{result.reports}, precision "
          f"{result.precision:.3f}, recall {result.recall:.3f}, pages "
          f"{result.page_right}/{result.matched_points}")
    # one report misses: Redbridge 2016 prints the board's three points with no heading
    assert result.list_right >= 167 and result.count_right >= 167
    assert result.precision >= 0.99 and result.recall >= 0.99
    assert result.page_right == result.matched_points


def test_the_text_is_compared_loosely() -> None:
    assert loose_hash("Multi-agency  audits, “quickly”.") == loose_hash(
        "multiagency audits quickly")
    assert loose_hash("audits") != loose_hash("audit")


def test_eval_board_prints_json(tmp_path: Path) -> None:
    found = eval_first_labels("board", BOARD_LABELS, 6, REPORTS, tmp_path)
    assert found["reports"] == 6
    assert found["matched_points"] <= min(found["found_points"], found["labelled_points"])
    assert 0 <= found["precision"] <= 1 and 0 <= found["recall"] <= 1


def test_a_malformed_board_label_is_named_by_line(tmp_path: Path) -> None:
    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"path": "x.pdf", "board_review": false, "items": []}\n'
                   '{"path": "y.pdf", "board_review": false, "items": [{"page": 3, '
                   '"sha": "0"}]}\n', "utf-8")
    with pytest.raises(BoardLabelError, match="line 2: points for a board the report does "
                                              "not review"):
        read_board_labels(bad)
    bad.write_text('{"path": "x.pdf", "board_review": true, "items": [{"page": "3"}]}\n',
                   "utf-8")
    with pytest.raises(BoardLabelError, match="line 1: expected board_review"):
        read_board_labels(bad)
