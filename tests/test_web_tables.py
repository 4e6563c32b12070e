"""Views people can share and take away: England's filtered table, a comparison, a theme's
points and a search's documents as CSV, and a comparison of more than four authorities that
survives its form being sent again. Against a real server over the full record, but for the
comparisons (the register's neighbours are all they need: the small record in process)."""

from __future__ import annotations

import csv
import io
import re

import httpx

from in_process import InProcessClient
from test_web_api import _picker


def _rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_englands_table_downloads_as_filtered_and_ordered(client: httpx.Client) -> None:
    params = {"region": "London", "sort": "inspected", "grade": "good"}
    page = client.get("/index.json", params=params).json()
    assert page["csv_url"].startswith("/index.csv?") and "region=London" in page["csv_url"]
    rows = _rows(client.get(page["csv_url"]))
    assert [int(row["urn"]) for row in rows] == [r["authority"]["urn"] for r in page["authorities"]]
    assert rows and {row["region"] for row in rows} == {"London"}
    assert {row["Overall effectiveness"] for row in rows} == {"Good"}
    for row, shown in zip(rows, page["authorities"], strict=True):
        assert row["inspected"] == (shown["inspected"] or "")
        cell = shown["grades"][0]
        assert row["Overall effectiveness: source"].endswith(cell["source"]["url"])
        assert row["Overall effectiveness: source"].startswith("http://127.0.0.1:")
    everyone = _rows(client.get("/index.csv"))
    assert len(everyone) == page["authority_count"]
    assert client.get("/index.csv", params={"region": "Narnia"}).status_code == 400


def test_a_comparison_downloads_with_how_each_authority_is_shown(app: InProcessClient) -> None:
    page = app.get("/compare.json", params={"la": "80419", "with": "neighbours"}).json()
    rows = _rows(app.get(page["csv_url"]))
    assert [(int(row["urn"]), row["shown_as"]) for row in rows] == [
        (r["authority"]["urn"], r["role"]) for r in page["rows"]]
    assert rows[0]["shown_as"] == "chosen" and rows[1]["shown_as"] == "neighbour 1"
    assert app.get("/compare.csv", params={"la": "abc"}).text.startswith("400 Bad request")


def test_a_themes_points_download_whole_not_only_the_newest_shown(client: httpx.Client) -> None:
    most = max(client.get("/themes.json").json()["themes"], key=lambda t: t["points"])
    detail = client.get("/themes.json", params={"theme": most["theme"]}).json()["selected"]
    rows = _rows(client.get(detail["csv_url"]))
    assert len(rows) == detail["points_total"] > len(detail["points"]) >= 1
    assert [row["point"] for row in rows[:len(detail["points"])]] == [
        point["text"] for point in detail["points"]]
    assert all(row["theme"] == most["theme"] and re.search(r"/documents/\w+#page=\d+$",
                                                        row["source"]) for row in rows)
    assert client.get("/themes.csv", params={"theme": "nothing"}).status_code == 400
    assert client.get("/themes.csv").status_code == 400


def test_a_comparison_of_six_keeps_all_six_when_its_form_is_sent_again(
        app: InProcessClient) -> None:
    chosen = ["80419", "80486", "80480", "80582", "80448", "80537"]
    page = app.get("/compare", params=[("la", urn) for urn in chosen]).text
    slots = [[value for value, _, selected in _picker(page, f"la-{slot}") if selected]
             for slot in range(1, 8)]
    assert slots == [[urn] for urn in chosen] + [[]]  # every one chosen, and one free slot
    assert f'id="la-{len(chosen) + 2}"' not in page
    again = app.get("/compare.json", params=[("la", slot[0] if slot else "")
                                                for slot in slots]).json()
    assert [str(urn) for urn in again["chosen"]] == chosen


def test_englands_grades_by_year_download_as_the_charts_numbers(client: httpx.Client) -> None:
    page = client.get("/index.json", params={"judgement": "help_and_protection"}).json()
    assert page["over_time_csv_url"] == "/grades-by-year.csv?judgement=help_and_protection"
    rows = _rows(client.get(page["over_time_csv_url"]))
    shown = {(year["label"], count["grade"]): (year["total"], count["count"], count["percent"],
                                               year["note"] or "")
             for year in page["over_time"] for count in year["counts"]}
    got = {(row["year"], row["grade"]): (int(row["inspections"]), int(row["count"]),
                                         float(row["percent"]), row["note"]) for row in rows}
    assert got == shown and len(got) >= 20
    assert {row["judgement"] for row in rows} == {"help_and_protection"}
    assert any("began" in row["note"] for row in rows)  # the breaks travel with the numbers
    html = client.get("/", params={"judgement": "help_and_protection"}).text
    assert 'href="/grades-by-year.csv?judgement=help_and_protection" download' in html
    assert client.get("/grades-by-year.csv", params={"judgement": "nonsense"}).status_code == 400


def test_a_themes_chart_downloads_its_numbers_by_year(client: httpx.Client) -> None:
    page = client.get("/themes.json", params={"theme": "neglect"}).json()
    detail = page["selected"]
    rows = _rows(client.get(detail["trend_csv_url"]))
    assert [(int(r["year"]), int(r["events_raising"]), int(r["events_with_points"]),
             float(r["percent"])) for r in rows] == [
        (c["year"], c["events_raising"], c["events_total"], c["percent"])
        for c in detail["trend"]]
    assert rows and {r["theme"] for r in rows} == {"neglect"}
    assert f'href="{detail["trend_csv_url"]}" download' in client.get(
        "/themes", params={"theme": "neglect"}).text
    assert client.get("/themes/trend.csv", params={"theme": "nonsense"}).status_code == 400
    assert client.get("/themes/trend.csv").status_code == 400
