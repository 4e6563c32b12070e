"""After any write, bring what is derived from the facts into step with them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ilacs.ingest.changes import record_changes
from ilacs.ingest.claims import link_claims
from ilacs.store.search import compact_search_index


@dataclass(frozen=True)
class Settled:
    contradictions: int  # news claims the record now contradicts
    changes: int  # entries added to the change log


def settle(conn: sqlite3.Connection) -> Settled:
    """Link news claims to the record as it now stands (a report ingested after the article
    that reported it still confirms or contradicts it), log what changed, and merge the
    search index if the writes split it."""
    compact_search_index(conn)
    contradictions = link_claims(conn)
    return Settled(contradictions, record_changes(conn))
