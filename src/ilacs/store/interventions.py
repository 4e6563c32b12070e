"""The interventions register: improvement notices, statutory directions, commissioners,
children's trusts, improvement partners — filled from curated YAML/CSV files and, as
suggestions a person confirms, from news claims.

Dates are kept at the precision the source gives: '2013', '2018-05' or '2020-11-01'.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ilacs.errors import StoreError
from ilacs.reference import load_register
from ilacs.reference.interventions import (
    PARTIAL_DATE,
    TYPES,
    DerivedIntervention,
    InterventionEvent,
    dates_agree,
    derive_interventions,
    ends_before,
    read_events,
)
from ilacs.store.transactions import transaction

STATUSES = ("active", "ended", "unknown")
SEED_FILE = "interventions.yaml"


class InterventionFileError(StoreError):
    """A row of an interventions file that cannot be used, naming the file, row and field."""


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


def import_interventions(conn: sqlite3.Connection, path: Path) -> ImportSummary:
    """Add or update every row of a YAML or CSV file, or every intervention a JSON-lines
    file of events adds up to; nothing is written if any row is bad."""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return import_events(conn, read_events(path), origin=path.name)
    rows = read_intervention_file(path)
    return upsert_interventions(conn, rows, origin=path.name)[0]


def import_events(conn: sqlite3.Connection, events: Iterable[InterventionEvent],
                  origin: str) -> ImportSummary:
    """The interventions the events add up to, each merged into the entry it continues
    (same LA, type and person, a partner and start that agree) or added, with its events."""
    added = updated = 0
    added_now: set[int] = set()
    with transaction(conn):
        for span in derive_interventions(events):
            existing = _same_intervention(conn, span, added_now)
            if existing is None:
                intervention_id = _insert_span(conn, span, origin)
                added_now.add(intervention_id)
                added += 1
            else:
                _merge_span(conn, existing, span)
                intervention_id = existing["id"]
                updated += 1
            store_events(conn, intervention_id, [
                EventRow(e.action, e.date, e.source, e.quote, e.note) for e in span.events])
    return ImportSummary(added, updated)


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


# A partnership a source calls an improvement partnership is the same arrangement.
_KINDRED = {"partnership": ("partnership", "improvement_partner"),
            "improvement_partner": ("improvement_partner", "partnership")}


def _same_intervention(conn: sqlite3.Connection, span: DerivedIntervention,
                       added_now: set[int]) -> sqlite3.Row | None:
    """The entry `span` continues: same LA, type and person, partners that agree, start and
    end dates that agree, and times that overlap; never one this import added."""
    register = load_register()
    partner = register.match(span.partner_name) if span.partner_name else None
    kinds = _KINDRED.get(span.type, (span.type,))
    rows: list[sqlite3.Row] = conn.execute(
        f"SELECT * FROM interventions WHERE urn = ? AND type IN ({', '.join('?' * len(kinds))})"
        " AND person IS ? ORDER BY id", (span.urn, *kinds, span.person)).fetchall()
    for row in rows:
        same_partner = (row["partner_name"] is None or span.partner_name is None
                        or row["partner_name"] == span.partner_name
                        or (partner is not None and row["partner_urn"] == partner.urn))
        apart = ((row["end_date"] and span.start_date
                  and ends_before(row["end_date"], span.start_date))
                 or (span.end_date and row["start_date"]
                     and ends_before(span.end_date, row["start_date"])))
        if (row["id"] not in added_now and same_partner and not apart
                and dates_agree(row["start_date"], span.start_date)
                and dates_agree(row["end_date"], span.end_date)):
            return row
    return None


def _precise(one: str | None, other: str | None) -> str | None:
    """The more precise of two agreeing partial dates."""
    return max((one or "", other or ""), key=len) or None


def _insert_span(conn: sqlite3.Connection, span: DerivedIntervention, origin: str) -> int:
    partner = load_register().match(span.partner_name) if span.partner_name else None
    cursor = conn.execute(
        "INSERT INTO interventions (urn, type, partner_name, partner_urn, person, start_date, "
        "end_date, status, confirmed, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        (span.urn, span.type, span.partner_name, partner.urn if partner else None, span.person,
         span.start_date, span.end_date, span.status, origin))
    return int(cursor.lastrowid or 0)


def _merge_span(conn: sqlite3.Connection, row: sqlite3.Row, span: DerivedIntervention) -> None:
    """An entry already here keeps what it knows; the events add precision and an ending."""
    ended = row["status"] == "ended" or span.status == "ended"
    status = "ended" if ended else ("active" if "active" in (row["status"], span.status)
                                    else row["status"])
    conn.execute(
        "UPDATE interventions SET start_date = ?, end_date = ?, status = ?, partner_name = "
        "coalesce(partner_name, ?), person = coalesce(person, ?), confirmed = 1 WHERE id = ?",
        (_precise(row["start_date"], span.start_date), _precise(row["end_date"], span.end_date),
         status, span.partner_name, span.person, row["id"]))


def import_seed(conn: sqlite3.Connection, events_file: Path | None = None) -> ImportSummary:
    """The register's seed, shipped with ilacs (facts and sources only), then, where given,
    the sourced events of `events_file` (the register's first entries, see
    `ilacs.reference.interventions`)."""
    seed = resources.files("ilacs.store").joinpath("data", SEED_FILE)
    rows = _validate(yaml.safe_load(seed.read_text(encoding="utf-8")), SEED_FILE)
    summary = upsert_interventions(conn, rows, origin="seed")[0]
    if events_file is None:
        return summary
    more = import_events(conn, read_events(events_file), origin="events")
    return ImportSummary(summary.added + more.added, summary.updated + more.updated)


def read_intervention_file(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InterventionFileError(f"cannot read the file ({error.strerror})",
                                    path=str(path)) from error
    if path.suffix.lower() == ".csv":
        data: object = [
            {**row, "sources": [s.strip() for s in (row.get("sources") or "").split(";")
                                if s.strip()]}
            for row in csv.DictReader(text.splitlines())
        ]
    elif path.suffix.lower() in {".yaml", ".yml"}:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise InterventionFileError(f"not valid YAML: {error}", path=str(path)) from error
    else:
        raise InterventionFileError("expected a .yaml, .yml or .csv file", path=str(path))
    return _validate(data, str(path))


def _validate(data: object, where: str) -> list[dict[str, Any]]:
    if not isinstance(data, list):
        raise InterventionFileError("expected a list of interventions", path=where)
    register = load_register()
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(data, start=1):
        def fail(field_name: str, message: str, number: int = number) -> InterventionFileError:
            return InterventionFileError(f"row {number}, field '{field_name}': {message}",
                                         path=where)
        if not isinstance(item, Mapping):
            raise fail("-", "expected a mapping of fields")
        la = str(item.get("la") or "").strip()
        authority = (register.by_urn(int(la)) if la.isdigit() else register.match(la)) \
            if la else None
        if authority is None:
            raise fail("la", f"{la!r} is not an LA in the register (give a name or URN)")
        kind = str(item.get("type") or "").strip()
        if kind not in TYPES:
            raise fail("type", f"{kind!r} is not one of {', '.join(TYPES)}")
        dates = {}
        for key in ("start", "end"):
            value = str(item.get(key) or "").strip() or None
            if value is not None and not PARTIAL_DATE.match(value):
                raise fail(key, f"{value!r} is not a date like 2018, 2018-05 or 2018-05-31")
            dates[key] = value
        status = str(item.get("status") or ("ended" if dates["end"] else "unknown")).strip()
        if status not in STATUSES:
            raise fail("status", f"{status!r} is not one of {', '.join(STATUSES)}")
        partner = str(item.get("partner") or "").strip() or None
        partner_authority = register.match(partner) if partner else None
        sources = item.get("sources") or []
        if isinstance(sources, str):
            sources = [sources]
        if not sources:
            raise fail("sources", "every intervention needs at least one source")
        rows.append({
            "urn": authority.urn, "type": kind, "partner_name": partner,
            "partner_urn": partner_authority.urn if partner_authority else None,
            "start_date": dates["start"], "end_date": dates["end"], "status": status,
            "note": str(item.get("note") or "").strip() or None,
            "sources": [str(source) for source in sources],
        })
    return rows


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
