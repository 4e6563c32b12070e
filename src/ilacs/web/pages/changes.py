"""What changed in the record and when, as a page, JSON and an Atom feed people subscribe to."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ilacs.analysis.changes import tell
from ilacs.store.changes import ChangeKind, latest_change_time, list_changes
from ilacs.web import urls
from ilacs.web.pages.common import (
    AuthorityRef,
    BadParameter,
    Source,
    authority_ref,
    authority_refs,
    parse_authority_urn,
)
from ilacs.web.snapshot import Snapshot

MAX_CHANGES = 200


@dataclass(frozen=True)
class ChangeView:
    id: int
    anchor: str  # the entry's id on the page, so a feed entry can link to it
    recorded_at: datetime
    kind: ChangeKind
    title: str
    lines: tuple[str, ...]
    authority: AuthorityRef | None
    published: date | None  # when Ofsted published the document the change is about
    source: Source | None  # the document the change is about, when the record holds it


@dataclass(frozen=True)
class ChangesPage:
    authority: AuthorityRef | None  # only this LA's changes, when chosen
    since: date | None
    changes: tuple[ChangeView, ...]
    more: bool  # older changes exist beyond the newest MAX_CHANGES
    updated: datetime  # when the record last changed (the feed's <updated>)
    feed_url: str
    authorities: tuple[AuthorityRef, ...]


def parse_changes_filters(snapshot: Snapshot, la: str | None,
                          since: str | None) -> tuple[int | None, date | None]:
    urn = parse_authority_urn(snapshot, la)
    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        raise BadParameter(f"since={since!r} is not a date like 2026-11-01") from None
    return urn, day


def changes_page(snapshot: Snapshot, conn: sqlite3.Connection, urn: int | None = None,
                 since: date | None = None) -> ChangesPage:
    found = list_changes(conn, since=since, urn=urn, limit=MAX_CHANGES + 1)
    views = []
    for change in found[:MAX_CHANGES]:
        story = tell(change)
        authority = snapshot.record.authority(change.urn) if change.urn is not None else None
        document = snapshot.documents.get(change.document_sha256 or "")
        views.append(ChangeView(
            change.id, f"change-{change.id}", change.recorded_at, change.kind, story.title,
            story.lines, authority_ref(authority) if authority else None,
            change.published if change.document_sha256 else None,
            Source(document.path, None, urls.document(document.sha256)) if document else None))
    chosen = snapshot.record.authority(urn) if urn is not None else None
    updated = latest_change_time(conn) or datetime.fromtimestamp(0, UTC)
    return ChangesPage(
        authority=authority_ref(chosen) if chosen else None, since=since,
        changes=tuple(views), more=len(found) > MAX_CHANGES, updated=updated,
        feed_url=urls.changes(urn, feed=True),
        authorities=authority_refs(snapshot))
