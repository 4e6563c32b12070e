"""An article's publication date, as pages print it: after 'Published' / 'Publishing date' /
'Posted', as a dateline on a line of its own near the top, or in the page's address.

Dates are read in the common styles: '4th Feb 2023', 'Thursday, 19 December, 2019',
'Tuesday, March 3, 2015', '19/12/2019' (day first, as in the UK). The other dates an
article prints are the events it reports, never its publication date.
"""

from __future__ import annotations

import re
from datetime import date

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?:(?P<day>\d{{1,2}}){_ORDINAL}\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<month_first>{_MONTH})\.?\s+(?P<day_after>\d{{1,2}}){_ORDINAL},?\s+(?P<year_after>\d{{4}})"
    r"|(?P<numeric_day>\d{1,2})/(?P<numeric_month>\d{1,2})/(?P<numeric_year>\d{4}))"
)
# A label at the start of a line or after a byline's separator, never 'the report published
# on May 16' inside a sentence.
_PUBLISHED = re.compile(
    r"(?:^|[|•·])[ \t*•·-]*(?P<word>(?:First\s+)?Published|Publishing\s+date|Posted|Updated|"
    rf"Last\s+updated)\s*(?:on)?\s*:?\s*{_DATE}", re.MULTILINE)
# A date alone on its line, perhaps with a time: '19 December 2019 10:32 GMT'.
_DATELINE = re.compile(
    rf"^{_DATE}(?:\s*(?:,|at|-|–)?\s*\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]m|BST|GMT)?)?$",
    re.IGNORECASE)
# A date that finishes the line before ('Dates of visit:', 'Inspected on') is an event's.
_LEADS_TO_EVENT = re.compile(r"(?:\b(?:on|between|from|to|and|of|visit|inspection|dates?)|:)$",
                             re.IGNORECASE)
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/")
DATELINE_ZONE = 12  # lines from the top where a page prints its dateline


def publication_date(text: str, source_url: str | None = None) -> date | None:
    """The date the page prints as its publication date, else a dateline near the top, else
    the date in its address ('/2018/06/18/'), else none."""
    printed = [match for match in _PUBLISHED.finditer(text) if _as_date(match)]
    first = next((m for m in printed if "pdated" not in m["word"]), None) or \
        next(iter(printed), None)
    if first:
        return _as_date(first)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for before, line in zip(["", *lines], lines[:DATELINE_ZONE], strict=False):
        match = _DATELINE.match(line)
        if match and _as_date(match) and not _LEADS_TO_EVENT.search(before):
            return _as_date(match)
    url = _URL_DATE.search(source_url or "")
    if url:
        return _valid(int(url["y"]), int(url["m"]), int(url["d"]))
    return None


def _as_date(match: re.Match[str]) -> date | None:
    if match["numeric_year"]:
        return _valid(int(match["numeric_year"]), int(match["numeric_month"]),
                      int(match["numeric_day"]))
    month = match["month"] or match["month_first"]
    day = match["day"] or match["day_after"]
    year = match["year"] or match["year_after"]
    return _valid(int(year), _month_number(month), int(day))


def _month_number(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
            "dec"].index(name[:3].casefold()) + 1


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
