"""The dashboard's JSON API and pages over HTTP, against a real server and the real record.

Every JSON endpoint is validated against the schema /openapi.json publishes for it, and then
checked for facts that could be wrong: the right authority, counts that match the record,
filters that filter, links that open the source document at the page.
"""

from __future__ import annotations

import csv
import html
import io
import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

JSON_PAGES = {
    "/index.json": "EnglandPage",
    "/index.json?region=London&sort=inspected": "EnglandPage",
    "/la/80419.json": "AuthorityPage",
    "/la/80480.json": "AuthorityPage",
    "/compare.json?la=80419&la=80486": "ComparePage",
    "/compare.json?la=80419&with=neighbours": "ComparePage",
    "/themes.json": "ThemesPage",
    "/themes.json?theme=neglect": "ThemesPage",
    "/search.json?q=%22unregistered+placements%22": "SearchPage",
    "/search.json?q=neglect&kind=letter&year=2023": "SearchPage",
    "/downloads.json": "DownloadsPage",
    "/changes.json?since=2000-01-01": "ChangesPage",
    "/indicators.json": "IndicatorsPage",
    "/indicators/cin_rate.json": "IndicatorPage",
    "/indicators/sw_agency_rate.json?year=2020&judgement=impact_of_leaders": "IndicatorPage",
    "/indicators/spend_per_child.json": "IndicatorPage",
}


@pytest.fixture(scope="module")
def openapi(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def validate(document: object, schema_name: str, openapi: dict[str, Any]) -> None:
    schema = {"$ref": f"#/components/schemas/{schema_name}",
              "components": openapi["components"]}
    jsonschema.validate(document, schema)


@pytest.mark.parametrize("url", JSON_PAGES)
def test_every_json_page_matches_its_published_schema(client: httpx.Client, url: str,
                                                      openapi: dict[str, Any]) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    validate(response.json(), JSON_PAGES[url], openapi)


def test_the_schema_check_can_fail(openapi: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate({"authorities": "not a list"}, "EnglandPage", openapi)


def test_openapi_documents_every_json_page(openapi: dict[str, Any]) -> None:
    documented = set(openapi["paths"])
    assert {"/index.json", "/la/{urn}.json", "/compare.json", "/themes.json", "/search.json",
            "/downloads.json", "/indicators.json", "/indicators/{key}.json"} <= documented
    assert openapi["openapi"].startswith("3.")


@pytest.mark.parametrize("page", ["/", "/la/80419", "/compare?la=80419", "/themes",
                                  "/search?q=neglect", "/downloads", "/changes", "/indicators",
                                  "/indicators/cla_rate?year=2022"])
def test_each_page_and_its_json_twin_come_from_the_same_data(client: httpx.Client,
                                                            page: str) -> None:
    html = client.get(page)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', html.text)
    assert twin is not None
    assert client.get(twin.group(1).replace("&amp;", "&")).status_code == 200


def test_england_lists_every_authority_with_its_latest_grades(client: httpx.Client,
                                                              corpus_db: Path) -> None:
    page = client.get("/index.json").json()
    assert page["authority_count"] == 153 == len(page["authorities"])
    assert len(page["map"]["tiles"]) == 153
    with sqlite3.connect(corpus_db) as conn:
        inspected = conn.execute("SELECT count(DISTINCT urn) FROM inspections i JOIN "
                                 "authorities a USING (urn) WHERE a.active = 1").fetchone()[0]
    assert sum(row["inspected"] is not None for row in page["authorities"]) == inspected
    overall = next(d for d in page["now"] if d["label"] == "Overall effectiveness")
    graded = sum(1 for row in page["authorities"] if row["grades"][0]["grade"])
    assert overall["total"] == graded
    wight = next(row for row in page["authorities"] if row["authority"]["urn"] == 80419)
    assert wight["authority"]["url"] == "/la/80419"


def test_england_distribution_tables_keep_each_grade_in_its_column(
        client: httpx.Client) -> None:
    page = client.get("/index.json").json()
    for table in (page["now"], page["over_time"]):
        columns = [[count["name"] for count in row["counts"]] for row in table]
        assert all(names == columns[0] for names in columns)
        assert all(sum(count["count"] for count in row["counts"]) == row["total"]
                   for row in table)
    adequate = [next(c["count"] for c in row["counts"] if c["name"] == "Adequate")
                for row in page["over_time"]]
    assert adequate[0] > 0 and 0 in adequate  # a 2013 grade, and years that gave none


def test_england_filters_narrow_the_table(client: httpx.Client) -> None:
    london = client.get("/index.json", params={"region": "London"}).json()
    assert len(london["authorities"]) == 33
    assert {row["authority"]["region"] for row in london["authorities"]} == {"London"}
    inadequate = client.get("/index.json", params={"judgement": "help_and_protection",
                                                   "grade": "inadequate"}).json()
    assert inadequate["authorities"]
    for row in inadequate["authorities"]:
        cell = next(c for c in row["grades"] if c["judgement"] == "help_and_protection")
        assert cell["grade"] == "inadequate"
    assert inadequate["map"]["judgement"] == "help_and_protection"
    newest = client.get("/index.json", params={"sort": "inspected"}).json()["authorities"]
    dates = [row["inspected"] for row in newest if row["inspected"]]
    assert dates == sorted(dates, reverse=True)


def test_an_authority_page_tells_its_whole_story(client: httpx.Client,
                                                 corpus_db: Path) -> None:
    page = client.get("/la/80419.json").json()
    assert page["info"]["authority"]["name"] == "Isle of Wight"
    with sqlite3.connect(corpus_db) as conn:
        expected = dict(conn.execute(
            "SELECT 'inspection', count(*) FROM inspections WHERE urn = 80419 UNION ALL "
            "SELECT kind, count(*) FROM visits WHERE urn = 80419 GROUP BY kind UNION ALL "
            "SELECT 'intervention', count(*) FROM interventions WHERE urn = 80419"))
    kinds = [event["kind"] for event in page["timeline"]]
    assert expected["inspection"] > 0
    assert {kind: kinds.count(kind) for kind in expected} == expected
    dated = [event["date"] for event in page["timeline"] if event["date"]]
    assert dated == sorted(dated)
    assert len(page["neighbours"]) == 11 and page["neighbours"][0]["rank"] is None
    assert [row["rank"] for row in page["neighbours"][1:]] == list(range(1, 11))
    assert {s["group"] for s in page["standings"]} == {"statistical neighbours", "South East",
                                                      "England"}
    assert page["next_inspection"]["opens"] < page["next_inspection"]["closes"]
    assert page["themes"] and page["texts_missing"] is None
    graded = [cell for event in page["timeline"] for cell in event["grades"] if cell["grade"]]
    assert graded and all(re.fullmatch(r"/documents/[0-9a-f]{64}#page=\d+", cell["source"]["url"])
                          for cell in graded)


def test_an_authority_timeline_reads_in_words_not_codes(client: httpx.Client) -> None:
    timeline = client.get("/la/80419.json").json()["timeline"]
    inspections = [event for event in timeline if event["kind"] == "inspection"]
    assert inspections and all(
        re.fullmatch(r"Framework: (?:ILACS|Single inspection|Safeguarding).*", event["details"][0])
        and re.fullmatch(r"Published \d{1,2} [A-Z][a-z]+ \d{4}", event["details"][1])
        for event in inspections)
    [partner] = [event for event in timeline if event["title"].startswith("Improvement partner")]
    assert partner["details"][0] == "2013 to 31 January 2024"
    assert partner["date_printed"] == "2013" and partner["status_label"] == "Ended"
    assert all("_" not in event["title"] for event in timeline)
    html = client.get("/la/80419").text
    assert "Framework: ilacs_" not in html and ">Ended</span>" in html
    assert '<a class="govuk-link" href="https://www.communitycare.co.uk/' in html


def test_england_says_why_authorities_inspected_since_the_reform_have_no_grade(
        client: httpx.Client) -> None:
    page = client.get("/index.json").json()
    reformed = [row for row in page["authorities"] if row["framework"] == "ilacs_2026"]
    assert reformed and all(row["grades"][0]["grade"] is None for row in reformed)
    assert page["no_grade_reason"].startswith(
        f"{len(reformed)} authorities were last inspected under the framework in use since "
        "April 2026, which gives no overall effectiveness grade")
    overall = next(d for d in page["now"] if d["label"] == "Overall effectiveness")
    never = sum(1 for row in page["authorities"] if row["inspected"] is None)
    assert overall["total"] + len(reformed) + never == page["authority_count"]
    assert client.get("/index.json", params={"judgement": "care_leavers"}).json()[
        "no_grade_reason"] is None
    assert page["no_grade_reason"] in client.get("/").text


def test_a_shared_rank_reads_as_joint(client: httpx.Client) -> None:
    page = client.get("/la/80419.json").json()
    ranked = [s for s in page["standings"] if s["rank"]]
    for standing in ranked:
        counts = {c["grade"]: c["count"] for c in standing["distribution"]["counts"]}
        at_least = round(standing["top_percent"] * standing["size"] / 100)
        assert standing["tied_with"] == at_least - standing["rank"]  # the rest share its grade
        assert sum(counts.values()) == standing["size"]
    tied = next(s for s in ranked if s["tied_with"] and s["group"] == "England")
    html = client.get("/la/80419").text
    assert (f"joint {tied['rank']} of {tied['size']} <span class=\"ilacs-muted\">(top "
            f"{int(tied['top_percent'] + 0.5)}%, tied with {tied['tied_with']} others)") in html


def test_recolouring_the_map_keeps_the_table_filters(client: httpx.Client) -> None:
    html = client.get("/", params={"region": "London", "grade": "good",
                                   "sort": "inspected"}).text
    form = html[html.index("data-map-form"):]
    form = form[:form.index("</form>")]
    assert '<input type="hidden" name="region" value="London">' in form
    assert '<input type="hidden" name="grade" value="good">' in form
    assert '<input type="hidden" name="sort" value="inspected">' in form
    assert 'name="la_type"' not in form


def test_search_says_how_it_read_what_finds_nothing(client: httpx.Client) -> None:
    def notes(**params: str) -> list[str]:
        found: list[str] = client.get("/search.json", params=params).json()["notes"]
        return found

    assert notes(q="neglect") == [] and notes(q="neglect NOT abuse") == []
    assert [note.split(",")[0] for note in notes(q="neglect AND NOT abuse")] == [
        "This search is not in the search syntax (a stray quote"]
    assert len(notes(q="-neglect")) == 1
    letters = client.get("/search.json", params={"q": "neglect", "kind": "letter",
                                                 "grade": "inadequate"}).json()
    assert letters["total"] == 0
    assert letters["notes"] == ["Grades come from inspection reports: visit letters and news "
                                "articles have none, so a grade filter leaves only reports."]
    assert "Grades come from inspection reports" in client.get(
        "/search", params={"q": "neglect", "kind": "letter", "grade": "inadequate"}).text


def test_search_lists_each_matching_document_once(client: httpx.Client) -> None:
    """A word on nearly every page: a hit per document, so all of them can be listed (the
    corpus holds under 1,000 documents), and the last page ends the list."""
    first = client.get("/search.json", params={"q": "children"}).json()
    assert first["pages_matching"] > 5 * first["total"] > 0
    assert "are listed, over" not in client.get("/search", params={"q": "children"}).text
    last = -(-first["total"] // first["per_page"])
    final = client.get("/search.json", params={"q": "children", "page": str(last)}).json()
    assert final["next_url"] is None and len(final["hits"]) == first["total"] - (
        last - 1) * first["per_page"]


def test_a_search_naming_an_authority_or_theme_offers_it_above_the_pages(
        client: httpx.Client) -> None:
    found = client.get("/search.json", params={"q": "private fostering"}).json()
    assert found["total"] > 0
    assert [(f["kind"], f["url"]) for f in found["facts"]] == [
        ("Theme", "/themes?theme=private_fostering")]
    html = client.get("/search", params={"q": "Sandwell"}).text
    assert html.index('href="/la/80549"') < html.index('id="results-heading"')
    # the search syntax's operators are not words of a name
    assert [f["url"] for f in client.get("/search.json", params={
        "q": "private AND fostering"}).json()["facts"]] == ["/themes?theme=private_fostering"]
    assert client.get("/search.json", params={"q": "xylophone"}).json()["facts"] == []


def test_search_results_download_as_csv(client: httpx.Client) -> None:
    page = client.get("/search.json", params={"q": "neglect", "kind": "letter"}).json()
    response = client.get(page["csv_url"])
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == page["total"]
    assert [row["citation"] for row in rows[:len(page["hits"])]] == [
        hit["citation"] for hit in page["hits"]]
    assert all(int(row["pages_matching"]) == len(row["matching_pages"].split())
               for row in rows)
    assert client.get("/search.csv", params={"q": "x", "sort": "oldest"}).status_code == 400


def test_an_authority_without_neighbours_offers_no_comparison_with_them(
        client: httpx.Client) -> None:
    northamptonshire = client.get("/la/121939").text  # abolished in 2021: no neighbours
    assert "has no statistical neighbours" in northamptonshire
    assert "Compare with its statistical neighbours" not in northamptonshire
    assert "Compare with its statistical neighbours" in client.get("/la/80419").text


def test_a_judgement_link_opens_the_report_at_its_page(client: httpx.Client) -> None:
    page = client.get("/la/80419.json").json()
    cell = next(cell for event in page["timeline"] for cell in event["grades"] if cell["grade"])
    url, _, fragment = cell["source"]["url"].partition("#")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.headers["content-security-policy"] == "sandbox"
    assert fragment == f"page={cell['source']['page']}"


def test_compare_with_neighbours_adds_them_and_the_groups(client: httpx.Client) -> None:
    page = client.get("/compare.json", params={"la": "80419", "with": "neighbours"}).json()
    assert [row["role"] for row in page["rows"]][:2] == ["chosen", "neighbour 1"]
    assert len(page["rows"]) == 11
    assert [group["label"] for group in page["groups"]][1:] == ["South East", "England"]
    england = page["groups"][2]["distributions"][0]
    assert england["total"] == client.get("/index.json").json()["now"][0]["total"]


def test_comparing_two_authorities_shows_each_ones_groups(client: httpx.Client) -> None:
    page = client.get("/compare.json", params=[("la", "80419"), ("la", "80480")]).json()
    assert [group["label"] for group in page["groups"]] == [
        "Isle of Wight's statistical neighbours (2025)", "South East",
        "Lancashire's statistical neighbours (2025)", "North West", "England"]


def test_themes_drill_down_to_points_that_raise_the_theme(client: httpx.Client) -> None:
    page = client.get("/themes.json").json()
    assert page["points_read"] > 1000 and page["texts_missing"] is None
    assert page["themes"][0]["events"] >= page["themes"][-1]["events"]
    # the page gives the count as the others do, with a separator of thousands
    shown = f"{page['points_read'] + page['points_themed_only']:,} improvement points"
    assert "," in shown and shown in client.get("/themes").text
    detail_page = client.get("/themes.json", params={"theme": "neglect"}).json()
    detail = detail_page["selected"]
    assert detail["points"] and detail["points_total"] >= len(detail["points"])
    assert all(point["text_held"] for point in detail["points"])
    assert detail_page["texts_missing"] is None
    assert all(point["evidence"] for point in detail["points"])
    assert all(point["evidence"].lower() in point["text"].lower().replace("’", "'")
               for point in detail["points"][:50])


def test_search_highlights_filters_and_links_to_the_page(client: httpx.Client) -> None:
    page = client.get("/search.json", params={"q": '"unregistered placements"'}).json()
    assert page["total"] >= len(page["hits"]) > 0
    for hit in page["hits"]:
        assert "<mark>" in hit["snippet_html"]
        assert hit["source"]["url"].endswith(f"#page={hit['page']}")
    letters = client.get("/search.json", params={"q": "neglect", "kind": "letter",
                                                 "la": "80419"}).json()
    assert all(h["kind"] == "letter" and h["authority"]["urn"] == 80419 for h in letters["hits"])
    graded = client.get("/search.json", params={"q": "neglect", "grade": "inadequate"}).json()
    assert 0 < graded["total"] < client.get("/search.json", params={"q": "neglect"}).json()[
        "total"]
    second = client.get("/search.json", params={"q": "neglect", "page": "2"}).json()
    assert second["previous_url"] and second["hits"][0] != page["hits"][0]


def test_downloads_are_real_exports(client: httpx.Client) -> None:
    files = client.get("/downloads.json").json()["files"]
    csv_file = next(f for f in files if f["filename"] == "ilacs_latest.csv")
    response = client.get(csv_file["url"])
    assert response.status_code == 200
    lines = response.text.strip().splitlines()
    assert len(lines) >= 1 + 153
    assert client.get("/downloads/passwords.txt").status_code == 404


def test_downloads_say_their_rows_date_licence_and_every_column(client: httpx.Client) -> None:
    page = client.get("/downloads.json").json()
    index = client.get("/index.json").json()
    as_of = date.fromisoformat(page["as_of"])
    assert f"data as at {as_of.day} {as_of:%B %Y}" in page["citation"]
    assert "Open Government Licence v3.0" in page["attribution"] and page["licence_url"]
    described = {(entry["table"], entry["column"]): entry for entry in page["dictionary"]}
    for entry in described.values():
        assert entry["meaning"] and entry["source"] and entry["type"], entry
    for name, table in [("ilacs_record.csv", "inspections"), ("ilacs_latest.csv", "latest")]:
        listed = next(f for f in page["files"] if f["filename"] == name)
        text = client.get(listed["url"]).content.decode("utf-8-sig")
        header, *rows = list(csv.reader(io.StringIO(text)))
        assert listed["rows"] == len(rows), name  # the page counts what the file holds
        assert all((table, column) in described for column in header), name
    assert index  # the England page still answers beside it


def test_the_bundled_record_says_how_to_add_texts(bundled_web: str) -> None:
    with httpx.Client(base_url=bundled_web, timeout=60) as bundled:
        search = bundled.get("/search.json", params={"q": "neglect"}).json()
        assert search["total"] == 0 and "ilacs ingest" in search["texts_missing"]
        themes = bundled.get("/themes.json").json()
        assert themes["points_read"] == 0 and themes["points_themed_only"] > 1000
        assert "ilacs update" in themes["texts_missing"]
        wight = bundled.get("/la/80419.json").json()
        assert wight["points_counted"] > 0 and "ilacs ingest" in wight["texts_missing"]
        html = bundled.get("/search?q=neglect").text
        assert "<code>ilacs ingest FOLDER</code>" in html
        # what a record of facts can search, instead of "0 documents match"
        assert "documents match" not in html and 'href="/themes?theme=neglect"' in html
        assert ("Theme", "Neglect", "/themes?theme=neglect") in [
            (f["kind"], f["name"], f["url"]) for f in search["facts"]]
        wight_found = bundled.get("/search.json", params={"q": "isle of wight"}).json()
        assert [(f["kind"], f["url"]) for f in wight_found["facts"]] == [
            ("Authority", "/la/80419")]
        nothing = bundled.get("/search", params={"q": "zebra"}).text
        assert "No authority or theme matches" in nothing and "documents match" not in nothing
        # The bundled record has no files, but `--documents` folders let it open the source.
        cell = next(c for e in wight["timeline"] for c in e["grades"] if c["grade"])
        assert bundled.get(cell["source"]["url"].partition("#")[0]).status_code == 200


def test_the_bundled_record_counts_themes_as_the_full_record_does(
        bundled_web: str, client: httpx.Client) -> None:
    """The bundle ships each point's themes and page (never its words), so `make run` shows
    the same national themes, trends and an LA's themes as a record that read every text."""
    def counts(page: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [(t["theme"], t["events"], t["points"], t["authorities"]) for t in page["themes"]]

    full = client.get("/themes.json").json()
    with httpx.Client(base_url=bundled_web, timeout=60) as bundled:
        shipped = bundled.get("/themes.json").json()
        assert counts(shipped) == counts(full) and shipped["trends"] == full["trends"]
        assert shipped["points_themed_only"] == full["points_read"]
        detail = bundled.get("/themes.json", params={"theme": "neglect"}).json()["selected"]
        assert detail["points_total"] == client.get(
            "/themes.json", params={"theme": "neglect"}).json()["selected"]["points_total"]
        assert all(p["text"] == "" and not p["text_held"] and p["evidence"] == ""
                   and p["source"]["page"] for p in detail["points"])
        wight = bundled.get("/la/80419.json").json()
        full_wight = client.get("/la/80419.json").json()
        assert [(g["theme"], g["events"], len(g["points"])) for g in wight["themes"]] == [
            (g["theme"], g["events"], len(g["points"])) for g in full_wight["themes"]]
        page = bundled.get("/la/80419").text
        assert "Text not held in this record" in page and "<code>ilacs ingest FOLDER</code>" in page


def _picker(page: str, select_id: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option in the <select> with this id."""
    found = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no <select id={select_id!r}>"
    return [(value, html.unescape(label), bool(selected)) for value, selected, label in
            re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', found.group(1))]


def test_authority_pickers_list_every_authority_and_keep_the_choice(
        client: httpx.Client) -> None:
    authorities = client.get("/search.json", params={"q": "neglect"}).json()["authorities"]
    expected = [("", "Any authority", False)] + [
        (str(a["urn"]), a["name"], a["urn"] == 80419) for a in authorities]
    search = client.get("/search", params={"q": "neglect", "la": "80419"}).text
    assert _picker(search, "la") == expected
    changes = client.get("/changes", params={"la": "80486"}).text
    assert [value for value, _, selected in _picker(changes, "la") if selected] == ["80486"]
    compare = client.get("/compare", params=[("la", "80419"), ("la", "80486")]).text
    chosen = [[value for value, _, selected in _picker(compare, f"la-{slot}") if selected]
              for slot in range(1, 5)]
    assert chosen == [["80419"], ["80486"], [], []]


def test_an_authority_found_by_name_or_offered_the_nearest(client: httpx.Client) -> None:
    by_name = client.get("/la/Isle of Wight", follow_redirects=False)
    assert by_name.status_code == 301 and by_name.headers["location"] == "/la/80419"
    assert client.get("/la/Isle%20of%20Wight.json", follow_redirects=True).json()["info"][
        "authority"]["urn"] == 80419
    near = client.get("/la/isle-of-wigt")
    assert near.status_code == 404 and "did you mean Isle of Wight" in near.text
    assert '<a class="govuk-link" href="/la/isle-of-wight">' in near.text
    assert "did you mean" not in client.get("/la/no-such-place").text
