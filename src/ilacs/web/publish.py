"""`ilacs publish DIR`: a static copy of the dashboard that any web host, or a shared drive
opened from disk, can serve: every page, its JSON twin, the change feed, the exports.

Each page is asked of the app itself (through httpx's ASGI transport), so the copy is exactly
what the server sends. Links between pages are rewritten as relative file paths
(`la/80419.html`), so the copy works from any folder, under any path of a website, and from
file://. What only a server can do (search, filters, comparing any set of LAs) is explained on
the pages rather than offered, and source documents link to where Ofsted publishes them.
JSON files are the server's bytes: their `url` fields keep the server's addresses.

The copy is written beside DIR and swapped in at the end, so a host never serves half of one;
DIR is replaced only when it is empty or holds an earlier copy (it has the marker file).
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import posixpath
import re
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import anyio.to_thread
import httpx

from ilacs.errors import IlacsError
from ilacs.extract.themes import taxonomy
from ilacs.web import urls
from ilacs.web.app import create_app
from ilacs.web.documents import where_published
from ilacs.web.pages.downloads import downloads_page, export_filenames
from ilacs.web.settings import WebSettings
from ilacs.web.snapshot import Snapshot

MARKER = ".ilacs-publish.json"
OFSTED_REPORTS = "https://reports.ofsted.gov.uk/"
INTERNAL = "http://publish.invalid"  # the address pages are asked of; never on the network
CONCURRENT_REQUESTS = 4
TEST_ONLY_ASSETS = ("axe-core",)  # vendored for the accessibility tests, not for visitors
_LINK = re.compile(r'(?P<attr>\b(?:href|src|action))="(?P<url>/[^"]*)"')
_ABSOLUTE = re.compile(re.escape(INTERNAL) + r'(?P<url>/[^"<\s]*)')


class PublishError(IlacsError):
    """The copy cannot be written; the message names the folder or page."""


@dataclass
class PublishSummary:
    folder: Path
    pages: int = 0  # HTML, JSON and feed files written from the app
    downloads: int = 0
    feed: bool = False  # changes.atom written (it needs --base-url)
    problems: list[str] = field(default_factory=list)  # links that have no published target

    def headline(self) -> str:
        feed = ("with the Atom feed" if self.feed else
                "without the Atom feed (give --base-url: feeds need absolute addresses)")
        return (f"Published {self.pages} pages and {self.downloads} downloads to {self.folder}, "
                f"{feed}; {len(self.problems)} problems.")


ProgressHook = Callable[[int, int, str], None]  # done, total, the address just written


def site_addresses(snapshot: Snapshot) -> list[str]:
    """Every address the static copy holds, pages with their JSON twins."""
    register = snapshot.record.register
    active = [authority.urn for authority in register.all()]
    # Authorities since replaced (Bournemouth, say) have pages too: their successors link them.
    every = [authority.urn for authority in register.all(include_defunct=True)]
    themes = [theme.key for theme in taxonomy()]
    indicators = [indicator.key for indicator in snapshot.record.statistics.indicators]
    pages = ["/", "/compare", "/search", "/changes", "/downloads",
             *(urls.authority(urn) for urn in every), *(urls.pack(urn) for urn in every),
             *(urls.compare([urn], with_neighbours=True) for urn in active),
             urls.themes(), *(urls.themes(key) for key in themes),
             urls.indicators(), *(urls.indicator(key) for key in indicators)]
    twins = [urls.json_twin(page) for page in pages]
    files = [file.url for file in downloads_page().files]
    tables = [*(urls.authority_context_csv(urn) for urn in every),
              *(urls.history_csv(urn) for urn in every),
              *(urls.indicator_csv(key) for key in indicators),
              urls.grades_by_year_csv(), *(urls.theme_trend_csv(key) for key in themes)]
    return [*files, *pages, *twins, "/openapi.json", *tables]


def _reads_models(address: str) -> bool:
    return address.startswith(("/la/", "/compare?"))


def file_for(address: str) -> str:
    """The file, relative to the copy's root, that holds an address.

    '/' -> index.html; '/la/80419' -> la/80419.html; '/themes?theme=neglect' ->
    themes--theme-neglect.html; addresses that name a file ('/index.json') keep their name."""
    parts = urlsplit(address)
    path = parts.path.strip("/") or "index"
    stem, dot, suffix = path.rpartition(".") if "." in posixpath.basename(path) else (
        path, ".", "html")
    if parts.query:
        stem += "--" + re.sub(r"[^A-Za-z0-9]+", "-", parts.query).strip("-")
    return f"{stem}{dot}{suffix}"


def publish(db_path: Path, folder: Path, base_url: str | None = None,
            document_roots: Iterable[Path] = (),
            on_progress: ProgressHook | None = None) -> PublishSummary:
    """Write the static copy of the record at `db_path` to `folder`."""
    folder = folder.resolve()
    _check_replaceable(folder)
    staging = folder.parent / f".{folder.name}.publishing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        # A thread of its own, so publishing works where an event loop already runs (a
        # notebook, or a test driving a browser).
        with ThreadPoolExecutor(max_workers=1) as thread:
            summary = thread.submit(asyncio.run, _write_copy(
                db_path, staging, base_url, tuple(document_roots), on_progress)).result()
        (staging / MARKER).write_text(json.dumps({
            "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
            # the file's name only: a published folder never tells the server's layout
            "database": db_path.name, "base_url": base_url}, indent=1), encoding="utf-8")
        _swap_in(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return replace(summary, folder=folder)


async def _write_copy(db_path: Path, root: Path, base_url: str | None,
                      document_roots: tuple[Path, ...],
                      on_progress: ProgressHook | None) -> PublishSummary:
    settings = WebSettings(db_path, document_roots, static_copy=True,
                           feed=base_url is not None)
    app = create_app(settings)
    state = app.state.ilacs
    snapshot = state.source.current()  # the pages' own: the record is read once
    # The authorities' pages wait for the expected-grade models, which the snapshot began to
    # fit (seconds, in a child process): every other page is rendered first, meanwhile.
    addresses = sorted(site_addresses(snapshot), key=_reads_models)
    if base_url:
        addresses.append(urls.changes(feed=True))
    published = {address: file_for(address) for address in addresses}
    documents = {sha: where_published(snapshot, ref) for sha, ref in snapshot.documents.items()}
    summary = PublishSummary(root)
    pointed: dict[tuple[str, str], str] = {}  # see _relative_links
    limit = asyncio.Semaphore(CONCURRENT_REQUESTS)
    done = 0
    # The export files are made by one child process (not one a request, each loading pandas
    # anew), on the other core while the pages are rendered here.
    exporting = asyncio.ensure_future(anyio.to_thread.run_sync(
        state.make_exports, snapshot.version, export_filenames()))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=INTERNAL, timeout=None) as client:
        async def fetch(address: str) -> None:
            nonlocal done
            async with limit:
                response = await client.get(address)
            if response.status_code != 200:
                raise PublishError(f"{address}: the dashboard answered HTTP "
                                   f"{response.status_code} ({response.text[:200]})")
            target = published[address]
            body = response.content
            kind = response.headers.get("content-type", "")
            if kind.startswith("text/html"):
                body = _relative_links(response.text, target, published, documents,
                                       summary.problems, pointed).encode()
            elif kind.startswith("application/atom+xml") and base_url:
                body = _absolute_links(response.text, base_url, published,
                                       documents).encode()
                summary.feed = True
            _write(root / target, body)
            if address.startswith("/downloads/"):
                summary.downloads += 1
            else:
                summary.pages += 1
            done += 1
            if on_progress:
                on_progress(done, len(addresses), address)

        # the downloads page gives the files' sizes: it waits for them, and the rest for nothing
        sized = {urls.downloads(), urls.downloads(json=True)}
        try:
            await asyncio.gather(*(fetch(address) for address in addresses
                                   if not address.startswith("/downloads/")
                                   and address not in sized))
        finally:
            await exporting
        await asyncio.gather(*(fetch(address) for address in addresses
                               if address.startswith("/downloads/") or address in sized))
    _copy_static(root / "static")
    return summary


def _relative_links(page: str, page_file: str, published: dict[str, str],
                    documents: dict[str, str | None], problems: list[str],
                    known: dict[tuple[str, str], str]) -> str:
    """Point every site-absolute link of a page at the file that holds it, relative to the
    page's own file. `known`: links already pointed, by folder (shared by the pages of a
    copy: those of a folder repeat most of their links)."""
    here = posixpath.dirname(page_file)

    def target(match: re.Match[str]) -> str:
        link = match.group(0)
        pointed = known.get((here, link))
        if pointed is None:
            pointed = point(match)
            if pointed is not None:
                known[here, link] = pointed
        return link if pointed is None else pointed

    def point(match: re.Match[str]) -> str | None:
        address = html.unescape(match["url"])
        found = _link_target(address, published, documents)
        if found is None:
            problems.append(f"{page_file}: a link to {address} has no page in the copy")
            return None
        if not _is_external(found):
            # both from the copy's root: relpath of relative paths asks for the working
            # directory (a system call) for each, thousands of times a page
            found = posixpath.relpath("/" + found, "/" + here)
        return f'{match["attr"]}="{html.escape(found)}"'

    return _LINK.sub(target, page)


def _absolute_links(feed: str, base_url: str, published: dict[str, str],
                    documents: dict[str, str | None]) -> str:
    """The feed's links and ids at the address the copy will be hosted at."""
    base = base_url.rstrip("/")

    def target(match: re.Match[str]) -> str:
        address = html.unescape(match["url"])
        found = _link_target(address, published, documents) or address.lstrip("/")
        return html.escape(found if _is_external(found) else f"{base}/{found}")

    return _ABSOLUTE.sub(target, feed)


def _is_external(link: str) -> bool:
    return link.startswith(("https://", "http://"))


def _link_target(address: str, published: dict[str, str],
                 documents: dict[str, str | None]) -> str | None:
    """Where a site address lives in the copy: a file relative to the copy's root (with the
    address's #fragment), Ofsted's page for a source document (the copy holds no files), or
    None when the copy has no page for it."""
    before_fragment, hash_, fragment = address.partition("#")
    path = urlsplit(before_fragment).path
    if path.startswith("/documents/"):
        return documents.get(path.removeprefix("/documents/")) or OFSTED_REPORTS
    if path.startswith("/static/"):
        file = path.lstrip("/")
    elif before_fragment in published:
        file = published[before_fragment]
    elif path in published:  # a filtered view: the copy has the unfiltered page
        file = published[path]
    else:
        return None
    return file + hash_ + fragment


def _write(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)


def _copy_static(target: Path) -> None:
    with resources.as_file(resources.files("ilacs.web") / "static") as source:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(*TEST_ONLY_ASSETS))


def _check_replaceable(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise PublishError(f"{folder} is a file; give a folder for the static copy")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise PublishError(
            f"{folder} is not empty and does not hold an earlier ilacs copy (no {MARKER}); "
            "give an empty or new folder, so that nothing of yours is replaced")


def _swap_in(staging: Path, folder: Path) -> None:
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    if folder.exists():
        folder.rename(old)
    staging.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
