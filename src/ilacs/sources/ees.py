"""Keeping the official statistics current from DfE's Explore Education Statistics API
(`ilacs update --statistics`).

Politely, with the same client as the Ofsted fetcher (one request at a time, spaced out,
retried on 429 and 5xx with the wait Retry-After asks): for each publication the catalogue
names (`publication_slug`), find it in `GET /v1/publications?search=...`, list its data sets
(`GET /v1/publications/{id}/data-sets`, every page), and for each data set whose title the
catalogue recognises (`ees_title`), download its CSV at its current version
(`GET /v1/data-sets/{id}/csv?dataSetVersion=V`) with its metadata (`/meta`, written beside
it as an EES `.meta.csv`, so filters and indicators are read as the publisher declared
them). Each CSV is loaded like any other file; a version already downloaded is not fetched
again (the downloads ledger), and one whose bytes are already stored changes nothing.

Not every publication has its data on the API (the children's social work workforce has
none yet): such a publication is reported, and its files are loaded from the EES website's
downloads with `ilacs statistics load`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from ilacs.errors import IlacsError
from ilacs.ingest.statistics import StatisticsFile, StatisticsLoad, load_statistics
from ilacs.sources.http import FetchError, PoliteClient
from ilacs.statistics.catalogue import Catalogue, Dataset, load_catalogue
from ilacs.store import DownloadRecord, find_download, record_download
from ilacs.store.values import now_text

DEFAULT_EES_URL = "https://api.education.gov.uk/statistics"
PUBLICATIONS_PAGE = 40  # the API's largest page of publications
DATA_SETS_PAGE = 20  # and of a publication's data sets
MAX_PAGES = 50  # a listing longer than this is not a listing
STATISTICS_FOLDER = "statistics"


class EesChanged(IlacsError):
    """An answer of the EES API is not in the shape its documentation gives."""


@dataclass(frozen=True)
class EesDataSet:
    id: str
    title: str
    version: str
    publication: str
    dataset: Dataset  # the catalogue's data set it is

    def csv_url(self, base: str) -> str:
        return (f"{base}/v1/data-sets/{quote(self.id)}/csv?"
                f"{urlencode({'dataSetVersion': self.version})}")

    def meta_url(self, base: str) -> str:
        return (f"{base}/v1/data-sets/{quote(self.id)}/meta?"
                f"{urlencode({'dataSetVersion': self.version})}")


@dataclass
class StatisticsUpdate:
    publications: int = 0  # of the catalogue's, found on the API
    data_sets: int = 0  # recognised on the API
    downloaded: list[Path] = field(default_factory=list)
    already: int = 0  # versions downloaded before
    problems: list[str] = field(default_factory=list)  # each names its URL
    notes: list[str] = field(default_factory=list)  # what the API does not offer (yet)
    load: StatisticsLoad | None = None
    requests: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.problems) or bool(self.load and self.load.failed)

    def headline(self) -> str:
        loaded = self.load.datasets if self.load else []
        changed = sum(1 for item in loaded if item.outcome in ("new", "replaced"))
        return (f"{self.publications} publications and {self.data_sets} data sets found on "
                f"the EES API; {len(self.downloaded)} downloaded, {self.already} already "
                f"downloaded; {changed} data sets new or revised; {len(self.problems)} "
                "problems.")


def update_statistics(conn: sqlite3.Connection, http: PoliteClient, folder: Path,
                      base_url: str = DEFAULT_EES_URL, catalogue: Catalogue | None = None,
                      on_step: Callable[[str], None] | None = None) -> StatisticsUpdate:
    """Find, download and load the catalogue's data sets from the EES API (see the module)."""
    catalogue = catalogue or load_catalogue()
    base = base_url.rstrip("/")
    step = on_step or (lambda _url: None)
    summary = StatisticsUpdate()
    before = http.requests
    found = list(_data_sets(http, base, catalogue, summary, step))
    summary.data_sets = len(found)
    files: list[StatisticsFile] = []
    for item in found:
        url = item.csv_url(base)
        known = find_download(conn, url)
        path = folder / STATISTICS_FOLDER / _file_name(item)
        if known is not None and (folder / known.path).is_file():
            summary.already += 1
            files.append(StatisticsFile(folder / known.path, item.dataset.key, None, url))
            continue
        try:
            step(url)
            fetched = http.download(url, path)
            _write_meta(http, item.meta_url(base), path)
        except FetchError as error:
            summary.problems.append(str(error))
            continue
        record_download(conn, DownloadRecord(
            url=url, sha256=fetched.sha256, path=path.relative_to(folder).as_posix(),
            size=fetched.size, etag=fetched.etag, last_modified=fetched.last_modified,
            fetched_at=now_text(), provider_urn=None, kind="statistics", title=item.title,
            published=None))
        summary.downloaded.append(path)
        files.append(StatisticsFile(path, item.dataset.key, None, url))
    if files:
        summary.load = load_statistics(conn, files, origin="fetched")
    summary.requests = http.requests - before
    return summary


def _data_sets(http: PoliteClient, base: str, catalogue: Catalogue,
               summary: StatisticsUpdate, step: Callable[[str], None]) -> Iterator[EesDataSet]:
    slugs: dict[str, list[Dataset]] = {}
    for dataset in catalogue.datasets:
        if dataset.publication_slug:
            slugs.setdefault(dataset.publication_slug, []).append(dataset)
    for slug, datasets in slugs.items():
        try:
            publication = _publication(http, base, slug, datasets[0].publication, step)
        except (FetchError, EesChanged) as error:
            summary.problems.append(str(error))
            continue
        if publication is None:
            summary.notes.append(
                f"'{datasets[0].publication}' has no data sets on the EES API yet "
                f"({base}/v1/publications); load its files from the EES website with "
                "`ilacs statistics load`")
            continue
        summary.publications += 1
        try:
            for item in _paged(http, f"{base}/v1/publications/{quote(publication['id'])}"
                               "/data-sets", DATA_SETS_PAGE, step):
                found = recognise(item, datasets, publication)
                if found is not None:
                    yield found
        except (FetchError, EesChanged) as error:
            summary.problems.append(str(error))


def _publication(http: PoliteClient, base: str, slug: str, title: str,
                 step: Callable[[str], None]) -> dict[str, Any] | None:
    """The publication with this slug, searched for by its title's words."""
    words = " ".join(re.findall(r"[A-Za-z]{3,}", title)[:4])
    url = f"{base}/v1/publications?{urlencode({'search': words})}"
    for item in _paged(http, url, PUBLICATIONS_PAGE, step):
        if item.get("slug") == slug:
            return item
    return None


def _paged(http: PoliteClient, url: str, size: int,
           step: Callable[[str], None]) -> Iterator[dict[str, Any]]:
    """Every result of a paged listing (`{"paging": {...}, "results": [...]}`)."""
    page = 1
    while page <= MAX_PAGES:
        joiner = "&" if "?" in url else "?"
        address = f"{url}{joiner}{urlencode({'page': page, 'pageSize': size})}"
        step(address)
        results, pages = listing_page(http.get_text(address), address)
        yield from results
        if page >= pages:
            return
        page += 1


def listing_page(text: str, address: str) -> tuple[list[dict[str, Any]], int]:
    """One page of an EES listing (`{"paging": {...}, "results": [...]}`): its results and
    how many pages the listing has."""
    document = _json(text, address)
    results, paging = document.get("results"), document.get("paging")
    if not isinstance(results, list) or not isinstance(paging, dict):
        raise EesChanged("the answer has no 'results' list and 'paging' object, as the "
                         "EES API's listings do", path=address)
    total = paging.get("totalPages")
    try:
        pages = int(total or 1)
    except (TypeError, ValueError, OverflowError) as error:
        raise EesChanged(f"paging.totalPages is {total!r}, not a number of pages",
                         path=address) from error
    return [item for item in results if isinstance(item, dict)], pages


def recognise(item: dict[str, Any], datasets: list[Dataset],
               publication: dict[str, Any]) -> EesDataSet | None:
    title = str(item.get("title") or "")
    latest = item.get("latestVersion") or {}
    version = str(latest.get("version") or "") if isinstance(latest, dict) else ""
    if item.get("status") not in (None, "Published") or not version or not item.get("id"):
        return None
    dataset = next((d for d in datasets if d.matches_title(title)), None)
    if dataset is None:
        return None
    return EesDataSet(str(item["id"]), title, version, str(publication.get("title")), dataset)


def _json(text: str, url: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise EesChanged(f"not JSON ({error}); the EES API answers in JSON", path=url) from error
    if not isinstance(document, dict):
        raise EesChanged("not a JSON object", path=url)
    return document


def _file_name(item: EesDataSet) -> str:
    version = re.sub(r"[^0-9A-Za-z.]+", "-", item.version)
    return f"{item.dataset.key}-{item.id[:8]}-v{version}.csv"


def _write_meta(http: PoliteClient, url: str, data: Path) -> None:
    """The data set's filters and indicators as an EES metadata file beside its CSV, so the
    reader takes the publisher's word for which column is which."""
    meta = _json(http.get_text(url), url)
    rows = [("col_name", "col_type", "label", "indicator_unit")]
    for kind, key in (("Filter", "filters"), ("Indicator", "indicators")):
        for column in meta.get(key) or []:
            if isinstance(column, dict) and column.get("column"):
                rows.append((str(column["column"]), kind, str(column.get("label") or ""),
                             str(column.get("unit") or "") if kind == "Indicator" else ""))
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    data.with_name(data.name.removesuffix(".csv") + ".meta.csv").write_text(
        text.getvalue(), encoding="utf-8")
