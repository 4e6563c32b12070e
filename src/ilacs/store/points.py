"""Every point inspectors asked an authority to improve, from reports and letters alike.

Analysis reads improvement points as one stream whatever document they came from: an
inspection report's "What needs to improve", a focused visit's points and areas for priority
action, a JTAI's. Each row says where it came from (document, page, item number) so every
count built on it can be traced back to the page.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ilacs.extract.themes import ThemeMatch
from ilacs.store.values import text_date


@dataclass(frozen=True)
class PointRow:
    """One point inspectors asked an authority to improve, with the document it came from."""

    urn: int | None
    event: str  # "inspection", or the visit kind: "focused_visit", "monitoring_visit", "jtai"
    event_id: int  # the inspection's or the visit's id
    start: date | None  # first day on site
    published: date | None
    framework: str | None  # for inspections; None for letters
    document_path: str
    number: int  # 1-based among the document's points to the authority; the board's apart
    position: int  # as stored: the board's points (section 'lscb') follow the authority's
    section: str
    text: str  # empty when the record holds only the point's themes (bundled documents)
    outcome: int | None
    tag: str | None
    page: int | None
    # The themes stored with the point (evidence empty for a bundled point); None: stored
    # before themes were, so read them from `text`.
    themes: tuple[ThemeMatch, ...] | None = None
    themes_confident: bool | None = None
    theme_model: str | None = None  # the version of the classifier that filed it

    @property
    def date(self) -> date | None:
        """The date that orders points: when inspectors were on site, else publication."""
        return self.start or self.published

    @property
    def text_held(self) -> bool:
        """False for a point known by its themes and page alone."""
        return bool(self.text)


_POINTS_SQL = """
SELECT coalesce(i.urn, v.urn), coalesce(v.kind, 'inspection'), coalesce(i.id, v.id),
       coalesce(i.inspection_start, v.visit_start) AS start,
       coalesce(i.publication_date, v.publication_date) AS published, i.framework,
       d.path, p.position, p.section, coalesce(p.text, ''), p.outcome, p.tag, p.page, p.themes,
       p.themes_confident, p.theme_model
FROM points p
JOIN documents d ON d.sha256 = p.document_sha256
LEFT JOIN inspections i ON i.document_sha256 = p.document_sha256
LEFT JOIN visits v ON v.document_sha256 = p.document_sha256
WHERE (i.id IS NOT NULL OR v.id IS NOT NULL) AND (? OR p.section != 'lscb')
ORDER BY 1, coalesce(start, published), 2, 3, 8
"""


def all_points(conn: sqlite3.Connection, board: bool = False) -> list[PointRow]:
    """Every stored improvement point, by authority, date and position in its document;
    with `board`, also what reports asked of the safeguarding children board.

    Points of documents known only from the bundled record come with their themes and page
    but an empty `text`: the bundle never holds the sentences; ingesting the document
    brings them.
    """
    rows: list[PointRow] = []
    numbers: dict[tuple[str, int, bool], int] = {}
    for row in conn.execute(_POINTS_SQL, (int(board),)):
        key = (row[1], row[2], row[8] == "lscb")
        numbers[key] = numbers.get(key, 0) + 1
        rows.append(PointRow(
            urn=row[0], event=row[1], event_id=row[2], start=text_date(row[3]),
            published=text_date(row[4]), framework=row[5], document_path=row[6],
            number=numbers[key], position=row[7], section=row[8], text=row[9],
            outcome=row[10], tag=row[11], page=row[12], themes=stored_themes(row[13]),
            themes_confident=None if row[14] is None else bool(row[14]), theme_model=row[15],
        ))
    return rows


def themes_json(matches: Iterable[ThemeMatch]) -> str:
    """How a point's or strength's `themes` are stored: JSON of [[key, evidence], …] (the
    evidence empty for one known from the bundled record); `stored_themes` reads it."""
    return json.dumps([[match.theme, match.evidence] for match in matches], ensure_ascii=False)


def stored_themes(stored: str | None) -> tuple[ThemeMatch, ...] | None:
    """A point's or strength's `themes`: JSON of [[key, evidence], …] (evidence empty for a
    bundled one); None when it was stored before themes were."""
    if stored is None:
        return None
    return tuple(ThemeMatch(str(key), str(evidence)) for key, evidence in json.loads(stored))
