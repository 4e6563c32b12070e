"""The pre-inspection pack: one printable page per authority of what a performance team
gathers by hand before an inspection.

Its grade history beside its statistical neighbours, the next inspection window with the
rule and how often that rule's windows held the next inspection (the back-test), the themes
inspectors raised more than once with each point and its page, what the neighbours were
asked in the last three years, and which neighbours are judged good or outstanding, with
their reports. Every figure comes from the analyses the CLI prints (`ilacs analyse
history`, `due`, `backtest`, `recurrence`, `peers`); this page only gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ilacs.analysis.schedule import Backtest, backtest
from ilacs.analysis.themes import newest_first, peer_themes, recurrences
from ilacs.errors import AnalysisError
from ilacs.extract.models import Grade
from ilacs.web import urls
from ilacs.web.pages.authority import (
    NEIGHBOUR_MODEL,
    AuthorityInfo,
    NeighbourRow,
    NextInspection,
    Standing,
    authority_page,
)
from ilacs.web.pages.common import WORDS_MISSING, Option
from ilacs.web.pages.history import GradeHistory
from ilacs.web.pages.themes import ThemePoint, theme_point
from ilacs.web.snapshot import Snapshot

PEER_YEARS = 3
PEER_THEMES_SHOWN = 8
PEER_EXAMPLES = 2
PRAISED = (Grade.OUTSTANDING, Grade.GOOD)


@dataclass(frozen=True)
class HitRate:
    """How often windows set by the rule held the next inspection, in the record."""

    rule: str
    citation: str
    observed: int  # windows whose next inspection is in the record (inside, early or late)
    inside_percent: float
    early: int
    late: int
    since_pause_observed: int  # windows set since the 2020-21 pause, a better guide now
    since_pause_inside_percent: float


@dataclass(frozen=True)
class PackTheme:
    theme: str
    name: str
    events: int  # inspections and visits that raised it
    authorities: int  # for the neighbours' themes: how many of them were asked
    points: tuple[ThemePoint, ...]  # newest first


@dataclass(frozen=True)
class PackPage:
    info: AuthorityInfo
    as_of: date | None
    address: str  # the pack's own address, to cite or share
    judgements: tuple[Option, ...]
    history: GradeHistory  # its full inspections, and each judgement beside the neighbours'
    neighbour_model: str
    neighbours: tuple[NeighbourRow, ...]  # the authority first, then its neighbours by rank
    standings: tuple[Standing, ...]
    next_inspection: NextInspection | None
    hit_rate: HitRate | None
    recurring: tuple[PackTheme, ...]  # raised at two or more dates, most events first
    peers_since: date | None
    peer_themes: tuple[PackTheme, ...]  # what the neighbours were asked, most events first
    praised: tuple[NeighbourRow, ...]  # neighbours judged good or outstanding overall
    texts_missing: str | None


def pack_page(snapshot: Snapshot, urn: int) -> PackPage:
    return snapshot.memo(("pack", urn), lambda: _pack_page(snapshot, urn))


def _pack_page(snapshot: Snapshot, urn: int) -> PackPage:
    page = authority_page(snapshot, urn)
    recurring = _recurring(snapshot, urn)
    since, peers = _peer_themes(snapshot, urn)
    shown = [point for theme in (*recurring, *peers) for point in theme.points]
    return PackPage(
        info=page.info, as_of=page.as_of, address=urls.pack(urn),
        judgements=page.judgements, history=page.history,
        neighbour_model=page.neighbour_model, neighbours=page.neighbours,
        standings=page.standings, next_inspection=page.next_inspection,
        hit_rate=_hit_rate(snapshot, urn), recurring=recurring, peers_since=since,
        peer_themes=peers,
        praised=tuple(row for row in page.neighbours[1:]
                      if row.grades and row.grades[0].grade in PRAISED),
        texts_missing=WORDS_MISSING if any(not p.text_held for p in shown) else None,
    )


def _hit_rate(snapshot: Snapshot, urn: int) -> HitRate | None:
    due = snapshot.due.get(urn)
    if due is None:
        return None
    every: Backtest = snapshot.memo("backtest", lambda: backtest(snapshot.record))
    same_rule = Backtest(tuple(case for case in every.cases if case.rule.key == due.rule.key))
    since_pause = same_rule.cohort(before_pause=False)
    return HitRate(due.rule.key, due.rule.citation, same_rule.observed,
                   same_rule.inside_share, same_rule.counts["early"], same_rule.counts["late"],
                   since_pause.observed, since_pause.inside_share)


def _recurring(snapshot: Snapshot, urn: int) -> tuple[PackTheme, ...]:
    found = recurrences(snapshot.record, snapshot.themed, urn)
    found.sort(key=lambda recurrence: (-len(recurrence.occurrences), recurrence.theme_name))
    own = [themed for themed in snapshot.themed if themed.item.urn == urn]
    return tuple(PackTheme(
        recurrence.theme, recurrence.theme_name, len(recurrence.occurrences), 1,
        tuple(theme_point(snapshot, themed, recurrence.theme) for themed in sorted(
            (t for t in own if t.has(recurrence.theme)), key=newest_first)))
        for recurrence in found)


def _peer_themes(snapshot: Snapshot, urn: int) -> tuple[date | None, tuple[PackTheme, ...]]:
    try:
        found = peer_themes(snapshot.record, snapshot.themed, urn, NEIGHBOUR_MODEL, PEER_YEARS,
                            examples=PEER_EXAMPLES)
    except AnalysisError:  # no neighbours: a predecessor authority, say
        return None, ()
    return found.since, tuple(
        PackTheme(count.theme, count.name, count.events, count.authorities,
                  tuple(theme_point(snapshot, themed, count.theme)
                        for themed in count.examples))
        for count in found.counts[:PEER_THEMES_SHOWN])
