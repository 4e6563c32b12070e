"""Dates and date ranges as Ofsted prints them ("27 September to 8 October 2021",
"8 – 12 July 2013", "30 September to 11 October 2024 and 13 to 16 January 2025")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: index
    for index, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?P<year>\b(?:19|20)\d\d\b)|(?P<day>\b\d{{1,2}})(?:st|nd|rd|th)?\b|(?P<month>\b(?:{_MONTH_NAMES})\b)"
    r"|(?P<split>\band\b|;)",
    re.IGNORECASE,
)
SINGLE_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE
)


_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
_MONTH_BY_NUMBER = [
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]


def _spell_out(match: re.Match[str]) -> str:
    """'12/09/2016' (day first, as Ofsted writes) -> '12 September 2016'."""
    month = int(match.group(2))
    if not 1 <= month <= 12:
        return match.group(0)
    return f"{int(match.group(1))} {_MONTH_BY_NUMBER[month]} {match.group(3)}"


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class _Fragment:
    day: int
    month: int | None = None
    year: int | None = None


def parse_date(text: str) -> date | None:
    match = SINGLE_DATE.search(_NUMERIC_DATE.sub(_spell_out, text))
    if not match:
        return None
    try:
        return date(int(match.group(3)), MONTHS[match.group(2).casefold()], int(match.group(1)))
    except ValueError:
        return None


def parse_date_blocks(text: str, default_year: int | None = None) -> list[DateRange]:
    """Every on-site block in a date expression, in order. Days without a month or year take
    the next one printed ("8 – 12 July 2013"); ``default_year`` fills a year never printed."""
    blocks: list[list[_Fragment]] = [[]]
    text = _NUMERIC_DATE.sub(_spell_out, text)
    for match in _TOKEN.finditer(text):
        current = blocks[-1]
        if match.group("split"):
            if current:
                blocks.append([])
        elif match.group("day"):
            day = int(match.group("day"))
            if 1 <= day <= 31:
                current.append(_Fragment(day))
        elif match.group("month") and current:
            if current[-1].month is None:
                current[-1].month = MONTHS[match.group("month").casefold()]
        elif match.group("year") and current:
            for fragment in reversed(current):
                if fragment.year is not None:
                    break
                fragment.year = int(match.group("year"))
    fragments = [fragment for block in blocks for fragment in block]
    _fill_backwards(fragments, default_year)
    ranges = []
    for block in blocks:
        dated = [f for f in block if f.month and f.year]
        if not dated:
            continue
        try:
            first, last = _to_date(dated[0]), _to_date(dated[-1])
        except ValueError:
            continue
        ranges.append(DateRange(first, last))
    return ranges


def _fill_backwards(fragments: list[_Fragment], default_year: int | None) -> None:
    month: int | None = None
    year: int | None = default_year
    for fragment in reversed(fragments):
        if fragment.month is None:
            fragment.month = month
        else:
            month = fragment.month
        if fragment.year is None:
            fragment.year = year
        else:
            year = fragment.year


def _to_date(fragment: _Fragment) -> date:
    assert fragment.month is not None and fragment.year is not None  # filtered by caller
    return date(fragment.year, fragment.month, fragment.day)


def date_from_file_name(name: str) -> date | None:
    """Ofsted's file names end with the publication date: '... - 09 may 2025.pdf'."""
    return parse_date(name.rsplit(" - ", 1)[-1]) if " - " in name else parse_date(name)
