"""ilacs.sources.update: discover -> download -> ingest against the fake Ofsted website, checking
what ends up in the store, what the user is told, and what the server was asked."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_ofsted import FakeOfsted, FakeServer, Fault, standard_site
from ilacs.cli import cli
from ilacs.errors import IlacsError
from ilacs.extract.authority import urn_from_path
from ilacs.extract.dates import date_from_file_name
from ilacs.sources import (
    HttpSettings,
    PoliteClient,
    SiteChanged,
    SourceProblemKind,
    Stage,
    UpdateOptions,
    UpdateProgress,
    UpdateSummary,
    update,
)
from ilacs.sources.layout import publication_path
from ilacs.sources.ofsted_site import Provider, Publication, PublicationKind
from ilacs.store import all_downloads, open_store

WIGHT_REPORT = "80419_isle-of-wight/children's services inspection - 15 december 2023.pdf"
BARNSLEY_REPORT_FILE = "/v1/file/2002"
EXPECTED_PATHS = {
    WIGHT_REPORT,
    "80419_isle-of-wight/monitoring visit - 14 march 2024.pdf",
    "80426_barnsley/focused visit - 05 december 2024.pdf",
    "80426_barnsley/children's services inspection - 27 october 2023.pdf",
    "80431_blackpool/joint targeted area inspection - 31 january 2025.pdf",
    "80431_blackpool/focused visit - 06 november 2025.pdf",
    "80428_bedford/monitoring visit (4001).pdf",
    "2532287_bournemouth-christchurch-poole/monitoring visit - 05 july 2022.pdf",
}


@pytest.fixture
def site(server: FakeServer) -> FakeOfsted:
    return server.install(standard_site())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_store(tmp_path / "ilacs.db")
    yield conn
    conn.close()


def run(server: FakeServer, conn: sqlite3.Connection, *, timeout: float = 2.0,
        progress: list[UpdateProgress] | None = None, **options: object) -> UpdateSummary:
    """One update, as the CLI would run it but without waiting between requests."""
    settings = HttpSettings(min_interval=0, timeout=timeout, attempts=3, backoff=0, max_wait=0)
    with PoliteClient(settings) as client:
        chosen = UpdateOptions(base_url=server.base_url, rows=2, **options)  # type: ignore[arg-type]
        return update(conn, chosen, on_progress=progress.append if progress is not None
                      else None, client=client)


def count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def test_update_downloads_every_kind_and_records_what_it_found(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection, tmp_path: Path) -> None:
    progress: list[UpdateProgress] = []
    summary = run(server, store, progress=progress)

    assert (summary.providers, summary.publications, summary.already_downloaded) == (5, 8, 0)
    assert summary.problems == [] and not summary.failed
    downloads = tmp_path / "downloads"  # beside the database by default
    assert summary.downloads_folder == downloads
    ledger = all_downloads(store)
    assert {record.path for record in ledger} == EXPECTED_PATHS
    assert Counter(record.kind for record in ledger) == {
        "inspection": 2, "focused_visit": 2, "monitoring_visit": 3, "jtai": 1}
    for record in ledger:
        data = (downloads / record.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record.sha256 and len(data) == record.size
        assert record.url.startswith(f"{server.base_url}/v1/file/") and record.etag
    assert not list(downloads.rglob("*.part"))
    wight = next(record for record in ledger if record.path == WIGHT_REPORT)
    assert (wight.provider_urn, wight.title, wight.published) == (
        80419, "Children's services inspection", date(2023, 12, 15))

    inspections = store.execute(
        "SELECT urn, publication_date FROM inspections ORDER BY urn").fetchall()
    assert [tuple(row) for row in inspections] == [(80419, "2023-12-15"), (80426, "2023-10-27")]
    visits = Counter((row[0], row[1]) for row in store.execute("SELECT kind, urn FROM visits"))
    assert visits == {("monitoring_visit", 80419): 1, ("focused_visit", 80426): 1,
                      ("jtai", 80431): 1, ("focused_visit", 80431): 1,
                      ("monitoring_visit", 80428): 1, ("monitoring_visit", 2532287): 1}
    assert count(store, "SELECT count(*) FROM documents d JOIN downloads l ON l.sha256 = "
                        "d.sha256 WHERE d.source_url = l.url") == 8

    assert [(f.urn, f.published) for f in summary.new_inspections] == [
        (80419, date(2023, 12, 15)), (80426, date(2023, 10, 27))]
    assert Counter(f.kind for f in summary.new_visits) == {
        "monitoring_visit": 3, "focused_visit": 2, "jtai": 1}
    assert summary.headline().endswith(
        "8 downloaded; 2 new inspections and 6 new visits recorded; 0 problems.")

    assert len(site.requests_to("/v1/file/")) == 8
    assert [p.stage for p in progress if p.stage is Stage.LISTING] == [Stage.LISTING] * 4
    last = {p.stage: p for p in progress}
    assert (last[Stage.PROVIDERS].done, last[Stage.PROVIDERS].total) == (5, 5)
    assert (last[Stage.DOWNLOADS].done, last[Stage.INGEST].done) == (8, 8)


def test_a_second_update_downloads_nothing(server: FakeServer, site: FakeOfsted,
                                           store: sqlite3.Connection) -> None:
    run(server, store)
    files_fetched = len(site.requests_to("/v1/file/"))
    again = run(server, store)
    assert len(site.requests_to("/v1/file/")) == files_fetched == 8
    assert (again.already_downloaded, again.downloaded, again.new_facts) == (8, [], [])
    assert again.ingest is not None and again.ingest.unchanged == 8
    assert again.requests == 4 + 5  # the listing pages and provider pages only
    assert count(store, "SELECT count(*) FROM downloads") == 8


def test_dry_run_reports_what_would_be_downloaded_and_writes_nothing(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection, tmp_path: Path) -> None:
    summary = run(server, store, dry_run=True)
    assert {item.path for item in summary.planned} == EXPECTED_PATHS
    assert summary.downloaded == [] and summary.ingest is None
    assert "8 would be downloaded (dry run: nothing written)" in summary.headline()
    assert site.requests_to("/v1/file/") == []
    assert not (tmp_path / "downloads").exists()
    for table in ("downloads", "documents", "inspections", "visits", "problems"):
        assert count(store, f"SELECT count(*) FROM {table}") == 0


def test_server_errors_rate_limits_timeouts_and_truncation_are_survived(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection) -> None:
    site.slow_seconds = 0.6
    site.retry_after = "0"
    site.add_faults("/search", Fault.SERVER_ERROR)
    site.add_faults("/provider/44/80431", Fault.TOO_MANY_REQUESTS)
    site.add_faults("/v1/file/1001", Fault.SLOW)
    site.add_faults(BARNSLEY_REPORT_FILE, Fault.TRUNCATE)
    summary = run(server, store, timeout=0.3)
    assert summary.problems == []
    assert len(summary.downloaded) == 8 and len(summary.new_inspections) == 2
    assert summary.requests == 4 + 5 + 8 + 4  # one retry for each fault
    resumed = site.requests_to(BARNSLEY_REPORT_FILE)[-1]
    assert resumed.headers["Range"].startswith("bytes=")


def test_a_provider_page_with_changed_markup_is_a_problem_naming_its_url(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection) -> None:
    blackpool = site.provider(80431)
    assert blackpool is not None
    blackpool.markup_changed = True
    summary = run(server, store)
    [problem] = summary.problems
    assert problem.kind is SourceProblemKind.SITE_CHANGED
    assert problem.url == f"{server.base_url}/provider/44/80431"
    assert problem.describe().startswith(f"{problem.url}: the page does not have the structure")
    assert summary.failed and len(summary.downloaded) == 6
    assert count(store, "SELECT count(*) FROM visits WHERE urn = 80431") == 0


def test_changed_markup_on_every_provider_page_stops_the_update(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection) -> None:
    for provider in site.providers:
        provider.markup_changed = True
    with pytest.raises(SiteChanged, match="on none of the 5 local authority pages"):
        run(server, store)
    assert site.requests_to("/v1/file/") == []
    assert count(store, "SELECT count(*) FROM downloads") == 0


def test_a_listing_without_provider_links_stops_the_update_and_writes_nothing(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection, tmp_path: Path) -> None:
    site.listing_changed = True
    with pytest.raises(SiteChanged) as raised:
        run(server, store)
    assert str(raised.value).startswith(f"{server.base_url}/search?level_1_types=3")
    assert site.requests_to("/provider/") == [] and not (tmp_path / "downloads").exists()


def test_an_interrupted_download_is_not_counted_as_stored_and_resumes_next_time(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection, tmp_path: Path) -> None:
    site.add_faults(BARNSLEY_REPORT_FILE, *[Fault.TRUNCATE] * 3)
    first = run(server, store)
    [problem] = first.problems
    url = server.base_url + BARNSLEY_REPORT_FILE
    assert problem.kind is SourceProblemKind.TRUNCATED and problem.url == url
    assert "truncated" in problem.describe() and "the next update resumes it" in problem.describe()
    report = tmp_path / "downloads" / "80426_barnsley" / \
        "children's services inspection - 27 october 2023.pdf"
    part = report.with_name(report.name + ".part")
    assert not report.exists() and part.exists()
    kept = part.stat().st_size
    assert 0 < kept < len(site.publication("2002").body)  # type: ignore[union-attr]
    assert url not in {record.url for record in all_downloads(store)}
    assert count(store, "SELECT count(*) FROM inspections WHERE urn = 80426") == 0
    assert [f.urn for f in first.new_inspections] == [80419]

    site.clear_faults()
    second = run(server, store)
    assert second.problems == [] and [r.url for r in second.downloaded] == [url]
    assert site.requests_to(BARNSLEY_REPORT_FILE)[-1].headers["Range"] == f"bytes={kept}-"
    assert report.exists() and not part.exists()
    stored = next(r for r in all_downloads(store) if r.url == url)
    assert hashlib.sha256(report.read_bytes()).hexdigest() == stored.sha256
    assert [(f.kind, f.urn) for f in second.new_facts] == [("inspection", 80426)]


def test_an_error_page_instead_of_a_pdf_is_not_kept(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection, tmp_path: Path) -> None:
    site.add_faults("/v1/file/3001", Fault.HTML_PAGE)
    summary = run(server, store)
    [problem] = summary.problems
    assert problem.kind is SourceProblemKind.NOT_A_PDF
    assert "expected a PDF" in problem.message and "Blackpool (URN 80431)" in problem.message
    assert not list((tmp_path / "downloads" / "80431_blackpool").glob("joint*"))
    assert problem.url not in {record.url for record in all_downloads(store)}
    assert [r.url for r in run(server, store).downloaded] == [problem.url]


def test_an_in_memory_database_needs_a_downloads_folder(server: FakeServer,
                                                        site: FakeOfsted) -> None:
    conn = open_store(":memory:")
    with pytest.raises(IlacsError, match="--downloads"):
        run(server, conn)
    assert site.seen == []


def test_file_names_carry_the_urn_and_date_that_ingest_reads() -> None:
    provider = Provider(2532287, "Bournemouth, Christchurch & Poole", "https://x/provider/44/1")
    publication = Publication(provider, "https://files.example/v1/file/777",
                              PublicationKind.FOCUSED_VISIT, "focused visit",
                              'Focused visit: "front door"', date(2024, 3, 2))
    path = publication_path(publication)
    assert path == '2532287_bournemouth-christchurch-poole/focused visit front door - ' \
                   "02 march 2024.pdf"
    assert urn_from_path(path) == 2532287
    assert date_from_file_name(Path(path).name) == date(2024, 3, 2)
    # a second publication with the same title and date keeps its file id in the name
    assert publication_path(publication, taken={path}) == (
        "2532287_bournemouth-christchurch-poole/focused visit front door (777) - "
        "02 march 2024.pdf")


def test_a_dripping_server_ends_the_update_within_its_deadline_with_exit_1(
        server: FakeServer, site: FakeOfsted, tmp_path: Path) -> None:
    site.drip_seconds = 0.2
    site.add_faults("/v1/file/3001", Fault.DRIP)
    db = tmp_path / "ilacs.db"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["--db", str(db), "update", "--base-url", server.base_url,
                                      "--rate", "0", "--file-deadline", "1.5"], obj={})
    assert time.monotonic() - started < 60  # a byte every 0.2 s would take minutes
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())  # the console wraps long lines
    assert "deadline of 1.5 s" in said and "/v1/file/3001" in said
    conn = open_store(db)
    ledger = {record.url for record in all_downloads(conn)}
    assert not any(url.endswith("/v1/file/3001") for url in ledger)
    assert len(ledger) == len(EXPECTED_PATHS) - 1  # the rest were fetched and recorded


def test_the_run_deadline_leaves_the_rest_for_the_next_update(
        server: FakeServer, site: FakeOfsted, store: sqlite3.Connection) -> None:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    def tick() -> float:
        clock[0] += 1  # every request takes a second
        return clock[0]

    settings = HttpSettings(min_interval=0, timeout=2, attempts=3, backoff=0, max_wait=0,
                            run_deadline=60)
    with PoliteClient(settings, sleep=sleep, clock=tick) as client:
        summary = update(store, UpdateOptions(base_url=server.base_url, rows=2),
                         client=client)
    stop = [p for p in summary.problems if "run's deadline of 60 s passed" in p.message]
    assert len(stop) == 1 and "files were left for the next update" in stop[0].message
    first = {record.url for record in all_downloads(store)}
    assert 0 < len(first) < len(EXPECTED_PATHS)
    later = run(server, store)  # no deadline this time: the rest, and nothing twice
    assert not later.problems and {r.url for r in later.downloaded}.isdisjoint(first)
    assert len(first) + len(later.downloaded) == len(EXPECTED_PATHS)
