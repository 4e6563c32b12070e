"""Everything ilacs knows about the markup of Ofsted's reports website, in one place.

When Ofsted changes its pages, this is the one file to fix: the search URL and its filters,
how a provider is linked from the results, how publications are linked from a provider page,
the words that name each kind of publication, and where the publication date is shown.
Whatever the markup, a page without the structure expected raises `SiteChanged` naming the
URL and what was looked for, so a change on Ofsted's side is never mistaken for "nothing new".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from urllib.parse import urlencode, urljoin

from ilacs.errors import IlacsError
from ilacs.extract.dates import parse_date
from ilacs.sources.html_tree import Element, parse_html

DEFAULT_BASE_URL = "https://reports.ofsted.gov.uk"
SEARCH_PATH = "/search"
# The search filters that list local authority children's services, one provider per LA.
LA_CHILDRENS_SERVICES = (("level_1_types", "3"), ("level_2_types[]", "12"))
MAX_ROWS = 100  # the site serves at most 100 results a page
MAX_LISTING_PAGES = 50  # far more than ~153 LAs need: a listing that never ends is an error
PROVIDER_HREF = re.compile(r"/provider/44/(?P<urn>\d+)/?(?:[?#].*)?$")
PUBLICATION_LINK_CLASS = "publication-link"  # <a class="publication-link" href="<file url>">
KIND_TEXT_CLASS = "nonvisual"  # <span class="nonvisual"> inside the link names the kind
PUBLISHED_WORD = re.compile(r"publish", re.IGNORECASE)
_LEADING_SEPARATORS = re.compile(r"^[\s\-\u2013\u2014,:]+")
ITEM_LEVELS = 3  # how far above a link its list item (with its date) may be: li, tr, div


class PublicationKind(StrEnum):
    INSPECTION = "inspection"
    FOCUSED_VISIT = "focused_visit"
    MONITORING_VISIT = "monitoring_visit"
    JTAI = "jtai"
    OTHER = "other"


# Checked in order: a JTAI is also an "inspection", so the specific kinds come first.
KIND_WORDS: tuple[tuple[re.Pattern[str], PublicationKind], ...] = (
    (re.compile(r"focused\s+visit", re.I), PublicationKind.FOCUSED_VISIT),
    (re.compile(r"monitoring\s+visit", re.I), PublicationKind.MONITORING_VISIT),
    (re.compile(r"joint\s+targeted\s+area|\bJTAI\b|joint\s+area\s+child\s+protection", re.I),
     PublicationKind.JTAI),
    (re.compile(r"children.s\s+services\s+inspection|inspection\s+of\s+local\s+authority|"
                r"\bILACS\b|\binspection\b", re.I), PublicationKind.INSPECTION),
)


class SiteChanged(IlacsError):
    """A page of Ofsted's website lacks the structure ilacs reads: its markup has changed."""

    def __init__(self, url: str, expected: str) -> None:
        self.url = url
        self.expected = expected
        super().__init__(
            f"the page does not have the structure ilacs expects ({expected}); Ofsted's "
            "website may have changed. Nothing from this page was recorded. Update "
            "src/ilacs/sources/ofsted_site.py to the new markup.",
            path=url,
        )


@dataclass(frozen=True)
class Provider:
    urn: int
    name: str
    url: str


@dataclass(frozen=True)
class Publication:
    provider: Provider
    url: str
    kind: PublicationKind
    kind_text: str  # the words the site used for the kind, quoted in messages
    title: str
    published: date | None


def listing_url(base_url: str, start: int, rows: int) -> str:
    """One page of the search for every LA children's services provider."""
    query = urlencode((*LA_CHILDRENS_SERVICES, ("start", str(start)), ("rows", str(rows))))
    return f"{base_url.rstrip('/')}{SEARCH_PATH}?{query}"


def discover_providers(get_text: Callable[[str], str], base_url: str = DEFAULT_BASE_URL,
                       rows: int = MAX_ROWS) -> list[Provider]:
    """Every provider in the search results, page by page, in the site's order."""
    if not 1 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be between 1 and {MAX_ROWS}, not {rows}")
    found: dict[int, Provider] = {}
    start = 0
    for _page in range(MAX_LISTING_PAGES):
        url = listing_url(base_url, start, rows)
        on_page = providers_on_listing(get_text(url), url)
        if start == 0 and not on_page:
            raise SiteChanged(url, "links to providers of the form /provider/44/<urn>")
        if not on_page:  # past the last page
            return list(found.values())
        new = [provider for provider in on_page if provider.urn not in found]
        if not new:
            raise SiteChanged(url, "further results past the first page (this page repeats "
                                   "earlier ones; is `start` still how the site pages results?)")
        found.update((provider.urn, provider) for provider in new)
        # Advance by what the page held, not by `rows`: a site serving fewer rows than asked
        # would otherwise have results skipped without anyone noticing.
        start += len(on_page)
    raise SiteChanged(listing_url(base_url, start, rows),
                      f"a last page of results within {MAX_LISTING_PAGES} pages")


def providers_on_listing(html: str, page_url: str) -> list[Provider]:
    """The providers linked from one page of search results (empty past the last page)."""
    providers: dict[int, Provider] = {}
    for anchor in parse_html(html).iter("a"):
        href = anchor.attrs.get("href", "")
        match = PROVIDER_HREF.search(href)
        if match and int(match.group("urn")) not in providers:
            urn = int(match.group("urn"))
            providers[urn] = Provider(urn, anchor.text() or f"URN {urn}", urljoin(page_url, href))
    return list(providers.values())


def discover_publications(get_text: Callable[[str], str], provider: Provider) -> list[Publication]:
    """Every publication linked from the provider's page; raises SiteChanged if none is."""
    return publications_on_page(get_text(provider.url), provider)


def publications_on_page(html: str, provider: Provider) -> list[Publication]:
    """The publications linked from a provider's page, once each, in the page's order."""
    links = [anchor for anchor in parse_html(html).iter("a")
             if PUBLICATION_LINK_CLASS in anchor.classes and anchor.attrs.get("href")]
    if not links:
        raise SiteChanged(provider.url, f'publication links <a class="{PUBLICATION_LINK_CLASS}" '
                                        f'href=...> naming their kind in <span class='
                                        f'"{KIND_TEXT_CLASS}">')
    publications: dict[str, Publication] = {}
    for anchor in links:
        url = urljoin(provider.url, anchor.attrs["href"])
        if url in publications:
            continue
        hidden = " ".join(span.text() for span in anchor.iter() if KIND_TEXT_CLASS in span.classes)
        kind_text = _LEADING_SEPARATORS.sub("", hidden) or anchor.text()
        publications[url] = Publication(
            provider=provider,
            url=url,
            kind=kind_of(kind_text),
            kind_text=kind_text,
            title=anchor.text(skip_class=KIND_TEXT_CLASS) or kind_text,
            published=published_date(anchor),
        )
    return list(publications.values())


def kind_of(words: str) -> PublicationKind:
    """The kind of publication the site's words name; OTHER (still downloaded) if none."""
    for pattern, kind in KIND_WORDS:
        if pattern.search(words):
            return kind
    return PublicationKind.OTHER


def published_date(link: Element) -> date | None:
    """The date shown with a publication link, looked for in the link's own item (the largest
    element around it, at most a few levels up, holding no other publication link): a <time>
    element first, then a date after the word 'published', then any date; None if none."""
    item = _item_around(link)
    for time in item.iter("time"):
        found = _iso_date(time.attrs.get("datetime", "")) or parse_date(time.text())
        if found is not None:
            return found
    text = item.text()
    marker = PUBLISHED_WORD.search(text)
    if marker is not None:
        found = parse_date(text[marker.end():])
        if found is not None:
            return found
    return parse_date(text)


def _item_around(link: Element) -> Element:
    """The list item (or row, or block) that is this link's alone."""
    item = link
    for level, ancestor in enumerate(link.ancestors()):
        if level >= ITEM_LEVELS or ancestor.tag in ("body", "main", "#document"):
            break
        others = [a for a in ancestor.iter("a")
                  if PUBLICATION_LINK_CLASS in a.classes and a is not link]
        if others:
            break
        item = ancestor
    return item


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
