"""Keeping the dashboard warm: the main pages pre-rendered whenever the record changes, through
the app itself, so visitors (and the caches) see exactly what a request would have built; then,
if the settings ask, every export file made in one child process (so /downloads can give each
one's size)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import anyio.to_thread
import httpx
from starlette.applications import Starlette

from ilacs.export.registry import ExportError
from ilacs.web.pages.downloads import export_filenames
from ilacs.web.snapshot import Snapshot

if TYPE_CHECKING:
    from ilacs.web.app import AppState

WARM_CHECK_SECONDS = 2.0
_log = logging.getLogger(__name__)


def warm_paths(snapshot: Snapshot) -> list[str]:
    """The pages most visited: England and every authority, as HTML and JSON."""
    urns = [a.urn for a in snapshot.record.register.all()]
    return ["/", "/index.json", "/themes", "/compare", "/search", "/downloads", "/indicators",
            *(f"/la/{urn}" for urn in urns), *(f"/la/{urn}.json" for urn in urns)]


async def keep_warm(app: Starlette) -> None:
    """Pre-render the main pages whenever the record changes."""
    state: AppState = app.state.ilacs
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://warm") as client:
        while True:
            snapshot = state.source.current()
            if state.settings.warm and state.warm_version != snapshot.version:
                for path in warm_paths(snapshot):
                    response = await client.get(path)
                    if response.status_code != 200:
                        _log.warning("pre-rendering %s gave HTTP %s", path,
                                     response.status_code)
                freeze_long_lived()
                state.warm_version = snapshot.version
            if state.settings.prepare_downloads and state.downloads_version != snapshot.version:
                try:
                    await anyio.to_thread.run_sync(state.make_exports, snapshot.version,
                                                   export_filenames())
                except ExportError as error:
                    _log.warning("making the export files: %s", error)
                state.downloads_version = snapshot.version
            await asyncio.sleep(WARM_CHECK_SECONDS)


def freeze_long_lived() -> None:
    """Leave the record's objects out of garbage collections from now on: they live until
    the record changes, and walking them all made each full collection a pause of 100 ms
    or more for every request in flight. The previous record's objects are let go first."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    settings = app.state.ilacs.settings
    if not (settings.warm or settings.prepare_downloads):
        yield
        return
    task = asyncio.create_task(keep_warm(app))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
