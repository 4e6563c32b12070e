"""What the dashboard answers whatever the record holds: headers, redirects, validators and
error envelopes. In process (`httpx.ASGITransport`) over the small synthetic record, since
neither a socket nor the corpus adds anything here; tests/test_web_guard.py keeps what needs
a real socket."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from in_process import InProcessClient
from small_record import INSPECTIONS


def test_the_small_record_reads_as_the_full_one_would(app: InProcessClient) -> None:
    england = app.get("/index.json").json()
    latest = {row["authority"]["name"]: row["grades"][0]["grade"]
              for row in england["authorities"] if row["grades"][0]["grade"]}
    assert latest == {"Isle of Wight": "good", "Islington": "outstanding",
                      "Lancashire": "inadequate"}
    assert england["authority_count"] == 153
    timeline = app.get("/la/80419.json").json()["timeline"]
    assert [event["kind"] for event in timeline] == ["inspection"] * sum(
        name == "Isle of Wight" for name, _, _ in INSPECTIONS)


def test_html_pages_carry_a_content_security_policy(app: InProcessClient) -> None:
    page = app.get("/")
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    data = app.get("/index.json")
    assert "content-security-policy" not in data.headers
    assert data.headers["x-content-type-options"] == "nosniff"


def test_a_nul_in_a_query_is_a_400(app: InProcessClient) -> None:
    assert app.get("/search", params={"q": "\x00"}).status_code == 400


def test_bad_parameters_get_the_error_envelope(app: InProcessClient) -> None:
    for url, status in [("/search.json?q=x&grade=brilliant", 400), ("/la/1.json", 404),
                        ("/index.json?region=Narnia", 400), ("/compare.json?la=abc", 400),
                        ("/themes.json?theme=nothing", 400)]:
        response = app.get(url)
        assert response.status_code == status, url
        body = response.json()
        assert body["ok"] is False and body["status"] == status and body["error"]
    html = app.get("/la/no-such-place")
    assert html.status_code == 404 and "no local authority" in html.text


def test_unchanged_pages_answer_304_to_their_etag(app: InProcessClient) -> None:
    first = app.get("/la/80419")
    again = app.get("/la/80419", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_every_page_names_the_licence(app: InProcessClient) -> None:
    for path in ["/", "/la/80419", "/downloads", "/la/no-such-place"]:
        html = app.get(path).text
        assert "Open Government Licence v3.0" in html, path


def test_writing_is_off_unless_a_token_is_configured(app: InProcessClient) -> None:
    response = app.post("/api/interventions/1/confirm")
    assert response.status_code == 403
    assert "ILACS_WRITE_TOKEN" in response.json()["error"]


def test_slugs_redirect_to_the_urn_address(app: InProcessClient) -> None:
    response = app.get("/la/isle-of-wight", follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"] == "/la/80419"
    response = app.get("/la/isle-of-wight.json", follow_redirects=False)
    assert response.headers["location"] == "/la/80419.json"


def test_the_readmes_sql_runs_against_a_record(small_db: Path) -> None:
    """The README's queries for SQL tools name real tables and columns, and find rows."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, re.S)
    queries = [query for block in blocks for query in block.split(";") if query.strip()]
    assert len(queries) >= 2
    with sqlite3.connect(f"file:{small_db}?mode=ro", uri=True) as conn:
        for query in queries:
            assert conn.execute(query).fetchall(), query
