"""The downloads page: the record in every export format, and the JSON API's documentation."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ilacs.export.dictionary import (
    ATTRIBUTION,
    LICENCE,
    LICENCE_URL,
    ColumnEntry,
    data_dictionary,
)
from ilacs.export.registry import EXPORTERS
from ilacs.export.statistics_tables import statistics_table
from ilacs.export.tables import Selection, latest_table, wide_table
from ilacs.web import urls

# What a file's main table counts, in words: "1,066 inspections".
ROWS_OF = {Selection.RECORD: "inspections", Selection.LATEST: "authorities",
           Selection.STATISTICS: "figures"}


@dataclass(frozen=True)
class DownloadFile:
    filename: str
    format: str
    description: str
    url: str
    rows: int | None = None  # of its main table (a workbook and JSON hold more tables)
    rows_of: str = ""
    size: int | None = None  # bytes; None until the file is made for this record version


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
    as_of: date | None = None  # the latest date the record knows of
    licence: str = LICENCE
    licence_url: str = LICENCE_URL
    attribution: str = ATTRIBUTION
    citation: str = ""
    dictionary: tuple[ColumnEntry, ...] = field(default_factory=data_dictionary)


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/index.json", "England: every authority's latest grades, the national "
             "distribution now and by year, the map, the latest documents "
             "(filters: region, la_type, judgement, grade, sort)", "/index.json?region=London"),
    Endpoint("/la/{urn}.json", "One authority: its timeline, its neighbours on every "
             "judgement, its next inspection window and its improvement themes",
             "/la/80419.json"),
    Endpoint("/la/{urn}/pack.json", "One authority's pre-inspection pack: grade history, "
             "neighbours, the next inspection window and how often its rule held, themes "
             "raised more than once, what the neighbours were asked", "/la/80419/pack.json"),
    Endpoint("/compare.json", "Authorities side by side (la=URN, repeated), optionally with "
             "the first one's statistical neighbours (with=neighbours)",
             "/compare.json?la=80419&with=neighbours"),
    Endpoint("/indicators.json", "The official statistics ilacs keeps (DfE, ONS, MHCLG): "
             "every headline indicator with its years and England's latest figure",
             "/indicators.json"),
    Endpoint("/indicators/{key}.json", "One indicator across England: every authority "
             "ranked, regions, quartiles, its figures by the grade of the inspection that "
             "followed and the change in inspection years (year, judgement)",
             "/indicators/cin_rate.json?year=2024"),
    Endpoint("/themes.json", "Themes of what inspectors asked to improve, nationally and by "
             "year; theme=KEY drills down to the points", "/themes.json?theme=neglect"),
    Endpoint("/search.json", "Full-text search of every ingested page, a hit per document "
             "with its matching pages, facet counts and a citation (q, la, region, year, "
             "kind, grade, judgement, sort, page)",
             "/search.json?q=%22unregistered+placements%22"),
    Endpoint("/search.csv", "Every document a search matches, a row each (the same "
             "parameters)", "/search.csv?q=%22unregistered+placements%22"),
    Endpoint("/changes.json", "What changed in the record and when, newest first (la, "
             "since); the same as an Atom feed at /changes.atom", "/changes.json?la=80419"),
    Endpoint("/changes.atom", "The changes as an Atom feed to subscribe to (la for one "
             "authority)", "/changes.atom"),
    Endpoint("/downloads.json", "This list: the export files and the API", "/downloads.json"),
)


SERVER_ONLY = {"/search.csv"}  # tables a static copy cannot make


def export_filename(format: str, selection: Selection) -> str:
    return f"ilacs_{selection.value}.{EXPORTERS[format].extension}"


def export_files() -> list[tuple[str, str, Selection]]:
    """Every file the page offers: (file name, format, selection)."""
    return [(export_filename(format, selection), format, selection)
            for format in sorted(EXPORTERS) for selection in Selection]


def parse_export_filename(filename: str) -> tuple[str, Selection] | None:
    """(format, selection) for a file name this page offers, else None."""
    return next(((format, selection) for name, format, selection in export_files()
                 if name == filename), None)


def export_filenames() -> list[str]:
    return [name for name, _, _ in export_files()]


def downloads_page(feed: bool = True, statistics: bool = True,
                   rows: Mapping[Selection, int] | None = None,
                   as_of: date | None = None, server: bool = True,
                   sizes: Mapping[str, int] | None = None) -> DownloadsPage:
    """`feed`: whether this site has the Atom feed (a static copy without --base-url has not);
    `server`: whether a server answers (a static copy cannot search);
    `statistics`: whether the record holds official statistics (its indicator pages);
    `rows`: how many rows each selection's main table has; `as_of`: the record's date;
    `sizes`: the bytes of each file already made from this record."""
    files = []
    for name, format, selection in export_files():
        what = {Selection.LATEST: "one row per authority: its latest inspection",
                Selection.STATISTICS: "the official statistics: every headline indicator "
                "for England, regions and authorities, with the data sets they came from"
                }.get(selection, EXPORTERS[format].description)
        files.append(DownloadFile(name, format, what, urls.download(name),
                                  (rows or {}).get(selection), ROWS_OF[selection],
                                  (sizes or {}).get(name)))
    endpoints = tuple(e for e in ENDPOINTS if (feed or not e.path.endswith(".atom"))
                      and (statistics or not e.path.startswith("/indicators/"))
                      and (server or e.path not in SERVER_ONLY))
    return DownloadsPage(tuple(files), endpoints, "/openapi.json", as_of,
                         citation=citation(as_of))


def export_rows(conn: sqlite3.Connection) -> dict[Selection, int]:
    """How many rows each selection's main table has, counted from the tables the exports
    write (so the page and the file agree)."""
    return {Selection.RECORD: len(wide_table(conn).rows),
            Selection.LATEST: len(latest_table(conn).rows),
            Selection.STATISTICS: len(statistics_table(conn).rows)}


def citation(as_of: date | None) -> str:
    """How to cite the record in a report or paper."""
    when = f", data as at {as_of.day} {as_of:%B %Y}" if as_of else ""
    return (f"ilacs: the record of Ofsted's inspections of English local authority children's "
            f"services{when}. {ATTRIBUTION}")
