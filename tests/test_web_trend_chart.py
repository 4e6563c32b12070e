"""England's grades by year as a chart with axes: a line per grade that never crosses a
framework's start, a letter on every point, hollow points and a bold n for thin years."""

from __future__ import annotations

import re

import httpx

from ilacs.extract.frameworks import load_frameworks
from ilacs.extract.models import Grade
from ilacs.web.pages.common import Distribution, distribution_rows
from ilacs.web.pages.themes import TrendCell
from ilacs.web.trend_chart import share_trend_chart, theme_trend_chart


def _rows(counts: dict[int, dict[Grade, int]]) -> tuple[Distribution, ...]:
    return distribution_rows([(str(year), grades) for year, grades in counts.items()])


def test_lines_break_where_a_framework_begins_and_thin_years_are_marked() -> None:
    chart = str(share_trend_chart(_rows({
        2016: {Grade.GOOD: 10, Grade.INADEQUATE: 5},
        2017: {Grade.GOOD: 12, Grade.INADEQUATE: 4},
        2018: {Grade.GOOD: 3, Grade.INADEQUATE: 1},  # ILACS began in January 2018
        2019: {Grade.GOOD: 20, Grade.INADEQUATE: 2}}), "t", "Overall effectiveness"))
    good = re.search(r'ilacs-chart__share--good" d="([^"]+)"', chart)
    assert good is not None
    moves = re.findall(r"[ML]", good.group(1))
    assert moves == ["M", "L", "M", "L"]  # 2016-2017 joined, 2017-2018 not, 2018-2019 joined
    assert len(re.findall(r'<g class="ilacs-chart__break">', chart)) == 1
    assert "ILACS (2018 to 2022) from January 2018" in chart
    # every point a letter in a box; 2018 (n=4) hollow, its n in bold
    assert chart.count(">G</text>") == 4 and chart.count(">I</text>") == 4
    assert chart.count('<rect class="ilacs-grade--good ilacs-chart__few"') == 1
    assert 'ilacs-chart__few-n" x=' in chart and ">n=4</text>" in chart
    assert "in 2019: Outstanding 0%; Good 90.9%" in chart  # the description says the latest


def test_the_old_scale_grade_is_drawn_only_where_given() -> None:
    chart = str(share_trend_chart(_rows({
        2012: {Grade.GOOD: 10, Grade.ADEQUATE: 10},
        2013: {Grade.GOOD: 10, Grade.ADEQUATE: 0, Grade.REQUIRES_IMPROVEMENT: 10}}),
        "t", "Overall effectiveness"))
    assert chart.count(">A</text>") == 1


def test_one_year_is_no_chart() -> None:
    assert str(share_trend_chart(_rows({2020: {Grade.GOOD: 3}}), "t", "x")) == ""


def test_englands_page_draws_its_years_with_every_framework_start(
        client: httpx.Client) -> None:
    html = client.get("/").text
    chart = html[html.index('id="over-time-chart"'):html.index("</figure>",
                                                               html.index('id="over-time-chart"'))]
    years = client.get("/index.json").json()["over_time"]
    first, last = int(years[0]["label"]), int(years[-1]["label"])
    began = [f for f in load_frameworks()[1:] if first < f.starts.year + 1 and
             f.starts.year <= last]
    assert chart.count('<g class="ilacs-chart__break">') == len(began) >= 3
    for row in years:
        assert f">n={row['total']}</text>" in chart


def test_a_themes_line_breaks_at_a_framework_and_thin_years_are_hollow() -> None:
    cells = [TrendCell(2016, 3, 40, 7.5), TrendCell(2017, 6, 40, 15.0),
             TrendCell(2018, 1, 8, 12.5), TrendCell(2019, 9, 60, 15.0)]
    chart = str(theme_trend_chart(cells, "t", "Neglect"))
    line = re.search(r'ilacs-chart__own" d="([^"]+)"', chart)
    assert line is not None and re.findall(r"[ML]", line.group(1)) == ["M", "L", "M", "L"]
    assert chart.count("<circle") == 4 and chart.count("ilacs-chart__point--few") == 1
    assert ">2018: 12.5% (1 of 8)</title>" in chart and ">n=8</text>" in chart


def test_a_themes_page_draws_its_trend(client: httpx.Client) -> None:
    html = client.get("/themes", params={"theme": "neglect"}).text
    trend = client.get("/themes.json", params={"theme": "neglect"}).json()["selected"]["trend"]
    chart = html[html.index('id="theme-trend-chart"'):html.index("</figure>",
                                                                html.index('id="theme-trend-chart"'))]
    shown = [cell for cell in trend if cell["events_total"]]
    assert chart.count("<circle") == len(shown) >= 10
    for cell in shown:
        assert f">{cell['year']}: {cell['percent']:g}% ({cell['events_raising']} of " \
               f"{cell['events_total']})</title>" in chart
