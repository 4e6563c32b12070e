"""The change log on the web: /changes, its JSON twin, and the Atom feed people subscribe to.

Served by a real server over the full record, whose change log holds a baseline, the five
newest documents and the seventeen official statistics data sets loaded after them (see
`corpus_db`); the feed is read with feedparser, as a feed reader would.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
import httpx
import jsonschema
import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def changes(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/changes.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_changes_json_matches_its_schema_and_the_record(client: httpx.Client,
                                                        changes: dict[str, Any],
                                                        corpus_db: Path) -> None:
    openapi = client.get("/openapi.json").json()
    jsonschema.validate(changes, {"$ref": "#/components/schemas/ChangesPage",
                                  "components": openapi["components"]})
    assert "/changes.atom" in openapi["paths"]
    conn = sqlite3.connect(corpus_db)
    stored = conn.execute("SELECT id, kind, urn FROM changes ORDER BY id").fetchall()
    shown = sorted((c["id"], c["kind"], c["authority"]["urn"] if c["authority"] else None)
                   for c in changes["changes"])
    assert shown == [tuple(row) for row in stored] and len(shown) == 6 + 17
    kinds = [kind for _, kind, _ in shown]
    assert kinds[:6] == ["baseline", *["inspection_added"] * 3, *["visit_added"] * 2]
    assert kinds[6:] == ["statistics_added"] * 17
    for change in changes["changes"]:
        if change["kind"] == "statistics_added":
            assert change["authority"] is None and change["source"] is None
            assert change["title"].startswith("Official statistics added: ")
            assert " figures for " in change["lines"][0]
        if change["kind"] == "inspection_added":
            assert change["source"]["url"].startswith("/documents/")
            assert client.get(change["source"]["url"]).status_code == 200
            assert change["title"].startswith(change["authority"]["name"] + ": new inspection")


def test_changes_filter_by_authority_and_date(client: httpx.Client,
                                              changes: dict[str, Any]) -> None:
    urn = next(c["authority"]["urn"] for c in changes["changes"] if c["authority"])
    one = client.get("/changes.json", params={"la": urn}).json()
    assert one["authority"]["urn"] == urn and one["changes"]
    assert all(c["authority"]["urn"] == urn for c in one["changes"])
    assert one["feed_url"] == f"/changes.atom?la={urn}"
    future = client.get("/changes.json", params={"since": "2999-01-01"}).json()
    assert future["changes"] == []
    assert "No changes recorded since 1 January 2999" in client.get(
        "/changes", params={"since": "2999-01-01"}).text
    bad = client.get("/changes.json", params={"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()["error"]


def test_the_atom_feed_reads_in_a_feed_reader(client: httpx.Client, web: str,
                                              changes: dict[str, Any]) -> None:
    response = client.get("/changes.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == [c["title"] for c in changes["changes"]]
    assert feed.feed.links[0].href == f"{web}/changes.atom"
    for entry, change in zip(feed.entries, changes["changes"], strict=True):
        assert entry.id == f"{web}/changes#{change['anchor']}"
        assert entry.link.startswith(web + "/")
        assert entry.updated_parsed is not None
        assert entry.summary == "\n".join(change["lines"])
        assert entry.tags[0].term == change["kind"]
    # Every element RFC 4287 requires, checked on the XML itself.
    root = ElementTree.fromstring(response.content)
    for required in ["id", "title", "updated", "author"]:
        assert root.find(ATOM + required) is not None, required
    for entry in root.iter(ATOM + "entry"):
        assert all(entry.find(ATOM + name) is not None for name in ["id", "title", "updated"])


def test_the_feed_for_one_authority_and_its_etag(client: httpx.Client,
                                                 changes: dict[str, Any]) -> None:
    urn = next(c["authority"]["urn"] for c in changes["changes"] if c["authority"])
    feed = feedparser.parse(client.get("/changes.atom", params={"la": urn}).content)
    expected = [c["title"] for c in changes["changes"]
                if c["authority"] and c["authority"]["urn"] == urn]
    assert [entry.title for entry in feed.entries] == expected
    first = client.get("/changes.atom")
    again = client.get("/changes.atom", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_the_feed_never_takes_its_address_from_the_host_header(client: httpx.Client,
                                                               web: str) -> None:
    forged = client.get("/changes.atom", headers={"Host": "evil.example"})
    assert forged.status_code == 200
    assert b"evil.example" not in forged.content
    assert feedparser.parse(forged.content).feed.links[0].href == f"{web}/changes.atom"


def test_a_bad_feed_address_answers_in_atom(client: httpx.Client) -> None:
    response = client.get("/changes.atom", params={"la": "bad"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10" and feed.entries == []
    assert "bad" in feed.feed.title  # what was wrong, where a feed reader shows it


def test_the_feed_uses_the_configured_public_address(corpus_db: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ilacs.web.settings import ConfigurationError, settings_from_environment
    from web_server import running_server

    monkeypatch.setenv("ILACS_BASE_URL", "https://ilacs.example.org/")
    settings = settings_from_environment(corpus_db)
    assert settings.base_url == "https://ilacs.example.org"
    with running_server(replace(settings, warm=False)) as url, \
            httpx.Client(base_url=url, timeout=60) as local:
        feed = feedparser.parse(local.get("/changes.atom").content)
        printed = local.get("/la/80419").text  # a printed page names its public address
    assert "Printed from ilacs, page https://ilacs.example.org/la/80419;" in printed
    assert feed.feed.links[0].href == "https://ilacs.example.org/changes.atom"
    assert all(entry.link.startswith("https://ilacs.example.org/") for entry in feed.entries)
    with pytest.raises(ConfigurationError, match="not an http"):
        settings_from_environment(corpus_db, base_url="javascript:alert(1)")


def test_every_page_points_feed_readers_at_the_feed(client: httpx.Client) -> None:
    for path in ["/", "/la/80419", "/changes"]:
        html = client.get(path).text
        assert '<link rel="alternate" type="application/atom+xml" title="Changes to the ' \
               'record" href="/changes.atom">' in html
