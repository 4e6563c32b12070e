"""A stand-in for DfE's Explore Education Statistics API, served on 127.0.0.1 for the
`ilacs update --statistics` tests.

It answers the endpoints ilacs calls, in the shapes the API's documentation gives:
`GET /v1/publications?search=&page=&pageSize=`, `GET /v1/publications/{id}/data-sets`,
`GET /v1/data-sets/{id}/csv?dataSetVersion=` (gzip-compressed, as the real API always sends
it) and `GET /v1/data-sets/{id}/meta`. The CSVs it serves are files of ../shared/reference
read at test time, or variants of them made in the test, never copied into the project.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeDataSet:
    id: str
    title: str
    version: str
    csv: bytes
    filters: list[str] = field(default_factory=list)  # column names, for /meta
    indicators: list[tuple[str, str]] = field(default_factory=list)  # (column, unit)
    status: str = "Published"


@dataclass
class FakePublication:
    id: str
    title: str
    slug: str
    data_sets: list[FakeDataSet]


@dataclass
class FakeEes:
    publications: list[FakePublication]
    faults: dict[str, list[int]] = field(default_factory=dict)  # path -> statuses to answer
    requests: list[str] = field(default_factory=list)

    def data_set(self, id: str) -> FakeDataSet | None:
        return next((d for p in self.publications for d in p.data_sets if d.id == id), None)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeEes


class FakeEesServer:
    def __init__(self, http: _Server) -> None:
        self.http = http
        self.base_url = f"http://127.0.0.1:{http.server_address[1]}/statistics"

    def install(self, fake: FakeEes) -> FakeEes:
        self.http.fake = fake
        return fake


@contextmanager
def serve_ees() -> Iterator[FakeEesServer]:
    http = _Server(("127.0.0.1", 0), _Handler)
    http.fake = FakeEes([])
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeEesServer(http)
    finally:
        http.shutdown()
        http.server_close()


def _page(results: list[dict[str, Any]], query: dict[str, list[str]],
          largest: int) -> dict[str, Any]:
    page = int(query.get("page", ["1"])[0])
    size = min(int(query.get("pageSize", ["20"])[0]), largest)
    total = len(results)
    return {"paging": {"page": page, "pageSize": size, "totalResults": total,
                       "totalPages": max(1, (total - 1) // size + 1)},
            "results": results[(page - 1) * size:page * size]}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        pass

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        fake = self.server.fake
        parts = urlsplit(self.path)
        fake.requests.append(self.path)
        path = parts.path.removeprefix("/statistics")
        query = parse_qs(parts.query)
        queued = fake.faults.get(path)
        if queued:
            status = queued.pop(0)
            self._send(status, b'{"title": "fault", "status": %d}' % status,
                       "application/json", {"Retry-After": "0"} if status == 429 else {})
            return
        if path == "/v1/publications":
            words = {w.casefold() for w in query.get("search", [""])[0].split()}
            found = [{"id": p.id, "title": p.title, "slug": p.slug, "summary": "",
                      "lastPublished": "2026-11-26T09:30:00+00:00"}
                     for p in fake.publications
                     if not words or words & {w.casefold() for w in re.findall(r"\w+", p.title)}]
            self._json(_page(found, query, 40))
            return
        match = re.fullmatch(r"/v1/publications/([^/]+)/data-sets", path)
        if match:
            publication = next((p for p in fake.publications if p.id == match.group(1)), None)
            items = [] if publication is None else [
                {"id": d.id, "title": d.title, "summary": "", "status": d.status,
                 "latestVersion": {"version": d.version, "published": "2026-11-26T09:30:00Z",
                                   "totalResults": 1, "file": {"id": d.id},
                                   "timePeriods": {"start": "2013", "end": "2026"},
                                   "geographicLevels": ["National", "Local authority"],
                                   "filters": [], "indicators": []}}
                for d in publication.data_sets]
            self._json(_page(items, query, 20))
            return
        match = re.fullmatch(r"/v1/data-sets/([^/]+)/(csv|meta)", path)
        data_set = fake.data_set(match.group(1)) if match else None
        if match is None or data_set is None or \
                query.get("dataSetVersion", [data_set.version])[0] != data_set.version:
            self._send(404, b'{"title": "Not Found", "status": 404}', "application/json")
            return
        if match.group(2) == "meta":
            self._json({"filters": [{"id": f"f{i}", "column": c, "label": c, "options": []}
                                    for i, c in enumerate(data_set.filters)],
                        "indicators": [{"id": f"i{i}", "column": c, "label": c, "unit": u,
                                        "decimalPlaces": 0}
                                       for i, (c, u) in enumerate(data_set.indicators)],
                        "geographicLevels": [], "locations": [], "timePeriods": []})
            return
        self._send(200, gzip.compress(data_set.csv), "text/csv", {"Content-Encoding": "gzip"})

    def _json(self, document: dict[str, Any]) -> None:
        self._send(200, json.dumps(document).encode(), "application/json")

    def _send(self, status: int, body: bytes, kind: str,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
