"""`ilacs publish`: the static copy of the dashboard, checked file by file against the server
that serves the same record, and link by link on disk."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx
import lxml.html
import pytest
from click.testing import CliRunner

from conftest import PUBLISHED_AT, REPORTS, require_shared
from ilacs.cli import cli
from ilacs.web.publish import MARKER, PublishError, file_for, publish


@dataclass(frozen=True)
class Links:
    found: list[str]  # every href, src and action, in the page's order
    forms: int  # forms that send somewhere (with an action)


def links_of(path: Path) -> Links:
    # lxml reads the copy's 200 MB of pages several times faster than Python's html.parser
    page = lxml.html.fromstring(path.read_bytes())
    return Links([str(value) for value in page.xpath("//@href|//@src|//@action") if value],
                 len(page.xpath("//form[@action]")))


def test_the_copy_holds_every_page_and_reports_no_problem(published: Any) -> None:
    folder: Path = published.folder
    assert published.problems == [] and published.feed
    assert published.downloads == 12  # record, latest and statistics, in four formats
    assert (folder / MARKER).is_file()
    marker = json.loads((folder / MARKER).read_text("utf-8"))
    assert "/" not in marker["database"] and marker["database"].endswith(".db")
    assert len(list((folder / "la").glob("*.html"))) >= 153
    for name in ["index.html", "index.json", "la/80419.html", "la/80419.json",
                 "compare--la-80419-with-neighbours.html", "themes--theme-neglect.html",
                 "changes.html", "changes.json", "changes.atom", "downloads.html",
                 "openapi.json", "static/ilacs.css", "indicators.html",
                 "indicators/cin_rate.html", "indicators/cin_rate.json", "indicators/cin_rate.csv",
                 "la/80419/context.csv", "grades-by-year.csv",
                 "themes/trend--theme-neglect.csv",
                 "static/vendor/govuk-frontend/govuk-frontend.min.css"]:
        assert (folder / name).is_file(), name
    # the files were made before the downloads page, so it gives every one's size
    sizes = [f["size"] for f in json.loads((folder / "downloads.json").read_text("utf-8"))[
        "files"]]
    assert len(sizes) == 12 and all(isinstance(size, int) and size > 0 for size in sizes)
    assert not (folder / "static/vendor/axe-core").exists()  # test tooling, not for visitors


@pytest.mark.slow
def test_every_link_in_every_page_opens_a_file_of_the_copy(published: Any) -> None:
    folder: Path = published.folder
    pages = sorted(folder.rglob("*.html"))
    checked = 0
    for page in pages:
        parsed = links_of(page)
        for link in parsed.found:
            if link.startswith(("https://", "http://", "#", "mailto:")):
                assert not link.startswith("/"), link
                continue
            assert not link.startswith("/"), f"{page}: {link} depends on the site's root"
            target = posixpath.normpath(posixpath.join(
                posixpath.dirname(page.relative_to(folder).as_posix()),
                urlsplit(link).path))
            assert (folder / target).is_file(), f"{page.relative_to(folder)}: {link}"
            checked += 1
    assert checked > 10_000  # 150-odd LA pages with dozens of links each


@pytest.mark.parametrize("address", ["/index.json", "/la/80419.json", "/changes.json",
                                     "/compare.json?la=80419&with=neighbours",
                                     "/themes.json?theme=neglect"])
def test_json_files_are_what_the_server_sends(published: Any, web: str, address: str) -> None:
    served = httpx.get(web + address, timeout=60)
    assert served.status_code == 200
    assert (published.folder / file_for(address)).read_bytes() == served.content


def test_pages_say_what_needs_a_server_instead_of_offering_it(published: Any,
                                                              web: str) -> None:
    folder: Path = published.folder
    search = (folder / "search.html").read_text(encoding="utf-8")
    assert "static copy of the record, which cannot search" in search
    assert links_of(folder / "search.html").forms == 0
    assert links_of(folder / "index.html").forms == 1  # the map's judgement picker (scripted)
    assert "This is a static copy of the record" in (folder / "la/80419.html").read_text(
        encoding="utf-8")
    live = httpx.get(web + "/search", timeout=60).text
    assert "static copy" not in live and 'action="/search"' in live
    # The source of a grade: the copy holds no PDFs, so it links to Ofsted's page for the LA.
    wight = links_of(folder / "la/80419.html").found
    assert "https://reports.ofsted.gov.uk/provider/44/80419" in wight


def test_the_feed_links_to_the_copy_where_it_is_hosted(published: Any) -> None:
    folder: Path = published.folder
    feed = feedparser.parse((folder / "changes.atom").read_bytes())
    assert not feed.bozo and len(feed.entries) == 6 + 17  # documents, then statistics
    assert feed.feed.links[0].href == f"{PUBLISHED_AT}/changes.atom"
    for entry in feed.entries:
        for link in entry.links:
            if link.href.startswith(PUBLISHED_AT):
                relative = urlsplit(link.href.removeprefix(PUBLISHED_AT + "/")).path
                assert (folder / relative).is_file(), link.href
            else:
                assert link.href.startswith("https://reports.ofsted.gov.uk/"), link.href


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record of one report: enough for a copy with pages, downloads and a feed, cheap to
    publish twice (the full record's copy is checked by the tests above)."""
    from ilacs.pipeline import find_files, ingest
    from ilacs.record import ensure_authorities
    from ilacs.store import open_store

    require_shared()
    path = tmp_path_factory.mktemp("small") / "ilacs.db"
    conn = open_store(path)
    ensure_authorities(conn)
    ingest(conn, find_files([REPORTS / "80419_isle of wight" /
                             "children's services inspection - 15 december 2023.pdf"]))
    conn.close()
    return path


@pytest.mark.slow
def test_publishing_again_replaces_the_copy_and_a_feed_needs_a_base_url(
        small_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    first = publish(small_db, folder, PUBLISHED_AT)
    assert first.feed and (folder / "changes.atom").is_file()
    out = CliRunner().invoke(cli, ["--db", str(small_db), "publish", str(folder)], obj={})
    assert out.exit_code == 0, out.output
    said = " ".join(out.output.split())
    assert "without the Atom feed (give --base-url" in said and "; 0 problems." in said
    assert not (folder / "changes.atom").exists()  # the earlier copy is gone, not merged
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "application/atom+xml" not in index
    assert not list(tmp_path.glob(".site.*"))  # no staging folder left behind


def test_a_folder_of_other_files_is_never_replaced(bundled_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(PublishError, match="mine is not empty and does not hold an earlier"):
        publish(bundled_db, folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    out = CliRunner().invoke(cli, ["--db", str(bundled_db), "publish", str(folder),
                                   "--base-url", "example.org"], obj={})
    assert out.exit_code == 2 and "--base-url" in out.output
