"""DfE's improvement notices and statutory directions as GOV.UK publishes them: one page per
notice or direction, in the collection "Improvement notices and directions" (sections
"Open notices", "Closed notices", "Open directions", "Closed directions").

A page gives events, each with the page's address as its source:
- the page's own: a notice or direction issued (or, where its title or summary says so,
  revised) on the day the page was first published;
- what its text says of the ending: "We lifted the improvement notice on 7 July 2017", "this
  direction has closed; a direction issued on 17 June 2016 replaces it" (revoked that day),
  "revoked on ...";
- what came before: "follows earlier improvement notices issued ... in August 2012 and
  January 2014", "replaces the earlier statutory direction issued ... on 30 August 2024";
- a page listed under a "Closed" section whose text gives no date: ended, date not stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ilacs.errors import Problem, ProblemKind
from ilacs.extract.dates import MONTHS
from ilacs.reference import load_register
from ilacs.reference.interventions import InterventionEvent

_MONTH_NAMES = "|".join(name.capitalize() for name in MONTHS
                        if len(name) > 4 or name in {"may", "june", "july"})
_PARTIAL_DATE = re.compile(rf"\b(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_MONTH_NAMES})\s+"
                           r"(?P<year>\d{4})\b")
_DATES = rf"(?:(?:\d{{1,2}}\s+)?(?:{_MONTH_NAMES})\s+\d{{4}}(?:,?\s*(?:and\s+)?)?)+"
_ENDED = re.compile(
    rf"\b(?:lifted|revoked|closed|ended)\b[^.]*?\bon\s+(?P<dates>{_DATES})", re.IGNORECASE)
_REPLACED = re.compile(
    rf"\bhas\s+(?:now\s+)?closed\b[^.]*?[.;]\s*(?:a|the)\s+(?:new\s+|revised\s+)?direction\s+"
    rf"issued\b[^.]*?\bon\s+(?P<dates>{_DATES})[^.]*?\breplaces\b", re.IGNORECASE)
_EARLIER = re.compile(
    rf"\b(?:follows|replaces)\b[^.]*?\b(?:earlier|previous)\s+(?P<what>(?:statutory\s+)?"
    rf"directions?|improvement\s+notices?)\s+issued\b[^.]*?\b(?:on|in)\s+(?P<dates>{_DATES})",
    re.IGNORECASE)


@dataclass(frozen=True)
class NoticePage:
    address: str  # the page on GOV.UK
    title: str
    description: str
    body: str  # the page's text
    first_published: date | None
    section: str | None = None  # the collection's section it is listed under


def notice_events(page: NoticePage) -> tuple[list[InterventionEvent], list[Problem]]:
    """The events a notice or direction page states (see the module notes)."""
    heading = f"{page.title}. {page.description}"
    kind = _kind(page.title) or _kind(page.description)
    if kind is None:
        return [], [_problem(page, "not an improvement notice or a direction (its title names "
                                   "neither)", "type")]
    authorities = load_register().match_in_text(heading) or \
        load_register().match_in_text(page.body)
    if not authorities:
        return [], [_problem(page, "names no council of the register in its title or summary",
                             "la")]
    urn = authorities[0].urn
    text = re.sub(r"\s+", " ", page.body)
    events: list[InterventionEvent] = []

    def add(action: str, when: str | None, kind_of: str = kind) -> None:
        event = InterventionEvent(urn=urn, type=kind_of, action=action, date=when,
                                  source=page.address)
        if event not in events:
            events.append(event)

    revised = re.search(r"\brevised\b", heading, re.IGNORECASE) is not None
    add("revised" if revised else "issued",
        page.first_published.isoformat() if page.first_published else None)
    ending = "lifted" if kind == "improvement_notice" else "revoked"
    for match in _REPLACED.finditer(text):
        for when in _partial_dates(match["dates"])[:1]:
            add(ending, when)
    for match in _ENDED.finditer(text):
        for when in _partial_dates(match["dates"])[:1]:
            add(ending, when)
    for match in _EARLIER.finditer(text):
        earlier = "improvement_notice" if "notice" in match["what"].casefold() \
            else "statutory_direction"
        for when in _partial_dates(match["dates"]):
            add("issued", when, earlier)
    if (page.section or "").casefold().startswith("closed") and not any(
            event.action == ending and event.type == kind for event in events):
        add(ending, None)
    return events, []


def _kind(text: str) -> str | None:
    folded = text.casefold()
    if "improvement notice" in folded:
        return "improvement_notice"
    if "direction" in folded:
        return "statutory_direction"
    return None


def _partial_dates(text: str) -> list[str]:
    """'7 July 2017' -> '2017-07-07'; 'August 2012 and January 2014' -> both, by month."""
    found = []
    for match in _PARTIAL_DATE.finditer(text):
        month = MONTHS[match["month"].casefold()]
        if match["day"]:
            try:
                found.append(date(int(match["year"]), month, int(match["day"])).isoformat())
            except ValueError:
                continue
        else:
            found.append(f"{match['year']}-{month:02d}")
    return found


def _problem(page: NoticePage, message: str, field: str) -> Problem:
    return Problem(ProblemKind.UNREADABLE_VALUE, message, page.address, field=field,
                   snippet=page.title[:120])
