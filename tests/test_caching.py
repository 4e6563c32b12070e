"""The bounded cache that the page, ranking and snippet caches keep their values in."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from ilacs.caching import LatestKept
from ilacs.web import WebSettings
from ilacs.web.app import create_app
from ilacs.web.responses import BodyCache


def test_the_least_recently_used_goes_first() -> None:
    kept: LatestKept[str, int] = LatestKept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # reading "a" makes it the latest...
    kept.put("c", 3)  # ...so "b" goes
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == (1, None, 3, 2)
    kept.put("a", 4)  # putting a kept key again replaces it and makes it the latest
    kept.put("d", 5)
    assert (kept.get("a"), kept.get("c"), kept.get("d")) == (4, None, 5)


def test_a_weight_budget_drops_the_least_recent_until_the_rest_fits() -> None:
    kept: LatestKept[str, bytes] = LatestKept(100, weigh=len, budget=10)
    for key in "abcd":
        kept.put(key, b"xxxx")  # 4 bytes each: at most two fit in 10
    assert (len(kept), kept.weight) == (2, 8)
    assert kept.get("a") is None and kept.get("d") == b"xxxx"
    kept.put("d", b"x")  # replacing a value reweighs it
    assert kept.weight == 5
    kept.put("big", b"y" * 50)  # one value over the budget is still kept, alone
    assert (len(kept), kept.weight) == (1, 50)


def test_junk_query_strings_cannot_grow_the_page_cache_past_its_budget(
        corpus_db: Path) -> None:
    """Before: 2,400 requests with junk query strings took the server from 185 to 784 MB."""
    app = create_app(WebSettings(db_path=corpus_db))
    budget = 2 * 1024 * 1024
    app.state.ilacs.cache = BodyCache(budget=budget)


    async def ask() -> list[int]:
        # In-process: the pages are what is measured, not a socket (no lifespan: no warm-up)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://ilacs.test") as client:
            sizes = []
            for n in range(40):
                response = await client.get(f"/?junk={n}{'z' * 200}")
                assert response.status_code == 200
                sizes.append(len(response.content))
            return sizes

    sizes = asyncio.run(ask())
    held = app.state.ilacs.cache.bytes_held
    assert sum(sizes) > 3 * budget  # the pages asked for would not all fit...
    assert 0 < held <= budget  # ...and the cache kept only what does
