"""A stand-in for Ofsted's reports website, served on 127.0.0.1 for the sources tests.

`site` holds what the fake website publishes, the faults queued per path and the request log;
`pages` writes its HTML; `letters` writes small PDFs; this module serves them all over HTTP.
The files served are corpus PDFs read from ../shared at test time, never copied.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from fake_ofsted.letters import monitoring_letter, text_pdf
from fake_ofsted.pages import listing_page, provider_page
from fake_ofsted.site import (
    FakeOfsted,
    FakeProvider,
    FakePublication,
    Fault,
    Seen,
    standard_site,
)

__all__ = [
    "FakeOfsted", "FakeProvider", "FakePublication", "FakeServer", "Fault", "Seen",
    "monitoring_letter", "serve", "standard_site", "text_pdf",
]



class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping (the SLOW fault) never blocks shutdown
    fake: FakeServer

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gives up on a faulty answer closes its connection while the handler
        # still reads or writes: the fault a test asked for, not an error to print.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class FakeServer:
    """One HTTP server for a test module; each test installs the site it needs."""

    def __init__(self, http: _HttpServer) -> None:
        self.http = http
        self.base_url = f"http://127.0.0.1:{http.server_address[1]}"
        self.site = FakeOfsted([])

    def install(self, site: FakeOfsted) -> FakeOfsted:
        self.site = site
        return site


@contextmanager
def serve() -> Iterator[FakeServer]:
    http = _HttpServer(("127.0.0.1", 0), _Handler)
    server = FakeServer(http)
    http.fake = server
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        http.shutdown()
        http.server_close()
        thread.join(timeout=5)


_PROVIDER = re.compile(r"^/provider/44/(\d+)$")
_FILE = re.compile(r"^/v1/file/(\w+)$")
_RANGE = re.compile(r"^bytes=(\d+)-$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    server: _HttpServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        server = self.server.fake
        site = server.site
        parts = urlsplit(self.path)
        site.log(Seen(parts.path, parse_qs(parts.query), dict(self.headers.items())))
        fault = site.next_fault(parts.path)
        try:
            self._answer(site, server.base_url, parts.path, parse_qs(parts.query), fault)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the SLOW fault): nothing left to answer

    def _answer(self, site: FakeOfsted, base_url: str, path: str,
                query: dict[str, list[str]], fault: Fault | None) -> None:
        if fault is Fault.SLOW:
            time.sleep(site.slow_seconds)
        if fault is Fault.SERVER_ERROR:
            return self._send(500, b"<h1>Internal server error</h1>", "text/html")
        if fault is Fault.TOO_MANY_REQUESTS:
            return self._send(429, b"Slow down", "text/plain", {"Retry-After": site.retry_after})
        if fault is Fault.HTML_PAGE:
            return self._send(200, b"<!DOCTYPE html><html><body>Sorry, the file is not "
                                   b"available</body></html>", "text/html")
        if fault is Fault.DRIP:
            return self._drip(site)
        if fault is Fault.HUGE:
            return self._huge(site)
        if fault is Fault.REDIRECT_AWAY:
            away = base_url.replace("127.0.0.1", "localhost") + path
            return self._send(302, b"", "text/plain", {"Location": away})
        if path == "/search":
            return self._send(200, listing_page(site, query).encode(), "text/html; charset=utf-8")
        if match := _PROVIDER.match(path):
            provider = site.provider(int(match.group(1)))
            if provider is not None:
                page = provider_page(provider, base_url).encode()
                return self._send(200, page, "text/html; charset=utf-8")
        if match := _FILE.match(path):
            publication = site.publication(match.group(1))
            if publication is not None:
                return self._send_file(publication.body, truncate=fault is Fault.TRUNCATE)
        return self._send(404, b"Not found", "text/plain")

    def _send_file(self, body: bytes, truncate: bool) -> None:
        headers = {"ETag": f'"{hashlib.sha256(body).hexdigest()[:16]}"',
                   "Last-Modified": "Mon, 01 Jan 2024 09:00:00 GMT", "Accept-Ranges": "bytes"}
        status = 200
        wanted = _RANGE.match(self.headers.get("Range", ""))
        if wanted:
            first = int(wanted.group(1))
            if first >= len(body):
                return self._send(416, b"", "text/plain",
                                  {"Content-Range": f"bytes */{len(body)}"})
            headers["Content-Range"] = f"bytes {first}-{len(body) - 1}/{len(body)}"
            body, status = body[first:], 206
        self._send(status, body, "application/pdf", headers, truncate=truncate)

    def _drip(self, site: FakeOfsted) -> None:
        body = b"%PDF-1.4 dripping"
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body) * 1000))
        self.end_headers()
        for byte in (body * 1000):
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(site.drip_seconds)

    def _huge(self, site: FakeOfsted) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(site.huge_bytes))
        self.end_headers()
        chunk = b"%PDF-1.4\n" + b"0" * (64 * 1024 - 9)
        for _ in range(site.huge_bytes // len(chunk)):
            self.wfile.write(chunk)

    def _send(self, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None, truncate: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if truncate else body)
        if truncate:
            self.wfile.flush()
            self.close_connection = True
