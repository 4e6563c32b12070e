"""Numbered recommendation lists of SIF and pre-SIF reports: the structures read from the
page, on lines written here so each rule is seen alone."""

from __future__ import annotations

import re

from ilacs.extract.improvements import extract_items
from ilacs.extract.text import Line

END = (re.compile(r"^The local authority.s strengths"),)


def texts(lines: list[Line]) -> list[str]:
    return [item.text for item in extract_items(lines, 1, END, numbered=True)]


def test_a_number_without_a_space_still_starts_a_point() -> None:
    lines = [Line(1, "What does the local authority need to improve?"),
             Line(1, "9. Ensure that plans are specific."),
             Line(1, "10.Ensure that supervision is regular."),
             Line(1, "11.Improve the timeliness of assessments.")]
    assert texts(lines) == ["Ensure that plans are specific.",
                            "Ensure that supervision is regular.",
                            "Improve the timeliness of assessments."]


def test_the_heading_repeated_at_the_top_of_a_page_is_not_part_of_a_point() -> None:
    lines = [Line(4, "What does the local authority need to improve?"),
             Line(4, "1. Ensure that plans for children are specific and that they"),
             Line(5, "What does the local authority need to improve? (continued)"),
             Line(5, "are reviewed regularly."),
             Line(5, "2. Improve the timeliness of assessments.")]
    assert texts(lines) == [
        "Ensure that plans for children are specific and that they are reviewed regularly.",
        "Improve the timeliness of assessments."]


def test_timeframe_headings_are_not_glued_to_the_point_before() -> None:
    lines = [Line(3, "Recommendations"),
             Line(3, "Immediately:"),
             Line(3, "1. Review the policy for young people preparing for university"),
             Line(3, "Within three months:"),
             Line(3, "2. Ensure the consistently high quality of plans"),
             Line(3, "Within 6 months:"),
             Line(3, "3. Ensure that the pledge is well publicised")]
    assert texts(lines) == ["Review the policy for young people preparing for university",
                            "Ensure the consistently high quality of plans",
                            "Ensure that the pledge is well publicised"]


def test_a_reference_after_a_lead_in_colon_keeps_the_sub_points_a_list() -> None:
    lines = [Line(2, "What does the local authority need to improve?"),
             Line(2, "1. Strengthen commissioning arrangements to ensure that services meet"),
             Line(2, "the needs of children by: (paragraph 150)"),
             Line(2, "\uf06e reviewing the use of foyer accommodation"),
             Line(2, "\uf06e increasing the capacity of advocacy services (paragraph 45).")]
    assert texts(lines) == [
        "Strengthen commissioning arrangements to ensure that services meet the needs of "
        "children by: (paragraph 150) reviewing "
        "the use of foyer accommodation; increasing the capacity of advocacy services "
        "(paragraph 45)."]
