"""What reports praise, as stored: each strength with its inspection, page and themes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from ilacs.extract.themes import ThemeMatch
from ilacs.store.points import stored_themes
from ilacs.store.values import text_date


@dataclass(frozen=True)
class StrengthRow:
    inspection_id: int
    urn: int | None
    inspection_start: date | None
    publication_date: date | None
    document_path: str
    position: int  # 1-based, in the report's order
    source: str  # "strengths_list" or "summary"
    text: str  # empty when the record holds only its themes and page (bundled documents)
    page: int | None
    themes: tuple[ThemeMatch, ...] | None  # None: stored before themes were
    themes_confident: bool | None
    theme_model: str | None

    @property
    def date(self) -> date | None:
        """The inspection's date: its first day on site, else publication."""
        return self.inspection_start or self.publication_date

    @property
    def text_held(self) -> bool:
        return bool(self.text)

    @property
    def theme_keys(self) -> tuple[str, ...]:
        return tuple(match.theme for match in self.themes or ())


_STRENGTHS_SQL = """
SELECT s.inspection_id, i.urn, i.inspection_start, i.publication_date, d.path,
       s.position, s.source, coalesce(s.text, ''), s.page, s.themes, s.themes_confident,
       s.theme_model
FROM strengths s
JOIN inspections i ON i.id = s.inspection_id
JOIN documents d ON d.sha256 = i.document_sha256
ORDER BY s.inspection_id, s.position
"""


def all_strengths(conn: sqlite3.Connection) -> list[StrengthRow]:
    """Every stored strength, by inspection and position."""
    return [
        StrengthRow(row[0], row[1], text_date(row[2]), text_date(row[3]), row[4], row[5], row[6],
                    row[7], row[8], stored_themes(row[9]),
                    None if row[10] is None else bool(row[10]), row[11])
        for row in conn.execute(_STRENGTHS_SQL)
    ]
