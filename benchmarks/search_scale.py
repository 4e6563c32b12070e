"""Does search grow with the record? The corpus at 1x and 10x, built and searched cold.

    python benchmarks/search_scale.py [--scale 10] [--clients 20] [--queries 100]
                                      [--work DIR] [--keep]

1. Builds a record of the shared reports (`ilacs ingest`, timed, peak RSS), then one of
   `--scale` copies of them, each copy with bytes appended so that every file is a new
   document (the same pages, `--scale` times over: what a record of that size costs).
2. Picks `--queries` common practice words from the 1x record's own pages (words of 5
   letters or more on 2-40 % of pages, from the 60th most common down; the same words at
   both sizes), so no list is tuned here.
3. Searches each record cold, `--clients` at once (threads, a connection each, as the
   server's workers): what the dashboard's first page of results costs in the store (rank
   every matching page with FTS5's bm25, filter, one page of 10 hits with snippets;
   `ilacs.store.search`). A search is cold: nothing is kept between queries but the facts
   index, which a server loads once per record version. Then the same queries one at a time
   (the machine's speed, as a baseline in the same run).
4. The dashboard's search, the same queries one at a time and `--clients` at once: a whole
   first page of results (ilacs.web.pages.search over the tantivy index of
   ilacs.web.text_index: documents at the rank of their best page, the documents and pages
   matching counted, facets, ten snippets), its index made once as a server makes it.
   `--clients` at once twice: all of them searching together, then admitted as the server
   admits pages to be built (ilacs.web.app.BUILDERS at a time, first come first served; the
   wait for a place counts in the latency).
5. The whole search page as the app serves it (HTML, rendered and compressed), `--clients`
   at once through the app in process: what a visitor waits for beyond the search itself.
Prints a table of build time, peak RSS, database size and search latency (p50, p95, max)
for each size and index. The issue's target: cold search p95 <= 50 ms at 20 clients.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from ilacs.store.search import (
    SEARCH_SECONDS,
    SearchFilters,
    SearchIndex,
    SearchRejected,
    rank_pages,
    results_page,
)
from ilacs.web.app import BUILDERS
from ilacs.web.snapshot import read_connection

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT.parent / "shared" / "corpus" / "reports"
ILACS = Path(sys.executable).with_name("ilacs")
FIRST_PAGE = 10


def copies(source: Path, target: Path, scale: int) -> int:
    """`scale` copies of every PDF under `source`, each with bytes appended (a PDF reader
    ignores what follows %%EOF), so each copy has a hash of its own."""
    made = 0
    for pdf in sorted(source.rglob("*.pdf")):
        data = pdf.read_bytes()
        for copy in range(scale):
            folder = target / f"copy{copy:02d}" / pdf.parent.name
            folder.mkdir(parents=True, exist_ok=True)
            (folder / pdf.name).write_bytes(data + b"\n%" + str(copy).encode() * (copy > 0))
            made += 1
    return made


def build(folder: Path, db: Path) -> tuple[float, float]:
    """Seconds to ingest `folder` into `db`, and the peak RSS (MiB) of its largest process."""
    started = time.perf_counter()
    subprocess.run([str(ILACS), "--db", str(db), "ingest", str(folder)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def common_words(db: Path, count: int) -> list[str]:
    """Words of 5 letters or more on 2-40 % of the record's pages, from the 60th most common
    down (the same words at every size)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pages: Counter[str] = Counter()
    total = 0
    for (text,) in conn.execute("SELECT text FROM pages"):
        pages.update(set(re.findall(r"[a-z]{5,}", text.lower())))
        total += 1
    conn.close()
    common = [word for word, n in pages.most_common() if 0.02 * total <= n <= 0.40 * total]
    return common[60:60 + count]


def percentiles(timings: list[float]) -> tuple[float, float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


class FirstComeFirstServed:
    """At most `places` searches at once; a place let go goes to the one waiting longest, as
    the server's page builders are admitted (ilacs.web.app.BUILDERS, anyio's CapacityLimiter:
    a newcomer never overtakes one waiting)."""

    def __init__(self, places: int) -> None:
        self._free = places
        self._waiting: deque[threading.Event] = deque()
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # the place is handed over, never freed
            else:
                self._free += 1


def run_clients(queries: list[str], clients: int,
                make_search: Callable[[], Callable[[str], object]],
                admitted: int | None = None) -> tuple[list[float], int]:
    """Each query once, `clients` threads taking the next one as they finish: latencies in
    ms (waiting for a place included), and how many searches the store stopped at its time
    budget (they count with the time they took, never left out). `admitted`: at most that
    many search at once, first come first served; None: all of them."""
    timings: list[float] = []
    stopped = 0
    pending = list(reversed(queries))
    lock = threading.Lock()
    searchers = [make_search() for _ in range(clients)]
    start = threading.Barrier(clients)
    admission: AbstractContextManager[None] = (
        FirstComeFirstServed(admitted) if admitted else nullcontext())

    def client(search: Callable[[str], object]) -> None:
        nonlocal stopped
        start.wait()
        while True:
            with lock:
                if not pending:
                    return
                query = pending.pop()
            began = time.perf_counter()
            try:
                with admission:
                    search(query)
            except SearchRejected:
                with lock:
                    stopped += 1
            with lock:
                timings.append(1000 * (time.perf_counter() - began))

    threads = [threading.Thread(target=client, args=(s,)) for s in searchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, stopped


def fts5_searcher(db: Path) -> Callable[[], Callable[[str], object]]:
    index_conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    index = SearchIndex.load(index_conn)  # a server loads it once per record version
    index_conn.close()

    def make() -> Callable[[str], object]:
        conn = read_connection(db)  # the server's, as the dashboard's below

        def search(query: str) -> object:
            return results_page(conn, index, rank_pages(conn, query), SearchFilters(),
                                FIRST_PAGE, 0)
        return search
    return make


def dashboard_searcher(db: Path) -> tuple[Callable[[], Callable[[], Callable[[str], object]]],
                                          float]:
    """The dashboard's own search (ilacs.web.pages.search: the tantivy index of
    ilacs.web.text_index), a whole first page of results: documents by their best page,
    counts, facets, snippets. The index is made once, as a server makes it per record
    version; the seconds it took. Each call of the first result starts a cold run: a
    snapshot of its own, sharing the index and warmed as the server warms each version (an
    empty search, then the record's objects frozen out of garbage collections), so no
    snippet of an earlier run is kept."""
    from ilacs.web.pages.search import document_codes, search_index, search_page, text_index
    from ilacs.web.snapshot import Snapshot, load_snapshot
    from ilacs.web.warm import freeze_long_lived

    def connect() -> sqlite3.Connection:
        return read_connection(db)  # the server's: the file mapped, a larger page cache

    first = load_snapshot(connect(), "search-scale")
    started = time.perf_counter()
    index = text_index(first, connect())
    seconds = time.perf_counter() - started

    def cold_run() -> Callable[[], Callable[[str], object]]:
        snapshot: Snapshot = load_snapshot(connect(), "search-scale")
        conn = connect()
        snapshot.memo("search-index", lambda: search_index(first, conn))
        snapshot.memo("search-codes", lambda: document_codes(first, conn))
        snapshot.memo("search-text", lambda: index)
        # what the server's warm-up does for each version of the record: an empty search,
        # then the record's objects left out of garbage collections
        search_page(snapshot, conn, "", SearchFilters())
        freeze_long_lived()

        def make() -> Callable[[str], object]:
            conn = connect()

            def search(query: str) -> object:
                return search_page(snapshot, conn, query, SearchFilters())
            return search
        return make
    return cold_run, seconds


def page_timings(db: Path, queries: list[str], clients: int) -> list[float]:
    """The whole search page (HTML) as the app serves it, called in process as an ASGI
    server calls it (no HTTP client: httpx spent as much CPU a request as the app),
    `clients` at once, each taking the next query as it finishes. The app's own index,
    warmed as `ilacs serve` warms a record version; latencies in ms, to the last byte."""
    import asyncio
    from urllib.parse import urlencode

    from starlette.types import Message

    from ilacs.web.app import create_app
    from ilacs.web.settings import WebSettings
    from ilacs.web.warm import freeze_long_lived

    app = create_app(WebSettings(db_path=db, warm=False))

    async def get(query: str | None) -> None:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": "/search", "raw_path": b"/search",
                 "root_path": "", "headers": [(b"host", b"127.0.0.1:8000"),
                                                     (b"accept-encoding", b"gzip")],
                 "query_string": urlencode({"q": query}).encode() if query else b"",
                 "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000)}
        statuses: list[int] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
        await app(scope, receive, send)
        if statuses != [200]:
            raise RuntimeError(f"/search?q={query}: HTTP {statuses}")

    async def run() -> list[float]:
        for warm_up in ("zzzzwarm", None):
            await get(warm_up)
        freeze_long_lived()
        pending = list(reversed(queries))
        timings: list[float] = []

        async def one_client() -> None:
            while pending:
                query = pending.pop()
                began = time.perf_counter()
                await get(query)
                timings.append(1000 * (time.perf_counter() - began))
        await asyncio.gather(*(one_client() for _ in range(clients)))
        return timings
    return asyncio.run(run())

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--work", type=Path, default=None,
                        help="Folder for the copies, records and indexes (default: a "
                             "temporary one, removed unless --keep).")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ilacs-scale-"))
    rows = []
    try:
        databases = {}
        for scale in (1, args.scale):
            corpus = work / f"corpus{scale}x"
            db = work / f"record{scale}x.db"
            if not db.exists():
                if not corpus.exists():
                    print(f"copying the reports {scale} time(s)…", flush=True)
                    copies(REPORTS, corpus, scale)
                print(f"building the {scale}x record…", flush=True)
                seconds, rss = build(corpus, db)
            else:
                seconds, rss = float("nan"), float("nan")
            databases[scale] = db
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            [pages] = conn.execute("SELECT count(*) FROM pages").fetchone()
            conn.close()
            rows.append((scale, pages, seconds, rss, db.stat().st_size / 1e6))
        words = common_words(databases[1], args.queries)
        print(f"{len(words)} words, e.g. {', '.join(words[:8])}")
        print(f"\n{'record':>7} {'pages':>8} {'build s':>8} {'peak MiB':>9} {'db MB':>7}")
        for scale, pages, seconds, rss, size in rows:
            print(f"{scale:>6}x {pages:>8,} {seconds:>8.1f} {rss:>9.0f} {size:>7.0f}")
        print(f"\n{'search':<26} {'record':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for scale, db in databases.items():
            serial = run_clients(words, 1, fts5_searcher(db))
            loaded = run_clients(words, args.clients, fts5_searcher(db))
            for name, (timings, stopped) in (("FTS5, one at a time", serial),
                                             (f"FTS5, {args.clients} at once", loaded)):
                p50, p95, worst = percentiles(timings)
                note = f"   ({stopped} stopped at the {SEARCH_SECONDS:g} s budget)" \
                    if stopped else ""
                print(f"{name:<26} {scale:>5}x {p50:>8.1f} {p95:>8.1f} {worst:>8.1f}{note}")
            cold_run, seconds = dashboard_searcher(db)
            for name, clients, admitted in (
                    ("dashboard, one at a time", 1, None),
                    (f"dashboard, {args.clients} at once", args.clients, None),
                    (f"  {BUILDERS} admitted, as served", args.clients, BUILDERS)):
                timings, _ = run_clients(words, clients, cold_run(), admitted)
                p50, p95, worst = percentiles(timings)
                print(f"{name:<26} {scale:>5}x {p50:>8.1f} {p95:>8.1f} {worst:>8.1f}"
                      f"   (its index made in {seconds:.1f} s)")
            p50, p95, worst = percentiles(page_timings(db, words, args.clients))
            print(f"{'whole page, ' + str(args.clients) + ' at once':<26} {scale:>5}x "
                  f"{p50:>8.1f} {p95:>8.1f} {worst:>8.1f}   (HTML, through the app in process)")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
