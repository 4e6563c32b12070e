"""The fake website's state: its providers and files, the faults queued per path, and a log
of every request, so tests can say what the client asked for."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from conftest import SHARED, require_shared
from fake_ofsted.letters import monitoring_letter

CORPUS = SHARED / "corpus"


class Fault(Enum):
    SERVER_ERROR = "500"
    TOO_MANY_REQUESTS = "429 with Retry-After"
    SLOW = "answers after the client's timeout"
    TRUNCATE = "sends half the body under the full Content-Length, then hangs up"
    HTML_PAGE = "an HTML error page with status 200"
    DRIP = "sends one byte every `drip_seconds` under the full Content-Length"
    REDIRECT_AWAY = "redirects to the same path on another host (localhost for 127.0.0.1)"
    HUGE = "announces and streams a body far larger than any report"


@dataclass
class FakePublication:
    file_id: str
    kind_words: str  # the hidden text naming the kind, as in <span class="nonvisual">
    title: str
    body: bytes
    published: date | None
    date_style: str = "published"  # 'published', 'time', 'before' or 'none'


@dataclass
class FakeProvider:
    urn: int
    name: str
    publications: list[FakePublication]
    markup_changed: bool = False


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeOfsted:
    providers: list[FakeProvider]
    listing_changed: bool = False
    max_rows: int | None = None  # serve fewer results a page than asked for
    ignore_start: bool = False  # serve the first page of results whatever is asked
    slow_seconds: float = 0.6
    retry_after: str = "1"
    drip_seconds: float = 0.5
    huge_bytes: int = 64 * 1024 * 1024
    seen: list[Seen] = field(default_factory=list)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_faults(self, path: str, *faults: Fault) -> None:
        with self.lock:
            self.faults.setdefault(path, deque()).extend(faults)

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def next_fault(self, path: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(path)
            return queue.popleft() if queue else None

    def log(self, seen: Seen) -> None:
        with self.lock:
            self.seen.append(seen)

    def requests_to(self, prefix: str) -> list[Seen]:
        with self.lock:
            return [seen for seen in self.seen if seen.path.startswith(prefix)]

    def publication(self, file_id: str) -> FakePublication | None:
        return next((p for provider in self.providers for p in provider.publications
                     if p.file_id == file_id), None)

    def provider(self, urn: int) -> FakeProvider | None:
        return next((provider for provider in self.providers if provider.urn == urn), None)


def file_path(publication: FakePublication) -> str:
    return f"/v1/file/{publication.file_id}"


def provider_path(provider: FakeProvider) -> str:
    return f"/provider/44/{provider.urn}"


def corpus_pdf(relative: str) -> bytes:
    return (CORPUS / relative).read_bytes()


def standard_site() -> FakeOfsted:
    """Five LAs (three pages of results at rows=2), each kind of publication, dated three
    ways and once not at all: 2 inspections, 2 focused visits, 1 JTAI, 3 monitoring visits."""
    require_shared()
    wight = FakeProvider(80419, "Isle of Wight", [
        FakePublication("1001", "Children's services inspection", "Children's services inspection",
                        corpus_pdf("reports/80419_isle of wight/children's services inspection"
                                   " - 15 december 2023.pdf"), date(2023, 12, 15)),
        FakePublication("1002", "Monitoring visit", "Monitoring visit",
                        monitoring_letter("Isle of Wight", date(2024, 3, 14),
                                          "6 and 7 February 2024", "second"),
                        date(2024, 3, 14), "time"),
    ])
    barnsley = FakeProvider(80426, "Barnsley", [
        FakePublication("2001", "Children's services focused visit", "Focused visit",
                        corpus_pdf("letters/focused_visit/80426_barnsley/children's services "
                                   "focused visit - 05 december 2024.pdf"), date(2024, 12, 5),
                        "before"),
        FakePublication("2002", "Children's services inspection", "Children's services inspection",
                        corpus_pdf("reports/80426_barnsley/children's services inspection - "
                                   "27 october 2023.pdf"), date(2023, 10, 27)),
    ])
    blackpool = FakeProvider(80431, "Blackpool", [
        FakePublication("3001", "Joint targeted area inspection (JTAI)",
                        "Joint targeted area inspection",
                        corpus_pdf("letters/jtai/80431_blackpool/joint area child protection "
                                   "inspection - 31 january 2025.pdf"), date(2025, 1, 31), "time"),
        FakePublication("3002", "Children's services focused visit", "Focused visit",
                        corpus_pdf("letters/focused_visit/80431_blackpool/children's services "
                                   "focused visit - 06 november 2025.pdf"), date(2025, 11, 6)),
    ])
    bedford = FakeProvider(80428, "Bedford", [
        FakePublication("4001", "Monitoring visit", "Monitoring visit",
                        monitoring_letter("Bedford", date(2024, 6, 20), "21 and 22 May 2024",
                                          "first"), None, "none"),
    ])
    bcp = FakeProvider(2532287, "Bournemouth, Christchurch & Poole", [
        FakePublication("5001", "Monitoring visit", "Monitoring visit",
                        monitoring_letter("Bournemouth, Christchurch and Poole",
                                          date(2022, 7, 5), "7 and 8 June 2022", "first"),
                        date(2022, 7, 5)),
    ])
    return FakeOfsted([wight, barnsley, blackpool, bedford, bcp])
