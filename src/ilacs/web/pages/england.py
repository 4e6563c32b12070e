"""The England page: every authority's latest position, the national picture, the map."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources

from ilacs.analysis.grades import JUDGEMENT_NAMES, count_grades
from ilacs.analysis.trends import grade_distribution
from ilacs.extract.frameworks import HEADLINE, load_frameworks
from ilacs.extract.models import Grade
from ilacs.web import urls
from ilacs.web.pages.common import (
    AuthorityRef,
    BadParameter,
    Distribution,
    GradeCell,
    Option,
    Source,
    authority_ref,
    distribution_rows,
    grade_cells,
    grade_options,
    judgement_options,
    parse_grade,
    parse_judgement,
    source,
)
from ilacs.web.pages.grade_tables import GradeTableRow, grade_table_csv
from ilacs.web.snapshot import Snapshot

LATEST_DOCUMENTS = 12
SORTS = ("name", "region", "inspected")
VISIT_NAMES = {"focused_visit": "Focused visit letter", "monitoring_visit":
               "Monitoring visit letter", "jtai": "Joint targeted area inspection letter"}


@dataclass(frozen=True)
class EnglandFilters:
    region: str | None = None
    la_type: str | None = None
    judgement: str = "overall_effectiveness"  # the judgement `grade` filters on, and the map
    grade: Grade | None = None
    sort: str = "name"

    def table_parameters(self) -> list[tuple[str, str]]:
        """The query parameters of the table's filters that differ from the defaults."""
        found = [("region", self.region), ("la_type", self.la_type),
                 ("grade", self.grade.value if self.grade else None),
                 ("sort", None if self.sort == "name" else self.sort)]
        return [(name, value) for name, value in found if value]


@dataclass(frozen=True)
class LatestRow:
    authority: AuthorityRef
    inspected: date | None  # first day on site of the latest full inspection
    published: date | None
    framework: str | None
    report: Source | None
    grades: tuple[GradeCell, ...]  # in the order of `EnglandPage.judgements`


@dataclass(frozen=True)
class MapTile:
    urn: int
    name: str
    abbr: str
    col: int
    row: int
    url: str
    grade: Grade | None  # for the page's chosen judgement
    grades: dict[str, Grade | None]  # every judgement, for recolouring without a reload


@dataclass(frozen=True)
class TileMap:
    judgement: str
    columns: int
    rows: int
    tiles: tuple[MapTile, ...]


@dataclass(frozen=True)
class PublishedDocument:
    title: str
    authority: AuthorityRef | None
    published: date | None
    source: Source | None


@dataclass(frozen=True)
class EnglandPage:
    as_of: date | None
    filters: EnglandFilters
    judgements: tuple[Option, ...]
    grades: tuple[Option, ...]
    regions: tuple[str, ...]
    la_types: tuple[str, ...]
    authorities: tuple[LatestRow, ...]  # after filters and sort
    authority_count: int  # before filters
    now: tuple[Distribution, ...]  # current grades of every active authority, per judgement
    over_time: tuple[Distribution, ...]  # every inspection's grade for the judgement, by year
    map: TileMap
    latest_documents: tuple[PublishedDocument, ...]
    # Why some authorities have no grade for the chosen judgement (the 2026 reform), if so.
    no_grade_reason: str | None = None
    csv_url: str = ""  # the filtered table, as CSV
    over_time_csv_url: str = ""  # the numbers of the grades-by-year chart and table


def parse_england_filters(region: str | None, la_type: str | None, judgement: str | None,
                          grade: str | None, sort: str | None) -> EnglandFilters:
    if sort and sort not in SORTS:
        raise BadParameter(f"sort={sort!r} is not a column; use one of {', '.join(SORTS)}")
    return EnglandFilters(region or None, la_type or None, parse_judgement(judgement),
                          parse_grade(grade), sort or "name")


def england_page(snapshot: Snapshot, filters: EnglandFilters) -> EnglandPage:
    everyone = snapshot.memo("england-rows", lambda: _latest_rows(snapshot))
    regions = tuple(sorted({row.authority.region for row in everyone}))
    la_types = tuple(sorted({row.authority.la_type for row in everyone if row.authority.la_type}))
    if filters.region and filters.region not in regions:
        raise BadParameter(f"region={filters.region!r} is not a region; use one of "
                           + ", ".join(regions))
    if filters.la_type and filters.la_type not in la_types:
        raise BadParameter(f"la_type={filters.la_type!r} is not a type of authority; use one "
                           "of " + ", ".join(la_types))
    shown = [row for row in everyone if _matches(row, filters)]
    shown.sort(key=_SORT_KEYS[filters.sort])
    chosen = None if filters.judgement == HEADLINE else filters.judgement  # the default
    return EnglandPage(
        as_of=snapshot.record.as_of, filters=filters, judgements=judgement_options(),
        grades=grade_options(), regions=regions, la_types=la_types, authorities=tuple(shown),
        authority_count=len(everyone),
        now=snapshot.memo("england-now", lambda: _now(everyone)),
        over_time=_over_time_kept(snapshot, filters.judgement),
        map=_tile_map(everyone, filters.judgement),
        latest_documents=snapshot.memo("england-latest", lambda: _latest_documents(snapshot)),
        no_grade_reason=_no_grade_reason(everyone, filters.judgement),
        csv_url=urls.england_csv(**dict(filters.table_parameters()), judgement=chosen),
        over_time_csv_url=urls.grades_by_year_csv(chosen),
    )


def england_csv(snapshot: Snapshot, filters: EnglandFilters, base_url: str) -> str:
    """The table as the page shows it (filters and order), every judgement's grade with
    the address of its report page."""
    page = england_page(snapshot, filters)
    return grade_table_csv(page.judgements, (GradeTableRow(row.authority, row.inspected,
                                                           row.grades)
                                             for row in page.authorities), base_url)


GRADES_BY_YEAR_COLUMNS = ("judgement", "year", "inspections", "grade", "grade_name", "count",
                          "percent", "note")


def grades_by_year_csv(snapshot: Snapshot, judgement: str) -> str:
    """The numbers of England's grades-by-year chart and table: a row per year and grade
    (the chart's points), with the year's note (a framework began, few inspections)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GRADES_BY_YEAR_COLUMNS)
    for row in _over_time_kept(snapshot, judgement):
        for count in row.counts:
            writer.writerow([judgement, row.label, row.total, count.grade.value, count.name,
                             count.count, count.percent, row.note or ""])
    return out.getvalue()


def _no_grade_reason(rows: list[LatestRow], judgement: str) -> str | None:
    """Authorities last inspected under a framework that does not give `judgement` (overall
    effectiveness since the April 2026 reform) have no grade for it: say so wherever the page
    counts or colours by it."""
    without = {f.id: f for f in load_frameworks() if not f.judges(judgement)}
    ungraded = [row for row in rows
                if row.framework in without and _grade(row, judgement) is None]
    if not ungraded:
        return None
    reformed = len(ungraded)
    since = max((without[row.framework or ""] for row in ungraded), key=lambda f: f.starts)
    authorities = "authority was" if reformed == 1 else "authorities were"
    return (f"{reformed} {authorities} last inspected under the framework in use since "
            f"{since.starts:%B %Y}, which gives no {JUDGEMENT_NAMES[judgement].lower()} grade: "
            "they show as No grade on the map and are not counted in Grades now.")


def _latest_rows(snapshot: Snapshot) -> list[LatestRow]:
    rows = []
    for authority in snapshot.record.register.all():
        latest = snapshot.record.latest_inspection(authority.urn)
        rows.append(LatestRow(
            authority=authority_ref(authority),
            inspected=latest.date if latest else None,
            published=latest.publication_date if latest else None,
            framework=latest.framework if latest else None,
            report=source(snapshot, latest.document_path, None) if latest else None,
            grades=grade_cells(snapshot, latest),
        ))
    return rows


def _matches(row: LatestRow, filters: EnglandFilters) -> bool:
    if filters.region and row.authority.region != filters.region:
        return False
    if filters.la_type and row.authority.la_type != filters.la_type:
        return False
    return filters.grade is None or _grade(row, filters.judgement) is filters.grade


def _grade(row: LatestRow, judgement: str) -> Grade | None:
    return next((cell.grade for cell in row.grades if cell.judgement == judgement), None)


_SORT_KEYS = {
    "name": lambda row: row.authority.name,
    "region": lambda row: (row.authority.region, row.authority.name),
    "inspected": lambda row: (row.inspected is None, -(row.inspected or date.min).toordinal()),
}


def _now(rows: list[LatestRow]) -> tuple[Distribution, ...]:
    return distribution_rows([
        (JUDGEMENT_NAMES[option.value], count_grades(
            g for row in rows if (g := _grade(row, option.value)) is not None))
        for option in judgement_options()])


FEW_INSPECTIONS = 10  # a year with fewer: its shares say little


def _over_time_kept(snapshot: Snapshot, judgement: str) -> tuple[Distribution, ...]:
    return snapshot.memo(("england-years", judgement), lambda: _over_time(snapshot, judgement))


def _over_time(snapshot: Snapshot, judgement: str) -> tuple[Distribution, ...]:
    rows = distribution_rows([
        (period.period, period.counts)
        for period in grade_distribution(snapshot.record, judgement, by="year")])
    return tuple(replace(row, note=year_note(row.label, row.total)) for row in rows)


def year_note(year: str, total: int, what: str = "inspections") -> str | None:
    """What a year's row needs said beside it: a framework that began in it (grades either
    side are not one measure), and too few events for its shares to mean much."""
    notes = [f"{framework.name} began {framework.starts.strftime('%B %Y')}"
             for framework in load_frameworks()[1:] if str(framework.starts.year) == year]
    if total < FEW_INSPECTIONS:
        notes.append(f"only {total} {what}: read the shares with care")
    return "; ".join(notes) or None


@dataclass(frozen=True)
class _TilePlace:
    col: int
    row: int
    abbr: str


@lru_cache(maxsize=1)
def tile_places() -> tuple[int, int, dict[int, _TilePlace]]:
    text = resources.files("ilacs.web").joinpath("data/tile_map.json").read_text("utf-8")
    data = json.loads(text)
    places = {int(urn): _TilePlace(tile["col"], tile["row"], tile["abbr"])
              for urn, tile in data["tiles"].items()}
    return data["columns"], data["rows"], places


def _tile_map(rows: list[LatestRow], judgement: str) -> TileMap:
    columns, height, places = tile_places()
    tiles = []
    for row in rows:
        place = places.get(row.authority.urn)
        if place is None:
            continue
        grades = {cell.judgement: cell.grade for cell in row.grades}
        tiles.append(MapTile(row.authority.urn, row.authority.name, place.abbr, place.col,
                             place.row, row.authority.url, grades.get(judgement), grades))
    return TileMap(judgement, columns, height, tuple(tiles))


def _latest_documents(snapshot: Snapshot) -> tuple[PublishedDocument, ...]:
    record = snapshot.record
    found: list[tuple[date, str, PublishedDocument]] = []
    for row in record.inspections:
        if row.publication_date and row.urn is not None:
            found.append((row.publication_date, row.document_path, PublishedDocument(
                "Inspection report", _ref(snapshot, row.urn), row.publication_date,
                source(snapshot, row.document_path, None))))
    for visit in record.visits:
        if visit.publication_date and visit.urn is not None:
            published = date.fromisoformat(visit.publication_date)
            found.append((published, visit.document_path, PublishedDocument(
                VISIT_NAMES.get(visit.kind, visit.kind), _ref(snapshot, visit.urn), published,
                source(snapshot, visit.document_path, None))))
    found.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return tuple(entry[2] for entry in found[:LATEST_DOCUMENTS])


def _ref(snapshot: Snapshot, urn: int) -> AuthorityRef | None:
    authority = snapshot.record.authority(urn)
    return authority_ref(authority) if authority else None

