"""An article's publication date in the styles pages print it (texts written here)."""

from __future__ import annotations

from datetime import date

import pytest

from ilacs.extract.article_dates import publication_date


@pytest.mark.parametrize(("text", "expected"), [
    ("Council praised\nTuesday, March 3, 2015\nThe council ...", date(2015, 3, 3)),
    ("Published 4th Feb 2023\nThe council ...", date(2023, 2, 4)),
    ("Publishing date: Thursday, 19 December, 2019\nThe council ...", date(2019, 12, 19)),
    ("  • Published\n12 March 2024\nThe council ...", date(2024, 3, 12)),
    ("By A Reporter | Posted on Tuesday, March 3, 2015\nThe council", date(2015, 3, 3)),
    ("Headline\nThursday 19 December 2019 10:32 GMT\nThe council", date(2019, 12, 19)),
    ("Headline\n19/12/2019\nThe council", date(2019, 12, 19)),
    ("Last updated 5 May 2020\nPublished 4 May 2020\nText", date(2020, 5, 4)),
])
def test_printed_publication_dates(text: str, expected: date) -> None:
    assert publication_date(text) == expected


@pytest.mark.parametrize("text", [
    "In the earlier report published on May 16, 2018, leadership was inadequate.",
    "Inspectors visited on\n3 March 2015\nand found ...",
    "Dates of visit:\n3 March 2015",
    "Published 31 February 2020\nText",  # no such day
    "Headline\nThe council was rated good on 3 March 2015.",
])
def test_an_event_or_an_impossible_date_is_no_publication_date(text: str) -> None:
    assert publication_date(text) is None


def test_the_address_gives_the_date_when_the_page_prints_none() -> None:
    address = "https://www.example.org/2018/06/18/council-freed/"
    assert publication_date("No date here.", address) == date(2018, 6, 18)
    assert publication_date("Published 1 June 2018\nText", address) == date(2018, 6, 1)
    assert publication_date("No date here.", "https://www.example.org/2018/13/40/x/") is None
