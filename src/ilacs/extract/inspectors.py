"""Inspectors' names, with titles and roles removed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ilacs.extract.text import Line

_TITLES = re.compile(
    r",?\s*\(?\b(?:(?:Senior\s+)?(?:Her|His)\s+Majesty.s\s+(?:Inspector|Inspectors)(?:\s+\(HMI\))?"
    r"|Senior\s+HMI|HMI|Ofsted\s+Inspector|Lead\s+Inspector)\b\)?\.?",
    re.IGNORECASE,
)
_LEAD_LABEL = re.compile(
    r"^(?P<label>Lead inspector on site|Lead inspectors?|Reporting inspector)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def clean_name(text: str) -> str:
    name = _TITLES.sub("", text)
    name = re.sub(r"\s+", " ", name).strip(" ,.;:")
    return name


def find_lead_inspector(lines: Sequence[Line]) -> tuple[str | None, int | None]:
    """The lead inspector: an on-site lead if named, else the first 'Lead inspector(s)' line,
    else the pre-2013 'Reporting inspector'. Several leads: the first named."""
    candidates: list[tuple[int, str, int]] = []
    for index, line in enumerate(lines):
        match = _LEAD_LABEL.match(line.text)
        if not match:
            continue
        rest = match.group("rest")
        if not rest and index + 1 < len(lines):
            rest = lines[index + 1].text
        name = clean_name(re.split(r"\s+and\s+|;|,\s*(?=[A-Z][a-z]+\s+[A-Z])", rest)[0])
        if not name or len(name.split()) > 5 or not name[:1].isupper():
            continue
        rank = 0 if match.group("label").casefold() == "lead inspector on site" else 1
        candidates.append((rank, name, line.page))
    if not candidates:
        return None, None
    rank, name, page = min(candidates, key=lambda candidate: candidate[0])
    return name, page
