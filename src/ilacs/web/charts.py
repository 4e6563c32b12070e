"""Charts drawn on the server as SVG, so they work without JavaScript and print as they show.

Each chart is readable without colour: the authority is a solid line with round markers,
its neighbours' median a dashed line over a grey band (their middle half), England a dotted
line; an inspection is a thin vertical line with its grade as a letter in a box (O, G, R, I;
"–" where it gave no overall grade), the box also in the grade's colour. Every chart sits
beside a table of its numbers, which the page shows under it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TypeVar

from markupsafe import Markup, escape

from ilacs.analysis.context import IndicatorContext, TimelineMark, YearContext
from ilacs.analysis.evidence import GradeGroup
from ilacs.extract.models import Grade
from ilacs.web.pages.history import FrameworkBreak, GradeSeries

WIDTH, HEIGHT = 320, 190
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 12, 44
TOTALS = frozenset({"count", "fte", "gbp", "gbp_thousands", "gbp_millions"})
T = TypeVar("T")
Scale = Callable[[T], float]
GRADE_LETTERS = {Grade.OUTSTANDING: "O", Grade.GOOD: "G", Grade.REQUIRES_IMPROVEMENT: "R",
                 Grade.ADEQUATE: "A", Grade.INADEQUATE: "I"}


def grade_letter(grade: Grade | str | None) -> str:
    return GRADE_LETTERS.get(Grade(grade), "–") if grade else "–"


def context_chart(item: IndicatorContext, marks: Sequence[TimelineMark],
                  chart_id: str) -> Markup:
    """A small multiple: the authority's line, its neighbours' band and median, England,
    and its inspections, for one indicator."""
    years = list(item.years)
    if not years:
        return Markup("")
    start, end = years[0].refers_to, years[-1].refers_to
    if start == end:  # one period: give it a year's width
        start, end = date(start.year - 1, start.month, start.day), end
    # England's and a region's counts are totals, not comparable with one authority's.
    nation = item.unit not in TOTALS
    values = [v for y in years for v in (y.value, y.neighbours_q1, y.neighbours_q3,
                                         y.neighbours_median, y.england if nation else None)
              if v is not None]
    if not values:
        return Markup("")
    low, high, ticks = nice_scale(min(values), max(values))

    def x(day: date) -> float:
        span = (end - start).days or 1
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / ((high - low) or 1))

    parts: list[str] = []
    for tick in ticks:
        parts.append(f'<line class="ilacs-chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                     f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
                     f'<text class="ilacs-chart__tick" x="{LEFT - 4}" y="{y(tick) + 4:.1f}" '
                     f'text-anchor="end">{escape(short_number(tick))}</text>')
    for label_year in _year_ticks(start.year, end.year):
        day = date(label_year, years[0].refers_to.month, years[0].refers_to.day)
        if start <= day <= end:
            parts.append(f'<text class="ilacs-chart__tick" x="{x(day):.1f}" '
                         f'y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">{label_year}</text>')
    parts.append(_band(years, x, y))
    parts.append(_line([(x(r.refers_to), y(r.neighbours_median) if r.neighbours_median is not
                         None else None) for r in years], "ilacs-chart__median"))
    if nation:
        parts.append(_line([(x(r.refers_to), y(r.england) if r.england is not None else None)
                            for r in years], "ilacs-chart__england"))
    own = [(x(r.refers_to), y(r.value) if r.value is not None else None) for r in years]
    parts.append(_line(own, "ilacs-chart__own"))
    parts.extend(f'<circle class="ilacs-chart__point" cx="{px:.1f}" cy="{py:.1f}" r="3"/>'
                 for px, py in own if py is not None)
    parts.extend(_marks([m for m in marks if m.kind == "inspection" and start <= m.date <= end],
                        x))
    summary = _summary(item)
    return Markup(
        f'<svg class="ilacs-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(item.label)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>'
        f'<line class="ilacs-chart__axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}"/>' + "".join(parts) + "</svg>")


def _band(years: Sequence[YearContext], x: Scale[date], y: Scale[float]) -> str:
    """The neighbours' middle half, one polygon per run of years that have it."""
    runs: list[list[YearContext]] = [[]]
    for row in years:
        if row.neighbours_q1 is None or row.neighbours_q3 is None:
            runs.append([])
        else:
            runs[-1].append(row)
    shapes = []
    for run in runs:
        if len(run) == 1:  # one year: a short bar
            first = run[0]
            assert first.neighbours_q1 is not None and first.neighbours_q3 is not None
            top, bottom = y(first.neighbours_q3), y(first.neighbours_q1)
            shapes.append(f'<rect class="ilacs-chart__band" x="{x(first.refers_to) - 4:.1f}" '
                          f'y="{top:.1f}" width="8" height="{max(1.0, bottom - top):.1f}"/>')
        elif run:
            upper = [f"{x(r.refers_to):.1f},{y(r.neighbours_q3 or 0):.1f}" for r in run]
            lower = [f"{x(r.refers_to):.1f},{y(r.neighbours_q1 or 0):.1f}"
                     for r in reversed(run)]
            shapes.append(f'<polygon class="ilacs-chart__band" '
                          f'points="{" ".join(upper + lower)}"/>')
    return "".join(shapes)


def _line(points: Iterable[tuple[float, float | None]], css: str) -> str:
    """A polyline per run of points that have a value (a gap where a figure is missing)."""
    runs: list[list[str]] = [[]]
    for px, py in points:
        if py is None:
            runs.append([])
        else:
            runs[-1].append(f"{px:.1f},{py:.1f}")
    return "".join(f'<polyline class="{css}" points="{" ".join(run)}"/>' for run in runs
                   if len(run) > 1) + "".join(
        f'<circle class="{css}-alone" cx="{run[0].split(",")[0]}" cy="{run[0].split(",")[1]}" '
        'r="2.5"/>' for run in runs if len(run) == 1 and css != "ilacs-chart__own")


def _marks(marks: Sequence[TimelineMark], x: Scale[date]) -> list[str]:
    found = []
    base = HEIGHT - BOTTOM
    for mark in marks:
        left = x(mark.date)
        grade = mark.grade.value if mark.grade else "none"
        letter = grade_letter(mark.grade)
        found.append(
            f'<g class="ilacs-chart__inspection"><title>{escape(mark.label)}, '
            f'{mark.date:%B %Y}: {escape(_grade_words(mark.grade))}</title>'
            f'<line x1="{left:.1f}" x2="{left:.1f}" y1="{TOP}" y2="{base + 18}"/>'
            f'<rect class="ilacs-grade--{grade}" x="{left - 7:.1f}" y="{base + 19}" width="14" '
            f'height="14" rx="2"/><text class="ilacs-grade--{grade}" x="{left:.1f}" '
            f'y="{base + 30}" text-anchor="middle">{letter}</text></g>')
    return found


def _grade_words(grade: Grade | None) -> str:
    return grade.value.replace("_", " ") if grade else "no overall grade"


def _summary(item: IndicatorContext) -> str:
    latest = item.latest
    if latest is None:
        return "No figure for this authority."
    words = f"{latest.period}: {short_number(latest.value or 0)}"
    if latest.neighbours_median is not None:
        words += f"; neighbours' median {short_number(latest.neighbours_median)}"
    if latest.england is not None and item.unit not in TOTALS:
        words += f"; England {short_number(latest.england)}"
    return words + ". The table below the chart has every year."


def nice_scale(low: float, high: float, count: int = 4) -> tuple[float, float, list[float]]:
    """A scale from a round number at or below `low` to one at or above `high`, and its
    ticks: 1, 2 or 5 times a power of ten apart."""
    if high == low:
        high, low = high + 1, low - 1 if low >= 1 else 0
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    if low >= 0 and start < 0:
        start = 0.0
    stop = math.ceil(high / step) * step
    ticks = []
    value = start
    while value <= stop + step / 1000:
        ticks.append(round(value, 10))
        value += step
    return start, stop, ticks


def short_number(value: float) -> str:
    """A tick or summary figure: 12.5, 1,250, 12k."""
    if abs(value) >= 100_000:
        return f"{value / 1000:,.0f}k"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _year_ticks(first: int, last: int) -> list[int]:
    span = last - first
    step = 1 if span <= 5 else 2 if span <= 10 else 3
    return list(range(last, first - 1, -step))[::-1]


def grade_boxes(groups: Sequence[GradeGroup], label: str, chart_id: str) -> Markup:
    """Each grade's middle half (box) and median (bar), on one scale: how an indicator sat
    before inspections that gave each grade. The grade is a letter as well as a colour."""
    shown = [g for g in groups if g.median is not None]
    if not shown:
        return Markup("")
    values = [v for g in shown for v in (g.q1, g.q3, g.median) if v is not None]
    low, high, ticks = nice_scale(min(values), max(values))
    width, row, left, right, top = 480, 30, 40, 60, 8
    height = top + row * len(shown) + 24

    def x(value: float) -> float:
        return left + (width - left - right) * (value - low) / ((high - low) or 1)

    parts = []
    for tick in ticks:
        parts.append(f'<line class="ilacs-chart__grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" '
                     f'y1="{top}" y2="{height - 20}"/><text class="ilacs-chart__tick" '
                     f'x="{x(tick):.1f}" y="{height - 6}" text-anchor="middle">'
                     f'{escape(short_number(tick))}</text>')
    for index, group in enumerate(shown):
        middle = top + row * index + row / 2
        grade = group.grade.value
        q1 = group.q1 if group.q1 is not None else group.median
        q3 = group.q3 if group.q3 is not None else group.median
        assert group.median is not None and q1 is not None and q3 is not None
        parts.append(
            f'<g><title>{escape(_grade_words(group.grade).capitalize())}: median '
            f'{escape(short_number(group.median))}, middle half {escape(short_number(q1))} to '
            f'{escape(short_number(q3))}, {group.n} inspections</title>'
            f'<rect class="ilacs-grade--{grade}" x="4" y="{middle - 9:.1f}" width="18" '
            f'height="18" rx="2"/><text class="ilacs-grade--{grade}" x="13" '
            f'y="{middle + 5:.1f}" text-anchor="middle">{grade_letter(group.grade)}</text>'
            f'<rect class="ilacs-chart__box" x="{x(q1):.1f}" y="{middle - 8:.1f}" '
            f'width="{max(1.0, x(q3) - x(q1)):.1f}" height="16"/>'
            f'<line class="ilacs-chart__box-median" x1="{x(group.median):.1f}" '
            f'x2="{x(group.median):.1f}" y1="{middle - 11:.1f}" y2="{middle + 11:.1f}"/>'
            f'<text class="ilacs-chart__tick" x="{width - right + 6}" y="{middle + 4:.1f}">'
            f'n={group.n}</text></g>')
    return Markup(
        f'<svg class="ilacs-chart ilacs-chart--boxes" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title" focusable="false">'
        f'<title id="{chart_id}-title">{escape(label)}: figures before inspection, by the '
        'grade that followed (the table below has the numbers)</title>' + "".join(parts) +
        "</svg>")


def framework_break(found: FrameworkBreak, at: float, top: float, bottom: float,
                    width: float) -> str:
    """A dashed line where a framework began, from above the plot (`top`) to its axis
    (`bottom`), labelled with the year (to its left near the right edge)."""
    label = (f'<text class="ilacs-chart__tick" x="{at + 2:.1f}" y="{top - 8}">'
             f'{found.date.year}</text>' if at < width - 30 else
             f'<text class="ilacs-chart__tick" x="{at - 2:.1f}" y="{top - 8}" '
             f'text-anchor="end">{found.date.year}</text>')
    return (f'<g class="ilacs-chart__break"><title>{escape(found.framework)} from '
            f'{found.date.strftime("%B %Y")}</title><line x1="{at:.1f}" x2="{at:.1f}" '
            f'y1="{top - 12}" y2="{bottom}"/>{label}</g>')


# Grades from best to worst, bottom to top of a grade chart's scale; "adequate" (before 2013)
# shares the level of "requires improvement", the third point of either scale.
GRADE_LEVELS = {Grade.INADEQUATE: 0, Grade.REQUIRES_IMPROVEMENT: 1, Grade.ADEQUATE: 1,
                Grade.GOOD: 2, Grade.OUTSTANDING: 3}
LEVEL_NAMES = ("Inadequate", "RI / adequate", "Good", "Outstanding")


def grade_history_chart(series: GradeSeries, breaks: Sequence[FrameworkBreak], start: date,
                        end: date, chart_id: str) -> Markup:
    """A small multiple of one judgement: the authority's grades as letters in boxes, joined
    by a line while the framework stays the same, every grade its neighbours were given as
    small grey rings, and a dashed line where each framework began. The table beside it has
    the same grades."""
    width, height, left, right, top, bottom = 320, 150, 78, 10, 18, 24
    span = (end - start).days or 1

    def x(day: date) -> float:
        return left + (width - left - right) * (day - start).days / span

    def y(grade: Grade) -> float:
        return top + (height - top - bottom) * (1 - GRADE_LEVELS[grade] / 3)

    parts = []
    for level, name in enumerate(LEVEL_NAMES):
        at = top + (height - top - bottom) * (1 - level / 3)
        parts.append(f'<line class="ilacs-chart__grid" x1="{left}" x2="{width - right}" '
                     f'y1="{at:.1f}" y2="{at:.1f}"/><text class="ilacs-chart__tick" '
                     f'x="{left - 4}" y="{at + 3.5:.1f}" text-anchor="end">{name}</text>')
    for label_year in _year_ticks(start.year, end.year):
        day = date(label_year, 1, 1)
        if start <= day <= end:
            parts.append(f'<text class="ilacs-chart__tick" x="{x(day):.1f}" '
                         f'y="{height - 8}" text-anchor="middle">{label_year}</text>')
    parts.extend(framework_break(found, x(found.date), top, height - bottom, width)
                 for found in breaks)
    parts.extend(f'<circle class="ilacs-chart__peer" cx="{x(mark.date):.1f}" '
                 f'cy="{y(mark.grade):.1f}" r="2.5"/>' for mark in series.neighbours
                 if start <= mark.date <= end)
    own = [mark for mark in series.own if start <= mark.date <= end]
    # The line joins grades of one framework only: across a change it is not one measure.
    points: list[tuple[float, float | None]] = []
    for before, mark in zip([None, *own], own, strict=False):
        if before is not None and before.framework != mark.framework:
            points.append((x(mark.date), None))
        points.append((x(mark.date), y(mark.grade)))
    parts.append(_line(points, "ilacs-chart__own"))
    for mark in own:
        grade = mark.grade.value
        parts.append(f'<g><title>{escape(mark.date.strftime("%B %Y"))}: '
                     f'{escape(_grade_words(mark.grade))}</title>'
                     f'<rect class="ilacs-grade--{grade}" x="{x(mark.date) - 7:.1f}" '
                     f'y="{y(mark.grade) - 7:.1f}" width="14" height="14" rx="2"/>'
                     f'<text class="ilacs-grade--{grade}" x="{x(mark.date):.1f}" '
                     f'y="{y(mark.grade) + 3.5:.1f}" text-anchor="middle">'
                     f'{grade_letter(mark.grade)}</text></g>')
    said = "; ".join(f"{mark.date.year} {_grade_words(mark.grade)}" for mark in own) or \
        "no grade for this judgement"
    return Markup(
        f'<svg class="ilacs-chart ilacs-chart--history" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(series.name)}</title>'
        f'<desc id="{chart_id}-desc">{escape(said)}; beside {series.neighbour_inspections} '
        f'grades of its neighbours\' inspections</desc>'
        f'<line class="ilacs-chart__axis" x1="{left}" x2="{width - right}" '
        f'y1="{height - bottom}" y2="{height - bottom}"/>' + "".join(parts) + "</svg>")
