"""Operations on the record that the CLI and the web share: keeping the authorities table in
step with the register, loading the bundled record, an authority's timeline and story."""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from importlib import resources
from typing import Any

from ilacs.analysis.story import Story, press_claims, story_events
from ilacs.errors import IlacsError
from ilacs.ingest.settle import settle
from ilacs.reference import Authority, UnknownAuthority, load_register
from ilacs.store import BundleLoad, InspectionRow, inspections_for, load_bundle, sync_authorities
from ilacs.store.bundle import load_bundled_interventions
from ilacs.store.interventions import list_interventions
from ilacs.store.story import claims_for, visits_for

BUNDLE_PACKAGE = "ilacs.store"
BUNDLE_FILE = "data/bundled_record.json"


def ensure_authorities(conn: sqlite3.Connection) -> None:
    """Mirror the reference register into the authorities table (cheap, idempotent)."""
    register = load_register()
    count = conn.execute("SELECT count(*) FROM authorities").fetchone()[0]
    if count != len(register.all(include_defunct=True)):
        sync_authorities(conn, register.all(include_defunct=True))


@lru_cache(maxsize=1)
def bundled_record() -> dict[str, Any]:
    """The facts ilacs extracted from the shared corpus, shipped with the package."""
    text = (resources.files(BUNDLE_PACKAGE) / BUNDLE_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_bundled_record(conn: sqlite3.Connection) -> BundleLoad:
    """The bundled facts and official figures; what was ingested or loaded here is kept."""
    from ilacs.ingest.statistics import load_bundled_statistics

    ensure_authorities(conn)
    loaded = load_bundle(conn, bundled_record())
    load_bundled_statistics(conn)
    settle(conn)
    return loaded


# Origins of the register's curated entries (the shipped seed and the sourced events).
_CURATED_ORIGINS = ("seed", "events")


def ensure_register(conn: sqlite3.Connection) -> None:
    """The bundled interventions register, loaded once into a record that lacks it, so that
    a record built by `ilacs ingest` knows the register `ilacs build` knows."""
    curated = conn.execute(
        f"SELECT 1 FROM interventions WHERE origin IN ({', '.join('?' * len(_CURATED_ORIGINS))})"
        " LIMIT 1", _CURATED_ORIGINS).fetchone()
    if curated is None:
        load_bundled_interventions(conn, bundled_record())


def find_authority(query: str) -> Authority:
    """An authority by URN, LA code, slug or any of its names."""
    register = load_register()
    text = query.strip()
    if text.isdigit():
        try:
            return register.by_urn(int(text))
        except UnknownAuthority:
            pass
        try:
            return register.by_code(text)
        except UnknownAuthority:
            pass
    try:
        return register.by_slug(text)
    except UnknownAuthority:
        pass
    found = register.match(text)
    if found is None:
        raise IlacsError(f"no local authority called {query!r}; try its URN (e.g. 80419), its "
                         "LA code or its name as Ofsted writes it")
    return found


def authority_timeline(conn: sqlite3.Connection, query: str) -> tuple[Authority,
                                                                       list[InspectionRow]]:
    authority = find_authority(query)
    rows = inspections_for(conn, authority.urn)
    return authority, sorted(rows, key=lambda row: (row.date is None, row.date))


def authority_story(conn: sqlite3.Connection, query: str) -> Story:
    """An authority's story read from the store (`ilacs story`); the web builds the same
    story from its snapshot, with the same `story_events` and `press_claims`."""
    authority, inspections = authority_timeline(conn, query)
    return Story(authority,
                 story_events(inspections, visits_for(conn, authority.urn),
                              list_interventions(conn, authority.urn)),
                 press_claims(claims_for(conn, authority.urn), authority.urn))
