"""The dashboard's writes: off unless a token is configured, and only with that token.

One write exists: confirming an intervention that news claims suggested. The API takes the
token as a bearer header, the LA page's form as a typed field; both end here.
"""

from __future__ import annotations

import hmac
from typing import Any

from ilacs.store.interventions import confirm_intervention
from ilacs.store.settle import settle
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
