"""A trend chart of grade shares by year, drawn on the server as SVG beside its table.

Each grade is a line of its yearly share, every point a letter in a box (O, G, R, A, I) as
well as the grade's colour, so the chart reads without colour; a year with few inspections
has hollow boxes and its n under the axis; a dashed line marks where each framework began,
and no line crosses it, as grades either side are not one measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

from ilacs.extract.frameworks import load_frameworks
from ilacs.extract.models import Grade
from ilacs.web.charts import GRADE_LETTERS, nice_scale
from ilacs.web.pages.common import Distribution

WIDTH, HEIGHT = 640, 270
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 22, 50
FEW = 10  # a year with fewer events: its shares say little (hollow boxes)


def share_trend_chart(rows: Sequence[Distribution], chart_id: str, label: str,
                      what: str = "inspections") -> Markup:
    """Each grade's share of the year's `what`, year by year (`rows` labelled by year)."""
    years = [(int(row.label), row) for row in rows if row.label.isdigit() and row.total]
    if len(years) < 2:
        return Markup("")
    first, last = years[0][0], years[-1][0]
    span = last - first + 1
    _, top_share, ticks = nice_scale(0, max(c.percent for _, r in years for c in r.counts))

    def x(position: float) -> float:  # a year's point sits in the middle of its year
        return LEFT + (WIDTH - LEFT - RIGHT) * (position - first) / span

    def y(share: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share / (top_share or 1))

    breaks = [(f.name, f.starts) for f in load_frameworks()[1:]
              if first < _position(f.starts) <= last + 1]
    parts = [f'<line class="ilacs-chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
             f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/><text class="ilacs-chart__tick" '
             f'x="{LEFT - 4}" y="{y(tick) + 3.5:.1f}" text-anchor="end">{tick:g}%</text>'
             for tick in ticks]
    for year, row in years:
        few = row.total < FEW
        parts.append(f'<text class="ilacs-chart__tick" x="{x(year + 0.5):.1f}" '
                     f'y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">{year}</text>'
                     f'<text class="ilacs-chart__tick{" ilacs-chart__few-n" if few else ""}" '
                     f'x="{x(year + 0.5):.1f}" y="{HEIGHT - BOTTOM + 27}" '
                     f'text-anchor="middle">n={row.total}</text>')
    for name, starts in breaks:
        at = x(_position(starts))
        parts.append(f'<g class="ilacs-chart__break"><title>{escape(name)} from '
                     f'{starts:%B %Y}</title><line x1="{at:.1f}" x2="{at:.1f}" y1="{TOP - 12}" '
                     f'y2="{HEIGHT - BOTTOM}"/><text class="ilacs-chart__tick" '
                     f'x="{at + 2:.1f}" y="{TOP - 4}">{starts.year}</text></g>')
    grades = [count.grade for count in years[0][1].counts]
    for grade in grades:
        points = [(year, share, row.total) for year, row in years
                  if (share := next((c.percent for c in row.counts if c.grade is grade), 0.0))
                  or grade is not Grade.ADEQUATE]  # a grade of the old scale: where given
        path = []
        for before, (year, share, _) in zip([None, *points], points, strict=False):
            joined = before is not None and before[0] == year - 1 and not any(
                before[0] + 0.5 < _position(starts) <= year + 0.5 for _, starts in breaks)
            path.append(f'{"L" if joined else "M"}{x(year + 0.5):.1f} {y(share):.1f}')
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
    return Markup(
        f'<svg class="ilacs-chart ilacs-chart--trend" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(label)}</title>'
        f'<desc id="{chart_id}-desc">Share of {what} given each grade, {first} to '
        f'{latest_year}; in {latest_year}: {escape(said)} (n={latest.total}). The table '
        f'below has every year.</desc>'
        f'<line class="ilacs-chart__axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}"/>' + "".join(parts) + "</svg>")


def _position(day: date) -> float:
    """Where a date falls on the year axis (2018-01-01 is 2018.0, mid-year 2018.5)."""
    return day.year + (day.timetuple().tm_yday - 1) / 365.25
