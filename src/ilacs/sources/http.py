"""A polite HTTP client for a public website: one request at a time, spaced out, retried.

- Every request names ilacs and its version in the User-Agent, so Ofsted can see who asks.
- Requests are at least `min_interval` seconds apart.
- 429 and 5xx answers, timeouts and dropped connections are retried with exponential
  backoff, waiting as long as a `Retry-After` header asks (capped at `max_wait`).
- Downloads go to `<name>.part` and are renamed only once complete; a body shorter than its
  Content-Length is retried, resuming with a Range request from what is already on disk, and
  a `.part` left by an interrupted run is resumed the same way next time.
- Bounded: every URL has a deadline (all its attempts, waits and bytes: a server dripping a
  byte at a time cannot hold a run), the client has an optional deadline for the whole run,
  a body over `max_bytes` is refused (by its Content-Length, or as it arrives) and never
  kept, and redirects are followed only to the requested host or `redirect_hosts`.

The clock and `sleep` are injectable so tests run without waiting.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import httpx

from ilacs import __version__
from ilacs.errors import IlacsError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Where Ofsted's, DfE's and GOV.UK's pages and files live: a redirect elsewhere is not
# followed, so a file from another host is never recorded as theirs.
OFFICIAL_HOSTS = frozenset({
    "reports.ofsted.gov.uk", "files.ofsted.gov.uk", "www.gov.uk",
    "assets.publishing.service.gov.uk", "explore-education-statistics.service.gov.uk",
    "api.education.gov.uk", "content.explore-education-statistics.service.gov.uk",
})
CHUNK_BYTES = 64 * 1024
_CONTENT_RANGE = re.compile(r"bytes\s+(?P<first>\d+)-(?P<last>\d+)/(?P<total>\d+|\*)")
T = TypeVar("T")


def default_user_agent() -> str:
    return (f"ilacs/{__version__} (+https://github.com/ilacs; open record of Ofsted "
            "children's services inspections)")


class FetchError(IlacsError):
    """A URL could not be fetched, even after retrying."""

    def __init__(self, url: str, message: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message, path=url)


class DeadlinePassed(FetchError):
    """The run's deadline passed: nothing more is fetched by this client."""


class TruncatedDownload(FetchError):
    """The server kept sending less than it announced; what arrived is kept as `.part`, and the
    next download of the same URL to the same place resumes from it."""


@dataclass(frozen=True)
class HttpSettings:
    min_interval: float = 1.0  # seconds between the starts of two requests
    timeout: float = 30.0  # seconds to connect, and between bytes received
    attempts: int = 5  # tries per URL, the first included
    backoff: float = 2.0  # seconds before the first retry; doubled before each next one
    max_wait: float = 120.0  # the longest wait before a retry, whatever Retry-After says
    user_agent: str = field(default_factory=default_user_agent)
    url_deadline: float = 600.0  # seconds one URL may take, its attempts and waits included
    run_deadline: float | None = None  # seconds this client may fetch for, in all
    max_bytes: int = 100 * 1024 * 1024  # the largest body accepted
    redirect_hosts: frozenset[str] = OFFICIAL_HOSTS  # besides the requested URL's own host
    max_redirects: int = 5

    def __post_init__(self) -> None:
        if self.min_interval < 0 or self.timeout <= 0 or self.attempts < 1 or self.backoff < 0 \
                or self.max_wait < 0 or self.url_deadline <= 0 or self.max_bytes < 1 \
                or (self.run_deadline is not None and self.run_deadline <= 0):
            raise ValueError(f"invalid HTTP settings: {self}")


@dataclass(frozen=True)
class FetchedFile:
    path: Path
    size: int
    sha256: str
    etag: str | None
    last_modified: str | None
    resumed: bool  # part of the file came from an earlier, interrupted attempt


class _Retry(Exception):
    """One attempt failed in a way worth trying again."""

    def __init__(self, reason: str, wait: float | None = None, truncated: bool = False) -> None:
        self.reason = reason
        self.wait = wait
        self.truncated = truncated
        super().__init__(reason)


class PoliteClient:
    def __init__(self, settings: HttpSettings | None = None, *,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings or HttpSettings()
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self.requests = 0  # requests sent, retries included
        self._started = clock()
        self._deadline = 0.0  # of the URL being fetched (a monotonic time)
        self._client = httpx.Client(
            headers={"User-Agent": self.settings.user_agent},
            timeout=self.settings.timeout,
            follow_redirects=False,  # followed by hand, within the allowed hosts
        )

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get_text(self, url: str) -> str:
        """The body of a page, decoded as the server says (UTF-8 if it does not)."""
        def read(response: httpx.Response) -> str:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                self._check_bounds(url, len(body))
            return bytes(body).decode(response.encoding or "utf-8", errors="replace")

        return self._with_retries(url, lambda: {}, read)

    def download(self, url: str, destination: Path) -> FetchedFile:
        """Fetch `url` into `destination`, through `<destination>.part`; raise FetchError (or
        TruncatedDownload, keeping the `.part` to resume from) if it cannot be completed."""
        part = destination.with_name(destination.name + ".part")
        part.parent.mkdir(parents=True, exist_ok=True)
        resumed = False

        def headers() -> dict[str, str]:
            have = part.stat().st_size if part.exists() else 0
            return {"Range": f"bytes={have}-"} if have else {}

        def save(response: httpx.Response) -> httpx.Response:
            nonlocal resumed
            try:
                resumed = _write_body(response, part,
                                      lambda size: self._check_bounds(url, size)) or resumed
            except FetchError:
                part.unlink(missing_ok=True)  # over the cap or the deadline: never kept
                raise
            return response

        response = self._with_retries(url, headers, save)
        digest = hashlib.sha256()
        with part.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
        size = part.stat().st_size
        os.replace(part, destination)
        return FetchedFile(destination, size, digest.hexdigest(), response.headers.get("ETag"),
                           response.headers.get("Last-Modified"), resumed)

    def _with_retries(self, url: str, headers: Callable[[], dict[str, str]],
                      handle: Callable[[httpx.Response], T]) -> T:
        reason = ""
        truncated = False
        status: int | None = None
        self._deadline = self._url_deadline(url)
        for attempt in range(1, self.settings.attempts + 1):
            self._wait_turn()
            status, truncated = None, False
            sent = headers()
            try:
                with self._open(url, sent) as response:
                    status = response.status_code
                    if status in RETRY_STATUSES:
                        raise _Retry(f"the server answered HTTP {status}",
                                     retry_after(response.headers.get("Retry-After")))
                    if status >= 400 and not (status == 416 and "Range" in sent):
                        raise FetchError(url, f"the server answered HTTP {status} "
                                              f"{response.reason_phrase}; check the URL", status)
                    declared = _int_or_none(response.headers.get("Content-Length"))
                    if declared is not None and declared > self.settings.max_bytes:
                        raise FetchError(url, f"the server announces {declared:,} bytes, over "
                                              f"the cap of {self.settings.max_bytes:,}; not "
                                              "fetched", status)
                    return handle(response)
            except httpx.TimeoutException:
                reason = f"timed out (no answer within {self.settings.timeout:g} s)"
            except httpx.TransportError as error:
                reason = f"the connection failed ({error})"
            except _Retry as retry:
                reason, truncated = retry.reason, retry.truncated
                if retry.wait is not None and attempt < self.settings.attempts:
                    self._pause(url, min(retry.wait, self.settings.max_wait))
                    continue
            if attempt < self.settings.attempts:
                self._pause(url, min(self.settings.backoff * 2 ** (attempt - 1),
                                     self.settings.max_wait))
        failure = TruncatedDownload if truncated else FetchError
        raise failure(url, f"gave up after {self.settings.attempts} attempts: {reason}. "
                           "Try again later, or with a longer --rate.", status)

    @contextmanager
    def _open(self, url: str, headers: dict[str, str]) -> Iterator[httpx.Response]:
        """The response to GET `url`, redirects followed within the allowed hosts, with a
        timeout that never runs past the URL's deadline."""
        target = httpx.URL(url)
        allowed = {target.host, *self.settings.redirect_hosts}
        for _ in range(self.settings.max_redirects + 1):
            remaining = self._deadline - self._clock()
            request = self._client.build_request(
                "GET", target, headers=headers,
                timeout=max(0.001, min(self.settings.timeout, remaining)))
            response = self._client.send(request, stream=True)
            if not response.is_redirect:
                try:
                    yield response
                finally:
                    response.close()
                return
            location = response.headers.get("Location", "")
            response.close()
            target = response.url.join(location)
            if target.host not in allowed:
                raise FetchError(url, f"the server redirects to {target.host}, which is not "
                                      f"{httpx.URL(url).host} or an official host; not followed",
                                 response.status_code)
            self.requests += 1
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    @property
    def deadline_passed(self) -> bool:
        """True once the run's deadline has passed: nothing more will be fetched."""
        return self.settings.run_deadline is not None and \
            self._clock() >= self._started + self.settings.run_deadline

    def _url_deadline(self, url: str) -> float:
        now = self._clock()
        deadline = now + self.settings.url_deadline
        if self.settings.run_deadline is not None:
            run_ends = self._started + self.settings.run_deadline
            if now >= run_ends:
                raise DeadlinePassed(url, f"the run's deadline of {self.settings.run_deadline:g} "
                                          "s passed before this URL; not fetched")
            deadline = min(deadline, run_ends)
        return deadline

    def _check_bounds(self, url: str, size: int) -> None:
        """Called as bytes arrive: over the size cap or past the deadline ends the fetch."""
        if size > self.settings.max_bytes:
            raise FetchError(url, f"the body passed the cap of {self.settings.max_bytes:,} "
                                  "bytes; not kept")
        if self._clock() > self._deadline:
            raise FetchError(url, f"not complete within its deadline of "
                                  f"{self.settings.url_deadline:g} s (or the run's): the "
                                  "server sends too slowly; not kept")

    def _pause(self, url: str, seconds: float) -> None:
        if self._clock() + seconds > self._deadline:
            raise FetchError(url, f"its deadline of {self.settings.url_deadline:g} s (or the "
                                  "run's) would pass before the next attempt; given up")
        self._sleep(seconds)

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            wait = self._last_request + self.settings.min_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()
        self.requests += 1


def _write_body(response: httpx.Response, part: Path, check: Callable[[int], None]) -> bool:
    """Append a 206 to what is on disk, or start again on a 200; raise _Retry if the body
    stops short of the announced length (the bytes that arrived are kept). True if appended."""
    have = part.stat().st_size if part.exists() else 0
    expected: int | None = None
    if response.status_code == 416:  # what is on disk is not a prefix of the file: start again
        part.unlink(missing_ok=True)
        raise _Retry("the server could not resume from the partial download", 0)
    if response.status_code == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if match is None or int(match.group("first")) != have:
            part.unlink(missing_ok=True)  # not the range asked for: start again
            raise _Retry("the server sent an unexpected range", 0)
        if match.group("total") != "*":
            expected = int(match.group("total"))
        mode = "ab"
    else:
        expected = _int_or_none(response.headers.get("Content-Length"))
        mode = "wb"
    if response.headers.get("Content-Encoding", "identity") != "identity":
        expected = None  # Content-Length counts the compressed bytes
    try:
        with part.open(mode) as handle:
            for chunk in response.iter_bytes():  # no chunk size: write what arrives at once
                handle.write(chunk)
                check(handle.tell())
    except httpx.TransportError as error:
        raise _Retry(f"the download was truncated ({error}); "
                     f"{part.stat().st_size} bytes kept to resume", truncated=True) from error
    size = part.stat().st_size
    if expected is not None and size != expected:
        raise _Retry(f"the download was truncated: {size} of {expected} bytes arrived",
                     truncated=True)
    return mode == "ab"


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text is not None and text.strip().isdigit() else None
