"""ilacs.sources.http: the polite client, against the fake server and its faults."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from fake_ofsted import (
    FakeOfsted,
    FakeProvider,
    FakePublication,
    FakeServer,
    Fault,
    text_pdf,
)
from ilacs import __version__
from ilacs.sources.http import (
    DeadlinePassed,
    FetchError,
    HttpSettings,
    PoliteClient,
    TruncatedDownload,
    retry_after,
)

BODY = text_pdf([f"Line {n} of a test document" for n in range(40)])
FILE = "/v1/file/42"
PAGE = "/provider/44/80419"


class Sleeps:
    """Records the waits asked for instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def site(server: FakeServer) -> FakeOfsted:
    return server.install(FakeOfsted([FakeProvider(80419, "Isle of Wight", [
        FakePublication("42", "Children's services inspection", "Report", BODY, None)])]))


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def polite(sleeps: Sleeps, **settings: float) -> PoliteClient:
    chosen: dict[str, float] = {"min_interval": 0, "timeout": 2, "attempts": 3, "backoff": 1,
                                "max_wait": 10, **settings}
    return PoliteClient(HttpSettings(**chosen), sleep=sleeps)  # type: ignore[arg-type]


def test_every_request_names_ilacs_and_its_version(server: FakeServer, site: FakeOfsted,
                                                   sleeps: Sleeps) -> None:
    with polite(sleeps) as client:
        client.get_text(server.base_url + PAGE)
    agent = site.requests_to(PAGE)[0].headers["User-Agent"]
    assert agent.startswith(f"ilacs/{__version__} (+https://github.com/ilacs;")


def test_a_server_error_is_retried_after_a_backoff(server: FakeServer, site: FakeOfsted,
                                                   sleeps: Sleeps) -> None:
    site.add_faults(PAGE, Fault.SERVER_ERROR, Fault.SERVER_ERROR)
    with polite(sleeps, backoff=0.5) as client:
        text = client.get_text(server.base_url + PAGE)
    assert "publication-link" in text
    assert len(site.requests_to(PAGE)) == 3
    assert sleeps.waits == [0.5, 1.0]  # exponential: doubled each time


def test_429_waits_as_long_as_retry_after_says(server: FakeServer, site: FakeOfsted,
                                               sleeps: Sleeps) -> None:
    site.retry_after = "7"
    site.add_faults(PAGE, Fault.TOO_MANY_REQUESTS)
    with polite(sleeps) as client:
        client.get_text(server.base_url + PAGE)
    assert sleeps.waits == [7.0]
    assert len(site.requests_to(PAGE)) == 2


def test_retry_after_is_capped(server: FakeServer, site: FakeOfsted, sleeps: Sleeps) -> None:
    site.retry_after = "86400"
    site.add_faults(PAGE, Fault.TOO_MANY_REQUESTS)
    with polite(sleeps, max_wait=3) as client:
        client.get_text(server.base_url + PAGE)
    assert sleeps.waits == [3.0]


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after("120") == 120
    assert retry_after("soon") is None and retry_after(None) is None


def test_a_timeout_is_retried(server: FakeServer, site: FakeOfsted, sleeps: Sleeps) -> None:
    site.slow_seconds = 0.6
    site.add_faults(PAGE, Fault.SLOW)
    with polite(sleeps, timeout=0.2) as client:
        text = client.get_text(server.base_url + PAGE)
    assert "Isle of Wight" in text
    assert len(site.requests_to(PAGE)) == 2


def test_giving_up_names_the_url_and_the_last_reason(server: FakeServer, site: FakeOfsted,
                                                     sleeps: Sleeps) -> None:
    site.slow_seconds = 0.4
    site.add_faults(PAGE, Fault.SLOW, Fault.SLOW)
    with polite(sleeps, timeout=0.2, attempts=2) as client, \
            pytest.raises(FetchError) as raised:
        client.get_text(server.base_url + PAGE)
    assert str(raised.value).startswith(f"{server.base_url}{PAGE}: gave up after 2 attempts")
    assert "timed out" in str(raised.value)


def test_not_found_is_not_retried(server: FakeServer, site: FakeOfsted, sleeps: Sleeps) -> None:
    with polite(sleeps) as client, pytest.raises(FetchError) as raised:
        client.get_text(server.base_url + "/provider/44/99999")
    assert raised.value.status == 404
    assert len(site.requests_to("/provider/44/99999")) == 1 and sleeps.waits == []


def test_requests_are_spaced_by_the_rate_limit(server: FakeServer, site: FakeOfsted,
                                               sleeps: Sleeps) -> None:
    with polite(sleeps, min_interval=5) as client:
        client.get_text(server.base_url + PAGE)
        client.get_text(server.base_url + PAGE)
    assert len(sleeps.waits) == 1 and 4 < sleeps.waits[0] <= 5


def test_download_goes_through_part_and_reports_hash_and_validators(
        server: FakeServer, site: FakeOfsted, sleeps: Sleeps, tmp_path: Path) -> None:
    target = tmp_path / "80419_isle-of-wight" / "report - 01 may 2024.pdf"
    with polite(sleeps) as client:
        fetched = client.download(server.base_url + FILE, target)
    assert target.read_bytes() == BODY
    assert not target.with_name(target.name + ".part").exists()
    assert fetched.sha256 == hashlib.sha256(BODY).hexdigest() and fetched.size == len(BODY)
    assert fetched.etag and fetched.last_modified and not fetched.resumed


def test_a_truncated_download_is_retried_from_where_it_stopped(
        server: FakeServer, site: FakeOfsted, sleeps: Sleeps, tmp_path: Path) -> None:
    site.add_faults(FILE, Fault.TRUNCATE)
    target = tmp_path / "report.pdf"
    with polite(sleeps) as client:
        fetched = client.download(server.base_url + FILE, target)
    assert target.read_bytes() == BODY and fetched.sha256 == hashlib.sha256(BODY).hexdigest()
    first, second = site.requests_to(FILE)
    assert "Range" not in first.headers
    assert second.headers["Range"] == f"bytes={len(BODY) // 2}-"


def test_an_interrupted_download_keeps_only_a_part_file_and_resumes_next_time(
        server: FakeServer, site: FakeOfsted, sleeps: Sleeps, tmp_path: Path) -> None:
    site.add_faults(FILE, *[Fault.TRUNCATE] * 2)
    target = tmp_path / "report.pdf"
    part = tmp_path / "report.pdf.part"
    with polite(sleeps, attempts=2) as client, pytest.raises(TruncatedDownload) as raised:
        client.download(server.base_url + FILE, target)
    assert "truncated" in str(raised.value) and FILE in str(raised.value)
    assert not target.exists()
    kept = part.stat().st_size
    assert 0 < kept < len(BODY)
    with polite(sleeps) as client:
        fetched = client.download(server.base_url + FILE, target)
    assert fetched.resumed and target.read_bytes() == BODY and not part.exists()
    assert site.requests_to(FILE)[-1].headers["Range"] == f"bytes={kept}-"


def test_a_part_file_that_cannot_be_resumed_is_started_again(
        server: FakeServer, site: FakeOfsted, sleeps: Sleeps, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    (tmp_path / "report.pdf.part").write_bytes(b"x" * (len(BODY) + 10))  # longer than the file
    with polite(sleeps) as client:
        client.download(server.base_url + FILE, target)
    assert target.read_bytes() == BODY
    assert [seen.headers.get("Range") for seen in site.requests_to(FILE)] == [
        f"bytes={len(BODY) + 10}-", None]


def test_the_client_really_waits_by_default(server: FakeServer, site: FakeOfsted) -> None:
    with PoliteClient(HttpSettings(min_interval=0.15)) as client:
        started = time.monotonic()
        client.get_text(server.base_url + PAGE)
        client.get_text(server.base_url + PAGE)
    assert time.monotonic() - started >= 0.15


# -- bounds: a deadline per URL and per run, a size cap, redirects within allowed hosts ----


def test_a_dripping_server_is_given_up_at_the_url_deadline(site: FakeOfsted, server: FakeServer,
                                                           tmp_path: Path) -> None:
    site.drip_seconds = 0.2  # a byte every 0.2 s: no single read ever times out
    site.add_faults(FILE, Fault.DRIP)
    target = tmp_path / "report.pdf"
    started = time.monotonic()
    with PoliteClient(HttpSettings(min_interval=0, timeout=5, attempts=3, backoff=0,
                                   url_deadline=1.5)) as http, \
            pytest.raises(FetchError, match="deadline of 1.5 s") as raised:
        http.download(server.base_url + FILE, target)
    assert time.monotonic() - started < 4  # the deadline, not 1000 bytes × 0.2 s
    assert not isinstance(raised.value, TruncatedDownload)
    assert not target.exists() and not target.with_name("report.pdf.part").exists()


def test_the_run_deadline_stops_every_later_fetch(site: FakeOfsted, server: FakeServer,
                                                  tmp_path: Path) -> None:
    clock = [100.0]
    with PoliteClient(HttpSettings(min_interval=0, run_deadline=60), sleep=Sleeps(),
                      clock=lambda: clock[0]) as http:
        assert http.get_text(server.base_url + PAGE)
        clock[0] += 61
        with pytest.raises(DeadlinePassed, match="run's deadline of 60 s"):
            http.download(server.base_url + FILE, tmp_path / "late.pdf")
    assert not (tmp_path / "late.pdf").exists()


def test_a_body_over_the_cap_is_refused_and_never_kept(site: FakeOfsted, server: FakeServer,
                                                       tmp_path: Path) -> None:
    site.huge_bytes = 8 * 1024 * 1024
    site.add_faults(FILE, Fault.HUGE)
    target = tmp_path / "huge.pdf"
    with PoliteClient(HttpSettings(min_interval=0, max_bytes=1024 * 1024)) as http, \
            pytest.raises(FetchError, match="announces 8,388,608 bytes, over the cap"):
        http.download(server.base_url + FILE, target)
    assert not target.exists() and not target.with_name("huge.pdf.part").exists()
    # A page is capped as it arrives as well (the fault answers once; then the real file).
    with PoliteClient(HttpSettings(min_interval=0, max_bytes=len(BODY) - 1)) as http, \
            pytest.raises(FetchError, match="cap"):
        http.get_text(server.base_url + FILE)


def test_redirects_are_followed_only_within_the_allowed_hosts(
        site: FakeOfsted, server: FakeServer, tmp_path: Path) -> None:
    site.add_faults(FILE, Fault.REDIRECT_AWAY)  # to the same path on "localhost"
    target = tmp_path / "away.pdf"
    with PoliteClient(HttpSettings(min_interval=0)) as http, \
            pytest.raises(FetchError, match="redirects to localhost.*not followed"):
        http.download(server.base_url + FILE, target)
    assert not target.exists()
    assert len(site.requests_to(FILE)) == 1  # the other host was never asked
    # Where that host is allowed, the redirect is followed and the file is the one served.
    site.add_faults(FILE, Fault.REDIRECT_AWAY)
    with PoliteClient(HttpSettings(min_interval=0,
                                   redirect_hosts=frozenset({"localhost"}))) as http:
        fetched = http.download(server.base_url + FILE, target)
    assert fetched.sha256 == hashlib.sha256(BODY).hexdigest()
    assert len(site.requests_to(FILE)) == 3
