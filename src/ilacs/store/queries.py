"""Reading the record: every SELECT the CLI, web app, analysis and exports need lives here.

Each function returns typed rows (see `rows.py`), so callers never depend on column order or
on how SQLite stores dates and grades. SQL stays in this package and nowhere else.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TypeVar

from ilacs.errors import ProblemKind, Severity
from ilacs.extract.models import DateSource, Grade, InspectionType, TypeBasis
from ilacs.store.rows import (
    AuthorityRow,
    InspectionRow,
    JudgementRow,
    LatestRow,
    ProblemRow,
    StoreSummary,
)
from ilacs.store.values import text_date

_E = TypeVar("_E", bound=Enum)


def summary(conn: sqlite3.Connection) -> StoreSummary:
    """What the record holds, for the CLI summary and the status page."""

    def counts(sql: str) -> dict[str, int]:
        return {str(row[0]): int(row[1]) for row in conn.execute(sql)}

    def scalar(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return StoreSummary(
        documents_by_kind=counts("SELECT kind, count(*) FROM documents GROUP BY kind ORDER BY 1"),
        documents_by_origin=counts(
            "SELECT origin, count(*) FROM documents GROUP BY origin ORDER BY 1"
        ),
        inspections=scalar("SELECT count(*) FROM inspections"),
        judgements=scalar("SELECT count(*) FROM judgements"),
        report_points=scalar(
            "SELECT count(*) FROM points p JOIN inspections i USING (document_sha256) "
            "WHERE p.section != 'lscb' AND p.text IS NOT NULL"
        ),
        points_themed_only=scalar(
            "SELECT count(*) FROM points p WHERE p.text IS NULL AND p.document_sha256 IN "
            "(SELECT document_sha256 FROM inspections UNION SELECT document_sha256 FROM visits)"
        ),
        problems_by_severity=counts(
            "SELECT severity, count(*) FROM problems GROUP BY severity ORDER BY 1"
        ),
        authorities=scalar("SELECT count(*) FROM authorities"),
        authorities_covered=scalar(
            "SELECT count(DISTINCT a.urn) FROM authorities a JOIN inspections i ON i.urn = a.urn"
        ),
    )


def inspections_for(conn: sqlite3.Connection, urn: int) -> list[InspectionRow]:
    """One authority's inspections, oldest first, each with its judgements."""
    return _inspections(conn, "i.urn = ?", (urn,))


def all_inspections(conn: sqlite3.Connection) -> list[InspectionRow]:
    """Every stored inspection, by authority and then date."""
    return _inspections(conn, "1 = 1", ())


def latest_per_la(conn: sqlite3.Connection, include_defunct: bool = False) -> list[LatestRow]:
    """One row per authority with its most recent full inspection, ordered by name.

    "Most recent" is by the first day on site, or the publication date where the dates were
    not found. Authorities never inspected are included with no inspection, as are inspected
    URNs missing from the register, so the table always accounts for every authority.
    """
    latest = _inspections(
        conn,
        """i.id IN (
            SELECT id FROM (
                SELECT id, row_number() OVER (
                    PARTITION BY urn
                    ORDER BY coalesce(inspection_start, publication_date) DESC,
                        publication_date DESC, id DESC
                ) AS position
                FROM inspections WHERE urn IS NOT NULL
            ) WHERE position = 1
        )""",
        (),
    )
    by_urn = {row.urn: row for row in latest if row.urn is not None}
    register = {a.urn: a for a in authorities(conn, include_defunct=True)}
    rows = [
        LatestRow(a.urn, a.name, a, by_urn.get(a.urn))
        for a in register.values()
        if a.active or include_defunct
    ]
    rows.extend(
        LatestRow(urn, inspection.la_name_printed, None, inspection)
        for urn, inspection in by_urn.items()
        if urn not in register
    )
    return sorted(rows, key=lambda row: ((row.la_name or "").casefold(), row.urn))


def authorities(conn: sqlite3.Connection, include_defunct: bool = True) -> list[AuthorityRow]:
    """The register as stored, by name."""
    where = "" if include_defunct else "WHERE active = 1"
    return [
        AuthorityRow(
            urn=row["urn"], la_code=row["la_code"], ons_code=row["ons_code"], name=row["name"],
            slug=row["slug"], region_code=row["region_code"], region_name=row["region_name"],
            la_type=row["la_type"], population=row["population"], active=bool(row["active"]),
        )
        for row in conn.execute(f"SELECT * FROM authorities {where} ORDER BY name, urn")
    ]


def problems(conn: sqlite3.Connection) -> list[ProblemRow]:
    """Every recorded problem, by file and page."""
    return [problem_row(row)
            for row in conn.execute("SELECT * FROM problems ORDER BY path, page, row, id")]


def problem_row(row: sqlite3.Row) -> ProblemRow:
    return ProblemRow(
        id=row["id"], document_sha256=row["document_sha256"], path=row["path"],
        kind=ProblemKind(row["kind"]), severity=Severity(row["severity"]),
        message=row["message"], page=row["page"], field=row["field"],
        snippet=row["snippet"], parser_version=row["parser_version"],
        recorded_at=row["recorded_at"], row=row["row"],
    )


def _inspections(
    conn: sqlite3.Connection, where: str, params: Sequence[object]
) -> list[InspectionRow]:
    order = "ORDER BY i.urn, coalesce(i.inspection_start, i.publication_date), i.id"
    judgements: Mapping[int, list[JudgementRow]] = _judgements(conn, where, params)
    rows = conn.execute(
        f"""
        SELECT i.*, d.path AS document_path
        FROM inspections i JOIN documents d ON d.sha256 = i.document_sha256
        WHERE {where} {order}
        """,
        params,
    )
    return [
        InspectionRow(
            id=row["id"], document_sha256=row["document_sha256"],
            document_path=row["document_path"], urn=row["urn"],
            la_name_printed=row["la_name_printed"], framework=row["framework"],
            inspection_type=_enum(InspectionType, row["inspection_type"]),
            inspection_type_basis=_enum(TypeBasis, row["inspection_type_basis"]),
            inspection_start=text_date(row["inspection_start"]),
            inspection_end=text_date(row["inspection_end"]),
            publication_date=text_date(row["publication_date"]),
            publication_date_source=_enum(DateSource, row["publication_date_source"]),
            lead_inspector=row["lead_inspector"],
            improvement_item_count=row["improvement_item_count"],
            field_pages=json.loads(row["field_pages"] or "{}"),
            judgements=tuple(judgements.get(row["id"], ())),
        )
        for row in rows
    ]


def _judgements(
    conn: sqlite3.Connection, where: str, params: Sequence[object]
) -> dict[int, list[JudgementRow]]:
    found: dict[int, list[JudgementRow]] = defaultdict(list)
    rows = conn.execute(
        f"""
        SELECT j.inspection_id, j.key, j.grade, j.page, j.printed
        FROM judgements j JOIN inspections i ON i.id = j.inspection_id
        WHERE {where} ORDER BY j.inspection_id, j.rowid
        """,
        params,
    )
    for row in rows:
        found[row[0]].append(JudgementRow(row[1], Grade(row[2]), row[3], row[4]))
    return found


def _enum(kind: type[_E], value: str | None) -> _E | None:
    return None if value is None else kind(value)


def grades_and_statistics_version(conn: sqlite3.Connection) -> str:
    """A fingerprint of the facts grades and figures are read from: each full inspection's
    document with the extractor version that read it, and each statistics file with its
    reader's. It changes whenever an inspection or a figure can have; a visit or a news
    article leaves it as it was."""
    digest = hashlib.sha256()
    for row in conn.execute(
            "SELECT d.sha256, d.parser_version FROM inspections i JOIN documents d"
            " ON d.sha256 = i.document_sha256 ORDER BY 1"):
        digest.update(f"{row[0]}:{row[1]};".encode())
    digest.update(b"|")
    for row in conn.execute(
            "SELECT dataset, sha256, reader_version FROM statistics_sources ORDER BY 1"):
        digest.update(f"{row[0]}:{row[1]}:{row[2]};".encode())
    return digest.hexdigest()[:16]

