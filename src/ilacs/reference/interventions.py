"""DfE's interventions in councils' children's services as sourced events, and the
interventions (notices, directions, commissioners, trusts, partners) they add up to.

An events file (the format of `shared/reference/interventions/events.jsonl`) holds one JSON
object per line: `la`, `type`, `action`, `date` (`YYYY`, `YYYY-MM`, `YYYY-MM-DD` or null),
optional `partner` / `person`, `source`, `quote`, `note`. Each event is a claim with its
source; `derive_interventions` turns the events of one council into spans of time:

- events group by council, type and whom they name (the partner of a trust or partnership,
  the person of a commissioner or adviser);
- dated events are read in date order, an ending before a start on the same date (a
  direction revoked and replaced the same day);
- an issue, appointment or establishment while one is open belongs to the open one (a
  re-issued direction continues it); revisions and announcements join the open one, or the
  latest one, or open one without a start;
- an undated event joins the span it can only belong to: an undated start the earliest span
  without a start (else the open one), an undated end closes the open one (its end unknown);
- a span seen only announced or revised has no start and an `unknown` status; a trust
  established later ends the one before it;
- a span of a council since abolished ends the day the council did;
- a span without an ending is `active` when it is a trust or partnership (bodies whose
  end the sources report), or when its latest event is in 2023 or later (the events'
  README says ends before 2023 are mostly missing); otherwise its status is `unknown`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from ilacs.errors import IlacsError
from ilacs.reference.register import Register, load_register

TYPES = ("improvement_notice", "statutory_direction", "commissioner", "childrens_trust",
         "improvement_partner", "improvement_adviser", "partnership")
STARTS = ("issued", "appointed", "established")
ENDS = ("revoked", "lifted", "removed")
JOINS = ("revised", "announced")
ACTIONS = STARTS + ENDS + JOINS
PARTIAL_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
# Bodies that exist until an end is reported; other spans are only called active when
# their latest event is recent enough for the sources to have reported an end.
_LASTING = ("childrens_trust", "partnership", "improvement_partner")
RECENT_FROM = "2023"
_NAMED_BY_PERSON = ("commissioner", "improvement_adviser")


def dates_agree(one: str | None, other: str | None) -> bool:
    """Two partial dates ('2013', '2013-06', '2013-06-01') agree when either is unknown or
    they are equal at the precision both have."""
    if one is None or other is None:
        return True
    width = min(len(one), len(other))
    return one[:width] == other[:width]


def ends_before(one: str, other: str) -> bool:
    """`one` is wholly before `other`, at the precision both have ('2019' < '2022-03')."""
    width = min(len(one), len(other))
    return one[:width] < other[:width]


def on_or_before(one: str, other: str) -> bool:
    """`one` is on or before `other`, at the precision both have."""
    width = min(len(one), len(other))
    return one[:width] <= other[:width]


class InterventionEventError(IlacsError):
    """A line of an events file that cannot be used, naming the file, line and field."""


@dataclass(frozen=True)
class InterventionEvent:
    urn: int
    type: str
    action: str
    date: str | None
    source: str
    partner: str | None = None
    person: str | None = None
    quote: str | None = None
    note: str | None = None


@dataclass
class DerivedIntervention:
    urn: int
    type: str
    partner_name: str | None
    person: str | None
    start_date: str | None = None
    end_date: str | None = None
    ended: bool = False
    events: list[InterventionEvent] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.ended:
            return "ended"
        if all(event.action in JOINS for event in self.events):
            return "unknown"  # announced or revised, never seen to start
        latest = max((event.date for event in self.events if event.date), default="")
        return "active" if self.type in _LASTING or latest >= RECENT_FROM else "unknown"

    @property
    def sources(self) -> list[str]:
        return sorted({event.source for event in self.events})


def read_events(path: Path, register: Register | None = None) -> list[InterventionEvent]:
    """Every event of a JSON-lines file; the first bad line raises, naming line and field."""
    register = register or load_register()
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as error:
        raise InterventionEventError(f"cannot read the file ({error.strerror})",
                                     path=str(path)) from error
    events = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            events.append(_event(line, register, f"{path}, line {number}"))
    return events


def _event(line: str, register: Register, where: str) -> InterventionEvent:
    def fail(name: str, message: str) -> InterventionEventError:
        return InterventionEventError(f"field '{name}': {message}", path=where)

    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise fail("-", f"not JSON ({error.msg})") from error
    if not isinstance(item, dict):
        raise fail("-", "expected an object of fields")
    la = str(item.get("la") or "").strip()
    authority = register.match(la) if la else None
    if authority is None:
        raise fail("la", f"{la!r} is not an LA in the register")
    kind, action = str(item.get("type") or ""), str(item.get("action") or "")
    if kind not in TYPES:
        raise fail("type", f"{kind!r} is not one of {', '.join(TYPES)}")
    if action not in ACTIONS:
        raise fail("action", f"{action!r} is not one of {', '.join(ACTIONS)}")
    date = item.get("date")
    if date is not None and not (isinstance(date, str) and PARTIAL_DATE.match(date)):
        raise fail("date", f"{date!r} is not a date like 2018, 2018-05, 2018-05-31 or null")
    source = str(item.get("source") or "").strip()
    if not source:
        raise fail("source", "every event needs the address of the page that states it")

    def text(name: str) -> str | None:
        return str(item.get(name) or "").strip() or None

    return InterventionEvent(urn=authority.urn, type=kind, action=action, date=date,
                             source=source, partner=text("partner"), person=text("person"),
                             quote=text("quote"), note=text("note"))


def derive_interventions(events: Iterable[InterventionEvent],
                         register: Register | None = None) -> list[DerivedIntervention]:
    """The spans the events add up to (see the module notes), in a stable order."""
    register = register or load_register()
    groups: dict[tuple[int, str, str | None], list[InterventionEvent]] = defaultdict(list)
    for event in events:
        groups[(event.urn, event.type, _whom(event))].append(event)
    spans: list[DerivedIntervention] = []
    for (urn, kind, _whom_key), group in sorted(groups.items(), key=lambda g: str(g[0])):
        spans.extend(_spans(urn, kind, group))
    _end_succeeded_trusts(spans)
    for span in spans:
        authority = register.by_urn(span.urn)
        if (not span.ended and not authority.active and authority.successors
                and not all(event.action in JOINS for event in span.events)):
            # nothing outlives the council it was made for: it ends the day before its
            # successors begin
            last_day = min(link.date for link in authority.successors) - timedelta(days=1)
            span.end_date, span.ended = last_day.isoformat(), True
    return spans


def _end_succeeded_trusts(spans: list[DerivedIntervention]) -> None:
    """A council has one children's trust at a time: a trust established later ends the
    open one before it, on the day the new one starts."""
    trusts: dict[int, list[DerivedIntervention]] = defaultdict(list)
    for span in spans:
        if span.type == "childrens_trust" and span.start_date:
            trusts[span.urn].append(span)
    for group in trusts.values():
        group.sort(key=lambda span: span.start_date or "")
        for earlier, later in zip(group, group[1:], strict=False):
            if not earlier.ended and later.status != "unknown":
                earlier.end_date, earlier.ended = later.start_date, True


def _whom(event: InterventionEvent) -> str | None:
    return event.person if event.type in _NAMED_BY_PERSON else event.partner


def _spans(urn: int, kind: str, group: list[InterventionEvent]) -> list[DerivedIntervention]:
    spans: list[DerivedIntervention] = []
    partner = next((e.partner for e in group if e.partner), None)
    person = next((e.person for e in group if e.person), None)

    def new_span(event: InterventionEvent) -> DerivedIntervention:
        span = DerivedIntervention(urn, kind, partner, person)
        spans.append(span)
        return span

    def open_span() -> DerivedIntervention | None:
        return spans[-1] if spans and not spans[-1].ended else None

    dated = sorted((e for e in group if e.date),
                   key=lambda e: (e.date or "", e.action not in ENDS))
    for event in dated:
        current = open_span()
        if event.action in ENDS:
            span = current or new_span(event)
            span.end_date, span.ended = event.date, True
        elif event.action in STARTS:
            span = current or new_span(event)
            if span.start_date is None:
                span.start_date = event.date
        else:  # an announcement or revision is no start: the span's start stays unknown
            span = current or (spans[-1] if spans and event.action == "revised" else None) \
                or new_span(event)
        span.events.append(event)
    for event in (e for e in group if not e.date):
        current = open_span()
        if event.action in ENDS:
            span = current or (spans[-1] if spans else new_span(event))
            span.ended = True
        elif event.action in STARTS:
            span = next((s for s in spans if s.start_date is None), None) or current \
                or new_span(event)
        else:
            span = current or (spans[-1] if spans else new_span(event))
        span.events.append(event)
    return spans

