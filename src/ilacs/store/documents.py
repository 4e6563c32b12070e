"""Where each stored document came from, so readers can be sent to its source."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ilacs.store.rows import DocumentKind, Origin


@dataclass(frozen=True)
class DocumentRef:
    sha256: str
    path: str  # the display path facts name (relative to the folder that was ingested)
    kind: DocumentKind
    origin: Origin
    source_url: str | None
    location: str | None  # the absolute path it was read from, when ingested here
    page_count: int


def document_refs(conn: sqlite3.Connection) -> list[DocumentRef]:
    """Every stored document, by display path."""
    return [
        DocumentRef(sha256=row[0], path=row[1], kind=DocumentKind(row[2]), origin=Origin(row[3]),
                    source_url=row[4], location=row[5], page_count=row[6])
        for row in conn.execute(
            "SELECT sha256, path, kind, origin, source_url, location, page_count FROM documents "
            "ORDER BY path, sha256")
    ]


def page_text_count(conn: sqlite3.Connection) -> int:
    """How many pages of text the record holds (0 for the facts-only bundled record)."""
    count: int = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    return count
