"""The web app called in process through `httpx.ASGITransport`, for tests where a real server
on a port adds nothing: the same requests and responses, no socket, no thread per server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.types import ASGIApp


class InProcessClient:
    """`get`, `post` and `request` as httpx.Client has them, run on one event loop."""

    def __init__(self, portal: BlockingPortal, client: httpx.AsyncClient) -> None:
        self._portal = portal
        self._client = client

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            return await self._client.request(method, url, **options)

        return self._portal.call(send)

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)


@contextmanager
def in_process(app: ASGIApp) -> Iterator[InProcessClient]:
    """A client of `app` (without its lifespan: nothing is warmed beside the tests)."""
    with start_blocking_portal() as portal:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                   base_url="http://127.0.0.1")
        try:
            yield InProcessClient(portal, client)
        finally:
            portal.call(client.aclose)
