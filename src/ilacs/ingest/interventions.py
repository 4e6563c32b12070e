"""Filling the interventions register: curated YAML/CSV files checked row by row, and the
sourced events of `ilacs.reference.interventions` merged into the entries they continue.

Dates are kept at the precision the source gives: '2013', '2018-05' or '2020-11-01'.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterable, Mapping
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
from ilacs.store.interventions import (
    STATUSES,
    EventRow,
    ImportSummary,
    insert_span,
    interventions_of_kinds,
    store_events,
    update_span,
    upsert_interventions,
)
from ilacs.store.transactions import transaction

SEED_FILE = "interventions.yaml"


class InterventionFileError(StoreError):
    """A row of an interventions file that cannot be used, naming the file, row and field."""


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
                partner = (load_register().match(span.partner_name) if span.partner_name
                           else None)
                intervention_id = insert_span(conn, span, partner.urn if partner else None,
                                              origin)
                added_now.add(intervention_id)
                added += 1
            else:
                _merge_span(conn, existing, span)
                intervention_id = existing["id"]
                updated += 1
            store_events(conn, intervention_id, [
                EventRow(e.action, e.date, e.source, e.quote, e.note) for e in span.events])
    return ImportSummary(added, updated)


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
    for row in interventions_of_kinds(conn, span.urn, kinds, span.person):
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


def _merge_span(conn: sqlite3.Connection, row: sqlite3.Row, span: DerivedIntervention) -> None:
    """An entry already here keeps what it knows; the events add precision and an ending."""
    ended = row["status"] == "ended" or span.status == "ended"
    status = "ended" if ended else ("active" if "active" in (row["status"], span.status)
                                    else row["status"])
    update_span(conn, row["id"], _precise(row["start_date"], span.start_date),
                _precise(row["end_date"], span.end_date), status, span.partner_name,
                span.person)


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
