"""Operations on the record that the CLI and the web share: keeping the authorities table in
step with the register, loading the bundled record, an authority's timeline and story."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ilacs.errors import IlacsError
from ilacs.ingest.settle import settle
from ilacs.reference import Authority, UnknownAuthority, load_register
from ilacs.store import BundleLoad, InspectionRow, inspections_for, load_bundle, sync_authorities
from ilacs.store.bundle import load_bundled_interventions
from ilacs.store.interventions import Intervention, list_interventions
from ilacs.store.story import ClaimRow, VisitRow, claims_for, visits_for

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


@dataclass(frozen=True)
class Story:
    """Everything recorded about one LA, in date order (undated events last)."""

    authority: Authority
    # the record's own facts: inspections, visits and the interventions register
    events: list[tuple[str | None, InspectionRow | VisitRow | Intervention]]
    press: list[ClaimRow]  # what articles claim of it, once per article (see press_claims)


def authority_story(conn: sqlite3.Connection, query: str) -> Story:
    authority, inspections = authority_timeline(conn, query)
    events: list[tuple[str | None, InspectionRow | VisitRow | Intervention]] = [
        (row.date.isoformat() if row.date else None, row) for row in inspections]
    events += [(visit.date, visit) for visit in visits_for(conn, authority.urn)]
    events += [(item.start_date or item.end_date, item)
               for item in list_interventions(conn, authority.urn)]
    events.sort(key=lambda event: (event[0] is None, event[0] or ""))
    return Story(authority, events, press_claims(claims_for(conn, authority.urn), authority.urn))


def press_claims(claims: Iterable[ClaimRow], urn: int) -> list[ClaimRow]:
    """What articles claim of an authority, each claim once per article (an article that
    says the same thing twice, or the same article saved twice, says it once), ordered by
    the claim's date, else its article's; those with neither last."""
    seen: set[tuple[str, str]] = set()
    found = []
    for claim in claims:
        sentence = " ".join((claim.evidence or claim.article_path).split()).casefold()
        key = (sentence, describe_claim(claim))
        if claim.urn == urn and key not in seen:
            seen.add(key)
            found.append(claim)
    return sorted(found, key=lambda claim: (claim.date is None, claim.date or ""))


def describe_claim(claim: ClaimRow) -> str:
    """What a news claim says, in words: "overall effectiveness from good to inadequate"."""
    if claim.kind == "intervention":
        partner = ""
        if claim.partner_urn is not None:
            partner = f" (partner {load_register().by_urn(claim.partner_urn).name})"
        return f"{(claim.intervention_type or '').replace('_', ' ')} {claim.action}{partner}"
    judgement = (claim.judgement or "overall effectiveness").replace("_", " ")
    grade = (claim.grade or "").replace("_", " ")
    if claim.kind == "rating_change":
        return f"{judgement} from {(claim.previous_grade or '').replace('_', ' ')} to {grade}"
    return f"{judgement} {grade}" + (f" ({claim.when_printed})" if claim.when_printed else "")
