"""ilacs.sources.ofsted_site: reading the search results and provider pages of Ofsted's site."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from fake_ofsted import FakeOfsted, FakeProvider, FakePublication, FakeServer, standard_site
from ilacs.sources.http import HttpSettings, PoliteClient
from ilacs.sources.ofsted_site import (
    Provider,
    PublicationKind,
    SiteChanged,
    discover_providers,
    discover_publications,
    kind_of,
    listing_url,
    providers_on_listing,
    publications_on_page,
)

BASE = "https://reports.example"
WIGHT = Provider(80419, "Isle of Wight", f"{BASE}/provider/44/80419")


@pytest.fixture
def client() -> Iterator[PoliteClient]:
    with PoliteClient(HttpSettings(min_interval=0, timeout=2, attempts=2, backoff=0)) as polite:
        yield polite


def page(items: str) -> str:
    return f"<html><body><main><h1>Isle of Wight</h1><ul>{items}</ul></main>" \
           f"<footer>Last updated 2 January 2026</footer></body></html>"


def test_listing_url_asks_for_la_childrens_services_a_page_at_a_time() -> None:
    query = parse_qs(urlsplit(listing_url(BASE, 200, 100)).query)
    assert query == {"level_1_types": ["3"], "level_2_types[]": ["12"], "start": ["200"],
                     "rows": ["100"]}


def test_providers_on_listing_takes_urn_name_and_absolute_url_once_each() -> None:
    html = """<ul><li><h3><a href="/provider/44/80419">Isle of Wight</a></h3>
    <a href="/provider/44/80419">More about Isle of Wight</a></li>
    <li><a href="/provider/44/2532287"> Bournemouth, Christchurch
        &amp; Poole </a></li><li><a href="/search?start=100">Next</a></li></ul>"""
    providers = providers_on_listing(html, f"{BASE}/search?start=0")
    assert providers == [
        Provider(80419, "Isle of Wight", f"{BASE}/provider/44/80419"),
        Provider(2532287, "Bournemouth, Christchurch & Poole", f"{BASE}/provider/44/2532287"),
    ]


def test_each_kind_of_publication_is_read_with_its_title_url_and_date() -> None:
    html = page("""
      <li><a class="publication-link" href="https://files.example/v1/file/50001">Children's
        services inspection<span class="nonvisual">Children's services inspection, PDF</span></a>
        <p>Published: <strong>12 March 2024</strong></p></li>
      <li><a class="btn publication-link" href="/v1/file/50002">Focused visit
        <span class="nonvisual">focused visit</span></a><time datetime="2023-06-22T09:30:00Z">
        22 June 2023</time></li>
      <li><span>Inspection dates: 6 to 7 February 2024</span>
        <a class="publication-link" href="/v1/file/50003">Monitoring visit<span class="nonvisual">
        Monitoring visit</span></a> <span>Published 03/04/2024</span></li>
      <li><a class="publication-link" href="/v1/file/50004">JTAI<span class="nonvisual">Joint
        targeted area inspection</span></a></li>
      <li><a class="publication-link" href="/v1/file/50005">Area SEND<span class="nonvisual">Area
        SEND full report</span></a></li>""")
    found = publications_on_page(html, WIGHT)
    assert [(p.kind, p.title, p.url, p.published) for p in found] == [
        (PublicationKind.INSPECTION, "Children's services inspection",
         "https://files.example/v1/file/50001", date(2024, 3, 12)),
        (PublicationKind.FOCUSED_VISIT, "Focused visit", f"{BASE}/v1/file/50002",
         date(2023, 6, 22)),
        # the date after 'published' wins over the visit dates printed before it
        (PublicationKind.MONITORING_VISIT, "Monitoring visit", f"{BASE}/v1/file/50003",
         date(2024, 4, 3)),
        # no date in its item: the footer's date is not taken for it
        (PublicationKind.JTAI, "JTAI", f"{BASE}/v1/file/50004", None),
        (PublicationKind.OTHER, "Area SEND", f"{BASE}/v1/file/50005", None),
    ]
    assert all(p.provider == WIGHT for p in found)


def test_a_file_linked_twice_is_one_publication() -> None:
    link = '<li><a class="publication-link" href="/v1/file/7">Report<span class="nonvisual">' \
           "children's services inspection</span></a></li>"
    assert len(publications_on_page(page(link + link), WIGHT)) == 1


def test_provider_page_without_publication_links_raises_site_changed_naming_the_url() -> None:
    html = page('<li><a class="report-download" href="/v1/file/1">Inspection report</a></li>')
    with pytest.raises(SiteChanged) as raised:
        publications_on_page(html, WIGHT)
    message = str(raised.value)
    assert raised.value.url == WIGHT.url
    assert message.startswith(f"{WIGHT.url}: ")
    assert 'class="publication-link"' in message and "ofsted_site.py" in message


@pytest.mark.parametrize(("words", "kind"), [
    ("Children's services inspection", PublicationKind.INSPECTION),
    ("Inspection of local authority children’s services (ILACS)", PublicationKind.INSPECTION),
    ("Children's services focused visit", PublicationKind.FOCUSED_VISIT),
    ("Monitoring visit of Birmingham", PublicationKind.MONITORING_VISIT),
    ("Joint targeted area inspection", PublicationKind.JTAI),
    ("JTAI letter", PublicationKind.JTAI),
    ("Joint area child protection inspection", PublicationKind.JTAI),
    ("Statement of action", PublicationKind.OTHER),
])
def test_kind_words(words: str, kind: PublicationKind) -> None:
    assert kind_of(words) is kind


def test_discover_providers_pages_through_every_result(server: FakeServer,
                                                       client: PoliteClient) -> None:
    site = server.install(standard_site())
    providers = discover_providers(client.get_text, server.base_url, rows=2)
    assert [p.urn for p in providers] == [80419, 80426, 80431, 80428, 2532287]
    asked = [seen.query for seen in site.requests_to("/search")]
    # the last page holds one provider; the empty page after it ends the listing
    assert [(q["start"], q["rows"]) for q in asked] == [(["0"], ["2"]), (["2"], ["2"]),
                                                        (["4"], ["2"]), (["5"], ["2"])]
    assert all(q["level_1_types"] == ["3"] and q["level_2_types[]"] == ["12"] for q in asked)


def test_a_site_serving_fewer_rows_than_asked_still_yields_every_provider(
        server: FakeServer, client: PoliteClient) -> None:
    site = standard_site()
    site.max_rows = 2
    server.install(site)
    providers = discover_providers(client.get_text, server.base_url, rows=100)
    assert [p.urn for p in providers] == [80419, 80426, 80431, 80428, 2532287]
    assert [seen.query["start"] for seen in site.requests_to("/search")] == [
        ["0"], ["2"], ["4"], ["5"]]


def test_a_site_ignoring_start_is_reported_not_looped_on(server: FakeServer,
                                                         client: PoliteClient) -> None:
    site = server.install(FakeOfsted([FakeProvider(80000 + n, f"LA {n}", []) for n in range(3)]))
    site.ignore_start = True
    with pytest.raises(SiteChanged, match="repeats earlier ones") as raised:
        discover_providers(client.get_text, server.base_url, rows=2)
    assert raised.value.url == listing_url(server.base_url, 2, 2)
    assert len(site.requests_to("/search")) == 2


def test_a_listing_without_provider_links_raises_site_changed(server: FakeServer,
                                                              client: PoliteClient) -> None:
    site = standard_site()
    site.listing_changed = True
    server.install(site)
    with pytest.raises(SiteChanged) as raised:
        discover_providers(client.get_text, server.base_url, rows=2)
    assert raised.value.url == listing_url(server.base_url, 0, 2)
    assert "/provider/44/<urn>" in str(raised.value)


def test_discover_publications_reads_the_fake_provider_page(server: FakeServer,
                                                            client: PoliteClient) -> None:
    site = server.install(standard_site())
    barnsley = discover_providers(client.get_text, server.base_url, rows=100)[1]
    found = discover_publications(client.get_text, barnsley)
    assert [(p.kind, p.published, p.url) for p in found] == [
        (PublicationKind.FOCUSED_VISIT, date(2024, 12, 5), f"{server.base_url}/v1/file/2001"),
        (PublicationKind.INSPECTION, date(2023, 10, 27), f"{server.base_url}/v1/file/2002"),
    ]
    assert site.requests_to("/provider/44/80426")


def test_a_publication_without_a_date_has_none(server: FakeServer,
                                               client: PoliteClient) -> None:
    server.install(FakeOfsted([FakeProvider(80428, "Bedford", [
        FakePublication("9", "Monitoring visit", "Monitoring visit", b"%PDF-", None, "none")])]))
    bedford = discover_providers(client.get_text, server.base_url)[0]
    assert [p.published for p in discover_publications(client.get_text, bedford)] == [None]
