"""What inspectors asked authorities to improve, by theme: frequencies, trends, peers, recurrence.

Every improvement point (reports and letters alike) is filed under its themes at extraction
by the shipped classifier (`ilacs.extract.theme_model`, measured by `ilacs eval themes`), which
keeps the words that weighed as the reason; the themes are stored with the classifier's
version, and a point filed by another version is re-classified here. Counts are of
*events* (an inspection or a visit letter) raising a theme, not of points, so a report that
splits one concern over three bullets counts once; point counts are given beside them.

Recurrence: a theme recurs for an authority when it is raised at two or more events on
different dates (asked in 2019, asked again in 2023). A successor authority does not inherit
its predecessor's themes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ilacs.analysis.record import AnalysisRecord
from ilacs.errors import AnalysisError
from ilacs.extract.theme_model import packaged_version, themes_of
from ilacs.extract.themes import ThemeMatch, theme_names
from ilacs.reference.register import NeighbourModel
from ilacs.store.points import PointRow


@dataclass(frozen=True)
class ThemedPoint:
    point: PointRow
    themes: tuple[ThemeMatch, ...]
    confident: bool = True  # False: the classifier was unsure of these themes
    model: str | None = None  # the classifier's version (None: not known for this point)

    def has(self, theme: str) -> bool:
        return any(match.theme == theme for match in self.themes)

    def evidence(self, theme: str) -> str | None:
        return next((m.evidence for m in self.themes if m.theme == theme), None)


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    name: str
    events: int  # inspections and visits that raised it
    points: int  # improvement points filed under it
    authorities: int
    examples: tuple[ThemedPoint, ...] = ()  # the most recent points, for reading
    uncertain_points: int = 0  # points filed here that the classifier was unsure of
    classifiers: tuple[str, ...] = ()  # the classifier versions behind these points


@dataclass(frozen=True)
class TrendPoint:
    year: int
    events_raising: int
    events_total: int  # events in that year with any improvement point

    @property
    def share(self) -> float:
        return round(100 * self.events_raising / self.events_total, 1) if self.events_total else 0.0


@dataclass(frozen=True)
class Occurrence:
    date: date
    event: str
    document_path: str
    item_number: int
    page: int | None
    evidence: str


@dataclass(frozen=True)
class Recurrence:
    urn: int
    name: str
    theme: str
    theme_name: str
    occurrences: tuple[Occurrence, ...]  # one per event, oldest first

    @property
    def first(self) -> date:
        return self.occurrences[0].date

    @property
    def last(self) -> date:
        return self.occurrences[-1].date


@dataclass(frozen=True)
class PeerThemes:
    urn: int
    model: NeighbourModel
    since: date
    peers: tuple[int, ...]
    counts: tuple[ThemeCount, ...]


def themed_points(record: AnalysisRecord) -> list[ThemedPoint]:
    """Every dated improvement point of a known authority, with its themes as stored; a
    point stored by another classifier version (or before themes were stored) whose text is
    held is classified afresh, in one batch."""
    known = theme_names()
    items = [item for item in record.points if item.urn is not None and item.date is not None]
    current = packaged_version()
    stale = [item for item in items
             if item.text and (item.themes is None or item.theme_model != current)]
    fresh = {id(item): verdict for item, verdict in zip(
        stale, themes_of([item.text for item in stale]), strict=True)}
    themed = []
    for item in items:
        verdict = fresh.get(id(item))
        if verdict is not None:
            themed.append(ThemedPoint(item, verdict.matches, verdict.confident, verdict.model))
        else:
            themed.append(ThemedPoint(
                item, tuple(m for m in item.themes or () if m.theme in known),
                item.themes_confident is not False, item.theme_model))
    return themed


def theme_counts(items: Iterable[ThemedPoint], examples: int = 0) -> list[ThemeCount]:
    """Events, points and authorities per theme, most events first."""
    events: dict[str, set[tuple[str, int]]] = defaultdict(set)
    points: dict[str, list[ThemedPoint]] = defaultdict(list)
    authorities: dict[str, set[int]] = defaultdict(set)
    for themed in items:
        for match in themed.themes:
            events[match.theme].add((themed.point.event, themed.point.event_id))
            points[match.theme].append(themed)
            if themed.point.urn is not None:
                authorities[match.theme].add(themed.point.urn)
    names = theme_names()
    counts = [
        ThemeCount(theme, names.get(theme, theme), len(events[theme]), len(points[theme]),
                   len(authorities[theme]),
                   tuple(sorted(points[theme], key=newest_first)[:examples]),
                   uncertain_points=sum(not p.confident for p in points[theme]),
                   classifiers=tuple(sorted({p.model for p in points[theme] if p.model})))
        for theme in points
    ]
    return sorted(counts, key=lambda c: (-c.events, -c.points, c.theme))


def by_year(items: Iterable[ThemedPoint]) -> dict[int, list[ThemeCount]]:
    """Theme counts for each calendar year of the events."""
    grouped: dict[int, list[ThemedPoint]] = defaultdict(list)
    for themed in items:
        assert themed.point.date is not None
        grouped[themed.point.date.year].append(themed)
    return {year: theme_counts(grouped[year]) for year in sorted(grouped)}


def theme_trend(items: Sequence[ThemedPoint], theme: str) -> list[TrendPoint]:
    """Per year: how many events raised the theme, out of all events with improvement points."""
    if theme not in theme_names():
        raise AnalysisError(f"unknown theme {theme!r}; see `ilacs analyse themes --list`")
    return theme_trends(items)[theme]


def theme_trends(items: Sequence[ThemedPoint]) -> dict[str, list[TrendPoint]]:
    """`theme_trend` of every theme of the taxonomy, in one pass over the points."""
    total: dict[int, set[tuple[str, int]]] = defaultdict(set)
    raising: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
    for themed in items:
        assert themed.point.date is not None
        year = themed.point.date.year
        key = (themed.point.event, themed.point.event_id)
        total[year].add(key)
        for theme in {match.theme for match in themed.themes}:
            raising[theme, year].add(key)
    return {theme: [TrendPoint(year, len(raising[theme, year]), len(total[year]))
                    for year in sorted(total)] for theme in theme_names()}


def peer_themes(record: AnalysisRecord, items: Sequence[ThemedPoint], urn: int,
                model: NeighbourModel = "2025", years: int = 3,
                examples: int = 3) -> PeerThemes:
    """What the authority's statistical neighbours were asked to improve in the last `years`.

    "Last" counts back from the record's latest date, so the answer does not change with
    the day it is asked.
    """
    neighbours = record.register.neighbours(urn, model)
    if not neighbours:
        raise AnalysisError(f"{record.register.by_urn(urn).name} has no statistical "
                            f"neighbours in the {model} model")
    horizon = record.as_of or date.today()
    since = horizon - timedelta(days=round(365.25 * years))
    peers = tuple(n.authority.urn for n in neighbours)
    recent = [t for t in items if t.point.urn in peers and t.point.date is not None
              and t.point.date >= since]
    return PeerThemes(urn, model, since, peers, tuple(theme_counts(recent, examples)))


def recurrences(record: AnalysisRecord, items: Iterable[ThemedPoint],
                urn: int | None = None) -> list[Recurrence]:
    """Themes raised again at a later event, per authority (or for one), most events first."""
    seen: dict[tuple[int, str], dict[tuple[str, int], Occurrence]] = defaultdict(dict)
    for themed in items:
        item = themed.point
        if item.urn is None or item.date is None or (urn is not None and item.urn != urn):
            continue
        for match in themed.themes:
            events = seen[(item.urn, match.theme)]
            key = (item.event, item.event_id)
            if key not in events:  # the event's first point on the theme stands for it
                events[key] = Occurrence(item.date, item.event, item.document_path,
                                         item.number, item.page, match.evidence)
    names = theme_names()
    found = []
    for (authority_urn, theme), events in seen.items():
        occurrences = tuple(sorted(events.values(), key=lambda o: (o.date, o.event)))
        if len({o.date for o in occurrences}) >= 2:
            authority = record.authority(authority_urn)
            name = authority.name if authority else str(authority_urn)
            found.append(Recurrence(authority_urn, name, theme, names.get(theme, theme),
                                    occurrences))
    return sorted(found, key=lambda r: (r.name, -len(r.occurrences), r.theme))


def newest_first(themed: ThemedPoint) -> tuple[int, str, int]:
    """A sort key: the newest point first, then by document and position."""
    item = themed.point
    return (-(item.date or date.min).toordinal(), item.document_path, item.number)
