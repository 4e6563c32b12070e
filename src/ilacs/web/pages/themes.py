"""National themes of what inspectors asked authorities to improve, with a drill-down."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date

from ilacs.analysis.themes import (
    ThemedPoint,
    TrendPoint,
    by_year,
    theme_counts,
    theme_trends,
)
from ilacs.extract.themes import taxonomy
from ilacs.web import urls
from ilacs.web.pages.common import (
    TEXTS_MISSING,
    WORDS_MISSING,
    AuthorityRef,
    BadParameter,
    Source,
    authority_ref,
    source,
)
from ilacs.web.pages.england import year_note
from ilacs.web.snapshot import Snapshot

DRILL_DOWN_LIMIT = 200
EVENTS = "inspections and visits"  # what a theme's yearly shares count


@dataclass(frozen=True)
class ThemeSummary:
    theme: str
    name: str
    about: str
    events: int  # inspections and visits that raised it
    points: int
    authorities: int
    url: str


@dataclass(frozen=True)
class TrendCell:
    year: int
    events_raising: int
    events_total: int
    percent: float


@dataclass(frozen=True)
class ThemeTrend:
    theme: str
    name: str
    cells: tuple[TrendCell, ...]  # in the order of `ThemesPage.years`


@dataclass(frozen=True)
class ThemePoint:
    text: str  # empty when the text is not held
    text_held: bool  # False: the record knows the point's themes and page, not its words
    authority: AuthorityRef | None
    date: date | None
    event: str
    evidence: str  # the words that weighed most; empty when the text is not held
    source: Source | None
    uncertain: bool = False  # the classifier was unsure of this point's themes


@dataclass(frozen=True)
class ThemeDetail:
    theme: str
    name: str
    about: str
    trend: tuple[TrendCell, ...]
    points: tuple[ThemePoint, ...]  # newest first, at most DRILL_DOWN_LIMIT
    points_total: int
    csv_url: str  # every point of the theme
    trend_csv_url: str  # the numbers of its chart and table by year


@dataclass(frozen=True)
class ThemesPage:
    points_read: int  # improvement points whose text the record holds
    points_themed_only: int  # points known by their themes alone (from the bundled record)
    points_unthemed: int
    points_uncertain: int  # filed with low confidence (each is marked where it is listed)
    classifiers: tuple[str, ...]  # versions of the theme classifier behind the counts
    themes: tuple[ThemeSummary, ...]  # most raised first
    years: tuple[int, ...]
    trends: tuple[ThemeTrend, ...]  # share of each year's events raising each theme
    selected: ThemeDetail | None
    texts_missing: str | None
    year_totals: tuple[int, ...] = ()  # inspections and visits with points, per year (the n)
    year_notes: tuple[str | None, ...] = ()  # a framework that began, too few events


def themes_page(snapshot: Snapshot, theme: str | None) -> ThemesPage:
    if theme:
        check_theme(theme)
    national = snapshot.memo("themes", lambda: _national(snapshot))
    if not theme:
        return national
    detail = _detail(snapshot, theme)
    # The notice speaks of the points shown, not of the whole record's.
    held = all(point.text_held for point in detail.points)
    return replace(national, selected=detail, texts_missing=None if held else WORDS_MISSING)


def _national(snapshot: Snapshot) -> ThemesPage:
    items = snapshot.themed
    about = {t.key: t.about for t in taxonomy()}
    counts = theme_counts(items)
    years = tuple(sorted(by_year(items)))
    trends = []
    totals: dict[int, int] = {}
    every_trend = _trends(snapshot)
    for count in counts:
        points = {p.year: p for p in every_trend[count.theme]}
        totals.update((year, point.events_total) for year, point in points.items())
        trends.append(ThemeTrend(count.theme, count.name, tuple(
            _cell(year, points[year].events_raising, points[year].events_total)
            if year in points else TrendCell(year, 0, 0, 0.0) for year in years)))
    without_text = sum(not themed.point.text_held for themed in items)
    return ThemesPage(
        points_read=len(items) - without_text, points_themed_only=without_text,
        points_unthemed=sum(not themed.themes for themed in items),
        points_uncertain=sum(not themed.confident for themed in items),
        classifiers=tuple(sorted({themed.model for themed in items if themed.model})),
        themes=tuple(ThemeSummary(c.theme, c.name, about.get(c.theme, ""), c.events, c.points,
                                  c.authorities, urls.themes(c.theme)) for c in counts),
        years=years, trends=tuple(trends), selected=None,
        year_totals=tuple(totals.get(year, 0) for year in years),
        year_notes=tuple(year_note(str(year), totals.get(year, 0), EVENTS)
                         for year in years),
        texts_missing=TEXTS_MISSING if not items else WORDS_MISSING if without_text else None)


def check_theme(theme: str) -> None:
    known = [t.key for t in taxonomy()]
    if theme not in known:
        raise BadParameter(f"theme={theme!r} is not a theme; use one of " + ", ".join(known))


def _cell(year: int, raising: int, total: int) -> TrendCell:
    return TrendCell(year, raising, total, round(100 * raising / total, 1) if total else 0.0)


def _detail(snapshot: Snapshot, theme: str) -> ThemeDetail:
    found = next(t for t in taxonomy() if t.key == theme)
    matching = _matching(snapshot, theme)
    points = tuple(theme_point(snapshot, themed, theme) for themed in matching[:DRILL_DOWN_LIMIT])
    return ThemeDetail(theme, found.name, found.about, _trend(snapshot, theme), points,
                       len(matching),
                       urls.themes(theme, csv=True), urls.theme_trend_csv(theme))


def _trend(snapshot: Snapshot, theme: str) -> tuple[TrendCell, ...]:
    return tuple(_cell(p.year, p.events_raising, p.events_total)
                 for p in _trends(snapshot)[theme])


def _trends(snapshot: Snapshot) -> dict[str, list[TrendPoint]]:
    """Every theme's trend, worked out once per snapshot (each theme's page shows its own)."""
    return snapshot.memo("theme trends", lambda: theme_trends(snapshot.themed))


def _matching(snapshot: Snapshot, theme: str) -> list[ThemedPoint]:
    """The points filed under `theme`, newest first."""
    matching = [t for t in snapshot.themed if t.has(theme)]
    matching.sort(key=lambda t: (t.point.date or date.min, t.point.document_path), reverse=True)
    return matching


def theme_point(snapshot: Snapshot, themed: ThemedPoint, theme: str) -> ThemePoint:
    """A point as a theme lists it: its words, authority, date, event and page."""
    item = themed.point
    authority = snapshot.record.authority(item.urn) if item.urn is not None else None
    return ThemePoint(item.text, item.text_held, authority_ref(authority) if authority else None,
                      item.date, item.event, themed.evidence(theme) or "",
                      source(snapshot, item.document_path, item.page), not themed.confident)


THEME_TREND_COLUMNS = ("theme", "year", "events_raising", "events_with_points", "percent",
                       "note")


def theme_trend_csv(snapshot: Snapshot, theme: str) -> str:
    """The numbers of a theme's chart and table: each year's inspections and visits raising
    it, of those with any point, with the year's note (a framework began, few events)."""
    check_theme(theme)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(THEME_TREND_COLUMNS)
    for cell in _trend(snapshot, theme):
        writer.writerow([theme, cell.year, cell.events_raising, cell.events_total, cell.percent,
                         year_note(str(cell.year), cell.events_total, EVENTS) or ""])
    return out.getvalue()


THEME_CSV_COLUMNS = ("theme", "authority", "urn", "date", "event", "point", "evidence",
                     "uncertain", "source")


def theme_points_csv(snapshot: Snapshot, theme: str, base_url: str) -> str:
    """Every point filed under `theme` (not only the page's latest), newest first, with the
    address of the page it is on; a point known only by its themes has an empty text."""
    check_theme(theme)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(THEME_CSV_COLUMNS)
    for themed in _matching(snapshot, theme):
        point = theme_point(snapshot, themed, theme)
        url = point.source.url if point.source else None
        writer.writerow([theme, point.authority.name if point.authority else "",
                         point.authority.urn if point.authority else "",
                         point.date.isoformat() if point.date else "", point.event, point.text,
                         point.evidence, "yes" if point.uncertain else "no",
                         f"{base_url}{url}" if url else ""])
    return out.getvalue()
