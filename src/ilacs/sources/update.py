"""The update recipe: discover what Ofsted has published -> download what is new -> ingest it.

Incremental and safe to interrupt: a URL in the download ledger is never fetched again, a file
is added to the ledger only once it is complete on disk, and ingest skips documents already
stored. A page or file that cannot be fetched, or a provider page whose markup has changed, is
reported as a problem naming its URL and the run goes on; a search listing that cannot be read
(or markup changed on every provider page) stops the run with `SiteChanged` or `FetchError`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ilacs.documents.pdf import PDF_MAGIC
from ilacs.errors import IlacsError, Problem
from ilacs.pipeline import IngestSummary, SourceFile, find_files, ingest
from ilacs.sources.http import (
    DeadlinePassed,
    FetchError,
    HttpSettings,
    PoliteClient,
    TruncatedDownload,
)
from ilacs.sources.layout import publication_path
from ilacs.sources.ofsted_site import (
    DEFAULT_BASE_URL,
    MAX_ROWS,
    Provider,
    Publication,
    SiteChanged,
    discover_providers,
    discover_publications,
)
from ilacs.store import (
    DownloadedFact,
    DownloadRecord,
    downloaded_paths,
    facts_from_downloads,
    find_download,
    link_download_sources,
    record_download,
    stored_version,
)
from ilacs.store.values import now_text

DOWNLOADS_FOLDER_NAME = "downloads"


class Stage(StrEnum):
    LISTING = "reading the list of local authorities"
    PROVIDERS = "reading local authority pages"
    DOWNLOADS = "downloading new reports and letters"
    INGEST = "reading downloaded files into the record"


@dataclass(frozen=True)
class UpdateProgress:
    stage: Stage
    done: int
    total: int | None  # None while the number of listing pages is not known
    item: str  # what was just done: a URL or a file


class SourceProblemKind(StrEnum):
    SITE_CHANGED = "site_changed"
    FETCH_FAILED = "fetch_failed"
    TRUNCATED = "truncated_download"
    NOT_A_PDF = "not_a_pdf"


@dataclass(frozen=True)
class SourceProblem:
    kind: SourceProblemKind
    url: str
    message: str  # the error's message, which already names the URL

    def describe(self) -> str:
        return self.message


@dataclass(frozen=True)
class PlannedDownload:
    publication: Publication
    path: str  # relative to the downloads folder


@dataclass(frozen=True)
class UpdateOptions:
    downloads: Path | None = None  # default: a 'downloads' folder beside the database
    base_url: str = DEFAULT_BASE_URL
    rate: float = 1.0  # least seconds between two requests to Ofsted
    workers: int = 1  # processes reading downloaded PDFs
    dry_run: bool = False  # discover and report only: download and write nothing
    rows: int = MAX_ROWS  # providers per page of search results
    http: HttpSettings | None = None  # deadlines and caps (default: HttpSettings(rate))


@dataclass
class UpdateSummary:
    downloads_folder: Path
    dry_run: bool
    providers: int = 0
    publications: int = 0  # found on the website, of every kind
    already_downloaded: int = 0
    planned: list[PlannedDownload] = field(default_factory=list)  # new on the website
    downloaded: list[DownloadRecord] = field(default_factory=list)
    new_facts: list[DownloadedFact] = field(default_factory=list)
    ingest: IngestSummary | None = None
    problems: list[SourceProblem] = field(default_factory=list)
    requests: int = 0

    @property
    def new_inspections(self) -> list[DownloadedFact]:
        return [fact for fact in self.new_facts if fact.kind == "inspection"]

    @property
    def new_visits(self) -> list[DownloadedFact]:
        return [fact for fact in self.new_facts if fact.kind != "inspection"]

    @property
    def ingest_problems(self) -> list[Problem]:
        return [] if self.ingest is None else self.ingest.problems

    @property
    def failed(self) -> bool:
        """Something on the website could not be fetched or read (the CLI exits non-zero)."""
        return bool(self.problems)

    def headline(self) -> str:
        found = (f"{self.providers} local authorities, {self.publications} publications on "
                 f"Ofsted's website; {self.already_downloaded} already downloaded")
        if self.dry_run:
            return f"{found}; {len(self.planned)} would be downloaded (dry run: nothing written)."
        return (f"{found}; {len(self.downloaded)} downloaded; "
                f"{_counted(len(self.new_inspections), 'new inspection')} and "
                f"{_counted(len(self.new_visits), 'new visit')} recorded; "
                f"{_counted(len(self.problems), 'problem')}.")


def _counted(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


ProgressHook = Callable[[UpdateProgress], None]


def update(conn: sqlite3.Connection, options: UpdateOptions | None = None,
           on_progress: ProgressHook | None = None,
           client: PoliteClient | None = None) -> UpdateSummary:
    """Bring the record up to date with Ofsted's website. `client` defaults to a polite client
    at `options.rate`; pass one to change timeouts or retries."""
    options = options or UpdateOptions()
    report: ProgressHook = on_progress or (lambda _progress: None)
    folder = options.downloads or downloads_folder_for(conn)
    summary = UpdateSummary(folder, options.dry_run)
    own_client = client is None
    http = client or PoliteClient(options.http or HttpSettings(min_interval=options.rate))
    requests_before = http.requests
    try:
        publications = discover(http, options, summary, report)
        summary.planned = plan_downloads(conn, publications, summary)
        if not options.dry_run and not http.deadline_passed:
            download(conn, http, folder, summary, report)
            ingest_downloads(conn, folder, options.workers, summary, report)
    finally:
        summary.requests = http.requests - requests_before
        if own_client:
            http.close()
    return summary


def downloads_folder_for(conn: sqlite3.Connection) -> Path:
    """The default downloads folder: 'downloads' beside the database file."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2]).parent / DOWNLOADS_FOLDER_NAME
    raise IlacsError("the database is in memory, so there is no folder beside it for "
                     "downloads; give a downloads folder (--downloads DIR)")


def discover(http: PoliteClient, options: UpdateOptions, summary: UpdateSummary,
             report: ProgressHook) -> list[Publication]:
    """Every publication of every provider; a provider page that fails is a problem."""
    pages = 0

    def listing_page(url: str) -> str:
        nonlocal pages
        text = http.get_text(url)
        pages += 1
        report(UpdateProgress(Stage.LISTING, pages, None, url))
        return text

    providers = discover_providers(listing_page, options.base_url, options.rows)
    summary.providers = len(providers)
    publications: dict[str, Publication] = {}
    changed: list[SiteChanged] = []
    for index, provider in enumerate(providers, start=1):
        try:
            for publication in discover_publications(http.get_text, provider):
                publications.setdefault(publication.url, publication)
        except SiteChanged as error:
            changed.append(error)
            summary.problems.append(_problem(SourceProblemKind.SITE_CHANGED, error.url, error))
        except DeadlinePassed as error:
            summary.problems.append(_problem(
                SourceProblemKind.FETCH_FAILED, error.url, error,
                f" {len(providers) - index + 1} local authority pages were left for the next "
                "update."))
            break
        except FetchError as error:
            summary.problems.append(_problem(SourceProblemKind.FETCH_FAILED, error.url, error))
        report(UpdateProgress(Stage.PROVIDERS, index, len(providers), provider.url))
    if providers and len(changed) == len(providers):
        raise SiteChanged(changed[0].url, f"{changed[0].expected}, on none of the "
                                          f"{len(providers)} local authority pages")
    summary.publications = len(publications)
    return list(publications.values())


def plan_downloads(conn: sqlite3.Connection, publications: list[Publication],
                   summary: UpdateSummary) -> list[PlannedDownload]:
    """The publications not in the download ledger, each with the path to keep it at."""
    taken = downloaded_paths(conn)
    planned: list[PlannedDownload] = []
    for publication in publications:
        if find_download(conn, publication.url) is not None:
            summary.already_downloaded += 1
            continue
        path = publication_path(publication, taken)
        taken[path] = publication.url
        planned.append(PlannedDownload(publication, path))
    return planned


def download(conn: sqlite3.Connection, http: PoliteClient, folder: Path,
             summary: UpdateSummary, report: ProgressHook) -> None:
    """Fetch each planned file and add it to the ledger as soon as it is complete."""
    for index, item in enumerate(summary.planned, start=1):
        publication = item.publication
        target = folder / item.path
        try:
            fetched = http.download(publication.url, target)
        except DeadlinePassed as error:
            summary.problems.append(_problem(
                SourceProblemKind.FETCH_FAILED, publication.url, error,
                f" {len(summary.planned) - index + 1} files were left for the next update."))
            break
        except TruncatedDownload as error:
            summary.problems.append(_problem(
                SourceProblemKind.TRUNCATED, publication.url, error,
                f" The part received is kept as {target.name}.part; the next update resumes it."))
        except FetchError as error:
            summary.problems.append(_problem(SourceProblemKind.FETCH_FAILED, publication.url,
                                             error))
        else:
            if _starts_like_pdf(target):
                record = DownloadRecord(
                    url=publication.url, sha256=fetched.sha256, path=item.path,
                    size=fetched.size, etag=fetched.etag, last_modified=fetched.last_modified,
                    fetched_at=now_text(), provider_urn=publication.provider.urn,
                    kind=publication.kind.value, title=publication.title,
                    published=publication.published)
                record_download(conn, record)
                summary.downloaded.append(record)
            else:
                start = target.read_bytes()[:40]
                target.unlink()
                summary.problems.append(SourceProblem(
                    SourceProblemKind.NOT_A_PDF, publication.url,
                    f"{publication.url}: expected a PDF of the {publication.kind_text} for "
                    f"{_name(publication.provider)} but the server sent something else "
                    f"(it starts {start!r}); nothing was kept, and the next update tries again"))
        report(UpdateProgress(Stage.DOWNLOADS, index, len(summary.planned), item.path))


def ingest_downloads(conn: sqlite3.Connection, folder: Path, workers: int,
                     summary: UpdateSummary, report: ProgressHook) -> None:
    """Ingest the downloads folder (files stored before are skipped by their hash), then
    note which inspections and visits the newly downloaded files added to the record."""
    if not folder.is_dir():
        return
    fresh = {record.sha256 for record in summary.downloaded
             if stored_version(conn, record.sha256) is None}
    sources = find_files([folder])
    done = 0

    def progress(source: SourceFile) -> None:
        nonlocal done
        done += 1
        report(UpdateProgress(Stage.INGEST, done, len(sources), source.display))

    summary.ingest = ingest(conn, sources, workers=workers, on_progress=progress)
    link_download_sources(conn)
    summary.new_facts = facts_from_downloads(conn, fresh)


def _starts_like_pdf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(1024).lstrip().startswith(PDF_MAGIC)


def _name(provider: Provider) -> str:
    return f"{provider.name} (URN {provider.urn})"


def _problem(kind: SourceProblemKind, url: str, error: IlacsError,
             advice: str = "") -> SourceProblem:
    return SourceProblem(kind, url, f"{error}{advice}")
