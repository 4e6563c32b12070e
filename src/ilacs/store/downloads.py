"""The download ledger: which files `ilacs update` fetched from Ofsted's website, and where.

A URL is downloaded once: `update` looks it up here before fetching, and records it only after
the complete file is on disk, so an interrupted download is never taken for a stored one. Paths
are relative to the downloads folder, the same way ingest names documents, so the ledger and
the documents table meet on `sha256` and the folder can move with the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ilacs.store.transactions import transaction

_COLUMNS = ("url, sha256, path, size, etag, last_modified, fetched_at, provider_urn, kind, "
            "title, published")


@dataclass(frozen=True)
class DownloadRecord:
    url: str
    sha256: str
    path: str  # relative to the downloads folder: '<urn>_<la name slug>/<title> - <date>.pdf'
    size: int
    etag: str | None
    last_modified: str | None
    fetched_at: str
    provider_urn: int | None
    kind: str | None  # the kind of publication as the website labels it
    title: str | None
    published: date | None  # the publication date shown on the website


@dataclass(frozen=True)
class DownloadedFact:
    """An inspection or visit that ingest extracted from a downloaded file."""

    kind: str  # 'inspection', 'focused_visit', 'monitoring_visit' or 'jtai'
    urn: int | None
    published: date | None
    path: str
    url: str


def find_download(conn: sqlite3.Connection, url: str) -> DownloadRecord | None:
    """The ledger entry for `url`, or None if it has never been downloaded completely."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM downloads WHERE url = ?", (url,)).fetchone()
    return None if row is None else _to_record(row)


def all_downloads(conn: sqlite3.Connection) -> list[DownloadRecord]:
    """Every ledger entry, by provider and path."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM downloads ORDER BY provider_urn, path")
    return [_to_record(row) for row in rows]


def downloaded_paths(conn: sqlite3.Connection) -> dict[str, str]:
    """Path of every downloaded file -> its URL, so a new file never takes a used name."""
    return {row[0]: row[1] for row in conn.execute("SELECT path, url FROM downloads")}


def record_download(conn: sqlite3.Connection, record: DownloadRecord) -> None:
    """Add (or refresh) the ledger entry for `record.url`."""
    with transaction(conn):
        conn.execute(
            f"""
            INSERT INTO downloads ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET
                sha256 = excluded.sha256, path = excluded.path, size = excluded.size,
                etag = excluded.etag, last_modified = excluded.last_modified,
                fetched_at = excluded.fetched_at, provider_urn = excluded.provider_urn,
                kind = excluded.kind, title = excluded.title, published = excluded.published
            """,
            (
                record.url, record.sha256, record.path, record.size, record.etag,
                record.last_modified, record.fetched_at, record.provider_urn, record.kind,
                record.title, None if record.published is None else record.published.isoformat(),
            ),
        )


def link_download_sources(conn: sqlite3.Connection) -> int:
    """Give every stored document that came from a download its source URL (provenance);
    return how many documents were updated. A URL already recorded is kept."""
    with transaction(conn):
        cursor = conn.execute(
            """
            UPDATE documents SET source_url = (
                SELECT url FROM downloads WHERE downloads.sha256 = documents.sha256
                ORDER BY fetched_at, url LIMIT 1)
            WHERE source_url IS NULL
              AND sha256 IN (SELECT sha256 FROM downloads)
            """
        )
        return cursor.rowcount


def facts_from_downloads(conn: sqlite3.Connection, sha256s: Iterable[str]) -> list[DownloadedFact]:
    """The inspections and visits extracted from the downloaded files with these hashes."""
    wanted = sorted(set(sha256s))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = conn.execute(
        f"""
        SELECT 'inspection', i.urn, i.publication_date, d.path, d.url
          FROM downloads d JOIN inspections i ON i.document_sha256 = d.sha256
         WHERE d.sha256 IN ({marks})
        UNION ALL
        SELECT v.kind, v.urn, v.publication_date, d.path, d.url
          FROM downloads d JOIN visits v ON v.document_sha256 = d.sha256
         WHERE d.sha256 IN ({marks})
        ORDER BY 4, 5
        """,
        (*wanted, *wanted),
    )
    return [DownloadedFact(row[0], row[1], _date(row[2]), row[3], row[4]) for row in rows]


def _to_record(row: sqlite3.Row | tuple[object, ...]) -> DownloadRecord:
    (url, sha256, path, size, etag, last_modified, fetched_at, provider_urn, kind, title,
     published) = tuple(row)
    return DownloadRecord(
        url=str(url), sha256=str(sha256), path=str(path), size=int(str(size)),
        etag=None if etag is None else str(etag),
        last_modified=None if last_modified is None else str(last_modified),
        fetched_at=str(fetched_at),
        provider_urn=None if provider_urn is None else int(str(provider_urn)),
        kind=None if kind is None else str(kind), title=None if title is None else str(title),
        published=_date(published),
    )


def _date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))
