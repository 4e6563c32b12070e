"""The interventions register from its authoritative source (`ilacs update --interventions`):
DfE's collection "Improvement notices and directions" on GOV.UK, read through GOV.UK's
public content API (the JSON of any page is at `/api/content` followed by its path).

The collection's JSON lists its pages (`links.documents`) and the section each is under
(`details.collection_groups`: "Open notices", "Closed directions" ...); each page's JSON has
its title, summary (`description`), first publication (`first_published_at`) and text
(`details.body`, HTML). Each page's events (see `ilacs.extract.notices`) go into the register
with the page's address as their source; news claims are then linked again, so one that a
page confirms says so and one that disagrees is flagged with both sources.

Politely, with the client the other fetchers use; only paths on the same host are followed,
and at most MAX_PAGES pages are read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ilacs.documents.markup import html_to_text
from ilacs.errors import IlacsError
from ilacs.extract.notices import NoticePage, notice_events
from ilacs.ingest.interventions import import_events
from ilacs.ingest.settle import settle
from ilacs.reference.interventions import InterventionEvent
from ilacs.sources.http import FetchError, PoliteClient

DEFAULT_GOVUK_URL = "https://www.gov.uk"
COLLECTION_PATH = "/government/collections/improvement-notices-and-directions"
MAX_PAGES = 400  # the collection held about 150 pages in 2024


class GovukChanged(IlacsError):
    """An answer of GOV.UK's content API is not in the shape its documentation gives."""


@dataclass
class InterventionsUpdate:
    pages: int = 0
    events: int = 0
    added: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)  # each names its address
    requests: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def headline(self) -> str:
        return (f"{self.pages} notice and direction pages read from GOV.UK; {self.events} "
                f"events; {self.added} interventions added, {self.updated} updated; "
                f"{len(self.problems)} problems.")


def update_interventions(conn: sqlite3.Connection, http: PoliteClient,
                         base_url: str = DEFAULT_GOVUK_URL, collection: str = COLLECTION_PATH,
                         on_step: Callable[[str], None] | None = None) -> InterventionsUpdate:
    """Read the collection and every page it lists; store their events (see the module)."""
    base = base_url.rstrip("/")
    step = on_step or (lambda _url: None)
    summary = InterventionsUpdate()
    before = http.requests
    try:
        listing = _content(http, base, collection)
        documents = listed_documents(listing, f"{base}/api/content{collection}")
    except (FetchError, GovukChanged) as error:
        summary.problems.append(str(error))
        summary.requests = http.requests - before
        return summary
    sections = collection_sections(listing)
    events: list[InterventionEvent] = []
    for document in documents[:MAX_PAGES]:
        path = str(document["base_path"])
        step(base + path)
        try:
            page = notice_page(_content(http, base, path), path, sections.get(
                str(document.get("content_id")), None))
        except (FetchError, GovukChanged) as error:
            summary.problems.append(str(error))
            continue
        found, problems = notice_events(page)
        summary.pages += 1
        summary.problems.extend(problem.describe() for problem in problems)
        events.extend(found)
    summary.events = len(events)
    if events:
        stored = import_events(conn, events, origin="govuk")
        summary.added, summary.updated = stored.added, stored.updated
        settle(conn)
    summary.requests = http.requests - before
    return summary


def _content(http: PoliteClient, base: str, path: str) -> dict[str, Any]:
    url = f"{base}/api/content{path}"
    text = http.get_text(url)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise GovukChanged(f"not JSON ({error.msg}); the content API answers in JSON",
                           path=url) from error
    if not isinstance(document, dict):
        raise GovukChanged("not a JSON object", path=url)
    return document


def listed_documents(listing: dict[str, Any], url: str) -> list[dict[str, Any]]:
    """The collection's pages: paths on this host only (never another site's address)."""
    links = listing.get("links")
    documents = links.get("documents") if isinstance(links, dict) else None
    if not isinstance(documents, list):
        raise GovukChanged("the collection lists no documents (links.documents)", path=url)
    return [item for item in documents if isinstance(item, dict)
            and str(item.get("base_path") or "").startswith("/")
            and not str(item.get("base_path")).startswith("//")]


def collection_sections(listing: dict[str, Any]) -> dict[str, str]:
    """Each page's section by its content id ('Open notices', 'Closed directions' ...)."""
    found: dict[str, str] = {}
    details = listing.get("details")
    groups = details.get("collection_groups") if isinstance(details, dict) else None
    for group in groups if isinstance(groups, list) else []:
        documents = group.get("documents") if isinstance(group, dict) else None
        for content_id in documents if isinstance(documents, list) else []:
            found[str(content_id)] = str(group.get("title") or "")
    return found


def notice_page(content: dict[str, Any], path: str, section: str | None) -> NoticePage:
    details = content.get("details") or {}
    body = details.get("body") if isinstance(details, dict) else None
    if not isinstance(body, str):
        body = ""
    return NoticePage(
        address=f"{DEFAULT_GOVUK_URL}{path}", title=str(content.get("title") or ""),
        description=str(content.get("description") or ""), body=html_to_text(body),
        first_published=_day(content.get("first_published_at")), section=section)


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
