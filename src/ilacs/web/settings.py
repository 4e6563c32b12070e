"""How the web app is configured: the database, where source documents live, the write token.

Read once at start-up and validated then, so a bad setting fails with a sentence before the
server listens, never on the first request.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ilacs.errors import IlacsError

WRITE_TOKEN_ENV_VAR = "ILACS_WRITE_TOKEN"
DOCUMENTS_ENV_VAR = "ILACS_DOCUMENTS"
BASE_URL_ENV_VAR = "ILACS_BASE_URL"
MIN_TOKEN_LENGTH = 16


class ConfigurationError(IlacsError):
    """A web setting that cannot be used; the message says which and what to do."""


@dataclass(frozen=True)
class WebSettings:
    db_path: Path
    # Folders where documents of the bundled record (or moved files) can be found by their
    # display path; each file is served only if its bytes still match the stored sha256.
    document_roots: tuple[Path, ...] = ()
    # None: the app is read-only. Writing (confirming an intervention) needs this token.
    write_token: str | None = None
    # Pages rendered for `ilacs publish`: they say what needs a server instead of offering it.
    static_copy: bool = False
    feed: bool = True  # the Atom feed exists (a static copy has one only with --base-url)
    # The public address the feed's ids and links start with ("https://ilacs.example.org");
    # None: the address the server listens on. Never the request's Host header.
    base_url: str | None = None
    # Make every export file once the main pages are warm, so /downloads gives each file's
    # size (about 15 s of one core per change of a record with statistics, in a child
    # process; `ilacs serve` does, tests' servers need not).
    prepare_downloads: bool = False
    # Pre-render the main pages whenever the record changes (`ilacs serve` does; a test's
    # server that checks one behaviour need not spend a core on 300-odd pages meanwhile).
    warm: bool = True

    @property
    def writable(self) -> bool:
        return self.write_token is not None


def settings_from_environment(db_path: Path, document_roots: Sequence[Path] = (),
                              base_url: str | None = None,
                              prepare_downloads: bool = False) -> WebSettings:
    """Settings from the arguments and the environment ($ILACS_WRITE_TOKEN, $ILACS_DOCUMENTS,
    $ILACS_BASE_URL)."""
    token = os.environ.get(WRITE_TOKEN_ENV_VAR) or None
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigurationError(
            f"${WRITE_TOKEN_ENV_VAR} is set but shorter than {MIN_TOKEN_LENGTH} characters; use "
            "a long random value (python -c 'import secrets; print(secrets.token_urlsafe())') "
            "or unset it to keep the dashboard read-only")
    roots = [*document_roots]
    roots += [Path(p) for p in os.environ.get(DOCUMENTS_ENV_VAR, "").split(os.pathsep) if p]
    base = base_url or os.environ.get(BASE_URL_ENV_VAR) or None
    if base is not None and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", base):
        raise ConfigurationError(
            f"the base URL {base!r} is not an http(s) address such as "
            "https://ilacs.example.org; the feed's links start with it")
    return WebSettings(db_path=db_path, document_roots=tuple(roots), write_token=token,
                       base_url=base.rstrip("/") if base else None,
                       prepare_downloads=prepare_downloads)
