"""The interventions register: improvement notices, statutory directions, commissioners,
children's trusts, improvement partners — filled from curated YAML/CSV files and, as
suggestions a person confirms, from news claims.

Dates are kept at the precision the source gives: '2013', '2018-05' or '2020-11-01'.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ilacs.errors import StoreError
from ilacs.reference import load_register
from ilacs.store.transactions import transaction

TYPES = ("improvement_notice", "statutory_direction", "commissioner", "childrens_trust",
         "improvement_partner", "improvement_adviser", "partnership")
STATUSES = ("active", "ended", "unknown")
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
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

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "sources": list(self.sources)}


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int


def import_interventions(conn: sqlite3.Connection, path: Path) -> ImportSummary:
    """Add or update every row of a YAML or CSV file; nothing is written if any row is bad."""
    rows = read_intervention_file(path)
    return upsert_interventions(conn, rows, origin=path.name)[0]


def import_seed(conn: sqlite3.Connection) -> ImportSummary:
    """The register's seed, shipped with ilacs (facts and sources only)."""
    seed = resources.files("ilacs.store").joinpath("data", SEED_FILE)
    rows = _validate(yaml.safe_load(seed.read_text(encoding="utf-8")), SEED_FILE)
    return upsert_interventions(conn, rows, origin="seed")[0]


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
            if value is not None and not _PARTIAL_DATE.match(value):
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
            existing = conn.execute(
                "SELECT id FROM interventions WHERE urn = ? AND type = ? AND "
                "partner_name IS ? AND start_date IS ?",
                (row["urn"], row["type"], row["partner_name"], row["start_date"])).fetchone()
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
                    "INSERT INTO interventions (urn, type, partner_name, start_date, partner_urn,"
                    " end_date, status, note, confirmed, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?)", (row["urn"], row["type"], row["partner_name"], row["start_date"],
                               *values, row.get("origin") or origin))
                intervention_id = cursor.lastrowid
                added += 1
            ids.append(intervention_id)
            conn.executemany(
                "INSERT OR IGNORE INTO intervention_sources (intervention_id, source) "
                "VALUES (?, ?)", [(intervention_id, source) for source in row["sources"]])
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
    return [
        Intervention(
            id=row["id"], urn=row["urn"], la_name=register.by_urn(row["urn"]).name,
            type=row["type"], partner_urn=row["partner_urn"], partner_name=row["partner_name"],
            start_date=row["start_date"], end_date=row["end_date"], status=row["status"],
            confirmed=bool(row["confirmed"]), note=row["note"], origin=row["origin"],
            sources=tuple(sorted(json.loads(row["sources"]))),
        )
        for row in rows
    ]


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
