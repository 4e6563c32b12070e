"""The interventions register from sourced events: how events add up to interventions (events
written here), the shared events file loaded with its sources and quotes, and the same
register in a record built by `ilacs build` and one built by `ilacs ingest`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import INTERVENTION_EVENTS, LETTERS
from ilacs.cli import cli
from ilacs.ingest.interventions import import_interventions
from ilacs.reference import load_register
from ilacs.reference.interventions import (
    InterventionEvent,
    InterventionEventError,
    derive_interventions,
    read_events,
)
from ilacs.store import open_store
from ilacs.store.interventions import list_interventions

SOURCE = "https://www.example.org/news"


def _urn(name: str) -> int:
    authority = load_register().match(name)
    assert authority is not None
    return authority.urn


def _event(la: str, kind: str, action: str, when: str | None, **more: str) -> InterventionEvent:
    return InterventionEvent(urn=_urn(la), type=kind, action=action, date=when, source=SOURCE,
                             **more)


def _spans(*events: InterventionEvent) -> list[tuple[Any, ...]]:
    return [(span.type, span.person or span.partner_name, span.start_date, span.end_date,
             span.status, [e.action for e in span.events])
            for span in derive_interventions(events)]


def test_a_direction_revoked_and_replaced_the_same_day_is_two_spans() -> None:
    assert _spans(_event("Leeds", "statutory_direction", "issued", "2014-03"),
                  _event("Leeds", "statutory_direction", "issued", "2016-06-17"),
                  _event("Leeds", "statutory_direction", "revoked", "2016-06-17")) == [
        ("statutory_direction", None, "2014-03", "2016-06-17", "ended", ["issued", "revoked"]),
        ("statutory_direction", None, "2016-06-17", None, "unknown", ["issued"]),
    ]


def test_a_recent_notice_without_an_end_is_active_an_old_one_unknown() -> None:
    recent = _spans(_event("Leeds", "improvement_notice", "issued", "2024-03"))
    old = _spans(_event("Leeds", "improvement_notice", "issued", "2014-03"),
                 _event("Leeds", "improvement_notice", "revised", "2015"))
    assert recent[0][4] == "active" and old[0][4] == "unknown"


def test_undated_events_join_the_span_they_belong_to() -> None:
    assert _spans(_event("Leeds", "improvement_notice", "issued", "2023-05"),
                  _event("Leeds", "improvement_notice", "lifted", None)) == [
        ("improvement_notice", None, "2023-05", None, "ended", ["issued", "lifted"])]
    assert _spans(_event("Leeds", "commissioner", "removed", "2022-08", person="A Person"),
                  _event("Leeds", "commissioner", "appointed", None, person="A Person")) == [
        ("commissioner", "A Person", None, "2022-08", "ended", ["removed", "appointed"])]


def test_people_are_apart_and_announcements_are_no_start() -> None:
    spans = _spans(_event("Leeds", "commissioner", "appointed", "2018-11", person="One"),
                   _event("Leeds", "commissioner", "removed", "2019-10", person="One"),
                   _event("Leeds", "commissioner", "appointed", "2019-10", person="Two"),
                   _event("Leeds", "childrens_trust", "announced", "2019-05", partner="T"))
    assert [(s[1], s[2], s[3], s[4]) for s in spans] == [
        ("T", None, None, "unknown"), ("One", "2018-11", "2019-10", "ended"),
        ("Two", "2019-10", None, "unknown")]


def test_a_later_trust_ends_the_one_before_and_an_abolished_council_ends_all() -> None:
    spans = _spans(_event("Slough", "childrens_trust", "established", "2015-10", partner="Old"),
                   _event("Slough", "childrens_trust", "established", "2021-04", partner="New"))
    assert [(s[1], s[3], s[4]) for s in spans] == [("New", None, "active"),
                                                   ("Old", "2021-04", "ended")]
    gone = _spans(_event("Northamptonshire", "statutory_direction", "issued", "2018-11"))
    assert gone[0][3:5] == ("2021-03-31", "ended")  # the county was split on 1 April 2021


def test_a_bad_line_names_the_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    good = {"la": "Leeds", "type": "improvement_notice", "action": "issued", "date": "2024",
            "source": SOURCE}
    for bad, field in [({"la": "Atlantis"}, "la"), ({"action": "paused"}, "action"),
                       ({"date": "May 2024"}, "date"), ({"source": ""}, "source")]:
        path.write_text(json.dumps(good) + "\n" + json.dumps(good | bad) + "\n", "utf-8")
        with pytest.raises(InterventionEventError, match=f"line 2: field '{field}'"):
            read_events(path)


@pytest.fixture(scope="module")
def shared_events() -> list[dict[str, Any]]:
    if not INTERVENTION_EVENTS.is_file():
        pytest.skip(f"SKIPPED LOUDLY: no events file at {INTERVENTION_EVENTS}")
    return [json.loads(line) for line in INTERVENTION_EVENTS.read_text("utf-8").splitlines()
            if line.strip()]


def test_every_shared_event_is_stored_once_with_its_source_and_quote(
        shared_events: list[dict[str, Any]], tmp_path: Path) -> None:
    conn = open_store(tmp_path / "ilacs.db")
    first = import_interventions(conn, INTERVENTION_EVENTS)
    again = import_interventions(conn, INTERVENTION_EVENTS)
    assert first.added > 0 and again.added == 0  # idempotent
    stored = conn.execute("SELECT e.action, e.date, e.source, e.quote, i.urn, i.type FROM "
                          "intervention_events e JOIN interventions i ON i.id = "
                          "e.intervention_id").fetchall()
    expected = {(e["action"], e["date"], e["source"], e["quote"], _urn(e["la"]), e["type"])
                for e in shared_events}
    assert {tuple(row) for row in stored} == expected
    assert len(stored) == len(shared_events)  # each event of the file, once
    undated = [row for row in stored if row[1] is None]
    assert undated  # an event without a date is kept, and says so on the page


def test_the_bundled_register_answers_who_is_under_a_direction(bundled_db: Path) -> None:
    conn = open_store(bundled_db)
    items = list_interventions(conn)
    active = {(item.la_name, item.type) for item in items if item.status == "active"}
    assert ("Halton", "statutory_direction") in active
    assert ("Birmingham", "childrens_trust") in active
    wight = [item for item in items if item.la_name == "Isle of Wight"
             and item.type == "statutory_direction"]
    # the curated entry and the events are one intervention, at the events' precision
    assert [(i.start_date, i.end_date, i.status, len(i.events)) for i in wight] == [
        ("2013-06", "2018-06", "ended", 2)]
    assert all(item.sources for item in items)
    # the bundle keeps events and addresses, never a source's sentences
    assert all(event.quote is None for item in items for event in item.events)


def test_ingest_and_build_give_the_same_register(bundled_db: Path, tmp_path: Path) -> None:
    def register(conn: sqlite3.Connection) -> list[str]:
        return sorted((json.dumps([i.urn, i.type, i.partner_name, i.person, i.start_date,
                                   i.end_date, i.status, len(i.events)])
                       for i in list_interventions(conn) if i.confirmed), key=str)

    db = tmp_path / "ingested.db"
    one_letter = next(LETTERS.rglob("*.pdf"))
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(one_letter)], obj={})
    assert result.exit_code == 0, result.output
    assert register(open_store(db)) == register(open_store(bundled_db))


def test_the_cli_answers_who_is_under_a_direction_today(bundled_db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(bundled_db), "interventions", "list",
                                      "--type", "statutory_direction", "--active", "--json"],
                                obj={})
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert listed and all(item["type"] == "statutory_direction" and item["status"] == "active"
                          for item in listed)
    assert {"Halton", "Bradford"} <= {item["la_name"] for item in listed}
    assert all(item["events"] and item["sources"] for item in listed)
