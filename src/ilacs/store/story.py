"""An LA's story beyond its inspections: visits, and what news articles claim about it."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class VisitRow:
    kind: str
    visit_start: str | None
    visit_end: str | None
    publication_date: str | None
    inspectors: tuple[str, ...]
    lead_inspector: str | None
    focus: str | None  # as printed; absent from the bundled record
    focus_theme: str | None
    monitoring_visit_number: int | None
    points: tuple[str, ...]  # the points' sentences; absent (count only) when bundled
    improvement_item_count: int
    priority_action_count: int
    document_path: str
    urn: int | None = None

    @property
    def date(self) -> str | None:
        return self.visit_start or self.publication_date


@dataclass(frozen=True)
class ClaimRow:
    id: int
    kind: str
    urn: int | None
    judgement: str | None
    grade: str | None
    previous_grade: str | None
    intervention_type: str | None
    action: str | None
    partner_urn: int | None
    when_printed: str | None
    when_date: str | None
    status: str
    link_note: str | None
    article_title: str | None
    article_date: str | None
    article_path: str
    source_url: str | None
    when_precision: str | None = None  # "day", "month" or "year": how much of when_date was said
    evidence: str | None = None  # the article's sentence that makes the claim

    @property
    def date(self) -> str | None:
        return self.when_date or self.article_date

    @property
    def date_as_said(self) -> str | None:
        """The claim's date as precise as the article was: "2012", "2022-07" or a full date."""
        if self.when_date and self.when_precision in _PRECISION_LENGTH:
            return self.when_date[:_PRECISION_LENGTH[self.when_precision]]
        return self.date


_PRECISION_LENGTH = {"year": len("2012"), "month": len("2012-07")}


def visits_for(conn: sqlite3.Connection, urn: int) -> list[VisitRow]:
    """One authority's visit letters, oldest first."""
    return _visits(conn, "v.urn = ?", (urn,))


def all_visits(conn: sqlite3.Connection) -> list[VisitRow]:
    """Every stored visit letter, by authority and then date."""
    return _visits(conn, "1 = 1", ())


def _visits(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> list[VisitRow]:
    rows = conn.execute(
        "SELECT v.*, d.path, (SELECT json_group_array(p.text) FROM (SELECT text FROM points "
        "WHERE document_sha256 = v.document_sha256 AND text IS NOT NULL ORDER BY position) p) "
        "AS points FROM visits v "
        f"JOIN documents d ON d.sha256 = v.document_sha256 WHERE {where} "
        "ORDER BY v.urn, coalesce(v.visit_start, v.publication_date), v.id", params).fetchall()
    return [
        VisitRow(
            kind=row["kind"], visit_start=row["visit_start"], visit_end=row["visit_end"],
            publication_date=row["publication_date"],
            inspectors=tuple(json.loads(row["inspectors"] or "[]")),
            lead_inspector=row["lead_inspector"], focus=row["focus"],
            focus_theme=row["focus_theme"],
            monitoring_visit_number=row["monitoring_visit_number"],
            points=tuple(json.loads(row["points"] or "[]")),
            improvement_item_count=row["improvement_item_count"],
            priority_action_count=row["priority_action_count"], document_path=row["path"],
            urn=row["urn"],
        )
        for row in rows
    ]


def claims_for(conn: sqlite3.Connection, urn: int | None = None,
               status: str | None = None) -> list[ClaimRow]:
    rows = conn.execute(
        "SELECT c.*, a.title, a.publication_date AS article_date, a.source_url, d.path "
        "FROM claims c JOIN articles a ON a.id = c.article_id "
        "JOIN documents d ON d.sha256 = a.document_sha256 "
        "WHERE (? IS NULL OR c.urn = ?) AND (? IS NULL OR c.status = ?) "
        "ORDER BY coalesce(c.when_date, a.publication_date), c.article_id, c.position",
        (urn, urn, status, status)).fetchall()
    return [
        ClaimRow(
            id=row["id"], kind=row["kind"], urn=row["urn"], judgement=row["judgement"],
            grade=row["grade"], previous_grade=row["previous_grade"],
            intervention_type=row["intervention_type"], action=row["action"],
            partner_urn=row["partner_urn"], when_printed=row["when_printed"],
            when_date=row["when_date"], status=row["status"], link_note=row["link_note"],
            article_title=row["title"], article_date=row["article_date"],
            article_path=row["path"], source_url=row["source_url"],
            when_precision=row["when_precision"], evidence=row["evidence"],
        )
        for row in rows
    ]
