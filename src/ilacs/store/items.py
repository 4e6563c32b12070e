"""Every point inspectors asked an authority to improve, from reports and letters alike.

Analysis reads improvement points as one stream whatever document they came from: an
inspection report's "What needs to improve", a focused visit's points and areas for priority
action, a JTAI's. Each row says where it came from (document, page, item number) so every
count built on it can be traced back to the page.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date

from ilacs.extract.themes import ThemeMatch


@dataclass(frozen=True)
class ItemRow:
    urn: int | None
    event: str  # "inspection", or the visit kind: "focused_visit", "monitoring_visit", "jtai"
    event_id: int  # the inspection's or the visit's id
    date: date | None  # first day on site, else publication
    framework: str | None  # for inspections; None for letters
    document_path: str
    number: int  # 1-based position among the document's improvement points
    section: str
    text: str  # empty when the record holds only the point's themes (bundled documents)
    outcome: int | None
    page: int | None
    # The themes stored with the point (evidence empty for a bundled point); None: stored
    # before themes were, so read them from `text`.
    themes: tuple[ThemeMatch, ...] | None = None
    themes_confident: bool | None = None
    theme_model: str | None = None  # the version of the classifier that filed it

    @property
    def text_held(self) -> bool:
        """False for a point known by its themes and page alone."""
        return bool(self.text)


_ITEMS_SQL = """
SELECT i.urn, 'inspection' AS event, i.id AS event_id,
       coalesce(i.inspection_start, i.publication_date) AS date, i.framework,
       d.path, f.position, f.section, f.text, f.outcome, f.page, f.themes,
       f.themes_confident, f.theme_model
FROM findings f
JOIN inspections i ON i.id = f.inspection_id
JOIN documents d ON d.sha256 = i.document_sha256
WHERE f.section != 'lscb'
UNION ALL
SELECT v.urn, v.kind, v.id, coalesce(v.visit_start, v.publication_date), NULL,
       d.path, f.position, f.section, f.text, f.outcome, f.page, f.themes,
       f.themes_confident, f.theme_model
FROM visit_findings f
JOIN visits v ON v.id = f.visit_id
JOIN documents d ON d.sha256 = v.document_sha256
UNION ALL
SELECT coalesce(i.urn, v.urn), CASE WHEN i.id IS NOT NULL THEN 'inspection' ELSE v.kind END,
       coalesce(i.id, v.id),
       coalesce(i.inspection_start, i.publication_date, v.visit_start, v.publication_date),
       i.framework, d.path, p.position, p.section, '', NULL, p.page,
       json_array(p.themes), p.themes_confident, p.theme_model
FROM point_themes p
JOIN documents d ON d.sha256 = p.document_sha256
LEFT JOIN inspections i ON i.document_sha256 = p.document_sha256
LEFT JOIN visits v ON v.document_sha256 = p.document_sha256
WHERE i.id IS NOT NULL OR v.id IS NOT NULL
ORDER BY 1, 4, 2, 3, 7
"""


def improvement_items(conn: sqlite3.Connection) -> list[ItemRow]:
    """Every stored improvement point, by authority, date and position in its document.

    Points of documents known only from the bundled record come with their themes and page
    but an empty `text`: the bundle never holds the sentences; ingesting the document
    brings them.
    """
    rows: list[ItemRow] = []
    numbers: dict[tuple[str, int], int] = {}
    for row in conn.execute(_ITEMS_SQL):
        key = (row[1], row[2])
        numbers[key] = numbers.get(key, 0) + 1
        rows.append(ItemRow(
            urn=row[0], event=row[1], event_id=row[2],
            date=date.fromisoformat(row[3]) if row[3] else None, framework=row[4],
            document_path=row[5], number=numbers[key], section=row[7], text=row[8],
            outcome=row[9], page=row[10],
            themes=stored_themes(row[11]),
            themes_confident=None if row[12] is None else bool(row[12]), theme_model=row[13],
        ))
    return rows


def stored_themes(stored: str | None) -> tuple[ThemeMatch, ...] | None:
    """Ingested points store [[key, evidence], …]; bundled ones ["key key …"] (keys only)."""
    if stored is None:
        return None
    parsed = json.loads(stored)
    if parsed and isinstance(parsed[0], str):
        return tuple(ThemeMatch(key, "") for key in parsed[0].split())
    return tuple(ThemeMatch(str(key), str(evidence)) for key, evidence in parsed)
