"""Writing visit letters (focused visits, monitoring visits, JTAIs) and their points."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from ilacs.extract.models import ImprovementItem, VisitLetter


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def insert_visit(conn: sqlite3.Connection, sha256: str, letter: VisitLetter) -> None:
    cursor = conn.execute(
        """
        INSERT INTO visits (document_sha256, urn, kind, la_name_printed, letter_date,
            publication_date, visit_start, visit_end, lead_inspector, inspectors, focus,
            monitoring_visit_number, field_pages, improvement_item_count, priority_action_count)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            sha256, letter.urn, letter.kind, letter.la_name, _iso(letter.letter_date),
            _iso(letter.publication_date), _iso(letter.visit_start), _iso(letter.visit_end),
            letter.lead_inspector, json.dumps(list(letter.inspectors), ensure_ascii=False),
            letter.focus, letter.monitoring_visit_number,
            json.dumps(dict(letter.field_pages), sort_keys=True),
            len(letter.improvement_items), len(letter.priority_actions),
        ),
    )
    items: list[ImprovementItem] = [*letter.priority_actions, *letter.improvement_items]
    conn.executemany(
        """
        INSERT INTO visit_findings (visit_id, position, section, text, outcome, tag, page)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        [(cursor.lastrowid, position, item.section, item.text, item.outcome, item.tag, item.page)
         for position, item in enumerate(items, start=1)],
    )
