"""`ilacs update --interventions`: DfE's notices and directions read through a local stand-in
for GOV.UK's content API, built from the five pages in ../shared/corpus/govuk_notices."""

from __future__ import annotations

import html
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import SHARED
from fake_govuk import FakeGovuk, serve_govuk
from ilacs.cli import cli
from ilacs.extract.notices import NoticePage, notice_events
from ilacs.store import open_store
from ilacs.store.interventions import list_interventions

NOTICES = SHARED / "corpus" / "govuk_notices"
COLLECTION = "/government/collections/improvement-notices-and-directions"
SECTIONS = {"direction-cumbria": "Closed directions", "direction-doncaster-sept-2014":
            "Closed directions", "direction-sandwell": "Closed directions",
            "improvement-notice-west-berkshire": "Closed notices",
            "revised-direction-halton-feb-2025": "Open directions"}


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """A page's path and its content JSON, from the text GOV.UK shows."""
    lines = [line.strip() for line in path.read_text("utf-8").splitlines()]
    address, rest = lines[0], [line for line in lines[1:] if line]
    if rest[0] == "Decision":
        rest = rest[1:]
    title, description, body = rest[0], rest[1], rest[2:]
    published = next((m[1] for line in body if (m := re.match(r"Published (.+)$", line))), None)
    page_path = re.sub(r"^https://(?:www\.)?gov\.uk", "", address)
    content = {
        "base_path": page_path, "content_id": path.stem, "title": title,
        "description": description,
        "first_published_at": datetime.strptime(published, "%d %B %Y").isoformat() + "Z"
        if published else None,
        "details": {"body": "".join(f"<p>{html.escape(line)}</p>" for line in body)}}
    return page_path, content


@pytest.fixture
def fake() -> FakeGovuk:
    if not NOTICES.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no GOV.UK notices at {NOTICES}")
    pages = dict(_read(path) for path in sorted(NOTICES.glob("*.txt")))
    groups: dict[str, list[str]] = {}
    for content in pages.values():
        groups.setdefault(SECTIONS[content["content_id"]], []).append(content["content_id"])
    documents = [{"base_path": path, "content_id": content["content_id"],
                  "title": content["title"]} for path, content in pages.items()]
    # a listed page on another host is never followed; a page that always fails is a problem
    documents += [{"base_path": "//elsewhere.example/x", "content_id": "x"},
                  {"base_path": "/government/publications/broken", "content_id": "b"}]
    pages[COLLECTION] = {"title": "Improvement notices and directions", "details": {
        "collection_groups": [{"title": t, "documents": ids} for t, ids in groups.items()]},
        "links": {"documents": documents}}
    return FakeGovuk(pages=pages, faults={"/government/publications/broken": [500]})


def _update(db: Path, base: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db), "update", "--interventions",
                                    "--govuk-url", base, "--rate", "0"], obj={})


def test_update_reads_every_page_and_keeps_its_address(fake: FakeGovuk, tmp_path: Path) -> None:
    db = tmp_path / "ilacs.db"
    with serve_govuk(fake) as base:
        first = _update(db, base)
        again = _update(db, base)
    assert first.exit_code == 1  # the broken page is a problem; the others are stored
    assert "5 notice and direction pages read" in first.output
    assert "broken" in first.output and "elsewhere" not in first.output
    assert not [r for r in fake.requests if "elsewhere" in r]
    assert "0 interventions added" in again.output  # idempotent
    conn = open_store(db)
    items = {(item.la_name, item.type): item for item in list_interventions(conn)
             if item.origin == "govuk" or any("gov.uk" in s for s in item.sources)}
    halton = items[("Halton", "statutory_direction")]
    assert halton.status == "active" and halton.start_date == "2024-08-30"
    assert [(e.action, e.date) for e in halton.events if "gov.uk" in e.source][-1] == \
        ("revised", "2025-02-07")
    berkshire = items[("West Berkshire", "improvement_notice")]
    assert (berkshire.end_date, berkshire.status) == ("2017-07-07", "ended")
    assert all(source.startswith("https://www.gov.uk/government/publications/")
               for item in items.values() for source in item.sources if "gov.uk" in source)
    cumbria_notices = [item for item in list_interventions(conn) if item.la_name == "Cumbria"
                       and item.type == "improvement_notice"]
    assert {e.date for item in cumbria_notices for e in item.events} >= {"2012-08", "2014-01"}


def test_a_closed_direction_without_a_date_says_so() -> None:
    page = NoticePage("https://www.gov.uk/government/publications/x",
                      "Direction issued to Leeds City Council",
                      "A direction issued by DfE.", "The direction requires the council to "
                      "improve.", None, section="Closed directions")
    events, problems = notice_events(page)
    assert not problems
    assert [(e.type, e.action, e.date) for e in events] == [
        ("statutory_direction", "issued", None), ("statutory_direction", "revoked", None)]


def test_a_page_that_is_no_notice_or_names_no_council_is_a_problem() -> None:
    other = NoticePage("https://www.gov.uk/a", "Guidance for councils", "How to improve.",
                       "", None)
    nowhere = NoticePage("https://www.gov.uk/b", "Direction issued to Atlantis council",
                         "A direction.", "", None)
    assert [p.field for p in notice_events(other)[1]] == ["type"]
    assert [p.field for p in notice_events(nowhere)[1]] == ["la"]
    assert "https://www.gov.uk/b" in notice_events(nowhere)[1][0].describe()


def test_a_collection_that_is_not_json_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    fake = FakeGovuk(raw={COLLECTION: b"<html>maintenance</html>"})
    with serve_govuk(fake) as base:
        result = _update(tmp_path / "ilacs.db", base)
        assert result.exit_code == 1 and "not JSON" in result.output
        fake.raw.clear()
        fake.pages[COLLECTION] = {"title": "A collection", "links": {}}
        result = _update(tmp_path / "ilacs.db", base)
        assert result.exit_code == 1 and "lists no documents" in result.output
    with sqlite3.connect(tmp_path / "ilacs.db") as conn:
        assert conn.execute("SELECT count(*) FROM intervention_events WHERE source LIKE "
                            "'%gov.uk%'").fetchone()[0] == 0
