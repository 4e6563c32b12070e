"""The tables every export format writes, built once from the store's typed rows.

Formats differ only in encoding, so the columns, their order and their types are decided
here, once: a CSV, a spreadsheet sheet and a Parquet file of the same table always agree.
The "wide" table is the layout LA data teams already use: one row per inspection, one
column per judgement, with the authority's codes and a link to its Ofsted page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum

from ilacs.extract.frameworks import all_judgement_keys
from ilacs.store import queries
from ilacs.store.points import all_points
from ilacs.store.rows import AuthorityRow, InspectionRow
from ilacs.store.strengths import all_strengths

Cell = str | int | float | date | None
REPORT_LINK = "https://reports.ofsted.gov.uk/provider/44/{urn}"

# Every judgement key any framework uses: overall effectiveness, then newest frameworks first.
JUDGEMENT_KEYS: tuple[str, ...] = all_judgement_keys()


class Selection(StrEnum):
    """What an export holds."""

    RECORD = "record"  # every inspection (the workbook and JSON: every table)
    LATEST = "latest"  # one row per authority: its latest inspection
    STATISTICS = "statistics"  # the headline indicators of the official statistics


class ColumnKind(Enum):
    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind = ColumnKind.TEXT


@dataclass(frozen=True)
class Table:
    """A named table with typed columns; `title` is its spreadsheet sheet name."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.column_names, row, strict=True)) for row in self.rows]


def _columns(text: Iterable[str] = (), **typed: ColumnKind) -> tuple[Column, ...]:
    return tuple(Column(name, typed.get(name, ColumnKind.TEXT)) for name in text)


_INT, _DATE = ColumnKind.INTEGER, ColumnKind.DATE
# Each grade's page in its report (document_path), so a reader can cite and check it.
PAGE_COLUMNS = tuple(f"{key}_page" for key in JUDGEMENT_KEYS)
WIDE_COLUMNS = _columns(
    (
        "urn", "la_code", "ons_code", "la_name", "region", "publication_date",
        "inspection_start", "inspection_end", "framework", "inspection_type", "lead_inspector",
        *JUDGEMENT_KEYS, "improvement_item_count", "document_path", "report_link",
        *PAGE_COLUMNS,
    ),
    urn=_INT, publication_date=_DATE, inspection_start=_DATE, inspection_end=_DATE,
    improvement_item_count=_INT, **dict.fromkeys(PAGE_COLUMNS, _INT),
)
AUTHORITY_COLUMNS = _columns(
    (
        "urn", "la_code", "ons_code", "name", "slug", "region_code", "region_name", "la_type",
        "population", "active",
    ),
    urn=_INT, population=_INT, active=_INT,
)
JUDGEMENT_COLUMNS = _columns(
    (
        "urn", "la_name", "inspection_start", "publication_date", "framework", "key", "grade",
        "page", "document_path",
    ),
    urn=_INT, inspection_start=_DATE, publication_date=_DATE, page=_INT,
)
POINT_COLUMNS = _columns(
    (
        "urn", "la_name", "event", "start", "publication_date", "position", "section", "text",
        "outcome", "tag", "themes", "page", "document_path",
    ),
    urn=_INT, start=_DATE, publication_date=_DATE, position=_INT, outcome=_INT, page=_INT,
)
STRENGTH_COLUMNS = _columns(
    (
        "urn", "la_name", "inspection_start", "publication_date", "position", "source", "text",
        "themes", "page", "document_path",
    ),
    urn=_INT, inspection_start=_DATE, publication_date=_DATE, position=_INT, page=_INT,
)
PROBLEM_COLUMNS = _columns(
    (
        "path", "document_sha256", "kind", "severity", "message", "page", "field", "snippet",
        "parser_version", "recorded_at",
    ),
    page=_INT,
)


def wide_table(conn: sqlite3.Connection) -> Table:
    """One row per inspection, oldest first within each authority."""
    register = _register(conn)
    rows = tuple(
        _wide_row(row.urn, register.get(row.urn), row) for row in queries.all_inspections(conn)
    )
    return Table("inspections", "Inspections", WIDE_COLUMNS, rows)


def latest_table(conn: sqlite3.Connection) -> Table:
    """One row per current authority: its latest full inspection, or blanks if none."""
    rows = tuple(
        _wide_row(row.urn, row.authority, row.inspection, row.la_name)
        for row in queries.latest_per_la(conn)
    )
    return Table("latest", "Latest per LA", WIDE_COLUMNS, rows)


def authorities_table(conn: sqlite3.Connection) -> Table:
    rows = tuple(
        (
            a.urn, a.la_code, a.ons_code, a.name, a.slug, a.region_code, a.region_name,
            a.la_type, a.population, int(a.active),
        )
        for a in queries.authorities(conn)
    )
    return Table("authorities", "Authorities", AUTHORITY_COLUMNS, rows)


def judgements_table(conn: sqlite3.Connection) -> Table:
    register = _register(conn)
    rows = tuple(
        (
            i.urn, _la_name(register.get(i.urn), i), i.inspection_start, i.publication_date,
            i.framework, j.key, j.grade.value, j.page, i.document_path,
        )
        for i in queries.all_inspections(conn)
        for j in i.judgements
    )
    return Table("judgements", "Judgements", JUDGEMENT_COLUMNS, rows)


def points_table(conn: sqlite3.Connection) -> Table:
    """What inspectors asked each authority (and, section 'lscb', its board) to improve, from
    reports and letters alike, with the themes stored for each point."""
    register = _register(conn)
    rows = tuple(
        (
            p.urn, register[p.urn].name if p.urn in register else None, p.event, p.start,
            p.published, p.position, p.section, p.text or None, p.outcome, p.tag,
            None if p.themes is None else " ".join(match.theme for match in p.themes),
            p.page, p.document_path,
        )
        for p in all_points(conn, board=True)
    )
    return Table("points", "Improvement points", POINT_COLUMNS, rows)


def strengths_table(conn: sqlite3.Connection) -> Table:
    """What each report praises, with its themes (space-separated keys) and page."""
    register = _register(conn)
    rows = tuple(
        (
            s.urn, register[s.urn].name if s.urn in register else None, s.inspection_start,
            s.publication_date, s.position, s.source, s.text or None, " ".join(s.theme_keys),
            s.page, s.document_path,
        )
        for s in all_strengths(conn)
    )
    return Table("strengths", "Strengths", STRENGTH_COLUMNS, rows)


def problems_table(conn: sqlite3.Connection) -> Table:
    rows = tuple(
        (
            p.path, p.document_sha256, p.kind.value, p.severity.value, p.message, p.page,
            p.field, p.snippet, p.parser_version, p.recorded_at,
        )
        for p in queries.problems(conn)
    )
    return Table("problems", "Problems", PROBLEM_COLUMNS, rows)


def report_link(urn: int | None) -> str | None:
    return None if urn is None else REPORT_LINK.format(urn=urn)


def _wide_row(
    urn: int | None,
    authority: AuthorityRow | None,
    inspection: InspectionRow | None,
    la_name: str | None = None,
) -> tuple[Cell, ...]:
    grades: Sequence[Cell] = [None] * len(JUDGEMENT_KEYS)
    pages: Sequence[Cell] = [None] * len(JUDGEMENT_KEYS)
    if inspection is not None:
        grades = [_value(inspection.grade_of(key)) for key in JUDGEMENT_KEYS]
        page_of = {j.key: j.page for j in inspection.judgements}
        pages = [page_of.get(key) for key in JUDGEMENT_KEYS]
    i = inspection
    return (
        urn,
        authority.la_code if authority else None,
        authority.ons_code if authority else None,
        la_name or _la_name(authority, inspection),
        authority.region_name if authority else None,
        i.publication_date if i else None,
        i.inspection_start if i else None,
        i.inspection_end if i else None,
        i.framework if i else None,
        _value(i.inspection_type) if i else None,
        i.lead_inspector if i else None,
        *grades,
        i.improvement_item_count if i else None,
        i.document_path if i else None,
        report_link(urn),
        *pages,
    )


def _register(conn: sqlite3.Connection) -> dict[int | None, AuthorityRow]:
    return {a.urn: a for a in queries.authorities(conn)}


def _la_name(authority: AuthorityRow | None, inspection: InspectionRow | None) -> str | None:
    """The register's name; the name printed on the report only when the URN is unknown."""
    if authority is not None:
        return authority.name
    return inspection.la_name_printed if inspection else None


def _value(value: Enum | None) -> str | None:
    return None if value is None else str(value.value)
