"""A trend chart of grade shares by year, drawn on the server as SVG beside its table.

Each grade is a line of its yearly share, every point a letter in a box (O, G, R, A, I) as
well as the grade's colour, so the chart reads without colour; a year with few inspections
has hollow boxes and its n under the axis; a dashed line marks where each framework began,
and no line crosses it, as grades either side are not one measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from ilacs.extract.models import Grade
from ilacs.web.charts import GRADE_LETTERS, framework_break, nice_scale
from ilacs.web.pages.common import Distribution
from ilacs.web.pages.england import FEW_INSPECTIONS as FEW
from ilacs.web.pages.history import FrameworkBreak, framework_breaks
from ilacs.web.pages.themes import TrendCell

WIDTH, HEIGHT = 640, 270
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 22, 50


@dataclass
class _Frame:
    """The axes of a chart of shares by year: where a year and a share are drawn, the
    gridlines, years with their n, and each framework's start."""

    first: int
    last: int
    top_share: float
    breaks: list[FrameworkBreak]
    parts: list[str] = field(default_factory=list)

    def x(self, position: float) -> float:  # a year's point sits in the middle of its year
        return LEFT + (WIDTH - LEFT - RIGHT) * (position - self.first) / (
            self.last - self.first + 1)

    def y(self, share: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share / (self.top_share or 1))

    def joined(self, before: int | None, year: int) -> bool:
        """Whether a line may join `before`'s point to `year`'s: consecutive years with no
        framework starting between them."""
        return before == year - 1 and not any(
            before + 0.5 < _position(found.date) <= year + 0.5 for found in self.breaks)

    def svg(self, chart_id: str, label: str, description: str) -> Markup:
        return Markup(
            f'<svg class="ilacs-chart ilacs-chart--trend" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'focusable="false"><title id="{chart_id}-title">{escape(label)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
            f'<line class="ilacs-chart__axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}"/>' + "".join(self.parts) + "</svg>")


def _frame(totals: Sequence[tuple[int, int]], highest: float) -> _Frame:
    """Axes for years (`totals`: each year with its n, oldest first) and shares to `highest`."""
    first, last = totals[0][0], totals[-1][0]
    _, top_share, ticks = nice_scale(0, highest)
    # a framework that started during a year shown, or on the first day after the last
    frame = _Frame(first, last, top_share,
                   list(framework_breaks(date(first, 1, 1), date(last + 1, 1, 1))))
    x, y = frame.x, frame.y
    frame.parts.extend(
        f'<line class="ilacs-chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/><text class="ilacs-chart__tick" '
        f'x="{LEFT - 4}" y="{y(tick) + 3.5:.1f}" text-anchor="end">{tick:g}%</text>'
        for tick in ticks)
    for year, total in totals:
        few = total < FEW
        frame.parts.append(
            f'<text class="ilacs-chart__tick" x="{x(year + 0.5):.1f}" '
            f'y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">{year}</text>'
            f'<text class="ilacs-chart__tick{" ilacs-chart__few-n" if few else ""}" '
            f'x="{x(year + 0.5):.1f}" y="{HEIGHT - BOTTOM + 27}" '
            f'text-anchor="middle">n={total}</text>')
    frame.parts.extend(framework_break(found, x(_position(found.date)), TOP, HEIGHT - BOTTOM,
                                       WIDTH) for found in frame.breaks)
    return frame


def share_trend_chart(rows: Sequence[Distribution], chart_id: str, label: str,
                      what: str = "inspections") -> Markup:
    """Each grade's share of the year's `what`, year by year (`rows` labelled by year)."""
    years = [(int(row.label), row) for row in rows if row.label.isdigit() and row.total]
    if len(years) < 2:
        return Markup("")
    frame = _frame([(year, row.total) for year, row in years],
                   max(c.percent for _, r in years for c in r.counts))
    x, y, parts = frame.x, frame.y, frame.parts
    grades = [count.grade for count in years[0][1].counts]
    for grade in grades:
        points = [(year, share, row.total) for year, row in years
                  if (share := next((c.percent for c in row.counts if c.grade is grade), 0.0))
                  or grade is not Grade.ADEQUATE]  # a grade of the old scale: where given
        path = [f'{"L" if frame.joined(before[0] if before else None, year) else "M"}'
                f'{x(year + 0.5):.1f} {y(share):.1f}'
                for before, (year, share, _) in zip([None, *points], points, strict=False)]
        parts.append(f'<path class="ilacs-chart__share ilacs-chart__share--{grade.value}" '
                     f'd="{" ".join(path)}"/>')
        for year, share, total in points:
            if share == 0 and total:
                continue  # no box for a grade nobody was given that year: the line shows 0
            hollow = " ilacs-chart__few" if total < FEW else ""
            parts.append(
                f'<g><title>{year}: {share:g}% {escape(grade.value.replace("_", " "))} '
                f'(n={total})</title><rect class="ilacs-grade--{grade.value}{hollow}" '
                f'x="{x(year + 0.5) - 6:.1f}" y="{y(share) - 6:.1f}" width="12" height="12" '
                f'rx="2"/><text class="ilacs-grade--{grade.value}{hollow}" '
                f'x="{x(year + 0.5):.1f}" y="{y(share) + 3.5:.1f}" text-anchor="middle">'
                f'{GRADE_LETTERS[grade]}</text></g>')
    latest_year, latest = years[-1]
    said = "; ".join(f"{c.name} {c.percent:g}%" for c in latest.counts)
    return frame.svg(chart_id, label, f"Share of {what} given each grade, {frame.first} to "
                     f"{latest_year}; in {latest_year}: {said} (n={latest.total}). The table "
                     "below has every year.")


def theme_trend_chart(cells: Sequence[TrendCell], chart_id: str, label: str) -> Markup:
    """One theme's share of each year's inspections and visits with points: a line (broken
    where a framework began) with a point a year, hollow where the year had under 10."""
    years = [cell for cell in cells if cell.events_total]
    if len(years) < 2:
        return Markup("")
    frame = _frame([(c.year, c.events_total) for c in years], max(c.percent for c in years))
    x, y = frame.x, frame.y
    path = [f'{"L" if frame.joined(before.year if before else None, c.year) else "M"}'
            f'{x(c.year + 0.5):.1f} {y(c.percent):.1f}'
            for before, c in zip([None, *years], years, strict=False)]
    frame.parts.append(f'<path class="ilacs-chart__own" d="{" ".join(path)}"/>')
    frame.parts.extend(
        f'<circle class="ilacs-chart__point'
        f'{" ilacs-chart__point--few" if c.events_total < FEW else ""}" '
        f'cx="{x(c.year + 0.5):.1f}" cy="{y(c.percent):.1f}" r="4"><title>{c.year}: '
        f'{c.percent:g}% ({c.events_raising} of {c.events_total})</title></circle>'
        for c in years)
    latest = years[-1]
    return frame.svg(chart_id, label, f"Share of inspections and visits raising it, "
                     f"{frame.first} to {latest.year}; in {latest.year}: {latest.percent:g}% "
                     f"({latest.events_raising} of {latest.events_total}). The table below "
                     "has every year.")


def _position(day: date) -> float:
    """Where a date falls on the year axis (2018-01-01 is 2018.0, mid-year 2018.5)."""
    return day.year + (day.timetuple().tm_yday - 1) / 365.25
