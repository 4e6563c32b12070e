"""A stand-in for GOV.UK's content API, served on 127.0.0.1 for the
`ilacs update --interventions` tests: `GET /api/content<path>` answers the JSON of a page in
the shape the API's documentation gives (title, description, first_published_at,
details.body as HTML, and for a collection details.collection_groups and links.documents).
The pages are made at test time (from ../shared/corpus/govuk_notices, read, never copied)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeGovuk:
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> content JSON
    faults: dict[str, list[int]] = field(default_factory=dict)  # path -> statuses to answer
    raw: dict[str, bytes] = field(default_factory=dict)  # path -> a body that is not JSON
    requests: list[str] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeGovuk


@contextmanager
def serve_govuk(fake: FakeGovuk) -> Iterator[str]:
    http = _Server(("127.0.0.1", 0), _Handler)
    http.fake = fake
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_address[1]}"
    finally:
        http.shutdown()
        http.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        pass

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        fake = self.server.fake
        fake.requests.append(self.path)
        path = self.path.removeprefix("/api/content")
        queued = fake.faults.get(path)
        if queued:
            status = queued.pop(0) if len(queued) > 1 else queued[0]
            self._send(status, b'{"error": "fault"}', {"Retry-After": "0"})
            return
        if path in fake.raw:
            self._send(200, fake.raw[path])
            return
        page = fake.pages.get(path) if self.path.startswith("/api/content/") else None
        if page is None:
            self._send(404, b'{"error": {"code": "not_found"}}')
            return
        self._send(200, json.dumps(page).encode())

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
