"""What one search may cost: a query over budget is refused with a reason (400 on the web),
and SQLite is interrupted past its time, so no request holds another."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

import httpx
import pytest

from ilacs.store import open_store
from ilacs.store.search import (
    MAX_PREFIX_TERMS,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    SearchRejected,
    check_query,
    rank_pages,
)


@pytest.mark.parametrize(("query", "reason"), [
    ("a" * (MAX_QUERY_CHARS + 1), "at most 256 characters"),
    (" ".join(["neglect"] * (MAX_QUERY_TERMS + 1)), "words or phrases"),
    (" ".join(f"plac{n}*" for n in range(MAX_PREFIX_TERMS + 1)), "ending in *"),
    ("a* children", "at least 3 letters"),
    ("neglect\x00", "NUL"),
])
def test_a_query_over_budget_is_refused_with_its_reason(query: str, reason: str) -> None:
    with pytest.raises(SearchRejected, match=reason):
        check_query(query)


@pytest.mark.parametrize("query", ["neglect", '"unregistered placements"', "plac* OR neglect",
                                   "children's services"])
def test_ordinary_queries_pass(query: str) -> None:
    check_query(query)


def test_sqlite_is_interrupted_past_the_time_a_search_may_take(
        corpus_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = open_store(corpus_db)
    assert len(rank_pages(conn, "children").page_ids) > 1000
    # the module, not the `search` function ilacs.store exports under the same name
    monkeypatch.setattr(importlib.import_module("ilacs.store.search"), "SEARCH_SECONDS", 0.0)
    with pytest.raises(SearchRejected, match="took more than"):
        rank_pages(conn, "children OR services")
    conn.execute("SELECT count(*) FROM pages").fetchone()  # the handler is gone afterwards
    assert isinstance(conn, sqlite3.Connection)


def test_the_dashboard_answers_400_with_the_reason(client: httpx.Client) -> None:
    for query, reason in [("a*", "at least 3 letters"), ("x" * 300, "256 characters"),
                          ("neglect\x00", "NUL")]:
        page = client.get("/search", params={"q": query})
        assert page.status_code == 400 and reason in page.text
        api = client.get("/search.json", params={"q": query})
        assert api.status_code == 400 and reason in api.text
    assert client.get("/search", params={"q": "neglect"}).status_code == 200


def test_the_dashboard_stops_a_search_over_its_time_and_terms_with_a_400(
        client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server of `client` runs in this process, so its time budget can be set to none."""
    many = " ".join(f"word{n}" for n in range(17))
    for path in ("/search", "/search.json", "/search.csv"):
        refused = client.get(path, params={"q": many})
        assert refused.status_code == 400 and "at most 16 words" in refused.text
    # never searched before, and a prefix: its snippets are one pass of FTS5 over the range
    # of its best pages' ids (ilacs.store.search._snippets), which SQLite interrupts
    slow = "childr* OR servic* OR plans"
    monkeypatch.setattr(importlib.import_module("ilacs.store.search"), "SEARCH_SECONDS", 0.0)
    refused = client.get("/search", params={"q": slow})
    assert refused.status_code == 400 and "took more than 0 s" in refused.text
    monkeypatch.undo()  # a refusal is not kept: with its time back, the search answers
    assert client.get("/search", params={"q": slow}).status_code == 200
