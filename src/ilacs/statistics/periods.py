"""Time periods as official statistics publish them.

EES files carry a `time_period` ("2025", or "202425" for a financial or academic year) and a
`time_identifier` ("Reporting year", "Financial year" ...). A period is compared with others
by the year it ends in: reporting year 2025 (the year to 31 March 2025) and financial year
2024-25 both end in 2025.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Identifiers whose six-digit periods span two years ("202425").
_SPANNING = ("academic year", "financial year", "tax year")
_YEAR = re.compile(r"\d{4}")
_SPAN = re.compile(r"(\d{4})(\d{2})")


class PeriodError(ValueError):
    """A time period that is not in a form EES uses."""


@dataclass(frozen=True, order=True)
class Period:
    year: int  # the year the period ends in: what periods are ordered and joined by
    code: str  # time_period as published: "2025", "202425"
    identifier: str  # time_identifier as published: "Reporting year"

    @property
    def label(self) -> str:
        """As people write it: "2025", or "2024-25" for a period spanning two years."""
        return period_label(self.code)


def period_label(code: str) -> str:
    """A time_period as people write it: "202425" -> "2024-25"; "2025" stays."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 6 and code.isdigit() else code


def parse_period(code: str, identifier: str) -> Period:
    """The period of an EES row; PeriodError says what was expected."""
    text = code.strip()
    kind = " ".join(identifier.split())
    if _YEAR.fullmatch(text):
        return Period(int(text), text, kind)
    span = _SPAN.fullmatch(text)
    if span and (kind.casefold() in _SPANNING or not kind):
        start, end = int(span.group(1)), int(span.group(2))
        if (start + 1) % 100 != end:
            raise PeriodError(f"time_period {code!r} should name two consecutive years, "
                              f"like 202425")
        return Period(start + 1, text, kind)
    raise PeriodError(f"time_period {code!r} ({identifier or 'no time_identifier'}) is not a "
                      "year (2025) or a two-year period (202425)")


def financial_year(start_year: int) -> Period:
    """Financial year April `start_year` to March `start_year + 1`."""
    code = f"{start_year}{(start_year + 1) % 100:02d}"
    return Period(start_year + 1, code, "Financial year")
