"""The pre-inspection pack: every part equals what the analyses give for the authority (the
CLI's `analyse recurrence`, `peers`, `due` and `backtest`), over the real record and a real
server."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from ilacs.analysis.praise import neighbours_praise
from ilacs.analysis.schedule import backtest
from ilacs.analysis.themes import peer_themes, recurrences
from ilacs.extract.models import Grade
from ilacs.web.snapshot import Snapshot, load_snapshot

WIGHT = 80419


@pytest.fixture(scope="module")
def snapshot(corpus_db: Path) -> Snapshot:
    conn = sqlite3.connect(f"{corpus_db.resolve().as_uri()}?mode=ro", uri=True,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return load_snapshot(conn, "test-pack")


@pytest.fixture(scope="module")
def pack(client: httpx.Client) -> dict[str, Any]:
    response = client.get(f"/la/{WIGHT}/pack.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def test_the_history_is_every_full_inspection_oldest_first(pack: dict[str, Any],
                                                           snapshot: Snapshot) -> None:
    inspections = snapshot.record.inspections_by_urn[WIGHT]
    assert [row["date"] for row in pack["history"]["rows"]] == [
        row.date.isoformat() if row.date else None for row in inspections]
    assert len(pack["history"]["rows"]) >= 3
    for row in pack["history"]["rows"]:
        assert [cell["judgement"] for cell in row["grades"]] == [
            option["value"] for option in pack["judgements"]]
        assert row["source"]["url"].endswith("#page=1")


def test_the_next_window_and_how_often_its_rule_held(pack: dict[str, Any],
                                                     snapshot: Snapshot) -> None:
    due = snapshot.due[WIGHT]
    assert (pack["next_inspection"]["opens"], pack["next_inspection"]["closes"]) == (
        due.opens.isoformat(), due.closes.isoformat())
    cases = [case for case in backtest(snapshot.record).cases if case.rule.key == due.rule.key]
    observed = [case for case in cases if case.outcome in ("inside", "early", "late")]
    rate = pack["hit_rate"]
    assert rate["rule"] == due.rule.key and rate["observed"] == len(observed) > 0
    inside = sum(case.outcome == "inside" for case in observed)
    assert rate["inside_percent"] == round(100 * inside / len(observed), 1)
    assert rate["early"] == sum(case.outcome == "early" for case in observed)


def test_themes_raised_more_than_once_with_their_points(pack: dict[str, Any],
                                                        snapshot: Snapshot) -> None:
    found = recurrences(snapshot.record, snapshot.themed, WIGHT)
    assert {(theme["theme"], theme["events"]) for theme in pack["recurring"]} == {
        (r.theme, len(r.occurrences)) for r in found}
    assert pack["recurring"], "the Isle of Wight has themes raised at several inspections"
    for theme in pack["recurring"]:
        dates = {point["date"] for point in theme["points"]}
        assert len(dates) >= 2 and len(theme["points"]) >= theme["events"]
        assert all(point["text"] and point["source"]["url"] for point in theme["points"])
        assert [p["date"] for p in theme["points"]] == sorted(
            (p["date"] for p in theme["points"]), reverse=True)


def test_what_the_neighbours_were_asked_in_the_last_three_years(pack: dict[str, Any],
                                                                snapshot: Snapshot) -> None:
    found = peer_themes(snapshot.record, snapshot.themed, WIGHT, "2025", 3, examples=2)
    assert pack["peers_since"] == found.since.isoformat()
    assert [(t["theme"], t["events"], t["authorities"]) for t in pack["peer_themes"]] == [
        (c.theme, c.events, c.authorities) for c in found.counts[:len(pack["peer_themes"])]]
    peers = set(found.peers)
    for theme in pack["peer_themes"]:
        for point in theme["points"]:
            assert point["authority"]["urn"] in peers and point["date"] >= pack["peers_since"]


def test_praised_neighbours_and_what_they_were_praised_for(pack: dict[str, Any],
                                                          snapshot: Snapshot) -> None:
    found = neighbours_praise(snapshot.record, WIGHT, "2025")
    assert [(row["authority"]["urn"], row["grade"], row["strengths"]) for row in
            pack["praised"]] == [(n.urn, n.grade.value, len(n.strengths))
                                 for n in found.neighbours]
    assert pack["praised"], "the Isle of Wight has neighbours judged good or outstanding"
    # the neighbours' latest inspections, each good or outstanding overall
    for neighbour in found.neighbours:
        latest = snapshot.record.latest_inspection(neighbour.urn)
        assert latest is neighbour.inspection
        assert latest.grade_of("overall_effectiveness") in (Grade.GOOD, Grade.OUTSTANDING)
    assert [(t["theme"], t["authorities"]) for t in pack["praised_themes"]] == [
        (t.theme, len(t.authorities)) for t in found.themes[:8]]
    praised = {row["authority"]["urn"] for row in pack["praised"]}
    for theme in pack["praised_themes"]:
        urns = [example["authority"]["urn"] for example in theme["examples"]]
        assert len(urns) == len(set(urns)) and set(urns) <= praised
        assert all(example["text"] and example["source"]["url"] for example in
                   theme["examples"])


def test_the_pack_page_shows_what_neighbours_were_praised_for(client: httpx.Client,
                                                              pack: dict[str, Any]) -> None:
    page = client.get(f"/la/{WIGHT}/pack").text
    assert "What neighbours judged good or outstanding were praised for" in page
    first = pack["praised_themes"][0]
    assert first["name"] in page and first["examples"][0]["source"]["url"] in page


def test_the_pack_prints_its_address_and_links_from_the_authority_page(
        client: httpx.Client) -> None:
    page = client.get(f"/la/{WIGHT}/pack").text
    assert f'href="/la/{WIGHT}/pack"' in page and "Pre-inspection pack" in page
    assert f'href="/la/{WIGHT}/pack"' in client.get(f"/la/{WIGHT}").text
    assert client.get("/la/1/pack").status_code == 404


def test_the_bundled_record_shows_the_same_praise_without_words(
        bundled_web: str, pack: dict[str, Any]) -> None:
    """The bundle ships each strength's source, page and themes, so `make run` counts what
    neighbours were praised for as a record that read every report does."""
    with httpx.Client(base_url=bundled_web, timeout=60) as bundled:
        shipped = bundled.get(f"/la/{WIGHT}/pack.json").json()
    assert shipped["praised"] == pack["praised"]
    assert [(t["theme"], t["authorities"]) for t in shipped["praised_themes"]] == [
        (t["theme"], t["authorities"]) for t in pack["praised_themes"]]
    for theme, full in zip(shipped["praised_themes"], pack["praised_themes"], strict=True):
        assert [(e["authority"], e["date"], e["source"]["page"]) for e in theme["examples"]] \
            == [(e["authority"], e["date"], e["source"]["page"]) for e in full["examples"]]
        assert all(e["text"] == "" and not e["text_held"] for e in theme["examples"])
