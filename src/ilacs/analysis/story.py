"""An authority's story: its inspections, visits and interventions in date order, and what
the press claimed of it, once per article. The CLI (`ilacs story`) and the LA page tell it
from the same functions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from ilacs.reference import Authority, find_authority, load_register
from ilacs.store import inspections_for
from ilacs.store.interventions import Intervention, list_interventions
from ilacs.store.rows import InspectionRow
from ilacs.store.story import ClaimRow, VisitRow, claims_for, visits_for

StoryEvent = InspectionRow | VisitRow | Intervention


@dataclass(frozen=True)
class Story:
    """Everything recorded about one LA, in date order (undated events last)."""

    authority: Authority
    # the record's own facts: inspections, visits and the interventions register
    events: list[tuple[str | None, StoryEvent]]
    press: list[ClaimRow]  # what articles claim of it, once per article (see press_claims)


def authority_story(conn: sqlite3.Connection, query: str) -> Story:
    """An authority's story read from the store (`ilacs story`); the web builds the same
    story from its snapshot, with the same `story_events` and `press_claims`."""
    authority = find_authority(query)
    return Story(authority,
                 story_events(inspections_for(conn, authority.urn),
                              visits_for(conn, authority.urn),
                              list_interventions(conn, authority.urn)),
                 press_claims(claims_for(conn, authority.urn), authority.urn))


def story_events(inspections: Iterable[InspectionRow], visits: Iterable[VisitRow],
                 interventions: Iterable[Intervention]) -> list[tuple[str | None, StoryEvent]]:
    """Each event with the ISO date it is told at (an inspection's first day on site, a
    visit's, an intervention's start, else its end), oldest first, undated last."""
    events: list[tuple[str | None, StoryEvent]] = [
        (row.date.isoformat() if row.date else None, row) for row in inspections]
    events += [(visit.date, visit) for visit in visits]
    events += [(item.start_date or item.end_date, item) for item in interventions]
    events.sort(key=lambda event: (event[0] is None, event[0] or ""))
    return events


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
