"""Load-test the dashboard over the full record, against a baseline from the same run.

    python benchmarks/web.py [--db RECORD.db] [--clients 20] [--rounds 3] [--runs 3]

Starts `ilacs serve` in its own process on 127.0.0.1 (without --db, first builds the full
record: the bundled facts plus every report and letter in ../shared ingested), waits until
it has pre-rendered its main pages and is idle (its expected-grade models are fitted in a
child that runs a few seconds longer), then runs a bounded load generator in three phases
(baseline, pages, search): `--clients` concurrent clients (asyncio, a lean HTTP/1.1 client
on one keep-alive connection each) share each phase's fixed list of requests, so the run
always ends. The generator runs on the same 2 cores as the server. Each of `--runs` runs
starts a fresh server (so every search is ranked anew), and prints p50/p95/p99 latency for:
- the England page, all 153 LA pages, search (distinct queries and filters), JSON twins;
- the first visit to each URL (nothing cached yet) apart from repeat visits;
- the baseline: a static file served by the same server under the same load.
After each run, the same cold searches are timed one after another on one connection with
no server: the machine's speed at that moment (it is shared, and varies through a day).
Each run starts with the record's file read through once (see `read_through`).
The ratio of each group's p95 to the baseline's says how much work a page adds to the
transport itself; the absolute p95s are what the issue's targets (50 ms pages, 100 ms
search at 20 clients) are about. A last table gives each group's p95 over the runs (median
and range), because one run's p95 on a shared 2-core machine varies by a quarter or more.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote_plus

import httpx

from ilacs.extract.models import Grade
from ilacs.store.rows import DocumentKind
from ilacs.store.search import SearchFilters, SearchIndex, rank_pages, results_page
from ilacs.web.pages.search import PER_PAGE

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ILACS = Path(sys.executable).with_name("ilacs")

SEARCHES = [
    '"unregistered placements"', "neglect", "private fostering", "care leavers housing",
    '"pre-proceedings"', "exploitation", "missing from care", "supervision", "caseloads",
    '"corporate parenting"', "disabled children", "domestic abuse", "LADO", "sufficiency",
    "plac*", "children", "audit", "early help", "homeless 16 and 17", "adoption",
    '"quality assurance"', "contextual safeguarding", "health assessments", "education",
    "independent reviewing officers", "\"strategy meetings\"", "advocacy", "permanence",
]
SEARCH_FILTERS = ["", "&kind=letter", "&kind=inspection_report&grade=inadequate", "&year=2024"]
EXTRA = os.environ.get("BENCH_SERVE_ARGS", "").split()
ONE_AT_A_TIME = "searches alone (total)"
# The same filters as the search layer takes them, for the one-at-a-time measure.
FILTERS = [SearchFilters(), SearchFilters(kind=DocumentKind.LETTER),
           SearchFilters(kind=DocumentKind.INSPECTION_REPORT, grade=Grade.INADEQUATE),
           SearchFilters(year=2024)]


def build_record(path: Path) -> None:
    subprocess.run([str(ILACS), "--db", str(path), "build"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([str(ILACS), "--db", str(path), "ingest", str(SHARED / "corpus/reports"),
                    str(SHARED / "corpus/letters"), str(SHARED / "corpus/docs"), "-j", "2"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (Linux; nan elsewhere): the server and the load generator
    share 2 cores, so how much each used says what a phase's latencies are made of."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def phases(rounds: int, urns: list[int]) -> dict[str, list[tuple[str, str]]]:
    """Each phase's (group, url) requests; a phase runs alone at full concurrency."""
    pages: list[tuple[str, str]] = []
    for _ in range(rounds):
        pages += [("england", "/")] * 20 + [("england", "/?region=London&grade=good")] * 5
        pages += [("la", f"/la/{urn}") for urn in urns]
        pages += [("json", f"/la/{urn}.json") for urn in urns[::5]] + [("json", "/index.json")]
    searches = [("search", f"/search?q={quote_plus(q)}{f}")
                for _ in range(rounds) for q in SEARCHES for f in SEARCH_FILTERS]
    return {"baseline": [("baseline", "/static/ilacs.css")] * 300 * rounds,
            "pages": pages, "search": searches}


class LeanClient:
    """One keep-alive HTTP/1.1 connection, with as little client work as possible: httpx
    spends about 3 ms of CPU a request, as much as the server, and on 2 shared cores that
    was measured as the server's latency (20 clients in a closed loop wait on both)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, url: str) -> int:
        """The status of GET `url`, its body read whole; gzip accepted, as browsers do."""
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(f"GET {url} HTTP/1.1\r\nHost: {self.host}\r\n"
                          "Accept-Encoding: gzip\r\n\r\n".encode())
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in head[1:] if ": " in line)
        if "content-length" not in headers:
            raise SystemExit(f"{url}: no Content-Length (this client reads no other framing)")
        await self.reader.readexactly(int(headers["content-length"]))
        return int(head[0].split()[1])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def run_load(base: str, plan: list[tuple[str, str]],
                   clients: int) -> dict[str, list[tuple[float, bool]]]:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in random.Random(5).sample(plan, len(plan)):  # mixed, the same every run
        queue.put_nowait(item)
    seen: set[str] = set()
    timings: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    address = httpx.URL(base)
    ready = asyncio.Barrier(clients)

    async def client() -> None:
        http = LeanClient(address.host, address.port or 80)
        try:
            await http.get("/static/ilacs.svg")  # connect before the clock starts
            await ready.wait()
            while not queue.empty():
                group, url = queue.get_nowait()
                first = url not in seen
                seen.add(url)
                started = time.perf_counter()
                status = await http.get(url)
                elapsed = time.perf_counter() - started
                if status != 200:
                    raise SystemExit(f"{url}: HTTP {status}")
                timings[group].append((elapsed * 1000, first))
        finally:
            await http.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share / 100 * (len(ordered) - 1))))]


def report(timings: dict[str, list[tuple[float, bool]]], clients: int) -> dict[str, float]:
    """Print the run's table; return each group's p95."""
    p95s: dict[str, float] = {}
    baseline = percentile([t for t, _ in timings["baseline"]], 95)
    print(f"{clients} concurrent clients; baseline = a static file from the same server")
    print(f"{'group':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p95/baseline':>13}")
    for group in ["england", "la", "json", "search", "baseline"]:
        rows = timings[group]
        for label, chosen in [("all", [t for t, _ in rows]),
                              ("first visit", [t for t, first in rows if first])]:
            if not chosen or (group == "baseline" and label != "all"):
                continue
            p95 = p95s[f"{group} {label}"] = percentile(chosen, 95)
            print(f"{group + ' ' + label:22} {len(chosen):6d} {statistics.median(chosen):8.1f} "
                  f"{p95:8.1f} {percentile(chosen, 99):8.1f} {p95 / baseline:13.1f}")
    return p95s


def wait_until_warm(base: str) -> None:
    """Until the server answers and says it has pre-rendered its main pages and made its
    export files (which would otherwise take a core from the first phases)."""
    for _ in range(1200):
        try:
            status = httpx.get(base + "/status.json", timeout=60).json()
            if status["warm"] and (status["downloads"] or not status["prepares_downloads"]):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start, pre-render its main pages and make its "
                     "export files in 2 minutes")


def busy_seconds(pid: int) -> float:
    """The CPU time of a process and of its children still running (a server fits its
    expected-grade models in a child)."""
    kids: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):  # a child of any thread
        try:
            kids += [int(kid) for kid in children.read_text().split()]
        except OSError:
            continue  # the thread has ended
    return cpu_seconds(pid) + sum(cpu_seconds(kid) for kid in kids)


def wait_until_idle(pid: int, quiet: float = 0.05, window: float = 0.5) -> float:
    """Until the server has used less than `quiet` CPU seconds in `window` seconds: after it
    says it is warm, it may still be fitting models in a child for a few seconds, and a phase
    begun then measures that start, not the server in use. Returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < 60:
        before = busy_seconds(pid)
        time.sleep(window)
        if busy_seconds(pid) - before < quiet:
            break
    return time.perf_counter() - started


def one_at_a_time_ms(db: Path) -> float:
    """The search phase's cold searches (every text ranked, a page of hits with snippets for
    each filter) one after another on one connection, with no server: how fast this shared
    machine is at the moment, to read the run's p95s against."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        index = SearchIndex.load(conn)
        started = time.perf_counter()
        for text in SEARCHES:
            ranking = rank_pages(conn, text)
            for filters in FILTERS:
                results_page(conn, index, ranking, filters, PER_PAGE, 0)
        return (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def read_through(path: Path) -> None:
    """Read the record's file once, so that every run starts with it in the OS's file cache,
    as a server in use has it: this shared machine's memory manager drops a file's pages
    after about a minute unused, and a first search then waits for the disk."""
    with path.open("rb") as file:
        while file.read(1 << 20):
            pass


def measure(db: Path, clients: int, rounds: int) -> dict[str, float]:
    read_through(db)
    port = free_port()
    server = subprocess.Popen([str(ILACS), "--db", str(db), "serve", "--port", str(port), *EXTRA],
                              stdout=subprocess.DEVNULL, env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        wait_until_warm(base)
        print(f"the server started and pre-rendered its main pages in "
              f"{time.perf_counter() - started:.1f} s, then was busy for another "
              f"{wait_until_idle(server.pid):.1f} s")
        index = httpx.get(base + "/index.json", timeout=60).json()
        urns = [row["authority"]["urn"] for row in index["authorities"]]
        timings: dict[str, list[tuple[float, bool]]] = {}
        for name, plan in phases(rounds, urns).items():
            started, cpu = time.perf_counter(), (cpu_seconds(server.pid), own_cpu_seconds())
            timings.update(asyncio.run(run_load(base, plan, clients)))
            elapsed = time.perf_counter() - started
            used = (cpu_seconds(server.pid) - cpu[0], own_cpu_seconds() - cpu[1])
            print(f"phase {name}: {len(plan)} requests in {elapsed:.1f} s (CPU: server "
                  f"{used[0]:.1f} s, load generator {used[1]:.1f} s)")
        p95s = report(timings, clients)
        server.terminate()
        server.wait(timeout=10)
        alone = p95s[ONE_AT_A_TIME] = one_at_a_time_ms(db)
        print(f"the same {len(SEARCHES) * len(FILTERS)} cold searches one at a time, no "
              f"server: {alone:.0f} ms")
        return p95s
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ilacs-bench-web-"))
    try:
        db = args.db
        if db is None:
            db = workdir / "ilacs.db"
            started = time.perf_counter()
            build_record(db)
            print(f"built the full record in {time.perf_counter() - started:.1f} s")
        runs = []
        for run in range(1, args.runs + 1):
            print(f"\nrun {run} of {args.runs}")
            runs.append(measure(db, args.clients, args.rounds))
        print(f"\np95 over {args.runs} runs (ms): median (lowest to highest); the last row is "
              "the cold searches' total time one at a time with no server, not a p95")
        for group in runs[0]:
            values = [run[group] for run in runs]
            print(f"{group:22} {statistics.median(values):8.1f} "
                  f"({min(values):.1f} to {max(values):.1f})")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
