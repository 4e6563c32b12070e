"""The dashboard's writes: off unless a token is configured, and only with that token.

One write exists: confirming an intervention that news claims suggested. The API takes the
token as a bearer header, the LA page's form as a typed field; both end here.
"""

from __future__ import annotations

import hmac
from typing import Any

from ilacs.ingest.settle import settle
from ilacs.store.interventions import confirm_intervention
from ilacs.web.settings import WebSettings
from ilacs.web.snapshot import SnapshotSource

READ_ONLY = ("this dashboard is read-only; set $ILACS_WRITE_TOKEN before `ilacs serve` to "
             "allow confirming interventions")


def refusal(settings: WebSettings, given: str, how: str) -> tuple[int, str] | None:
    """(HTTP status, why) when a write with the `given` token may not go ahead; `how` says
    how this caller should send the token."""
    if settings.write_token is None:
        return 403, READ_ONLY
    if not hmac.compare_digest(given.encode(), settings.write_token.encode()):
        return 401, how
    return None


FORM_TYPE = "application/x-www-form-urlencoded"


def form_refusal(content_type: str, origin: str | None, fetch_site: str | None,
                 own_origin: str) -> tuple[int, str] | None:
    """(403, why) when the form's post may come from another site: browsers send any site's
    `text/plain` form without asking, and say where it came from in `Origin` and
    `Sec-Fetch-Site`. The API needs no such check: its bearer header makes a browser ask
    first, and ilacs answers no other site."""
    if content_type.split(";", 1)[0].strip().lower() != FORM_TYPE:
        return 403, f"a write is sent as the LA page's form sends it ({FORM_TYPE})"
    if (origin is not None and origin != own_origin) or fetch_site == "cross-site":
        return 403, "writes are taken only from this dashboard's own pages"
    return None


def confirm_and_settle(source: SnapshotSource, intervention_id: int) -> dict[str, Any]:
    """Confirm the intervention, then settle the record so the change log has it; the next
    page served shows it."""
    conn = source.writable_connection()
    try:
        confirmed = confirm_intervention(conn, intervention_id).as_dict()
        settle(conn)
        return confirmed
    finally:
        conn.close()
        source.refresh()  # even if settling failed: the confirmation itself was written
