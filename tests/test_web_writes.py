"""Writing through the dashboard: off unless a token is configured, and only with that token.

A copy of the full record, with the news articles in ../shared ingested so that it holds
interventions the news suggested, is served with a write token; suggestions are confirmed
through the API and through the LA page's form, and the change log must say so.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import WRITE_TOKEN as TOKEN
from conftest import suggested
from ilacs.web import WebSettings
from ilacs.web.snapshot import SnapshotSource
from ilacs.web.warm import WARM_CHECK_SECONDS
from ilacs.web.writes import confirm_and_settle
from web_server import running_server


@pytest.fixture(scope="module")
def writable(writable_db: Path) -> Iterator[httpx.Client]:
    with running_server(WebSettings(writable_db, write_token=TOKEN, warm=False)) as url, \
            httpx.Client(base_url=url, timeout=60) as client:
        yield client


def test_the_record_holds_suggestions_to_confirm(writable_db: Path) -> None:
    assert len(suggested(writable_db)) >= 2


def test_a_server_told_not_to_warm_renders_nothing_before_it_is_asked(
        writable: httpx.Client) -> None:
    time.sleep(WARM_CHECK_SECONDS + 0.5)  # a warming server would have begun by now
    assert writable.get("/status.json").json()["warm"] is False


def test_without_a_token_suggestions_show_no_form_and_writes_are_refused(
        writable_db: Path) -> None:
    intervention, urn = suggested(writable_db)[0]
    with running_server(WebSettings(writable_db, warm=False)) as url, \
            httpx.Client(base_url=url, timeout=60) as read_only:
        timeline = read_only.get(f"/la/{urn}.json").json()["timeline"]
        assert intervention in [event["unconfirmed_intervention"] for event in timeline]
        assert "/confirm" not in read_only.get(f"/la/{urn}").text
        for refused in [read_only.post(f"/interventions/{intervention}/confirm",
                                       data={"token": TOKEN}),
                        read_only.post(f"/api/interventions/{intervention}/confirm",
                                       headers={"Authorization": f"Bearer {TOKEN}"})]:
            assert refused.status_code == 403 and "ILACS_WRITE_TOKEN" in refused.text
    assert (intervention, urn) in suggested(writable_db)


def test_the_api_confirms_only_with_the_token_and_logs_the_change(
        writable: httpx.Client, writable_db: Path) -> None:
    intervention, urn = suggested(writable_db)[0]
    url = f"/api/interventions/{intervention}/confirm"
    for headers in [{}, {"Authorization": "Bearer not-the-token"}]:
        refused = writable.post(url, headers=headers)
        assert refused.status_code == 401 and "Bearer" in refused.json()["error"]
    assert (intervention, urn) in suggested(writable_db)
    done = writable.post(url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert done.status_code == 200, done.text
    assert done.json()["intervention"]["confirmed"] is True
    assert (intervention, urn) not in suggested(writable_db)
    timeline = writable.get(f"/la/{urn}.json").json()["timeline"]
    assert intervention not in [event["unconfirmed_intervention"] for event in timeline]
    changes = writable.get("/changes.json", params={"la": urn}).json()["changes"]
    assert changes[0]["title"].endswith(" confirmed"), changes[:3]
    for number in (999999, 2**63, 10**30):  # past SQLite's integers: not found, never a 500
        missing = writable.post(f"/api/interventions/{number}/confirm",
                                headers={"Authorization": f"Bearer {TOKEN}"})
        assert missing.status_code == 404, number


def test_the_la_page_form_confirms_a_suggestion(writable: httpx.Client,
                                               writable_db: Path) -> None:
    intervention, urn = suggested(writable_db)[-1]
    page = writable.get(f"/la/{urn}").text
    action = f"/interventions/{intervention}/confirm"
    assert f'action="{action}"' in page
    assert re.search(rf'<label[^>]*for="token-{intervention}"', page)
    wrong = writable.post(action, data={"token": "guess"})
    assert wrong.status_code == 401 and "not this server&#39;s write token" in wrong.text
    assert (intervention, urn) in suggested(writable_db)
    done = writable.post(action, data={"token": TOKEN}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/la/{urn}#timeline"
    assert (intervention, urn) not in suggested(writable_db)
    assert f'action="{action}"' not in writable.get(f"/la/{urn}").text


def test_a_form_post_from_another_site_is_refused_even_with_the_token(
        writable_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ilacs.db"  # its own suggestions: other tests confirm the shared ones
    with sqlite3.connect(writable_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    intervention, urn = suggested(copy)[0]
    action = f"/interventions/{intervention}/confirm"
    with running_server(WebSettings(copy, write_token=TOKEN, warm=False)) as url, \
            httpx.Client(base_url=url, timeout=60) as client:
        for content, headers in [
            (f"token={TOKEN}", {"Content-Type": "text/plain"}),  # a form any site can send
            (f"token={TOKEN}", {"Content-Type": "application/x-www-form-urlencoded",
                                "Origin": "http://evil.example"}),
            (f"token={TOKEN}", {"Content-Type": "application/x-www-form-urlencoded",
                                "Sec-Fetch-Site": "cross-site"}),
        ]:
            refused = client.post(action, content=content, headers=headers)
            assert refused.status_code == 403, headers
        assert (intervention, urn) in suggested(copy)
        done = client.post(action, data={"token": TOKEN}, headers={"Origin": url},
                           follow_redirects=False)  # as a browser on the LA page sends it
        assert done.status_code == 303, done.text
    assert (intervention, urn) not in suggested(copy)


def test_a_write_through_the_dashboard_shows_on_the_next_page_at_once(
        writable_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ilacs.db"
    with sqlite3.connect(writable_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    intervention, _ = suggested(copy)[0]
    # The file is looked at once an hour here: only the write's own refresh can show it.
    snapshots = SnapshotSource(copy, check_every=3600)
    before = snapshots.current()
    assert not next(i for i in before.interventions if i.id == intervention).confirmed
    confirm_and_settle(snapshots, intervention)
    after = snapshots.current()
    assert after is not before
    assert next(i for i in after.interventions if i.id == intervention).confirmed
