"""Official statistics on the dashboard, served by a real server over the full record (every
report and letter, and the DfE, ONS and MHCLG figures loaded): an LA's Context section and its
CSV, the indicator pages, compare; and a record without statistics, which says so."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ilacs.analysis.context import authority_context
from ilacs.analysis.record import load_record
from ilacs.record import ensure_authorities
from ilacs.store import open_store
from ilacs.web import WebSettings
from web_server import running_server

ISLE = 80419


@pytest.fixture(scope="module")
def la_page(client: httpx.Client) -> str:
    response = client.get(f"/la/{ISLE}")
    assert response.status_code == 200
    return response.text


def test_the_la_page_draws_each_indicator_beside_its_table(la_page: str,
                                                           corpus_db: Path) -> None:
    context = la_page[la_page.index('id="context"'):la_page.index('id="timeline"')]
    charts = re.findall(r'<figure class="ilacs-small-multiple" id="context-(\w+)"', context)
    conn = sqlite3.connect(corpus_db)
    conn.row_factory = sqlite3.Row
    expected = authority_context(load_record(conn), ISLE)
    several = [i.key for i in expected.indicators
               if i.latest is not None and len({y.year for y in i.years}) > 1]
    assert charts == sorted(several, key=several.index) and len(charts) >= 25
    assert context.count('<svg class="ilacs-chart"') == len(charts)
    # every chart has a title and a description, and a table with a row per year
    cin = next(i for i in expected.indicators if i.key == "cin_rate")
    block = context[context.index('id="context-cin_rate"'):]
    block = block[:block.index("</figure>")]
    assert 'role="img"' in block and "<desc" in block
    assert block.count('<tr class="govuk-table__row"><th scope="row"') == len(cin.years)
    latest = cin.latest
    assert latest is not None
    assert f"<strong>{latest.value:,.1f}</strong> in {latest.period}" in block
    # inspections on the time axis: a letter and a colour for each grade
    letters = re.findall(r'<rect class="ilacs-grade--(\w+)"[^>]*/><text class="ilacs-grade--'
                         r'\1"[^>]*>([OGRAI–])</text>', block)
    marks = [m for m in expected.marks if m.kind == "inspection"
             and cin.years[0].refers_to <= m.date <= cin.years[-1].refers_to]
    assert len(letters) == len(marks) > 0
    assert {letter for _, letter in letters} <= {"O", "G", "R", "I", "–"}


def test_the_expected_grades_stand_beside_their_back_test(la_page: str) -> None:
    table = la_page[la_page.index('id="expected-table"'):]
    table = table[table.index("<tbody"):table.index("</table>")]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    assert len(rows) == 5  # every judgement has enough inspections to fit a model
    for row in rows:
        shares = [int(n) for n in re.findall(r"(\d+)%", row)]
        assert 98 <= sum(shares) <= 102
        assert "Brier" not in row and re.search(r"model 0\.\d{3}; [a-z ]+ 0\.\d{3}", row)
    assert "baseline" in la_page[la_page.index('id="expected-table"'):]


def test_the_context_csv_holds_the_charts_numbers(client: httpx.Client,
                                                  corpus_db: Path) -> None:
    response = client.get(f"/la/{ISLE}/context.csv", params={"indicator": "sw_agency_rate"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    conn = sqlite3.connect(corpus_db)
    conn.row_factory = sqlite3.Row
    expected = next(i for i in authority_context(load_record(conn), ISLE).indicators
                    if i.key == "sw_agency_rate")
    assert [r["period"] for r in rows] == [y.period for y in expected.years]
    for row, year in zip(rows, expected.years, strict=True):
        assert (float(row["value"]) if row["value"] else None) == pytest.approx(year.value)
        assert row["neighbour_model"] == year.neighbour_model
    whole = client.get(f"/la/{ISLE}/context.csv")
    assert len({row["indicator"] for row in csv.DictReader(io.StringIO(whole.text))}) >= 25
    assert client.get("/la/1/context.csv").status_code == 404
    bad = client.get(f"/la/{ISLE}/context.csv", params={"indicator": "nope"})
    assert bad.status_code == 400 and "nope" in bad.text


def test_an_indicator_across_england(client: httpx.Client) -> None:
    page = client.get("/indicators/sw_agency_rate").text
    tiles = re.findall(r'<rect class="ilacs-tile ilacs-band-(\w+)"', page)
    assert len(tiles) == 153
    table = client.get("/indicators/sw_agency_rate.csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert len(rows) == 153
    with_value = [r for r in rows if r["value"]]
    assert tiles.count("none") == 153 - len(with_value)
    values = [float(r["value"]) for r in with_value]
    assert values == sorted(values)  # lower is better: rank 1 lowest first
    data = client.get("/indicators/sw_agency_rate.json").json()
    assert data["view"]["year"] == int(rows[0]["period"])
    groups = data["by_grade"]["groups"]
    assert sum(g["n"] for g in groups) == data["by_grade"]["inspections"] > 200
    assert 'id="by-grade-table"' in page and 'class="ilacs-chart ilacs-chart--boxes"' in page
    assert "percentage points" in page  # a percentage changes in points, not relatively


def test_indicator_pages_refuse_what_they_do_not_have(client: httpx.Client) -> None:
    assert client.get("/indicators/nope").status_code == 404
    bad = client.get("/indicators/cin_rate", params={"year": "1999"})
    assert bad.status_code == 400 and "year=" in bad.text
    bad = client.get("/indicators/cin_rate.json", params={"judgement": "nope"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("judgement=")


def test_compare_shows_the_figures_of_every_authority_chosen(client: httpx.Client) -> None:
    data = client.get("/compare.json", params=[("la", ISLE), ("la", 80486)]).json()
    rows = {row["key"]: row for row in data["indicators"]}
    assert len(rows) >= 25
    assert all(len(row["values"]) == 2 for row in rows.values())
    page = client.get("/compare", params=[("la", ISLE), ("la", 80486)]).text
    assert 'id="indicators-table"' in page


def test_a_record_without_statistics_says_how_to_add_them(tmp_path: Path) -> None:
    db = tmp_path / "ilacs.db"
    conn = open_store(db)
    ensure_authorities(conn)
    conn.close()
    with running_server(WebSettings(db, warm=False)) as url, httpx.Client(base_url=url) as http:
        page = http.get(f"/la/{ISLE}").text
        assert "This record holds no official statistics." in page
        assert "<code>ilacs statistics load FOLDER</code>" in page
        listing = http.get("/indicators.json").json()
        assert listing["available"] is False and listing["groups"] == []
        assert http.get("/indicators/cin_rate").status_code == 404


@pytest.fixture(scope="module")
def bundled_client(bundled_web: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=bundled_web, timeout=60) as http:
        yield http


def test_make_run_shows_the_context_with_no_network(bundled_client: httpx.Client) -> None:
    page = bundled_client.get(f"/la/{ISLE}").text
    assert page.count('<svg class="ilacs-chart"') >= 25
    assert bundled_client.get("/indicators/spend_per_child").status_code == 200
