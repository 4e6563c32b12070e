"""SIF reports that review the local safeguarding children board hold two lists: the
authority's and the board's. Each point belongs to its owner (real reports in ../shared)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from conftest import LABELS, CorpusRun, load_report_labels
from ilacs.extract.frameworks import framework_by_id
from ilacs.extract.judgements import sif_list
from ilacs.extract.text import Line
from ilacs.store import open_store
from ilacs.store.points import all_points

ROTHERHAM = "80543_rotherham/children's services inspection - 19 november 2014.pdf"
SUFFOLK = "80565_suffolk/children's services inspection - 11 february 2016.pdf"
BUCKINGHAMSHIRE = "80442_buckinghamshire/children's services inspection - 08 august 2014.pdf"
HAMMERSMITH = "80497_hammersmith and fulham/children's services inspection - 29 march 2016.pdf"
PORTSMOUTH = "80539_portsmouth/children's services inspection - 01 september 2014.pdf"
SWINDON = "80568_swindon/children's services inspection - 23 may 2014.pdf"
BIRMINGHAM = "80429_birmingham/children's services inspection - 23 may 2014.pdf"
SURREY_REVIEW = "80567_surrey/children's services inspection - 03 august 2015.pdf"
HULL = ("80477_kingston upon hull/single inspection of la children's services as pdf - "
        "10 february 2015.pdf")


def test_the_boards_list_is_the_boards(corpus: CorpusRun) -> None:
    report = corpus.extractions[ROTHERHAM].report
    assert report is not None
    board = report.board_recommendations
    assert len(board) == 9 and all(item.section == "lscb" for item in board)
    assert board[0].text.startswith("Increase the pace of both change")
    assert board[-1].text.endswith("learning and change are implemented swiftly.")
    assert {item.page for item in board} == {41}
    assert not {item.text for item in board} & {item.text for item in report.improvement_items}


def test_a_later_sif_report_lists_the_boards_recommendations_after_its_grade(
        corpus: CorpusRun) -> None:
    report = corpus.extractions[SUFFOLK].report
    assert report is not None and report.grade_of("lscb") is not None
    assert [item.text[:40] for item in report.board_recommendations] == [
        "Ensure that the Board continues to impro", "Ensure that the Board clearly demonstrat",
        "Ensure that the Board develops the evalu"]


def test_a_recommendations_heading_with_a_colon_heads_the_authority_s_list(
        corpus: CorpusRun) -> None:
    """'Recommendations:' printed with a colon: missed, the board's list was read as the
    authority's, and the board's inspection findings after it as 26 more points."""
    report = corpus.extractions[HAMMERSMITH].report
    assert report is not None
    assert len(report.improvement_items) == 6 and {i.page for i in report.improvement_items} == {8}
    board = report.board_recommendations
    assert len(board) == 5 and {i.page for i in board} == {36}
    assert all(i.section == "lscb" for i in board)


def test_the_boards_priority_actions_headed_with_a_colon_are_its_points(
        corpus: CorpusRun) -> None:
    """'Priority and immediate action:' heads six numbered points, then 'Areas for
    improvement' four more: with the colon missed, only the four were read."""
    report = corpus.extractions[BUCKINGHAMSHIRE].report
    assert report is not None
    board = report.board_recommendations
    assert len(board) == 10 and {i.page for i in board} == {28}


def test_no_labelled_point_of_an_authority_is_read_as_the_boards(corpus: CorpusRun) -> None:
    for label in load_report_labels():
        extraction = corpus.extractions.get(label["path"])
        if extraction is None or extraction.report is None:
            continue
        board = {item.text for item in extraction.report.board_recommendations}
        assert not board & {item["text"] for item in label.get("improvement_items") or []}, \
            label["path"]
    assert LABELS.is_file()


def test_the_store_keeps_the_boards_points_apart(corpus_db: Path) -> None:
    conn = open_store(corpus_db)
    board = sqlite3.connect(corpus_db).execute(
        "SELECT count(*) FROM points WHERE section = 'lscb'").fetchone()[0]
    assert board > 500  # most SIF reports review the board
    assert all(item.section != "lscb" for item in all_points(conn))


def test_the_boards_grade_however_it_is_phrased() -> None:
    sif = framework_by_id("sif")
    for sentence, grade in [
            ("The LSCB is inadequate because it has not ensured that", "inadequate"),
            ("The effectiveness of the LSCB requires improvement", "requires_improvement"),
            ("The Local Safeguarding Children Board (LSCB) is good", "good")]:
        lines = [Line(3, "Children's services in Leeds are good."), Line(3, sentence)]
        found = {j.key: j.grade.value for j in sif_list(lines, sif)}
        assert found.get("lscb") == grade, sentence


@pytest.mark.parametrize(("path", "points", "pages"), [
    # a numbered statement that no area was identified, then the board's strengths, numbered
    # on: neither is a point
    (PORTSMOUTH, 4, {32}),
    # the board named by its area: 'the Swindon Safeguarding Children Board (SSCB) is good'
    (SWINDON, 3, {32}),
    # 'Priority actions', then 'Areas for improvement'
    (BIRMINGHAM, 12, {32, 33}),
    # a stand-alone review of the board: its grade on page 1, its list on page 6
    (SURREY_REVIEW, 8, {6}),
    # a review bound into the back of the report, with its own running title
    (HULL, 7, {39}),
])
def test_the_boards_list_in_each_layout(corpus: CorpusRun, path: str, points: int,
                                        pages: set[int]) -> None:
    report = corpus.extractions[path].report
    assert report is not None
    board = report.board_recommendations
    assert len(board) == points and {item.page for item in board} == pages
    assert all(item.section == "lscb" for item in board)
    assert not any(re.search(r"\d+ Inspection of the effectiveness", item.text) for item in board)
    assert not any(re.match(r"no areas? (?:were|was) identified", item.text, re.IGNORECASE)
                   for item in board)
