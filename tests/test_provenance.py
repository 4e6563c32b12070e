"""The pages facts give as provenance are checked against the document itself, so `ilacs
eval` scores every stored page though labels give none."""

from __future__ import annotations

from ilacs.extract.evaluation import misplaced_points
from ilacs.extract.models import ImprovementPoint
from ilacs.extract.provenance import opens_on_page, printed_on_page
from test_store_factories import make_document

DOCUMENT = make_document(
    "Overall effectiveness\nRequires improvement to be good\nWhat needs to improve?\n"
    "The timeliness of assessments for children in need, so that",
    "Running header\nhelp comes soon.\nThe quality of supervision.")


def test_a_point_is_on_the_page_its_opening_words_are_printed_on() -> None:
    assert opens_on_page(DOCUMENT, 1, "The timeliness of assessments for children in need, "
                                      "so that help comes soon.")
    assert opens_on_page(DOCUMENT, 2, "The quality of supervision.")
    assert not opens_on_page(DOCUMENT, 1, "The quality of supervision.")
    assert not opens_on_page(DOCUMENT, 3, "The quality of supervision.")  # no such page


def test_a_point_that_runs_on_to_the_next_page_is_on_its_first() -> None:
    document = make_document("What needs to improve?\nThe timeliness of assess",
                             "Running header\nments for children in need.")
    assert opens_on_page(document, 1, "The timeliness of assessments for children in need.")
    assert not opens_on_page(document, 2, "The timeliness of assessments for children in need.")
    # a page may end with the sentence's one-letter first word
    article = make_document("Summary\nLeaders act. A", "Running header\nstrengthened quality "
                            "assurance framework is embedding.")
    assert opens_on_page(article, 1, "A strengthened quality assurance framework is embedding.")


def test_a_judgements_wording_is_matched_by_its_letters_alone() -> None:
    assert printed_on_page(DOCUMENT, 1, "Overall effectiveness: Requires improvement to be good")
    assert not printed_on_page(DOCUMENT, 2, "Overall effectiveness: Requires improvement")
    assert not printed_on_page(DOCUMENT, 0, "Overall effectiveness")


def test_points_on_a_wrong_page_are_named() -> None:
    items = [ImprovementPoint("The timeliness of assessments for children in need.", None, None,
                             1),
             ImprovementPoint("The quality of supervision.", None, None, 1)]
    assert misplaced_points(DOCUMENT, items) == ["point 2: not on page 1"]
