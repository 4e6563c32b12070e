"""When a claim says something happened: 'in December 2021', 'in 2018', 'last month', 'today'.

Only the words after the claim's verb (and, failing those, anywhere in its sentence) are
read; a relative date needs the article's own date to mean anything."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TypedDict

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = r"(?P<month>" + "|".join(m.capitalize() for m in _MONTHS) + r")"
_DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r"\s+(?P<year>(?:19|20)\d{2})\b")
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")
_RELATIVE = re.compile(r"\b(?P<word>(?i:today|yesterday|this\s+week|last\s+month|last\s+year)|"
                       r"earlier\s+this\s+year|on\s+[A-Z][a-z]+day|in\s+" + _MONTH + r")\b")


_CLAUSE_END = re.compile(r"\s[–—-]\s|;|\bwhen\b|\bfrom\b|,\s+(?:putting|adding|and)\b")
_REACH = 80


class When(TypedDict):
    when_printed: str | None
    when: date | None
    when_precision: str | None


def claim_when(text: str, offset: int, published: date | None) -> When:
    """The date in the claim's own clause after `offset` ('rated inadequate in May 2018'),
    else the nearest date before it ('In the report published on 16 May 2018, ... rated')."""
    clause = _CLAUSE_END.split(text[offset: offset + _REACH])[0]
    found = _absolute(clause) or _absolute(text[:offset], last=True)
    if found is not None:
        return found
    relative = _RELATIVE.search(clause) or _RELATIVE.search(text)
    if relative is None:
        return When(when_printed=None, when=None, when_precision=None)
    return _resolve(relative.group(0), published)


def _absolute(text: str, last: bool = False) -> When | None:
    for pattern, precision in ((_DAY_MONTH_YEAR, "day"), (_MONTH_YEAR, "month"),
                               (_YEAR, "year")):
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        match = matches[-1] if last else matches[0]
        year = int(match["year"])
        month = _MONTHS.index(match["month"].casefold()) + 1 if precision != "year" else 1
        day = int(match["day"]) if precision == "day" else 1
        try:
            return When(when_printed=match.group(0), when=date(year, month, day),
                        when_precision=precision)
        except ValueError:
            continue
    return None


def _resolve(printed: str, published: date | None) -> When:
    word = printed.casefold()
    when: date | None = None
    precision: str | None = None
    if published is not None:
        if word in {"today", "this week"}:
            when, precision = published, "day"
        elif word == "yesterday":
            when, precision = published - timedelta(days=1), "day"
        elif word == "last month":
            previous = published.replace(day=1) - timedelta(days=1)
            when, precision = previous.replace(day=1), "month"
        elif word in {"last year"}:
            when, precision = date(published.year - 1, 1, 1), "year"
        elif word.startswith("in "):
            month = _MONTHS.index(word[3:]) + 1
            year = published.year if month <= published.month else published.year - 1
            when, precision = date(year, month, 1), "month"
    return When(when_printed=printed, when=when, when_precision=precision)
