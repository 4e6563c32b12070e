"""Writing what ingest found: one document and everything extracted from it, atomically.

The store is content-addressed: a document is its sha256. Saving a document replaces
everything previously stored under that hash (pages and their search index, the inspection,
its judgements, the improvement points, the document's problems) inside one transaction, so
a newer parser version never leaves stale facts beside fresh ones, and a failure half way through
leaves the previous state exactly as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from ilacs.documents import Document
from ilacs.errors import Problem, StoreError
from ilacs.extract.models import (
    Extraction,
    ImprovementPoint,
    InspectionReport,
    Strength,
    VisitLetter,
)
from ilacs.store.articles import insert_article
from ilacs.store.points import themes_json
from ilacs.store.problems import insert_problem
from ilacs.store.rows import DocumentKind, Origin, StoredVersion
from ilacs.store.transactions import transaction
from ilacs.store.values import date_text, enum_text, now_text


def stored_version(conn: sqlite3.Connection, sha256: str) -> StoredVersion | None:
    """How the document with these bytes is stored, or None if it is not.

    Ingest skips a document stored as 'ingested' with the current parser version, and
    re-reads one that is older or only 'bundled' (bundled rows have no page text).
    """
    row = conn.execute(
        "SELECT origin, parser_version FROM documents WHERE sha256 = ?", (sha256,)
    ).fetchone()
    return None if row is None else StoredVersion(Origin(row[0]), row[1])


def note_location(conn: sqlite3.Connection, sha256: str, location: str) -> bool:
    """Record where a stored document's file is now (it may have moved since it was
    ingested, or have been ingested before locations were kept); True if that changed.
    Writes nothing when the location is already the recorded one."""
    row = conn.execute("SELECT location FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None or row[0] == location:
        return False
    with transaction(conn):
        conn.execute("UPDATE documents SET location = ? WHERE sha256 = ?", (location, sha256))
    return True


def stored_kind(conn: sqlite3.Connection, sha256: str) -> DocumentKind | None:
    """What kind of document these bytes were stored as, or None if they are not stored."""
    row = conn.execute("SELECT kind FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else DocumentKind(row[0])


def save_document(
    conn: sqlite3.Connection,
    document: Document,
    extraction: Extraction,
    parser_version: str,
    kind: DocumentKind,
    source_url: str | None = None,
    location: str | None = None,
) -> None:
    """Store `document`, its pages and what was extracted, replacing any earlier version.

    `location` is the absolute path the bytes were read from (None when unknown): the web
    app serves the source from there, after checking the bytes still match `sha256`.
    """
    now = now_text()
    try:
        with transaction(conn):
            conn.execute(
                """
                INSERT INTO documents (sha256, path, source_url, media_type, size, page_count,
                    kind, origin, parser_version, ingested_at, extracted_at, location)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'ingested', ?, ?, ?, ?)
                ON CONFLICT (sha256) DO UPDATE SET
                    path = excluded.path,
                    source_url = coalesce(excluded.source_url, documents.source_url),
                    location = coalesce(excluded.location, documents.location),
                    media_type = excluded.media_type, size = excluded.size,
                    page_count = excluded.page_count, kind = excluded.kind,
                    origin = excluded.origin, parser_version = excluded.parser_version,
                    extracted_at = excluded.extracted_at
                """,
                (
                    document.sha256, document.path, source_url, document.media_type.value,
                    document.size, len(document.pages), kind.value, parser_version, now, now,
                    location,
                ),
            )
            clear_facts(conn, document.sha256)
            conn.executemany(
                "INSERT INTO pages (document_sha256, number, text) VALUES (?, ?, ?)",
                [(document.sha256, page.number, page.text) for page in document.pages],
            )
            if extraction.report is not None:
                _insert_inspection(conn, document.sha256, extraction.report)
            if extraction.letter is not None:
                _insert_visit(conn, document.sha256, extraction.letter)
            if extraction.article is not None:
                insert_article(conn, document.sha256, extraction.article)
            for problem in extraction.problems:
                insert_problem(conn, problem, document.sha256, parser_version, now, location)
    except sqlite3.Error as error:
        raise StoreError(
            f"could not store this document ({error}); what was stored for it before is kept",
            path=document.path,
        ) from error


def save_unreadable(
    conn: sqlite3.Connection,
    path: str,
    sha256: str,
    size: int,
    problem: Problem,
    parser_version: str,
    location: str | None = None,
) -> None:
    """Record a file that could not be read, and why, so it is reported and not retried blindly.

    The problem replaces any earlier problem recorded for the same bytes: re-ingesting the
    same unreadable file leaves one row, not one per run.
    """
    now = now_text()
    try:
        with transaction(conn):
            conn.execute(
                """
                INSERT INTO documents (sha256, path, media_type, size, page_count, kind, origin,
                    parser_version, ingested_at, extracted_at)
                VALUES (?, ?, NULL, ?, 0, 'unreadable', 'ingested', ?, ?, ?)
                ON CONFLICT (sha256) DO UPDATE SET
                    path = excluded.path, media_type = NULL, size = excluded.size,
                    page_count = 0, kind = 'unreadable', origin = 'ingested',
                    parser_version = excluded.parser_version,
                    extracted_at = excluded.extracted_at
                """,
                (sha256, path, size, parser_version, now, now),
            )
            clear_facts(conn, sha256)
            insert_problem(conn, problem, sha256, parser_version, now, location)
    except sqlite3.Error as error:
        raise StoreError(f"could not record this unreadable file ({error})", path=path) from error


def clear_facts(conn: sqlite3.Connection, sha256: str) -> None:
    """Remove everything derived from a document, keeping its `documents` row."""
    conn.execute("DELETE FROM pages WHERE document_sha256 = ?", (sha256,))
    conn.execute("DELETE FROM inspections WHERE document_sha256 = ?", (sha256,))
    conn.execute("DELETE FROM visits WHERE document_sha256 = ?", (sha256,))
    conn.execute("DELETE FROM articles WHERE document_sha256 = ?", (sha256,))
    conn.execute("DELETE FROM problems WHERE document_sha256 = ?", (sha256,))
    conn.execute("DELETE FROM points WHERE document_sha256 = ?", (sha256,))


def _insert_inspection(conn: sqlite3.Connection, sha256: str, report: InspectionReport) -> None:
    cursor = conn.execute(
        """
        INSERT INTO inspections (document_sha256, urn, la_name_printed, framework,
            inspection_type, inspection_type_basis, inspection_start, inspection_end,
            publication_date, publication_date_source, lead_inspector, field_pages,
            improvement_item_count)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            sha256, report.urn, report.la_name, report.framework,
            enum_text(report.inspection_type), enum_text(report.inspection_type_basis),
            date_text(report.inspection_start), date_text(report.inspection_end),
            date_text(report.publication_date), enum_text(report.publication_date_source),
            report.lead_inspector, json.dumps(dict(report.field_pages), sort_keys=True),
            len(report.improvement_items),
        ),
    )
    inspection_id = cursor.lastrowid
    conn.executemany(
        "INSERT INTO judgements (inspection_id, key, grade, page, printed) VALUES (?, ?, ?, ?, ?)",
        [(inspection_id, j.key, j.grade.value, j.page, j.printed) for j in report.judgements],
    )
    # the board's recommendations follow the authority's points, kept apart by their section
    _insert_points(conn, sha256, (*report.improvement_items, *report.board_recommendations))
    conn.executemany(
        "INSERT INTO strengths (inspection_id, position, source, text, page, themes, "
        "themes_confident, theme_model) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(inspection_id, position, strength.source, strength.text, strength.page,
          *_theme_columns(strength))
         for position, strength in enumerate(report.strengths, start=1)],
    )


def _insert_visit(conn: sqlite3.Connection, sha256: str, letter: VisitLetter) -> None:
    conn.execute(
        """
        INSERT INTO visits (document_sha256, urn, kind, la_name_printed, letter_date,
            publication_date, visit_start, visit_end, lead_inspector, inspectors, focus,
            monitoring_visit_number, field_pages, improvement_item_count, priority_action_count,
            focus_theme, headline)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            sha256, letter.urn, letter.kind, letter.la_name, date_text(letter.letter_date),
            date_text(letter.publication_date), date_text(letter.visit_start),
            date_text(letter.visit_end), letter.lead_inspector,
            json.dumps(list(letter.inspectors), ensure_ascii=False), letter.focus,
            letter.monitoring_visit_number, json.dumps(dict(letter.field_pages), sort_keys=True),
            len(letter.improvement_items), len(letter.priority_actions), letter.focus_theme,
            letter.headline,
        ),
    )
    _insert_points(conn, sha256, (*letter.priority_actions, *letter.improvement_items))


def _insert_points(conn: sqlite3.Connection, sha256: str,
                   points: Iterable[ImprovementPoint]) -> None:
    conn.executemany(
        "INSERT INTO points (document_sha256, position, section, text, outcome, tag, page, "
        "themes, themes_confident, theme_model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (sha256, position, point.section, point.text, point.outcome, point.tag, point.page,
             *_theme_columns(point))
            for position, point in enumerate(points, start=1)
        ],
    )


def _theme_columns(item: ImprovementPoint | Strength) -> tuple[str | None, int | None, str | None]:
    """themes (JSON of [key, evidence]), themes_confident and theme_model; NULLs when the
    item was never classified."""
    if item.theme_model is None:
        return None, None, None
    return themes_json(item.themes), int(item.themes_confident), item.theme_model
