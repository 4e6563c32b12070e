"""The downloads page: the record in every export format, and the JSON API's documentation."""

from __future__ import annotations

from dataclasses import dataclass

from ilacs.export.registry import EXPORTERS
from ilacs.web import urls


@dataclass(frozen=True)
class DownloadFile:
    filename: str
    format: str
    description: str
    url: str


@dataclass(frozen=True)
class Endpoint:
    path: str
    summary: str
    example: str


@dataclass(frozen=True)
class DownloadsPage:
    files: tuple[DownloadFile, ...]
    endpoints: tuple[Endpoint, ...]
    openapi_url: str


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/index.json", "England: every authority's latest grades, the national "
             "distribution now and by year, the map, the latest documents "
             "(filters: region, la_type, judgement, grade, sort)", "/index.json?region=London"),
    Endpoint("/la/{urn}.json", "One authority: its timeline, its neighbours on every "
             "judgement, its next inspection window and its improvement themes",
             "/la/80419.json"),
    Endpoint("/compare.json", "Authorities side by side (la=URN, repeated), optionally with "
             "the first one's statistical neighbours (with=neighbours)",
             "/compare.json?la=80419&with=neighbours"),
    Endpoint("/themes.json", "Themes of what inspectors asked to improve, nationally and by "
             "year; theme=KEY drills down to the points", "/themes.json?theme=neglect"),
    Endpoint("/search.json", "Full-text search of every ingested page (q, la, year, kind, "
             "grade, judgement, page)", "/search.json?q=%22unregistered+placements%22"),
    Endpoint("/changes.json", "What changed in the record and when, newest first (la, "
             "since); the same as an Atom feed at /changes.atom", "/changes.json?la=80419"),
    Endpoint("/changes.atom", "The changes as an Atom feed to subscribe to (la for one "
             "authority)", "/changes.atom"),
    Endpoint("/downloads.json", "This list: the export files and the API", "/downloads.json"),
)


def export_filename(format: str, latest: bool) -> str:
    return f"ilacs_{'latest' if latest else 'record'}.{EXPORTERS[format].extension}"


def parse_export_filename(filename: str) -> tuple[str, bool] | None:
    """(format, latest) for a file name this page offers, else None."""
    for format in EXPORTERS:
        for latest in (False, True):
            if export_filename(format, latest) == filename:
                return format, latest
    return None


def downloads_page(feed: bool = True) -> DownloadsPage:
    """`feed`: whether this site has the Atom feed (a static copy without --base-url has not)."""
    files = []
    for format, exporter in sorted(EXPORTERS.items()):
        for latest in (False, True):
            name = export_filename(format, latest)
            what = ("one row per authority: its latest inspection" if latest else
                    exporter.description)
            files.append(DownloadFile(name, format, what, urls.download(name)))
    endpoints = tuple(e for e in ENDPOINTS if feed or not e.path.endswith(".atom"))
    return DownloadsPage(tuple(files), endpoints, "/openapi.json")
