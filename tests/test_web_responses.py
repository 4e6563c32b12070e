"""The page cache's build-once rule: requests that arrive while a page is being built wait
for that build instead of starting their own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from ilacs.web.responses import HTML, Body, BodyCache

KEY = ("version-1", "/search?q=neglect")


class Builds:
    """A page build that can be held open, counting how often it was started."""

    def __init__(self, error: Exception | None = None) -> None:
        self.started = 0
        self.release = asyncio.Event()
        self.error = error

    async def __call__(self) -> Body:
        self.started += 1
        await self.release.wait()
        if self.error is not None:
            raise self.error
        return Body.of(f"<p>build {self.started}</p>", HTML)


async def until(condition: Callable[[], bool], rounds: int = 100) -> None:
    """Let the other tasks run until `condition()` holds."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


def test_requests_arriving_during_a_build_share_it() -> None:
    async def scenario() -> None:
        cache, build = BodyCache(), Builds()
        requests = [asyncio.create_task(cache.get_or_build(KEY, build)) for _ in range(20)]
        await until(lambda: build.started == 1)
        await asyncio.sleep(0)
        build.release.set()
        bodies = await asyncio.gather(*requests)
        assert build.started == 1
        assert all(body is bodies[0] for body in bodies)
        assert cache.get(KEY) is bodies[0]
        # Cached now: a later request builds nothing.
        assert await cache.get_or_build(KEY, build) is bodies[0]
        assert build.started == 1

    asyncio.run(scenario())


def test_a_failed_build_fails_every_waiting_request_and_is_not_cached() -> None:
    async def scenario() -> None:
        cache, build = BodyCache(), Builds(ValueError("page=0 is not a page number"))
        requests = [asyncio.create_task(cache.get_or_build(KEY, build)) for _ in range(3)]
        await until(lambda: build.started == 1)
        build.release.set()
        outcomes = await asyncio.gather(*requests, return_exceptions=True)
        assert [str(outcome) for outcome in outcomes] == ["page=0 is not a page number"] * 3
        assert all(isinstance(outcome, ValueError) for outcome in outcomes)
        # Each waiter raises its own copy, caused by the builder's error.
        builder_error = outcomes[0]
        assert all(outcome is not builder_error and outcome.__cause__ is builder_error
                   for outcome in outcomes[1:])
        assert build.started == 1
        assert cache.get(KEY) is None
        with pytest.raises(ValueError):
            await cache.get_or_build(KEY, build)
        assert build.started == 2

    asyncio.run(scenario())


def test_one_waiting_request_builds_the_page_if_the_first_is_cancelled() -> None:
    async def scenario() -> None:
        cache, build = BodyCache(), Builds()
        first = asyncio.create_task(cache.get_or_build(KEY, build))
        await until(lambda: build.started == 1)
        waiting = [asyncio.create_task(cache.get_or_build(KEY, build)) for _ in range(5)]
        await asyncio.sleep(0)
        first.cancel()
        await until(lambda: build.started == 2)
        build.release.set()
        bodies = await asyncio.gather(*waiting)
        assert build.started == 2  # one of the five took over; the others waited for it
        assert all(body is bodies[0] for body in bodies)
        assert bodies[0].content == b"<p>build 2</p>" and cache.get(KEY) is bodies[0]
        assert first.cancelled()

    asyncio.run(scenario())


def test_a_large_body_is_kept_gzipped_alone_and_served_either_way() -> None:
    import gzip

    from starlette.requests import Request

    page = ("<p>" + "a row of an authority's page " * 2000 + "</p>").encode()
    body = Body.of(page, HTML)
    assert body.plain is None and body.gzipped is not None and len(body.gzipped) < len(page)
    assert body.content == page  # for a client that does not take gzip

    def request(accept: str) -> Request:
        return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"",
                        "headers": [(b"accept-encoding", accept.encode())]})

    zipped = body.response(request("gzip, br"))
    assert zipped.headers["content-encoding"] == "gzip" and gzip.decompress(zipped.body) == page
    assert body.response(request("identity")).body == page
    small = Body.of("<p>short</p>", HTML)
    assert small.plain == b"<p>short</p>" and small.gzipped is None


def test_the_cache_weighs_what_a_body_holds() -> None:
    # every LA page with its statistics (about 340 kB of HTML, 35 kB gzipped), HTML and JSON:
    # kept gzipped alone they fit the budget; kept twice over they did not
    cache = BodyCache(budget=40 * 306 * 1024)
    bodies = {f"/la/{n}": Body.of(f"<tr><td>{n}</td></tr>" * 20_000, HTML)
              for n in range(306)}
    for path, body in bodies.items():
        cache.put(("v1", path), body)
    assert all(cache.get(("v1", path)) is body for path, body in bodies.items())
