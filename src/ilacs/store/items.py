"""Every point inspectors asked an authority to improve, from reports and letters alike.

Analysis reads improvement points as one stream whatever document they came from: an
inspection report's "What needs to improve", a focused visit's points and areas for priority
action, a JTAI's. Each row says where it came from (document, page, item number) so every
count built on it can be traced back to the page.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date


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
    # Theme keys stored for a point whose text is not held; None: classify `text`.
    themes: tuple[str, ...] | None = None

    @property
    def text_held(self) -> bool:
        """False for a point known by its themes and page alone."""
        return self.themes is None


_ITEMS_SQL = """
SELECT i.urn, 'inspection' AS event, i.id AS event_id,
       coalesce(i.inspection_start, i.publication_date) AS date, i.framework,
       d.path, f.position, f.section, f.text, f.outcome, f.page, NULL AS themes
FROM findings f
JOIN inspections i ON i.id = f.inspection_id
JOIN documents d ON d.sha256 = i.document_sha256
WHERE f.section != 'lscb'
UNION ALL
SELECT v.urn, v.kind, v.id, coalesce(v.visit_start, v.publication_date), NULL,
       d.path, f.position, f.section, f.text, f.outcome, f.page, NULL
FROM visit_findings f
JOIN visits v ON v.id = f.visit_id
JOIN documents d ON d.sha256 = v.document_sha256
UNION ALL
SELECT coalesce(i.urn, v.urn), CASE WHEN i.id IS NOT NULL THEN 'inspection' ELSE v.kind END,
       coalesce(i.id, v.id),
       coalesce(i.inspection_start, i.publication_date, v.visit_start, v.publication_date),
       i.framework, d.path, p.position, p.section, '', NULL, p.page, p.themes
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
            themes=tuple(row[11].split()) if row[11] is not None else None,
        ))
    return rows
