"""Export tables for visits and the interventions register (see `tables` for the rest)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from ilacs.export.tables import Column, ColumnKind, Table
from ilacs.reference import load_register
from ilacs.store.interventions import list_interventions

_INT, _DATE = ColumnKind.INTEGER, ColumnKind.DATE
VISIT_COLUMNS = tuple(
    Column(name, kind) for name, kind in (
        ("urn", _INT), ("la_name", ColumnKind.TEXT), ("kind", ColumnKind.TEXT),
        ("monitoring_visit_number", _INT), ("visit_start", _DATE), ("visit_end", _DATE),
        ("letter_date", _DATE), ("publication_date", _DATE), ("lead_inspector", ColumnKind.TEXT),
        ("inspectors", ColumnKind.TEXT), ("focus_theme", ColumnKind.TEXT),
        ("improvement_item_count", _INT), ("priority_action_count", _INT),
        ("document_path", ColumnKind.TEXT),
    ))
INTERVENTION_COLUMNS = tuple(
    Column(name) for name in ("id", "urn", "la_name", "type", "partner_name", "start_date",
                              "end_date", "status", "confirmed", "note", "sources"))


def visits_table(conn: sqlite3.Connection) -> Table:
    register = load_register()
    rows = []
    for row in conn.execute(
            "SELECT v.*, d.path FROM visits v JOIN documents d ON d.sha256 = v.document_sha256 "
            "ORDER BY v.urn, coalesce(v.visit_start, v.publication_date)"):
        name = register.by_urn(row["urn"]).name if row["urn"] is not None else None
        rows.append((
            row["urn"], name, row["kind"], row["monitoring_visit_number"],
            _date(row["visit_start"]), _date(row["visit_end"]), _date(row["letter_date"]),
            _date(row["publication_date"]), row["lead_inspector"],
            "; ".join(json.loads(row["inspectors"] or "[]")), row["focus_theme"],
            row["improvement_item_count"], row["priority_action_count"], row["path"],
        ))
    return Table("visits", "Visits", VISIT_COLUMNS, tuple(rows))


def interventions_table(conn: sqlite3.Connection) -> Table:
    rows = tuple(
        (str(item.id), str(item.urn), item.la_name, item.type, item.partner_name,
         item.start_date, item.end_date, item.status, "yes" if item.confirmed else "suggested",
         item.note, "; ".join(item.sources))
        for item in list_interventions(conn)
    )
    return Table("interventions", "Interventions", INTERVENTION_COLUMNS, rows)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
