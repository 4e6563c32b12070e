"""The pre-inspection pack: one printable page per authority of what a performance team
gathers by hand before an inspection.

Its grade history beside its statistical neighbours, the next inspection window with the
rule and how often that rule's windows held the next inspection (the back-test), the themes
inspectors raised more than once with each point and its page, what the neighbours were
asked in the last three years, and what the neighbours judged good or outstanding were praised
for. Every figure comes from the analyses the CLI prints (`ilacs analyse history`, `due`,
`backtest`, `recurrence`, `peers`, `praise`); this page only gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ilacs.analysis.praise import NeighboursPraise, PraisedNeighbour, neighbours_praise
from ilacs.analysis.schedule import Backtest, backtest
from ilacs.analysis.themes import newest_first, peer_themes, recurrences
from ilacs.errors import AnalysisError
from ilacs.store.strengths import StrengthRow
from ilacs.web import urls
from ilacs.web.pages.authority import (
    NEIGHBOUR_MODEL,
    AuthorityInfo,
    NeighbourRow,
    NextInspection,
    Standing,
    authority_page,
)
from ilacs.web.pages.common import (
    WORDS_MISSING,
    AuthorityRef,
    Option,
    Source,
    authority_ref,
    source,
)
from ilacs.web.pages.history import GradeHistory
from ilacs.web.pages.themes import ThemePoint, theme_point
from ilacs.web.snapshot import Snapshot

PEER_YEARS = 3
PEER_THEMES_SHOWN = 8
PEER_EXAMPLES = 2
PRAISE_EXAMPLES = 3
PRAISE_THEMES_SHOWN = 8


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
class PackStrength:
    """A strength as the pack shows it: its words (when held), authority and page."""

    text: str
    text_held: bool
    authority: AuthorityRef | None
    date: date | None
    source: Source | None
    uncertain: bool  # the classifier was unsure of its themes


@dataclass(frozen=True)
class PraisedNeighbourRow:
    authority: AuthorityRef | None
    grade: str  # "good" or "outstanding"
    inspected: date | None
    strengths: int
    source: Source | None  # the report, at the page of its first strength


@dataclass(frozen=True)
class PraisedThemeRow:
    theme: str
    name: str
    authorities: int
    examples: tuple[PackStrength, ...]  # one per neighbour, by rank


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
    praised: tuple[PraisedNeighbourRow, ...]  # neighbours judged good or outstanding
    praised_themes: tuple[PraisedThemeRow, ...]  # what they were praised for, most first
    texts_missing: str | None


def pack_page(snapshot: Snapshot, urn: int) -> PackPage:
    return snapshot.memo(("pack", urn), lambda: _pack_page(snapshot, urn))


def _pack_page(snapshot: Snapshot, urn: int) -> PackPage:
    page = authority_page(snapshot, urn)
    recurring = _recurring(snapshot, urn)
    since, peers = _peer_themes(snapshot, urn)
    praise = _praise(snapshot, urn)
    praised_themes = tuple(
        PraisedThemeRow(theme.theme, theme.name, len(theme.authorities),
                        tuple(_strength(snapshot, s) for s in theme.examples[:PRAISE_EXAMPLES]))
        for theme in praise.themes[:PRAISE_THEMES_SHOWN]) if praise else ()
    shown: list[ThemePoint | PackStrength] = [
        *(point for theme in (*recurring, *peers) for point in theme.points),
        *(example for theme in praised_themes for example in theme.examples)]
    return PackPage(
        info=page.info, as_of=page.as_of, address=urls.pack(urn),
        judgements=page.judgements, history=page.history,
        neighbour_model=page.neighbour_model, neighbours=page.neighbours,
        standings=page.standings, next_inspection=page.next_inspection,
        hit_rate=_hit_rate(snapshot, urn), recurring=recurring, peers_since=since,
        peer_themes=peers,
        praised=tuple(_praised_row(snapshot, neighbour) for neighbour in praise.neighbours)
        if praise else (),
        praised_themes=praised_themes,
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
    own = [themed for themed in snapshot.themed if themed.point.urn == urn]
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


def _praise(snapshot: Snapshot, urn: int) -> NeighboursPraise | None:
    try:
        return neighbours_praise(snapshot.record, urn, NEIGHBOUR_MODEL)
    except AnalysisError:  # no neighbours
        return None


def _praised_row(snapshot: Snapshot, neighbour: PraisedNeighbour) -> PraisedNeighbourRow:
    authority = snapshot.record.authority(neighbour.urn)
    inspection = neighbour.inspection
    first_page = neighbour.strengths[0].page if neighbour.strengths else None
    return PraisedNeighbourRow(authority_ref(authority) if authority else None,
                               neighbour.grade.value, inspection.date, len(neighbour.strengths),
                               source(snapshot, inspection.document_path, first_page))


def _strength(snapshot: Snapshot, strength: StrengthRow) -> PackStrength:
    authority = snapshot.record.authority(strength.urn) if strength.urn is not None else None
    return PackStrength(strength.text, strength.text_held,
                        authority_ref(authority) if authority else None, strength.date,
                        source(snapshot, strength.document_path, strength.page),
                        strength.themes_confident is False)
