"""An authority's grade history: the charts' marks are its grades and its neighbours', each
grade a letter as well as a colour, and a framework's start breaks the line. Over the real
record and a real server."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import httpx
import pytest

from ilacs.extract.frameworks import load_frameworks

WIGHT = 80419
LETTERS = {"outstanding": "O", "good": "G", "requires_improvement": "R", "adequate": "A",
           "inadequate": "I"}


# Lancashire: a report under the single inspection framework after ILACS began (June 2018)
@pytest.fixture(scope="module", params=[WIGHT, 80480])
def page(client: httpx.Client, request: pytest.FixtureRequest) -> dict[str, Any]:
    found: dict[str, Any] = client.get(f"/la/{request.param}.json").json()
    return found


def test_each_series_holds_the_authoritys_grades_and_its_neighbours(
        page: dict[str, Any], client: httpx.Client) -> None:
    history = page["history"]
    assert [s["judgement"] for s in history["series"]] == [
        option["value"] for option in page["judgements"]]
    for index, series in enumerate(history["series"]):
        from_rows = [(row["date"], row["grades"][index]["grade"]) for row in history["rows"]
                     if row["grades"][index]["grade"]]
        assert [(m["date"], m["grade"]) for m in series["own"]] == from_rows
        assert series["neighbour_inspections"] == len(series["neighbours"])
    neighbours = [row["authority"]["urn"] for row in page["neighbours"] if row["rank"]]
    theirs = 0
    for urn in neighbours:
        timeline = client.get(f"/la/{urn}.json").json()["history"]["rows"]
        theirs += sum(1 for row in timeline if row["grades"][0]["grade"])
    assert history["series"][0]["neighbour_inspections"] == theirs > 10


def test_the_breaks_are_the_days_frameworks_began(page: dict[str, Any]) -> None:
    history = page["history"]
    start, end = date.fromisoformat(history["start"]), date.fromisoformat(history["end"])
    assert [b["date"] for b in history["breaks"]] == [
        f.starts.isoformat() for f in load_frameworks()[1:] if start < f.starts <= end]
    assert {b["date"][:4] for b in history["breaks"]} >= {"2018", "2023", "2026"}


def test_every_grade_on_a_chart_is_a_letter_and_the_line_joins_one_framework_only(
        client: httpx.Client, page: dict[str, Any]) -> None:
    urn = page["info"]["authority"]["urn"]
    html = client.get(f"/la/{urn}").text
    for series in page["history"]["series"]:
        figure = re.search(rf'<figure id="history-{series["judgement"]}">(.*?)</figure>', html,
                           re.S)
        assert figure, series["judgement"]
        letters = re.findall(r'<text class="ilacs-grade--(\w+)"[^>]*>(\w)</text>',
                             figure.group(1))
        assert letters == [(m["grade"], LETTERS[m["grade"]]) for m in series["own"]]
        runs: list[list[str]] = []
        for mark in series["own"]:
            if not runs or runs[-1][-1] != mark["framework"]:
                runs.append([])
            runs[-1].append(mark["framework"])
        joined = sum(1 for run in runs if len(run) > 1)
        assert figure.group(1).count('class="ilacs-chart__own"') == joined
    assert 'id="history-table"' in html
    pack = client.get(f"/la/{urn}/pack").text
    assert 'id="history-overall_effectiveness"' in pack and 'id="history-table"' in pack


def test_trend_tables_mark_the_years_a_framework_began_and_years_with_few(
        client: httpx.Client) -> None:
    starts = {f.starts.year: f.name for f in load_frameworks()[1:]}
    rows = client.get("/index.json").json()["over_time"]
    for row in rows:
        note = row["note"] or ""
        year = int(row["label"])
        began = year in starts and starts[year] in note
        assert began == (year in starts), row["label"]
        assert ("read the shares with care" in note) == (row["total"] < 10), row["label"]
    assert any(int(row["label"]) in starts for row in rows)
    themes = client.get("/themes.json").json()
    assert len(themes["year_totals"]) == len(themes["years"]) == len(themes["year_notes"])
    for year, total, note in zip(themes["years"], themes["year_totals"], themes["year_notes"],
                                 strict=True):
        assert (year in starts and starts[year] in (note or "")) == (year in starts)
        assert total > 0
    assert "Years marked * need a note" in client.get("/themes").text


def test_the_charts_numbers_download_as_csv(client: httpx.Client, page: dict[str, Any]) -> None:
    history = page["history"]
    response = client.get(history["csv_url"])
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    own = [row for row in rows if row["shown_as"] == "this authority"]
    assert [(row["inspected"], row["framework"]) for row in own] == [
        (r["date"], r["framework"]) for r in history["rows"]]
    ranks = {f"neighbour {row['rank']}": row["authority"]["urn"] for row in page["neighbours"]
             if row["rank"]}
    theirs = [row for row in rows if row["shown_as"] != "this authority"]
    assert {row["shown_as"] for row in theirs} <= set(ranks)
    assert all(int(row["urn"]) == ranks[row["shown_as"]] for row in theirs)
    graded = sum(1 for row in theirs if row["Overall effectiveness"])
    assert graded == history["series"][0]["neighbour_inspections"]
    assert client.get("/la/1/history.csv").status_code == 404
