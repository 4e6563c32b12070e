"""A visit's focus, placed in Ofsted's own list of visit themes.

Ofsted's official statistics (the "Visit Theme" column of its local authority inspection
outcomes table) put each focused visit under one theme: children in need or subject to a
plan, children in care, care leavers, front door, achieving permanence, vulnerable
adolescents. JTAIs have their own themes (domestic abuse, neglect, exploitation, ...). The
letter's phrase is matched against each theme's words. Where it names several, a distinctive
theme wins (a visit to the front door, to permanence planning "for children in care", or the
autumn-2020 visits across all services); otherwise the theme named first in the phrase does,
as it is the one the letter leads with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class VisitTheme:
    key: str
    label: str  # as Ofsted's statistics print it
    pattern: re.Pattern[str]
    distinctive: bool = False


def _theme(key: str, label: str, *words: str, distinctive: bool = False) -> VisitTheme:
    return VisitTheme(key, label, re.compile("|".join(words), re.IGNORECASE), distinctive)


FOCUSED_VISIT_THEMES: tuple[VisitTheme, ...] = (
    _theme("front_door", "Front door",
           r"front\s+door", r"contacts?\s+and\s+referrals?", r"\bMASH\b",
           r"multi-agency\s+safeguarding\s+hub", r"first\s+point\s+of\s+contact",
           r"initial\s+need\s+and\s+risk", r"\breferrals?\b", r"duty\s+and\s+assessment",
           distinctive=True),
    _theme("children_in_need_or_plan", "Children in need/subject to a plan",
           r"children\s+in\s+need", r"child\s+in\s+need", r"child\s+protection\s+plan",
           r"subject\s+to\s+(?:a\s+)?plans?", r"need\s+(?:of\s+)?help\s+and\s+protection",
           r"help\s+and\s+protection", r"child\s+protection", r"pre-proceedings",
           r"letter\s+before\s+proceedings"),
    _theme("care_leavers", "Care leavers",
           r"care\s+leavers?", r"care-experienced", r"leaving\s+care", r"aged\s+18\s+to\s+25"),
    _theme("achieving_permanence", "Achieving permanence",
           r"permanen(?:ce|cy)", r"adoption", r"special\s+guardianship", distinctive=True),
    _theme("vulnerable_adolescents", "Vulnerable adolescents",
           r"adolescents?", r"exploitation", r"exploited", r"go(?:es)?\s+missing",
           r"missing\s+from", r"risk\s+outside\s+the\s+home", r"extra-familial",
           r"homeless"),
    _theme("children_in_care", "Children in care",
           r"children\s+in\s+care", r"looked[\s-]+after", r"children\s+who\s+are\s+in\s+care",
           r"care\s+planning", r"placement"),
    _theme("disabled_children", "Disabled children",
           r"disabled\s+children", r"children\s+with\s+(?:a\s+)?disabilit"),
    _theme("services_overall", "Help and protection, children in care and care leavers",
           r"across\s+help\s+and\s+protection", r"key\s+decision-making",
           r"decision-making\s+in\s+help\s+and\s+protection", distinctive=True),
)

JTAI_THEMES: tuple[VisitTheme, ...] = (
    _theme("domestic_abuse", "Domestic abuse", r"domestic\s+abuse", r"domestic\s+violence"),
    _theme("neglect", "Neglect", r"neglect"),
    _theme("sexual_abuse_in_the_family", "Sexual abuse in the family",
           r"sexual\s+abuse\s+in\s+the\s+family"),
    _theme("child_exploitation", "Child exploitation",
           r"exploitation", r"missing\s+from\s+home", r"gangs"),
    _theme("serious_youth_violence", "Serious youth violence", r"serious\s+youth\s+violence"),
    _theme("mental_health", "Children's mental health", r"mental\s+health"),
    _theme("initial_need_and_risk", "Identification of initial need and risk",
           r"initial\s+need\s+and\s+risk", r"front\s+door", r"need\s+help"),
)

THEMES_BY_KEY = {theme.key: theme for theme in FOCUSED_VISIT_THEMES + JTAI_THEMES}


def visit_themes(focus: str | None, jtai: bool = False) -> tuple[str, ...]:
    """Every theme the phrase names, in the order it names them (the first is the visit's)."""
    if not focus:
        return ()
    # Older JTAI themes read "the multi-agency response to abuse and neglect" in every
    # letter; only the rest of the phrase sets one apart.
    text = re.sub(r"abuse\s+and\s+neglect", "", focus) if jtai else focus
    found: list[tuple[bool, int, str]] = []
    for theme in JTAI_THEMES if jtai else FOCUSED_VISIT_THEMES:
        match = theme.pattern.search(text)
        if match:
            found.append((not theme.distinctive, match.start(), theme.key))
    return tuple(key for _rank, _start, key in sorted(found))


def visit_theme(focus: str | None, jtai: bool = False) -> str | None:
    themes = visit_themes(focus, jtai)
    return themes[0] if themes else None
