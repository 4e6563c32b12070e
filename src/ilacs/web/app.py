"""The web app: each page's URL, its JSON twin, source documents, downloads and the API.

Views are thin: parse the request, call the page's data function on the current snapshot,
render it as HTML or JSON. Rendered bodies are cached per record version, so a busy page is
built once per change of the record.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ilacs.errors import IlacsError
from ilacs.export.registry import ExportError
from ilacs.store.search import SearchRejected
from ilacs.web import documents, urls, writes
from ilacs.web.export_files import export_sizes, make_exports
from ilacs.web.guard import GuardMiddleware
from ilacs.web.openapi import openapi_document
from ilacs.web.pages.authority import authority_page, find_authority
from ilacs.web.pages.changes import changes_page, parse_changes_filters
from ilacs.web.pages.common import BadParameter, PageNotFound
from ilacs.web.pages.compare import compare_page, parse_urns
from ilacs.web.pages.downloads import downloads_page, export_rows, parse_export_filename
from ilacs.web.pages.england import england_page, parse_england_filters
from ilacs.web.pages.indicators import (
    indicator_page,
    indicators_page,
    parse_indicator_query,
)
from ilacs.web.pages.pack import pack_page
from ilacs.web.pages.search import (
    parse_page_number,
    parse_sort,
    search_filters,
    search_page,
)
from ilacs.web.pages.themes import themes_page
from ilacs.web.render import render_html, render_json
from ilacs.web.responses import (
    ATOM,
    HTML,
    JSON,
    Body,
    BodyCache,
    atom_error,
    error_document,
    public_base,
)
from ilacs.web.settings import WebSettings
from ilacs.web.snapshot import Snapshot, SnapshotSource
from ilacs.web.tables import csv_routes
from ilacs.web.warm import lifespan

PageBuilder = Callable[[Request, Snapshot, "AppState"], object]
# What else a page shows that may change within one record version, as part of its cache key.
PageVariant = Callable[["AppState", Snapshot], str]

# Pages not yet cached are built four at a time: SQLite, zlib and hashing let go of the GIL,
# so while some builds are there others run Python. With two, a core sat idle whenever both
# wanted the GIL; with Starlette's 40 threads every page in progress shared it and all
# finished late (the measurements: docs/web.md, benchmarks/web.py).
BUILDERS = 4

NAVIGATION = (("/", "England"), ("/compare", "Compare"), ("/indicators", "Statistics"),
              ("/themes", "Themes"), ("/search", "Search"), ("/changes", "Changes"),
              ("/downloads", "Downloads"))


@dataclass
class AppState:
    settings: WebSettings
    source: SnapshotSource
    cache: BodyCache = field(default_factory=BodyCache)
    exports: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ilacs-web-")))
    export_lock: threading.Lock = field(default_factory=threading.Lock)
    warm_version: str | None = None  # the record version whose main pages are pre-rendered
    downloads_version: str | None = None  # the record version whose export files are made
    _builders: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = \
        field(default_factory=weakref.WeakKeyDictionary)

    def export_folder(self, version: str) -> Path:
        """Where the export files of one version of the record are kept."""
        return self.exports / version

    def make_exports(self, version: str, names: Sequence[str]) -> None:
        """Each of the export files `names` of this version not yet made, by one child
        process (ilacs.web.export_files); blocks, so call it from a worker thread."""
        make_exports(self.settings.db_path, self.export_folder(version), self.export_lock, names)

    def builders(self) -> anyio.CapacityLimiter:
        """The threads pages are built in, BUILDERS at a time (one per event loop: tests and
        `ilacs publish` run the app in loops of their own)."""
        loop = asyncio.get_running_loop()
        limiter = self._builders.get(loop)
        if limiter is None:
            limiter = self._builders[loop] = anyio.CapacityLimiter(BUILDERS)
        return limiter


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.ilacs
    return state


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


async def _serve_page(request: Request, template: str, build: PageBuilder,
                      variant: PageVariant | None = None) -> Response:
    state = _state(request)
    snapshot = state.source.current()
    # A feed's links are absolute, but from the configured address (public_base), never from
    # the request's Host header: the path and query are the whole key for every page, with
    # what else the page shows that can change within a record version (`variant`).
    key = (snapshot.version, f"{request.url.path}?{request.url.query}" + (
        f"#{variant(state, snapshot)}" if variant else ""))

    async def build_body() -> Body:
        # Rendering and compressing too, not only the page's data: zlib, hashing and SQLite
        # let go of the GIL, so a worker thread overlaps them with other requests.
        return await anyio.to_thread.run_sync(_page_body, request, snapshot, state, template,
                                              build, limiter=state.builders())

    try:
        body = await state.cache.get_or_build(key, build_body)
    except BadParameter as error:
        return _error(request, 400, str(error))
    except PageNotFound as error:
        return _error(request, 404, str(error))
    return body.response(request)


def _page_body(request: Request, snapshot: Snapshot, state: AppState, template: str,
               build: PageBuilder) -> Body:
    page = build(request, snapshot, state)
    if _wants_json(request):
        return Body.of(render_json(page), JSON)
    if request.url.path.endswith(".atom"):
        base = public_base(request, state.settings.base_url)
        return Body.of(render_html(template, page, base=base), ATOM)
    return Body.of(render_html(template, page, **_chrome(request, state, snapshot)), HTML)


def _chrome(request: Request, state: AppState,
            snapshot: Snapshot | None = None) -> dict[str, Any]:
    """What the layout needs beside the page: navigation, the JSON twin, and for a printed
    page its address and the record's date."""
    path = request.url.path
    query = f"?{request.url.query}" if request.url.query else ""
    settings = state.settings
    return {"navigation": NAVIGATION, "current_path": path,
            "json_url": urls.json_twin(path + query),
            "writable": settings.writable, "static_copy": settings.static_copy,
            "feed_url": urls.changes(feed=True) if settings.feed else None,
            # the public address only when configured: pages are pre-rendered before anyone
            # asks, so the address a reader used is not known
            "page_address": (public_base(request, settings.base_url) if settings.base_url
                             else "") + path + query,
            "record_as_of": snapshot.record.as_of if snapshot is not None else None}


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.endswith(".atom"):
        return Response(atom_error(status, message), status, media_type=ATOM)
    if _wants_json(request) or request.url.path.startswith("/api/"):
        return JSONResponse(error_document(status, message), status_code=status)
    html = render_html("error.html", error_document(status, message),
                       **_chrome(request, _state(request)))
    return Response(html, status, media_type=HTML)


# --- pages ---------------------------------------------------------------------------------

def _england(request: Request, snapshot: Snapshot, state: AppState) -> object:
    q = request.query_params
    filters = parse_england_filters(q.get("region"), q.get("la_type"), q.get("judgement"),
                                    q.get("grade"), q.get("sort"))
    return england_page(snapshot, filters)


def _authority(request: Request, snapshot: Snapshot, state: AppState) -> object:
    urn: int = request.path_params["key"]
    return authority_page(snapshot, find_authority(snapshot, str(urn)).urn)


def _pack(request: Request, snapshot: Snapshot, state: AppState) -> object:
    urn: int = request.path_params["key"]
    return pack_page(snapshot, find_authority(snapshot, str(urn)).urn)


def _compare(request: Request, snapshot: Snapshot, state: AppState) -> object:
    urns = parse_urns(snapshot, request.query_params.getlist("la"))
    with_neighbours = request.query_params.get("with") == "neighbours"
    return compare_page(snapshot, urns, with_neighbours)


def _indicators(request: Request, snapshot: Snapshot, state: AppState) -> object:
    return indicators_page(snapshot)


def _indicator(request: Request, snapshot: Snapshot, state: AppState) -> object:
    key = request.path_params["key"]
    q = request.query_params
    return indicator_page(snapshot, *parse_indicator_query(snapshot, key, q.get("year"),
                                                           q.get("judgement")))


def _themes(request: Request, snapshot: Snapshot, state: AppState) -> object:
    return themes_page(snapshot, request.query_params.get("theme") or None)


def _search(request: Request, snapshot: Snapshot, state: AppState) -> object:
    q = request.query_params
    filters = search_filters(snapshot, request.query_params)
    try:
        return search_page(snapshot, state.source.connection(), q.get("q", ""), filters,
                           parse_page_number(q.get("page")), parse_sort(q.get("sort")))
    except SearchRejected as error:
        raise BadParameter(str(error)) from error


def _changes(request: Request, snapshot: Snapshot, state: AppState) -> object:
    urn, since = parse_changes_filters(snapshot, request.query_params.get("la"),
                                       request.query_params.get("since"))
    return changes_page(snapshot, state.source.connection(), urn, since)


def _downloads(request: Request, snapshot: Snapshot, state: AppState) -> object:
    return downloads_page(feed=state.settings.feed,
                          statistics=not snapshot.record.statistics.empty,
                          rows=export_rows(state.source.connection()),
                          as_of=snapshot.record.as_of,
                          server=not state.settings.static_copy,
                          sizes=_made_exports(state, snapshot))


def _made_exports(state: AppState, snapshot: Snapshot) -> dict[str, int]:
    """The export files already made from this record version, with their sizes."""
    return export_sizes(state.export_folder(snapshot.version))


def _downloads_variant(state: AppState, snapshot: Snapshot) -> str:
    return ",".join(sorted(_made_exports(state, snapshot)))


def _page_routes(path: str, json_paths: tuple[str, ...], template: str,
                 build: PageBuilder, variant: PageVariant | None = None) -> list[BaseRoute]:
    async def endpoint(request: Request) -> Response:
        return await _serve_page(request, template, build, variant)

    # JSON first: "/la/{key}" would otherwise also match "/la/80419.json".
    return [*(Route(p, endpoint, methods=["GET", "HEAD"]) for p in json_paths),
            Route(path, endpoint, methods=["GET", "HEAD"])]


MAX_NAME = 100  # characters of a name to find (the longest authority's is under 40)


async def find(request: Request) -> Response:
    """/find?name=… (the find box): to the authority's page, or a 404 with the nearest names."""
    name = " ".join(request.query_params.get("name", "").split())
    if not name:
        return RedirectResponse("/", status_code=303)
    if len(name) > MAX_NAME:
        return _error(request, 400, f"a name to find is at most {MAX_NAME} characters")
    try:
        authority = find_authority(_state(request).source.current(), name)
    except PageNotFound as error:
        return _error(request, 404, str(error))
    return RedirectResponse(urls.authority(authority.urn), status_code=303)


async def authority_by_name(request: Request) -> Response:
    """/la/isle-of-wight (or a JSON twin) redirects to the authority's URN address."""
    key: str = request.path_params["key"]
    as_json = key.endswith(".json")
    name = key.removesuffix(".json")
    snapshot = _state(request).source.current()
    try:
        authority = find_authority(snapshot, name)
    except PageNotFound as error:
        return _error(request, 404, str(error))
    return RedirectResponse(urls.authority(authority.urn, json=as_json), status_code=301)


# --- documents, downloads, the API ---------------------------------------------------------

async def source_document(request: Request) -> Response:
    state = _state(request)
    snapshot = state.source.current()
    ref = snapshot.documents.get(request.path_params["sha256"])
    if ref is None:
        return _error(request, 404, "the record holds no document with this address")
    path = await run_in_threadpool(documents.locate, snapshot, ref,
                                   state.settings.document_roots)
    if path is None:
        public = documents.where_published(snapshot, ref)
        message = f"{ref.path} is in the record, but this server does not hold the file. " + \
            documents.how_to_add(ref) + (f" Ofsted publishes it at {public}." if public else "")
        return _error(request, 404, message)
    # Served documents are not ours: sandboxed, so a saved web page cannot run script here.
    return FileResponse(path, media_type=documents.media_type(ref), headers={
        "Content-Disposition": f'inline; filename="{path.name}"'.encode("ascii", "replace")
        .decode(), "Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff"})


async def download(request: Request) -> Response:
    state = _state(request)
    filename = request.path_params["filename"]
    if parse_export_filename(filename) is None:
        return _error(request, 404, f"there is no download called {filename!r}; the "
                      "downloads page lists them")
    version = state.source.current().version
    try:
        await run_in_threadpool(state.make_exports, version, [filename])
    except ExportError as error:
        return _error(request, 500, str(error))
    return FileResponse(state.export_folder(version) / filename, filename=filename)


async def status(request: Request) -> Response:
    """For monitoring and benchmarks: the record's version, and whether pages are pre-rendered."""
    state = _state(request)
    version = state.source.current().version
    return JSONResponse({"ok": True, "version": version, "warm": state.warm_version == version,
                         "downloads": state.downloads_version == version,
                         "prepares_downloads": state.settings.prepare_downloads,
                         "writable": state.settings.writable})


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


_LARGEST_ROWID = 2**63 - 1  # SQLite's; a larger number is no id


async def _write(request: Request, given: str, how: str) -> Response | dict[str, Any]:
    """Confirm the intervention in the path if `given` is the write token; else the error."""
    state = _state(request)
    refused = writes.refusal(state.settings, given, how)
    if refused is not None:
        return _error(request, *refused)
    if not 0 < request.path_params["id"] <= _LARGEST_ROWID:
        return _error(request, 404, f"no intervention with id {request.path_params['id']}")
    try:
        return await run_in_threadpool(writes.confirm_and_settle, state.source,
                                       request.path_params["id"])
    except IlacsError as error:
        return _error(request, 404, str(error))


async def confirm(request: Request) -> Response:
    """Accept a suggested intervention through the API (the token as a bearer header)."""
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    done = await _write(request, given, "send the write token as 'Authorization: Bearer TOKEN'")
    return done if isinstance(done, Response) else JSONResponse({"ok": True,
                                                                 "intervention": done})


async def confirm_form(request: Request) -> Response:
    """The LA page's form for the same write (the token typed in); back to the page after."""
    refused = writes.form_refusal(
        request.headers.get("content-type", ""), request.headers.get("origin"),
        request.headers.get("sec-fetch-site"),
        f"{request.url.scheme}://{request.url.netloc}")
    if refused is not None:
        return _error(request, *refused)
    fields = parse_qs((await request.body()).decode("utf-8", "replace"))
    done = await _write(request, (fields.get("token") or [""])[0],
                        "that is not this server's write token: go back, and type the value "
                        "of $ILACS_WRITE_TOKEN it was started with")
    if isinstance(done, Response):
        return done
    return RedirectResponse(urls.authority(done["urn"]) + "#timeline", status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(request, exc.status_code, exc.detail or "")


def create_app(settings: WebSettings) -> Starlette:
    routes: list[BaseRoute] = [
        *_page_routes("/", ("/index.json", "/.json"), "england.html", _england),
        *_page_routes("/la/{key:int}", ("/la/{key:int}.json",), "authority.html", _authority),
        *_page_routes("/la/{key:int}/pack", ("/la/{key:int}/pack.json",), "pack.html", _pack),
        *csv_routes(),
        Route("/la/{key}", authority_by_name),
        Route("/find", find),
        *_page_routes("/compare", ("/compare.json",), "compare.html", _compare),
        *_page_routes("/indicators", ("/indicators.json",), "indicators.html", _indicators),
        *_page_routes("/indicators/{key}", ("/indicators/{key}.json",), "indicator.html",
                      _indicator),
        *_page_routes("/themes", ("/themes.json",), "themes.html", _themes),
        *_page_routes("/search", ("/search.json",), "search.html", _search),
        *_page_routes("/changes", ("/changes.json",), "changes.html", _changes),
        *_page_routes("/changes.atom", (), "changes.atom", _changes),
        *_page_routes("/downloads", ("/downloads.json",), "downloads.html", _downloads,
                      variant=_downloads_variant),
        Route("/downloads/{filename}", download),
        Route("/documents/{sha256}", source_document),
        Route("/openapi.json", openapi),
        Route("/status.json", status),
        Route("/api/interventions/{id:int}/confirm", confirm, methods=["POST"]),
        Route("/interventions/{id:int}/confirm", confirm_form, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("ilacs.web", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error},
                    middleware=[Middleware(GuardMiddleware)], lifespan=lifespan)
    app.state.ilacs = AppState(settings, SnapshotSource(settings.db_path))
    return app
