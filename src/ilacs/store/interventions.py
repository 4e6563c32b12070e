"""The interventions register as stored: improvement notices, statutory directions,
commissioners, children's trusts, improvement partners. Files and sourced events are read,
checked and merged by `ilacs.ingest.interventions`; suggestions come from news claims.

Dates are kept at the precision the source gives: '2013', '2018-05' or '2020-11-01'.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ilacs.errors import StoreError
from ilacs.reference import load_register
from ilacs.reference.interventions import (
    DerivedIntervention,
)
from ilacs.store.transactions import transaction

STATUSES = ("active", "ended", "unknown")


@dataclass(frozen=True)
class Intervention:
    id: int
    urn: int
    la_name: str
    type: str
    partner_urn: int | None
    partner_name: str | None
    start_date: str | None
    end_date: str | None
    status: str
    confirmed: bool
    note: str | None
    origin: str
    sources: tuple[str, ...] = field(default_factory=tuple)
    person: str | None = None
    events: tuple[EventRow, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "sources": list(self.sources),
                "events": [event.__dict__ for event in self.events]}


@dataclass(frozen=True)
class EventRow:
    """One dated (or undated) event of an intervention, with the page that states it."""

    action: str
    date: str | None
    source: str
    quote: str | None
    note: str | None


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int


def store_events(conn: sqlite3.Connection, intervention_id: int,
                 events: Iterable[EventRow]) -> None:
    """Each event once; a quote or note learned later fills in one not yet known."""
    for event in events:
        conn.execute("INSERT OR IGNORE INTO intervention_events (intervention_id, action, date,"
                     " source, quote, note) VALUES (?, ?, ?, ?, ?, ?)",
                     (intervention_id, event.action, event.date, event.source, event.quote,
                      event.note))
        conn.execute("UPDATE intervention_events SET quote = coalesce(quote, ?), note = "
                     "coalesce(note, ?) WHERE intervention_id = ? AND action = ? AND "
                     "coalesce(date, '') = coalesce(?, '') AND source = ?",
                     (event.quote, event.note, intervention_id, event.action, event.date,
                      event.source))
        conn.execute("INSERT OR IGNORE INTO intervention_sources (intervention_id, source) "
                     "VALUES (?, ?)", (intervention_id, event.source))


def interventions_of_kinds(conn: sqlite3.Connection, urn: int, kinds: Sequence[str],
                           person: str | None) -> list[sqlite3.Row]:
    """Entries of an LA of any of `kinds` for `person` (None: no person), oldest first."""
    return conn.execute(
        f"SELECT * FROM interventions WHERE urn = ? AND type IN ({', '.join('?' * len(kinds))})"
        " AND person IS ? ORDER BY id", (urn, *kinds, person)).fetchall()


def insert_span(conn: sqlite3.Connection, span: DerivedIntervention, partner_urn: int | None,
                origin: str) -> int:
    """A confirmed entry for an intervention derived from sourced events; its id."""
    cursor = conn.execute(
        "INSERT INTO interventions (urn, type, partner_name, partner_urn, person, start_date, "
        "end_date, status, confirmed, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        (span.urn, span.type, span.partner_name, partner_urn, span.person,
         span.start_date, span.end_date, span.status, origin))
    return int(cursor.lastrowid or 0)


def update_span(conn: sqlite3.Connection, intervention_id: int, start_date: str | None,
                end_date: str | None, status: str, partner_name: str | None,
                person: str | None) -> None:
    """Confirm an entry with new dates and status; a partner or person it lacks is filled."""
    conn.execute(
        "UPDATE interventions SET start_date = ?, end_date = ?, status = ?, partner_name = "
        "coalesce(partner_name, ?), person = coalesce(person, ?), confirmed = 1 WHERE id = ?",
        (start_date, end_date, status, partner_name, person, intervention_id))


def upsert_interventions(conn: sqlite3.Connection, rows: Iterable[Mapping[str, Any]],
                         origin: str, confirmed: bool = True) -> tuple[ImportSummary, list[int]]:
    """Add each row, or update the entry with the same LA, type, partner and start (which
    keeps its id, so claims linked to it stay linked); a row's own 'origin' wins. Returns
    what changed and each row's id."""
    added = updated = 0
    ids: list[int] = []
    with transaction(conn):
        for row in rows:
            person = row.get("person")
            existing = conn.execute(
                "SELECT id FROM interventions WHERE urn = ? AND type = ? AND "
                "partner_name IS ? AND start_date IS ? AND person IS ?",
                (row["urn"], row["type"], row["partner_name"], row["start_date"],
                 person)).fetchone()
            values = (row["partner_urn"], row["end_date"], row["status"], row["note"],
                      int(confirmed))
            if existing:
                intervention_id = existing[0]
                conn.execute("UPDATE interventions SET partner_urn = ?, end_date = ?, "
                             "status = ?, note = coalesce(?, note), confirmed = max(confirmed, ?)"
                             " WHERE id = ?", (*values, intervention_id))
                updated += 1
            else:
                cursor = conn.execute(
                    "INSERT INTO interventions (urn, type, partner_name, start_date, person, "
                    "partner_urn, end_date, status, note, confirmed, origin) VALUES (?, ?, ?, ?,"
                    " ?, ?, ?, ?, ?, ?, ?)", (row["urn"], row["type"], row["partner_name"],
                                              row["start_date"], person, *values,
                                              row.get("origin") or origin))
                intervention_id = cursor.lastrowid
                added += 1
            ids.append(intervention_id)
            conn.executemany(
                "INSERT OR IGNORE INTO intervention_sources (intervention_id, source) "
                "VALUES (?, ?)", [(intervention_id, source) for source in row["sources"]])
            store_events(conn, intervention_id, [EventRow(**event)
                                                 for event in row.get("events", [])])
    return ImportSummary(added, updated), ids


def list_interventions(conn: sqlite3.Connection, urn: int | None = None,
                       include_suggestions: bool = True) -> list[Intervention]:
    register = load_register()
    rows = conn.execute(
        "SELECT i.*, (SELECT json_group_array(source) FROM intervention_sources s "
        "WHERE s.intervention_id = i.id) AS sources FROM interventions i "
        "WHERE (? IS NULL OR i.urn = ?) AND (? OR i.confirmed = 1) "
        "ORDER BY i.urn, coalesce(i.start_date, ''), i.id",
        (urn, urn, int(include_suggestions))).fetchall()
    events = _events_by_intervention(conn, urn)
    return [
        Intervention(
            id=row["id"], urn=row["urn"], la_name=register.by_urn(row["urn"]).name,
            type=row["type"], partner_urn=row["partner_urn"], partner_name=row["partner_name"],
            start_date=row["start_date"], end_date=row["end_date"], status=row["status"],
            confirmed=bool(row["confirmed"]), note=row["note"], origin=row["origin"],
            sources=tuple(sorted(json.loads(row["sources"]))), person=row["person"],
            events=events.get(row["id"], ()),
        )
        for row in rows
    ]


def _events_by_intervention(conn: sqlite3.Connection,
                            urn: int | None) -> dict[int, tuple[EventRow, ...]]:
    """Each intervention's events, dated ones in date order, then the undated."""
    found: dict[int, list[EventRow]] = {}
    for row in conn.execute(
            "SELECT e.* FROM intervention_events e JOIN interventions i ON i.id = "
            "e.intervention_id WHERE ? IS NULL OR i.urn = ? ORDER BY e.intervention_id, "
            "e.date IS NULL, e.date, e.id", (urn, urn)):
        found.setdefault(row["intervention_id"], []).append(
            EventRow(row["action"], row["date"], row["source"], row["quote"], row["note"]))
    return {key: tuple(value) for key, value in found.items()}


def confirm_intervention(conn: sqlite3.Connection, intervention_id: int) -> Intervention:
    with transaction(conn):
        cursor = conn.execute("UPDATE interventions SET confirmed = 1 WHERE id = ?",
                              (intervention_id,))
        if cursor.rowcount == 0:
            raise StoreError(f"no intervention with id {intervention_id}; `ilacs interventions "
                             "list --suggested` shows the ids")
        conn.execute("UPDATE claims SET status = 'consistent' WHERE intervention_id = ? AND "
                     "status = 'suggested'", (intervention_id,))
    return next(i for i in list_interventions(conn) if i.id == intervention_id)


def suggest(conn: sqlite3.Connection, row: Mapping[str, Any], source: str) -> int:
    """An unconfirmed intervention drawn from a news claim (or the one already suggested)."""
    _summary, ids = upsert_interventions(conn, [{**row, "sources": [source]}], origin="news",
                                         confirmed=False)
    return ids[0]
