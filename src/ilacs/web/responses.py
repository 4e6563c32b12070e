"""Responses the app sends: cached page bodies with ETags, and one error envelope."""

from __future__ import annotations

import asyncio
import copy
import gzip
import hashlib
import threading
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response

from ilacs.caching import LatestKept

HTML = "text/html; charset=utf-8"
JSON = "application/json"
ATOM = "application/atom+xml; charset=utf-8"
CACHE_ENTRIES = 2048
# The bodies kept, in all: junk query strings make new addresses, and without a budget in
# bytes as well as entries a server's memory grew fourfold (docs/web.md).
CACHE_BYTES = 64 * 1024 * 1024


GZIP_FROM_BYTES = 1024


def public_base(request: Request, configured: str | None) -> str:
    """The address absolute links start with: the configured public address, else the
    address this server listens on (the socket's, never the Host header a client may set)."""
    if configured:
        return configured.rstrip("/")
    host, port = request.scope.get("server") or ("127.0.0.1", None)
    default = {"http": 80, "https": 443}.get(request.url.scheme)
    return f"{request.url.scheme}://{host}" + (f":{port}" if port and port != default else "")
GZIP_LEVEL = 3


@dataclass(frozen=True)
class Body:
    # The plain bytes, kept only when the body is not compressed: a compressed body is kept
    # gzipped alone. An LA page with its statistics is 340 kB of HTML, a tenth of that
    # gzipped; keeping both, the warm pages (every LA's HTML and JSON) passed the cache's
    # budget and pushed each other out, and every LA page was built again on its visit.
    plain: bytes | None
    media_type: str
    etag: str
    # Compressed once when cached, not per request. Level 3, not zlib's 6: measured 2.5
    # times faster on these pages, for bodies 5-20% larger.
    gzipped: bytes | None

    @classmethod
    def of(cls, content: bytes | str, media_type: str) -> Body:
        data = content.encode() if isinstance(content, str) else content
        etag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
        if len(data) < GZIP_FROM_BYTES:
            return cls(data, media_type, etag, None)
        return cls(None, media_type, etag, gzip.compress(data, compresslevel=GZIP_LEVEL,
                                                         mtime=0))

    @property
    def content(self) -> bytes:
        """The plain bytes (unpacked again for a client that does not take gzip)."""
        if self.plain is not None:
            return self.plain
        assert self.gzipped is not None
        return gzip.decompress(self.gzipped)

    def response(self, request: Request, status: int = 200) -> Response:
        headers = {"ETag": self.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if status == 200 and request.headers.get("if-none-match") == self.etag:
            return Response(status_code=304, headers=headers)
        if self.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(self.gzipped, status, headers=headers, media_type=self.media_type)
        return Response(self.content, status, headers=headers, media_type=self.media_type)


# A page being built, and what it came to: its body, the error it raised, or None if its
# request was cancelled before the end.
_Building = asyncio.Future[Body | Exception | None]


class BodyCache:
    """Rendered pages by (record version, URL): a page is built once per change of the record."""

    def __init__(self, entries: int = CACHE_ENTRIES, budget: int = CACHE_BYTES) -> None:
        self._bodies: LatestKept[tuple[str, str], Body] = LatestKept(
            entries, weigh=_bytes_held, budget=budget)
        self._lock = threading.Lock()
        # Pages being built, per event loop (tests and `ilacs publish` run loops of their own).
        self._building: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[tuple[str, str], _Building]] = \
            weakref.WeakKeyDictionary()

    async def get_or_build(self, key: tuple[str, str],
                           build: Callable[[], Awaitable[Body]]) -> Body:
        """The cached body for `key`, else what `build()` makes of it, built once however
        many requests ask for the page while it is being built: twenty visitors arriving at
        a page no one has opened since the record changed wait for one build, not twenty."""
        loop = asyncio.get_running_loop()
        with self._lock:
            building = self._building.setdefault(loop, {})
        while True:
            body = self.get(key)
            if body is not None:
                return body
            pending = building.get(key)
            if pending is None:
                break
            awaited = await asyncio.shield(pending)
            if isinstance(awaited, Exception):
                # A copy for each waiter, so one error object does not collect every
                # waiting request's frames; the builder's own error is its cause.
                copied = _copy_of(awaited)
                if copied is None:
                    raise awaited
                raise copied from awaited
            if awaited is not None:
                return awaited
            # The request building it was cancelled first: the next to get here builds it.
        future: _Building = loop.create_future()
        building[key] = future
        outcome: Body | Exception | None = None
        try:
            outcome = await build()
            self.put(key, outcome)
            return outcome
        except Exception as error:
            outcome = error
            raise
        finally:
            del building[key]  # only this request's coroutine adds or removes `key` here
            future.set_result(outcome)

    def get(self, key: tuple[str, str]) -> Body | None:
        return self._bodies.get(key)

    def put(self, key: tuple[str, str], body: Body) -> None:
        self._bodies.put(key, body)

    @property
    def bytes_held(self) -> int:
        return self._bodies.weight


def _bytes_held(body: Body) -> int:
    return len(body.plain or b"") + len(body.gzipped or b"")


def _copy_of(error: Exception) -> Exception | None:
    try:
        return copy.copy(error)
    except Exception:  # an error type that cannot be rebuilt from its arguments
        return None


def error_document(status: int, message: str) -> dict[str, object]:
    """The one shape every JSON error has."""
    return {"ok": False, "status": status, "title": TITLES.get(status, "Error"),
            "error": message}


def atom_error(status: int, message: str) -> str:
    """An error a feed reader can show: a valid Atom feed with no entries, titled by it."""
    title = escape(f"ilacs: {TITLES.get(status, 'Error').lower()}: {message}")
    updated = datetime.now(UTC).isoformat(timespec="seconds")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"  <title>{title}</title>\n  <id>urn:ilacs:error:{status}</id>\n"
            f"  <updated>{updated}</updated>\n  <author><name>ilacs</name></author>\n"
            "</feed>\n")


TITLES = {400: "Bad request", 401: "Not authorised", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 500: "Server error", 503: "Unavailable"}
