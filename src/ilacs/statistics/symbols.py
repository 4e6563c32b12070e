"""The symbols official statistics print where a figure is not given.

Explore Education Statistics (EES) files and the GSS guidance they follow write a symbol in
a figure's place when it is suppressed or unavailable. Each is kept as a typed missing value
with its meaning: never a number, never zero. A cell holding anything else that is not a
number is an unknown symbol, reported as a problem by the reader.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Missing(StrEnum):
    """Why a figure is not given, by the symbol printed in its place."""

    CONFIDENTIAL = "c"
    NOT_AVAILABLE = "x"
    NOT_APPLICABLE = "z"
    ROUNDS_TO_ZERO = "k"
    LOW = "low"
    LOW_RELIABILITY = "u"

    @property
    def meaning(self) -> str:
        return MEANINGS[self]


MEANINGS: Mapping[Missing, str] = MappingProxyType({
    Missing.CONFIDENTIAL: "suppressed to protect confidential information",
    Missing.NOT_AVAILABLE: "not available (not collected, not returned or not published)",
    Missing.NOT_APPLICABLE: "not applicable",
    Missing.ROUNDS_TO_ZERO: "rounds to zero, but is not zero",
    Missing.LOW: "a low figure that rounds to zero, but is not zero",
    Missing.LOW_RELIABILITY: "withheld: the figure is of low reliability",
})

# Spreadsheets of other departments (the MHCLG revenue outturn) bracket the same symbols,
# and use words of their own for a return not received.
_SPELLINGS: Mapping[str, Missing] = MappingProxyType({
    **{member.value: member for member in Missing},
    **{f"[{member.value}]": member for member in Missing},
    "..": Missing.NOT_AVAILABLE,
    ":": Missing.NOT_AVAILABLE,
    "~": Missing.LOW,
})


def parse_symbol(text: str) -> Missing | None:
    """The missing value `text` stands for, or None if it is not a known symbol."""
    return _SPELLINGS.get(text.strip().casefold())


Cell = float | Missing  # what an indicator's cell holds once read


def parse_cell(text: str) -> Cell | None:
    """A number, a known symbol, or None when the cell is neither (an unknown symbol, or
    a blank: EES files leave no indicator cell blank, and a blank must never read as zero).

    Thousands separators are accepted ("1,186,820"), as some spreadsheets print them.
    """
    stripped = text.strip()
    if not stripped:
        return None
    try:
        number = float(stripped.replace(",", "") if "," in stripped else stripped)
    except ValueError:
        return parse_symbol(stripped)
    return number if math.isfinite(number) else None  # "nan" and "inf" are not figures
