"""Lists printed as paragraphs (no bullets), and where a bulleted list ends: the structures
read from the page, on lines written here so each rule is seen alone."""

from __future__ import annotations

import re

from ilacs.extract.improvements import extract_items, paragraph_items
from ilacs.extract.text import Line

END = (re.compile(r"^(?:Main findings|Next steps)\b"),)
WIDE = "x" * 80  # pads a wrapped line out to the width of the page


def lines(*texts: str) -> list[Line]:
    return [Line(1, text) for text in texts]


def test_a_paragraph_ends_on_a_short_line_with_a_full_stop() -> None:
    page = lines(
        "Plans are not sufficiently effective in reducing needs. They do not adapt to changing",
        "circumstances. Actions to address children's unmet needs are not sufficiently clear or",
        "specific. Nor do they include achievable actions.",
        "Social workers in some teams had high caseloads until very recently, including those",
        "in their first year of practice.",
        "Main findings",
        "Leaders know their services well.",
    )
    items = paragraph_items(page, 0, END)
    assert [item.text[:25] for item in items] == ["Plans are not sufficientl",
                                                  "Social workers in some te"]
    assert items[0].text.endswith("Nor do they include achievable actions.")


def test_a_sentence_ending_at_a_full_line_does_not_end_the_point() -> None:
    page = lines(
        "Decision-making in the front door is not always informed by children's history here.",
        "In some cases, key information from partners is not always gathered to inform plans.",
        "Agencies do not get feedback.",
    )
    (item,) = paragraph_items(page, 0, END)
    assert item.text.startswith("Decision-making") and item.text.endswith("feedback.")


def test_sub_headings_between_paragraphs_are_not_points() -> None:
    page = lines(
        "Identifying and managing risk at the front door",
        "Records of strategy discussions do not always include clear safety plans to address",
        "immediate concerns.",
        "Leadership and management and the Local Safeguarding Board",
        "The board has not yet put in place robust planning or effective performance management",
        "to understand its impact.",
    )
    items = paragraph_items(page, 0, END)
    assert [item.text[:12] for item in items] == ["Records of s", "The board ha"]


def test_a_sentence_that_introduces_a_list_is_not_a_paragraph_list() -> None:
    page = lines("The following areas for improvement have been identified at this visit:",
                 "◼ the stability of the workforce")
    assert paragraph_items(page, 0, END) == []


def test_nothing_to_add_is_no_point() -> None:
    page = lines("The areas for improvement set at the last visit remain. There are no additional",
                 "areas for improvement.")
    assert paragraph_items(page, 0, END) == []


def test_a_bulleted_list_ends_at_the_next_sections_heading() -> None:
    page = lines(
        "◼ The supervision of referral forms sent into the front door by the police.",
        "Walsall Safeguarding Partnership (WSP)",
        "Strong and stable leadership across the partnership has embedded the guidance well.",
    )
    (item,) = extract_items(page, 0, END, numbered=False)
    assert item.text == "The supervision of referral forms sent into the front door by the police."


def test_a_footnote_number_against_a_word_is_not_text() -> None:
    page = lines("◼ In addition to standard-risk6 cases not being shared, medium-risk cases wait.")
    (item,) = extract_items(page, 0, END, numbered=False)
    assert "standard-risk cases" in item.text
