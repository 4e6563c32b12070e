"""Attack ilacs as an outsider would, on loopback only, and print what held.

    python benchmarks/faults.py [--kills 8] [--requests 2000] [--seed 7]

Each check reproduces an attack of the hardening issue against real parts (the `ilacs` CLI in
its own processes, `ilacs serve` on 127.0.0.1, a real SQLite file, the real corpus in
../shared) and prints its figures beside the target it is held to:

- search abuse: queries of 3.6 KB, thousands of prefix terms, a NUL; the server's CPU time
  for each request (from /proc), and an ordinary search's latency while six of them run;
- memory: a 300 MB POST, 2,400 requests with junk query strings; the server's RSS after;
- small faults: an id past SQLite's range, headers on HTML, a cross-site form post;
- reads during a write: `--requests` requests from 10 clients while `ilacs ingest` writes;
- 10 concurrent first runs on one new database: exit codes, facts, the change log;
- a server dripping a byte every 0.5 s: `ilacs update` ends by its file deadline, exit 1;
- `--kills` times kill -9 during an ingest, then one to the end: facts equal a clean run's,
  nothing doubled, no worker left behind;
- problems that lie: a fixed file, a moved folder, `--strict` on a rerun;
- a file ilacs may not read (run as `nobody` when started as root).

Everything is bounded (every wait has a timeout), so the run always ends; it exits 1 if any
target is missed. Nothing is sent beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from web import wait_until_warm

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REPORTS = SHARED / "corpus" / "reports"
LETTERS = SHARED / "corpus" / "letters"
ILACS = Path(sys.executable).with_name("ilacs")
sys.path.insert(0, str(ROOT / "tests"))  # the stand-in for Ofsted's website the tests use

CPU_LIMIT_S = 2.0
RSS_LIMIT_MB = 400
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

verdicts: list[tuple[str, bool, str]] = []


def verdict(name: str, held: bool, figures: str) -> None:
    verdicts.append((name, held, figures))
    print(f"  {'held  ' if held else 'FAILED'}  {name}: {figures}", flush=True)


def ilacs(db: Path, *args: str, timeout: float = 600, user: str | None = None,
          check: bool = True) -> subprocess.CompletedProcess[str]:
    command = [str(ILACS), "--db", str(db), *args]
    if user:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return done


def facts(db: Path) -> str:
    """A digest of what the record says, independent of row ids and times."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    queries = [
        "SELECT sha256, kind, page_count, parser_version FROM documents ORDER BY sha256",
        "SELECT document_sha256, number, text FROM pages ORDER BY 1, 2",
        "SELECT i.document_sha256, urn, framework, inspection_start, publication_date,"
        " j.key, j.grade FROM inspections i LEFT JOIN judgements j"
        " ON j.inspection_id = i.id ORDER BY 1, 6",
        "SELECT document_sha256, urn, kind, visit_start, focus FROM visits ORDER BY 1",
        "SELECT document_sha256, path, kind, message FROM problems ORDER BY 1, 2, 3, 4",
    ]
    digest = hashlib.sha256()
    for query in queries:
        for row in conn.execute(query):
            digest.update(repr(tuple(row)).encode())
    conn.close()
    return digest.hexdigest()[:16]


def doubled(db: Path) -> int:
    """Documents with more than one inspection or visit: what a torn write would leave."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    found = conn.execute(
        "SELECT count(*) FROM (SELECT document_sha256 FROM inspections GROUP BY 1"
        " HAVING count(*) > 1 UNION ALL SELECT document_sha256 FROM visits GROUP BY 1"
        " HAVING count(*) > 1)").fetchone()[0]
    conn.close()
    return int(found)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`ilacs serve` in its own process, with its CPU time and memory read from /proc."""

    def __init__(self, db: Path, token: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(ILACS), "--db", str(db), "serve", "--port", str(self.port)],
            env={**os.environ, "ILACS_WRITE_TOKEN": token},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Attacks start once it has made its search index and pre-rendered its main pages:
        # a request's CPU time, read from /proc, must not hold the warm-up's.
        wait_until_warm(self.base)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


SEARCH_ATTACKS = {
    "100 x 'a* '": "a* " * 100,
    "3000 x 'a*'": "a*" * 3000,
    "3.6 KB of 'children'": ("children " * 400)[:3600],
    "16 common words": " ".join(["children", "care", "social", "work", "plan", "young",
                                 "people", "services", "leaders", "staff", "family",
                                 "support", "local", "authority", "needs", "help"]),
    "8 words OR'd": " OR ".join(["children", "care", "social", "work", "plan", "young",
                                 "people", "services"]),
    "4 prefixes, 3 letters": "chi* car* sup* pla*",
    "5 one-letter prefixes": "c* p* s* a* w*",
    "a NUL": "\x00",
}


def check_search(server: Server) -> None:
    print("search abuse (one at a time, then six at once beside an ordinary search)")
    worst = 0.0
    with httpx.Client(base_url=server.base, timeout=60) as client:
        for name, query in SEARCH_ATTACKS.items():
            before, started = server.cpu_seconds(), time.monotonic()
            status = client.get("/search", params={"q": query}).status_code
            cpu, wall = server.cpu_seconds() - before, time.monotonic() - started
            worst = max(worst, cpu)
            print(f"    {name:<22} HTTP {status}  {wall * 1000:7.0f} ms wall  "
                  f"{cpu * 1000:6.0f} ms server CPU")
    verdict("no search over 2 s of CPU", worst <= CPU_LIMIT_S, f"worst {worst:.2f} s")

    async def beside() -> float:
        async with httpx.AsyncClient(base_url=server.base, timeout=60) as client:
            heavy = [client.get("/search", params={"q": ("children " * 400)[:3600] + str(n)})
                     for n in range(6)]
            started = time.monotonic()
            ordinary = asyncio.ensure_future(client.get("/search", params={"q": "neglect"}))
            await asyncio.sleep(0)
            await asyncio.gather(*heavy)
            response = await ordinary
            assert response.status_code == 200
            return time.monotonic() - started
    held = asyncio.run(beside())
    verdict("an ordinary search beside six 3.6 KB ones", held <= 2.0, f"{held:.2f} s")


def check_memory(server: Server) -> None:
    print("memory")
    before = server.rss_mb()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        started = time.monotonic()
        raw.sendall(b"POST /api/interventions/1/confirm HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/octet-stream\r\n"
                    b"Content-Length: 314572800\r\n\r\n")
        # the answer comes before a byte of the body is sent: refused by its headers
        answer = raw.recv(200).split(b"\r\n", 1)[0].decode(errors="replace")
        waited = time.monotonic() - started
    after_post = server.rss_mb()
    print(f"    300 MB POST: '{answer}' {waited * 1000:.0f} ms after its headers, no body "
          f"sent; RSS {before:.0f} -> {after_post:.0f} MB")
    verdict("a 300 MB post refused by its headers", answer.split(" ")[1:2] == ["413"],
            answer)
    rng = random.Random(1)
    paths = ["/", "/la/80419", "/themes", "/search", "/compare", "/index.json"]

    async def junk() -> None:
        async with httpx.AsyncClient(base_url=server.base, timeout=60) as client:
            for start in range(0, 2400, 40):
                await asyncio.gather(*(client.get(
                    f"{rng.choice(paths)}?{rng.getrandbits(64):x}={'j' * 900}{n}")
                    for n in range(start, start + 40)))
    asyncio.run(junk())
    after = server.rss_mb()
    print(f"    2,400 junk query strings: RSS {after_post:.0f} -> {after:.0f} MB")
    verdict(f"server RSS under {RSS_LIMIT_MB} MB after the memory attacks",
            after < RSS_LIMIT_MB, f"{after:.0f} MB")


def check_small_faults(server: Server, token: str) -> None:
    print("small faults")
    with httpx.Client(base_url=server.base, timeout=30) as client:
        huge = client.post(f"/api/interventions/{10**20}/confirm",
                           headers={"Authorization": f"Bearer {token}"}).status_code
        nul = client.get("/search?q=%00").status_code
        page = client.get("/")
        cross_site = client.post("/interventions/1/confirm", content=f"token={token}",
                                 headers={"Content-Type": "text/plain",
                                          "Origin": "http://evil.example"}).status_code
    policy = page.headers.get("content-security-policy", "")
    verdict("an id past SQLite's range", huge == 404, f"HTTP {huge}")
    verdict("q=%00", nul == 400, f"HTTP {nul}")
    verdict("security headers on HTML", "frame-ancestors 'none'" in policy
            and page.headers.get("x-content-type-options") == "nosniff"
            and bool(page.headers.get("referrer-policy")), policy[:40] + "…")
    verdict("a cross-site text/plain post carrying the token", cross_site in (400, 403),
            f"HTTP {cross_site}")


def check_reads_during_write(server: Server, db: Path, requests: int) -> None:
    print(f"reads during a write ({requests} requests, 10 clients, `ilacs ingest` of letters)")
    writer = subprocess.Popen([str(ILACS), "--db", str(db), "ingest", str(LETTERS)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    urls = ["/", "/index.json", "/la/80419", "/la/80449.json", "/themes", "/changes",
            "/search?q=neglect", "/search?q=care+leavers", "/compare?la=80419&la=80449"]
    failures: list[str] = []
    during = 0

    async def load() -> None:
        nonlocal during
        queue = list(range(requests))

        async def client_loop() -> None:
            nonlocal during
            async with httpx.AsyncClient(base_url=server.base, timeout=60) as client:
                while queue:
                    n = queue.pop()
                    writing = writer.poll() is None
                    try:
                        response = await client.get(urls[n % len(urls)])
                        if response.status_code >= 500:
                            failures.append(f"{urls[n % len(urls)]}: HTTP "
                                            f"{response.status_code}")
                    except httpx.HTTPError as error:
                        failures.append(f"{urls[n % len(urls)]}: {error!r}")
                    during += writing
        await asyncio.gather(*(client_loop() for _ in range(10)))
    asyncio.run(load())
    _, stderr = writer.communicate(timeout=600)
    verdict("no failed request while an ingest writes", not failures and writer.returncode == 0,
            f"{len(failures)} failed of {requests} ({during} while the ingest wrote; "
            f"ingest exit {writer.returncode})" + (f"; first: {failures[0]}" if failures
                                                  else ""))


def sample_folder(work: Path, count: int) -> Path:
    folder = work / "sample"
    for pdf in sorted(REPORTS.rglob("*.pdf"))[::max(1, 497 // count)][:count]:
        target = folder / pdf.parent.name / pdf.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf, target)  # a temporary copy, deleted with the run's folder
    return folder


def check_first_runs(work: Path) -> None:
    print("10 concurrent first runs on one new database")
    folder = sample_folder(work, 12)
    alone = work / "alone.db"
    ilacs(alone, "ingest", str(folder))
    shared = work / "first.db"
    runs = [subprocess.Popen([str(ILACS), "--db", str(shared), "ingest", str(folder)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(10)]
    codes = [run.wait(timeout=600) for run in runs]
    conn = sqlite3.connect(shared)
    log = [row[0] for row in conn.execute("SELECT kind FROM changes ORDER BY id")]
    conn.close()
    same = facts(shared) == facts(alone)
    verdict("10 of 10 concurrent first runs succeed with the facts of one run",
            codes.count(0) == 10 and same and doubled(shared) == 0,
            f"{codes.count(0)}/10 exit 0; facts {'identical' if same else 'DIFFER'}")
    verdict("the change log starts once, old reports not logged as new",
            log[:1] == ["baseline"] and "inspection_added" not in log,
            f"{len(log)} entries: {', '.join(sorted(set(log)))}")


def check_drip(work: Path) -> None:
    print("a server dripping one byte every 0.5 s")
    from fake_ofsted import Fault, serve, standard_site

    with serve() as server:
        site = server.install(standard_site())
        site.drip_seconds = 0.5
        site.add_faults("/v1/file/3001", Fault.DRIP)
        started = time.monotonic()
        done = ilacs(work / "update.db", "update", "--base-url", server.base_url, "--rate", "0",
                     "--file-deadline", "3", timeout=300, check=False)
        took = time.monotonic() - started
    verdict("a dripping server ends `update` within its deadline with exit 1",
            done.returncode == 1 and "deadline of 3 s" in " ".join(
                (done.stdout + done.stderr).split()), f"exit {done.returncode} "
            f"after {took:.1f} s (the file alone would take minutes)")


def _children(pid: int) -> list[int]:
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in listing.read_text().split()] if listing.exists() else []


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def check_kills(work: Path, kills: int, rng: random.Random) -> None:
    print(f"{kills} x kill -9 during an ingest of reports and letters")
    reference = work / "reference.db"
    ilacs(reference, "ingest", str(REPORTS), str(LETTERS))
    victim = work / "killed.db"
    orphans = 0
    for _ in range(kills):
        run = subprocess.Popen([str(ILACS), "--db", str(victim), "ingest", str(REPORTS),
                                str(LETTERS)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 5.0))
        workers = _children(run.pid)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(map(_running, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        alive = [pid for pid in workers if _running(pid)]
        orphans += len(alive)
        for pid in alive:
            os.kill(pid, signal.SIGKILL)
    ilacs(victim, "ingest", str(REPORTS), str(LETTERS))
    same = facts(victim) == facts(reference)
    verdict(f"{kills} x kill -9 lose and double nothing", same and doubled(victim) == 0,
            f"facts {'identical to a clean run' if same else 'DIFFER'}; "
            f"{doubled(victim)} doubled")
    verdict("no worker outlives a killed ingest", orphans == 0, f"{orphans} left running")


def check_problems(work: Path) -> None:
    print("problems that lie")
    folder = work / "bad" / "in"
    page = b"<!DOCTYPE html><html><body>Not found</body></html>"
    for name in ("a", "b", "c"):
        (folder / name).mkdir(parents=True)
        (folder / name / "report.pdf").write_bytes(page)
    warned = REPORTS / "80461_devon"
    for pdf in sorted(warned.glob("*.pdf")):
        shutil.copy(pdf, folder / "a" / pdf.name)
    db = work / "bad.db"
    ilacs(db, "ingest", str(folder), check=False)
    shutil.copy(next(iter(sorted(LETTERS.rglob("*.pdf")))), folder / "a" / "report.pdf")
    ilacs(db, "ingest", str(folder), check=False)  # one fixed
    moved = folder.parent / "moved"
    folder.rename(moved)
    ilacs(db, "ingest", str(moved.parent), check=False)  # all moved, named from above
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT path, kind, message FROM problems").fetchall()
    conn.close()
    stale = [path for path, _, _ in rows if not path.startswith("moved/")
             or path == "moved/a/report.pdf"]
    twice = len(rows) - len(set(rows))
    pages = sum(kind == "not_a_pdf" for _, kind, _ in rows)
    verdict("problems belong to what each file holds now, once",
            not stale and not twice and pages == 2,
            f"{len(rows)} rows: {pages} for the 2 error pages left, {len(stale)} stale, "
            f"{twice} twice")
    rerun = ilacs(db, "ingest", str(moved / "a"), "--strict", check=False)
    verdict("--strict fails on a rerun while warnings stand",
            rerun.returncode == 1 and "still standing" in " ".join(rerun.stdout.split()),
            f"exit {rerun.returncode}")


def check_unreadable(work: Path) -> None:
    print("a file ilacs may not read")
    folder = work / "locked"
    folder.mkdir()
    for pdf in sorted(LETTERS.rglob("*.pdf"))[:3]:
        shutil.copy(pdf, folder / pdf.name)
    locked = sorted(folder.iterdir())[0]
    locked.chmod(0)
    folder.chmod(0o755)
    db = work / "locked.db"
    if os.geteuid() == 0:
        work.chmod(0o777)
        for path in (folder, *folder.iterdir()):
            if path != locked:
                path.chmod(0o755)
        done = ilacs(db, "ingest", str(folder), user="65534", check=False)
    else:
        done = ilacs(db, "ingest", str(folder), check=False)
    said = " ".join(done.stdout.split())
    verdict("an unreadable file is a problem naming it; the rest goes on",
            done.returncode == 0 and "cannot read the file" in said and locked.name in said
            and "2 new" in said, f"exit {done.returncode}; {said[:90]}…")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    if not REPORTS.is_dir():
        raise SystemExit(f"the corpus is not at {REPORTS}")
    rng = random.Random(options.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ilacs-faults-") as temporary:
        work = Path(temporary)
        record = work / "served.db"
        ilacs(record, "build")
        ilacs(record, "ingest", str(REPORTS))
        token = f"{rng.getrandbits(128):x}"
        server = Server(record, token)
        checks: list[Callable[[], None]] = [
            lambda: check_search(server),
            lambda: check_memory(server),
            lambda: check_small_faults(server, token),
            lambda: check_reads_during_write(server, record, options.requests),
        ]
        try:
            for check in checks:
                check()
        finally:
            server.stop()
        check_first_runs(work)
        check_drip(work)
        check_kills(work, options.kills, rng)
        check_problems(work)
        check_unreadable(work)
    failed = [name for name, held, _ in verdicts if not held]
    print(f"\n{len(verdicts) - len(failed)} of {len(verdicts)} held in "
          f"{time.monotonic() - started:.0f} s" + (f"; FAILED: {', '.join(failed)}"
                                                    if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
