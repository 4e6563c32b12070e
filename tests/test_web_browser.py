"""The dashboard as a person uses it: Debian's chromium driven by Playwright, with axe-core.

Journeys: find an LA from the England page (table and map), open a source report at its
page, compare an LA with its neighbours, search for a phrase and open a hit; sorting and the
map work with JavaScript, and reading works without it. Every page is checked with axe-core
(WCAG 2.2 AA rules) for zero violations. Screenshots are written to screenshots/ to look at.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import WRITE_TOKEN, suggested
from ilacs.web import WebSettings
from ilacs.web.pages.search import PER_PAGE
from web_server import running_server

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "src/ilacs/web/static/vendor/axe-core/axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
DESKTOP = 1366  # the commonest laptop width
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = ["/", "/?region=London&grade=good", "/la/80419", "/la/80480",
         "/compare?la=80419&with=neighbours", "/themes", "/themes?theme=neglect",
         "/search?q=%22unregistered+placements%22", "/search?q=neglect&kind=letter&page=2",
         "/downloads", "/changes", "/la/no-such-place", "/find?name=isle+of+wigt", "/indicators",
         "/indicators/cin_rate",
         "/indicators/spend_per_child?judgement=impact_of_leaders", "/la/80419/pack",
         "/search?q=neglect&region=London&sort=newest",
         "/compare?la=80419&la=80486&la=80480&la=80582&la=80448&la=80537"]

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"SKIPPED LOUDLY: {CHROMIUM} is missing; `make test` installs Debian's "
                    "chromium (apt-get install chromium)")
    if not AXE.exists():
        pytest.skip(f"SKIPPED LOUDLY: {AXE} is missing; run scripts/vendor_assets.py")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield launched
        launched.close()


@pytest.fixture(scope="module", autouse=True)
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir()
    return SCREENSHOTS


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    # axe is injected as an inline script, which the pages' Content-Security-Policy rightly
    # forbids: the test context lets the test tool in, as a browser extension would be
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900}, bypass_csp=True)
    opened = context.new_page()
    yield opened
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        # passes are not read, and making their nodes' selectors is most of axe's time
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "impact": v["impact"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def shot(page: Any, name: str) -> None:
    # JPEG: a whole page (the England page at 390 px is some 40,000 px tall) is encoded in
    # about half the time PNG takes, and reads as well to a person looking at it
    page.screenshot(path=str(SCREENSHOTS / f"{name}.jpg"), full_page=True, type="jpeg",
                    quality=80)


@pytest.mark.parametrize("path", ["/", "/la/80419", "/la/80419/pack", "/search?q=neglect",
                                  "/compare?la=80419&with=neighbours", "/themes?theme=neglect",
                                  "/downloads", "/changes", "/indicators", "/la/no-such-place"])
def test_pages_pass_axe_on_a_phone(browser: Any, web: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.goto(web + path)
    assert axe_violations(page) == []
    shot(page, "phone_" + shot_name(path))
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_axe(page: Any, web: str, path: str) -> None:
    page.goto(web + path)
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    shot(page, shot_name(path))


def shot_name(path: str) -> str:
    name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "england"
    return name[:60].replace("%22", "").replace("=", "-")


@pytest.mark.parametrize("width", [320, 390, 768, DESKTOP])
def test_map_labels_are_readable_at_every_width(browser: Any, web: str, width: int) -> None:
    """Before: the map's labels were 10 units of 510, 7 px on a phone. They are drawn at
    11 px or more at any width (the map scrolls sideways in its own region if it must)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in ["/", "/indicators/cin_rate"]:
        page.goto(web + path)
        sizes, widest = page.evaluate("""() => {
            const map = document.querySelector('.ilacs-map');
            const scale = map.getBoundingClientRect().width / map.viewBox.baseVal.width;
            const labels = [...map.querySelectorAll('.ilacs-tile__label')];
            return [labels.map(t => parseFloat(getComputedStyle(t).fontSize) * scale),
                    Math.max(...labels.map(t => t.getBBox().width))];
        }""")
        assert len(sizes) >= 300 and min(sizes) >= 11, (path, width, min(sizes))
        assert widest <= 32, (path, widest)  # every label inside its 32-unit tile
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    context.close()


def test_finding_an_authority_without_javascript(browser: Any, web: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(web + "/")
    page.get_by_role("combobox", name="Find a local authority").fill("Isle of Wight")
    page.get_by_role("combobox", name="Find a local authority").press("Enter")
    page.wait_for_url("**/la/80419")
    assert "Isle of Wight" in page.locator("h1").text_content()
    page.goto(web + "/la/isle-of-wigt")  # a near miss: the 404 offers the box again
    page.get_by_role("combobox", name="Find a local authority").fill("80480")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url("**/la/80480")
    context.close()


def test_axe_would_catch_a_violation(page: Any, web: str) -> None:
    page.goto(web + "/")
    page.evaluate("document.querySelector('#region').removeAttribute('id')")  # orphan label
    page.evaluate("document.querySelector('label[for=region]').remove()")
    assert any(v["id"] == "select-name" for v in axe_violations(page))


def test_the_bundled_record_pages_pass_axe_and_say_how_to_add_text(page: Any,
                                                                     bundled_web: str) -> None:
    for path in ["/search?q=neglect", "/themes", "/themes?theme=neglect", "/la/80419"]:
        page.goto(bundled_web + path)
        assert page.locator(".ilacs-notice code").count() >= 1
        assert axe_violations(page) == []
    # The bundle ships each point's themes and page, not its words: an LA's themes open to
    # points that link to their page and say their text is not held.
    page.locator("#improve ~ details summary").first.click()
    point = page.locator("#improve ~ details[open] li").first
    assert "Text not held in this record" in point.inner_text()
    assert re.search(r"#page=\d+$", point.locator("a").get_attribute("href") or "")
    shot(page, "bundled_la")
    page.goto(bundled_web + "/themes")
    assert page.locator("#themes-table tbody tr").count() >= 20
    shot(page, "bundled_themes")


def test_find_an_la_from_the_england_page_and_open_its_report(page: Any, web: str) -> None:
    page.goto(web + "/")
    page.get_by_role("link", name="Isle of Wight", exact=True).first.click()
    page.wait_for_url("**/la/80419")
    assert page.locator("h1").inner_text() == "Isle of Wight"
    source = page.locator(".ilacs-timeline a.ilacs-source").first
    href = source.get_attribute("href")
    assert href and "#page=" in href
    with page.expect_response(lambda r: "/documents/" in r.url) as answer:
        page.evaluate("href => { window.location.href = href; }", href)
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"


def test_find_an_la_on_the_map(page: Any, web: str) -> None:
    page.goto(web + "/")
    tile = page.locator("svg[data-map] a[data-name='Isles of Scilly']")
    assert tile.count() == 1 and tile.locator("rect").bounding_box()["width"] > 10
    tile.click()
    page.wait_for_url("**/la/*")
    assert page.locator("h1").inner_text() == "Isles of Scilly"


def test_choosing_a_judgement_recolours_the_map(page: Any, web: str) -> None:
    page.goto(web + "/")
    tiles = page.locator("svg[data-map] a rect")
    before = tiles.evaluate_all("rects => rects.map(r => r.getAttribute('class'))")
    page.select_option("#map-judgement", "help_and_protection")
    after = tiles.evaluate_all("rects => rects.map(r => r.getAttribute('class'))")
    assert before != after
    assert "help and protection" in page.locator("#map-title").text_content()
    # each tile's letter follows its new colour
    letters = {"outstanding": "O", "good": "G", "requires_improvement": "R", "adequate": "A",
               "inadequate": "I", "none": "–"}
    shown = page.locator("svg[data-map] a").evaluate_all(
        "links => links.map(a => [a.querySelector('rect').getAttribute('class'), "
        "a.querySelectorAll('text')[1].textContent])")
    assert len(shown) >= 150
    for shape, letter in shown:
        assert letters[shape.split("ilacs-grade--")[1]] == letter
    # the judgement shown is in the address: reopened, the server draws the same map
    assert "judgement=help_and_protection" in page.url
    page.goto(page.url)
    assert tiles.evaluate_all("rects => rects.map(r => r.getAttribute('class'))") == after


def test_sorting_the_table_by_a_column(page: Any, web: str) -> None:
    page.goto(web + "/")
    table = page.locator("#authority-table")
    names = table.locator("tbody th").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    header = table.get_by_role("button", name="Authority")
    header.click()
    header.click()
    assert table.locator("thead th").first.get_attribute("aria-sort") == "descending"
    assert table.locator("tbody th").all_inner_texts() == names[::-1]
    # the order is in the address: the same view opens sorted for whoever is sent it
    assert "order=authority-table%3A0%3Ad" in page.url
    page.goto(page.url)
    assert table.locator("thead th").first.get_attribute("aria-sort") == "descending"
    assert table.locator("tbody th").all_inner_texts() == names[::-1]
    # choosing filters keeps the sort
    page.locator("form.ilacs-filters select#region").select_option("London")
    page.locator("form.ilacs-filters button[type=submit]").click()
    page.wait_for_url("**region=London**")
    assert "order=authority-table%3A0%3Ad" in page.url
    london = table.locator("tbody th").all_inner_texts()
    assert 0 < len(london) < len(names) and london == sorted(london, key=str.casefold,
                                                              reverse=True)


def test_compare_an_la_with_its_neighbours(page: Any, web: str) -> None:
    page.goto(web + "/la/80419")
    page.get_by_role("link", name="Compare with its statistical neighbours").click()
    page.wait_for_url("**/compare?*")
    rows = page.locator("#compare-table tbody tr")
    assert rows.count() == 11
    assert "Isle of Wight" in rows.first.inner_text()
    assert page.locator("#groups-table tbody tr").count() == 3
    shot(page, "journey_compare")


def test_search_for_a_phrase_and_open_a_hit(page: Any, web: str) -> None:
    page.goto(web + "/search")
    page.get_by_label('Words or a "quoted phrase"').fill('"unregistered placements"')
    page.get_by_label('Words or a "quoted phrase"').press("Enter")
    page.wait_for_url("**/search?*")
    hits = page.locator(".ilacs-result")
    assert hits.count() > 0
    assert hits.first.locator("mark").count() >= 1
    shot(page, "journey_search")
    with page.expect_response(lambda r: "/documents/" in r.url) as answer:
        hits.first.locator("h3 a").click()
    assert answer.value.status == 200


def test_keyboard_users_can_skip_to_the_content_and_reach_an_la(page: Any, web: str) -> None:
    page.goto(web + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    for _ in range(40):  # the map's tiles are links too: tab until one is focused
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg[data-map]') !== null"):
            break
    else:
        pytest.fail("no map tile could be reached with the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/la/*")


def test_focus_shows_on_the_dark_header_and_on_every_tile_colour(page: Any, web: str) -> None:
    page.goto(web + "/")
    page.focus(".ilacs-header__wordmark")
    assert page.evaluate("getComputedStyle(document.activeElement).backgroundColor") == \
        "rgb(255, 221, 0)"  # GOV.UK's focus yellow, against the header's dark teal
    tiles = page.locator("svg[data-map] a")
    for index in range(tiles.count()):  # a yellow ring on a yellow tile would not show
        tiles.nth(index).focus()
        fill, stroke = page.evaluate("[getComputedStyle(document.activeElement.querySelector("
                                     "'rect')).fill, getComputedStyle(document.activeElement."
                                     "querySelector('rect')).stroke]")
        assert (fill, stroke) == ("rgb(11, 12, 12)", "rgb(255, 221, 0)")


def test_keyboard_users_can_skip_the_map(page: Any, web: str) -> None:
    page.goto(web + "/")
    skip = page.locator("a.govuk-skip-link[href='#authorities']")
    skip.focus()
    assert skip.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('svg[data-map]')") is None
    assert page.evaluate("document.activeElement.compareDocumentPosition("
                         "document.getElementById('authorities')) & 2") == 2  # past the map


@pytest.mark.parametrize("width", [320, 390, DESKTOP])
def test_pages_fit_the_screen_without_scrolling_sideways(browser: Any, web: str,
                                                         width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in ["/", "/la/80419", "/compare?la=80419&with=neighbours", "/compare?la=80419&la="
                 "80480", "/themes", "/themes?theme=neglect", "/downloads", "/search?q=neglect",
                 "/indicators", "/indicators/sw_agency_rate", "/la/80419/pack", "/changes"]:
        page.goto(web + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if width >= DESKTOP:  # wide enough for every table: none scrolls, none is cut off
            assert page.evaluate("[...document.querySelectorAll('.ilacs-table-scroll')].filter("
                                 "e => e.scrollWidth > e.clientWidth).length") == 0, path
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_every_grade_of_a_table_is_on_screen_under_its_column_name(
        browser: Any, web: str, width: int) -> None:
    """Before: at 390 px the England and neighbour tables showed Authority, Region and Date,
    the grades off-screen in a 935 px table."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for path, table in [("/", "#authority-table"), ("/la/80419", "#neighbours-table"),
                        ("/la/80480", "#history-table"),
                        ("/compare?la=80419&with=neighbours", "#compare-table"),
                        ("/la/80419/pack", "#neighbours-table")]:
        page.goto(web + path)
        cells = page.locator(f"{table} tbody td[data-label]")
        assert cells.count() >= 20, path
        boxes = cells.evaluate_all(
            "cells => cells.slice(0, 60).map(c => { const r = c.getBoundingClientRect(); "
            "return [r.left, r.right, getComputedStyle(c, '::before').content]; })")
        for left, right, label in boxes:
            assert 0 <= left and right <= width, (path, left, right)
            assert label not in ("none", "normal", '""'), path  # its column's name shows
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        caption = page.locator(f"{table} caption:not(.govuk-visually-hidden)")
        if caption.count():  # the caption spans the screen, not a narrow column beside it
            assert caption.bounding_box()["width"] >= 0.8 * (width - 40), path
    context.close()


def test_a_charts_figures_open_at_full_width(page: Any, web: str) -> None:
    page.goto(web + "/la/80419")
    figure = page.locator("#context-cin_rate")
    narrow = figure.bounding_box()["width"]
    figure.locator("summary").click()
    table = figure.locator("table")
    assert table.is_visible()
    assert figure.bounding_box()["width"] > 2 * narrow  # the whole row
    scroll = figure.locator(".ilacs-chart-table__scroll")
    assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth")  # no sideways scrolling
    shot(page, "la_context_figures_open")


def test_pages_read_and_filter_without_javascript(browser: Any, web: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(web + "/")
    assert page.locator("#authority-table tbody tr").count() == 153
    page.select_option("#region", "London")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**region=London**")
    assert page.locator("#authority-table tbody tr").count() == 33
    page.goto(web + "/search?q=neglect")
    assert page.locator(".ilacs-result").count() == PER_PAGE
    shot(page, "no_javascript_search")
    context.close()


def test_the_published_copy_works_opened_from_disk(page: Any, published: Any) -> None:
    page.goto((published.folder / "index.html").as_uri())
    width = "getComputedStyle(document.querySelector('.govuk-width-container')).maxWidth"
    assert page.evaluate(width) != "none"  # the stylesheets loaded from disk
    # Browsers run no module scripts from file://: reading works without them.
    page.get_by_role("link", name="Isle of Wight", exact=True).first.click()
    page.wait_for_url("**/la/80419.html")
    assert page.locator("h1").inner_text() == "Isle of Wight"
    page.get_by_role("link", name="Compare with its statistical neighbours").click()
    page.wait_for_url("**/compare--la-80419-with-neighbours.html")
    assert page.locator("#compare-table tbody tr").count() == 11
    assert axe_violations(page) == []
    shot(page, "published_compare")


def test_the_published_copy_works_hosted_under_a_sub_path(page: Any, published: Any) -> None:
    folder: Path = published.folder
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder.parent))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as host:
        threading.Thread(target=host.serve_forever, daemon=True).start()
        try:
            page.goto(f"http://127.0.0.1:{host.server_port}/{folder.name}/index.html")
            table = page.locator("#authority-table")
            header = table.get_by_role("button", name="Authority")  # the script ran
            header.click()
            header.click()
            assert table.locator("thead th").first.get_attribute("aria-sort") == "descending"
            page.get_by_role("link", name="Isles of Scilly", exact=True).first.click()
            page.wait_for_url(f"**/{folder.name}/la/*.html")
            assert page.locator("h1").inner_text() == "Isles of Scilly"
        finally:
            host.shutdown()


def test_confirm_a_suggested_intervention_with_the_write_token(page: Any,
                                                               writable_db: Path) -> None:
    intervention, urn = suggested(writable_db)[0]
    with running_server(WebSettings(writable_db, write_token=WRITE_TOKEN, warm=False)) as url:
        page.goto(f"{url}/la/{urn}")
        event = page.locator(f"#intervention-{intervention}")
        assert "suggested, not confirmed" in event.inner_text()
        assert axe_violations(page) == []
        event.scroll_into_view_if_needed()
        shot(page, "confirm_intervention")
        event.get_by_label("Write token").fill(WRITE_TOKEN)
        event.get_by_role("button", name="Confirm this intervention").click()
        page.wait_for_url(f"**/la/{urn}#timeline")
        assert page.locator(f"#intervention-{intervention}").count() == 0
    assert (intervention, urn) not in suggested(writable_db)


def test_the_sites_own_scripts_and_styles_run_under_its_content_security_policy(
        browser: Any, web: str) -> None:
    context = browser.new_context()  # no bypass: as a reader's browser sees the pages
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    for path in ["/", "/la/80419", "/themes", "/search?q=neglect", "/compare?la=80419"]:
        page.goto(web + path)
        page.wait_for_load_state("networkidle")
    assert refused == []
    # supported.js, a script of the site's own, ran
    assert "govuk-frontend-supported" in page.evaluate("() => document.body.className")
    context.close()


def test_a_printed_authority_page_keeps_grades_columns_and_says_where_it_came_from(
        page: Any, web: str) -> None:
    page.goto(web + "/la/80419")
    page.emulate_media(media="print")
    shot(page, "print_la_80419")
    tag = page.locator(".ilacs-grade--good, .ilacs-grade--requires_improvement, "
                       ".ilacs-grade--inadequate, .ilacs-grade--outstanding").first
    style = tag.evaluate("t => [getComputedStyle(t).printColorAdjust, "
                         "getComputedStyle(t).backgroundColor]")
    assert style[0] == "exact" and style[1] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    wordmark = page.locator(".ilacs-header__wordmark")
    assert wordmark.is_visible()
    assert wordmark.evaluate("w => getComputedStyle(w).color") == "rgb(11, 12, 12)"
    internal = page.locator("main a[href^='/']").first
    assert internal.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")
    pdf = page.pdf(format="A4")
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    text = " ".join(document[n].get_textpage().get_text_range()
                    for n in range(len(document)))
    flat = " ".join(text.split())
    # the path (the whole address where the public one is configured: test_web_changes.py)
    assert "Printed from ilacs, page /la/80419; the record as at" in flat
    assert "(/la/" not in flat and "gov.uk/la/" not in flat  # no internal addresses
    for judgement in ("Overall effectiveness", "Care leavers"):  # every column printed
        assert judgement in flat


def test_the_printed_pack_keeps_its_sections_and_says_where_it_came_from(
        page: Any, web: str) -> None:
    page.goto(web + "/la/80419/pack")
    page.emulate_media(media="print")
    shot(page, "print_pack_80419")
    import pypdfium2

    document = pypdfium2.PdfDocument(page.pdf(format="A4"))
    flat = " ".join(" ".join(document[n].get_textpage().get_text_range()
                             for n in range(len(document))).split())
    assert "Printed from ilacs, page /la/80419/pack; the record as at" in flat
    assert "(/la/" not in flat  # no internal addresses printed after links
    headings = page.locator("main h2").all_inner_texts()
    assert len(headings) >= 4 and all(" ".join(h.split()) in flat for h in headings), headings
