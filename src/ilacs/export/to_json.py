"""JSON: the record's tables as lists of objects, for scripts and the web.

Without --latest: {"inspections": [wide rows], "judgements": [...], "findings": [...],
"authorities": [...]}. With --latest: {"latest": [one row per authority]}. Dates are ISO
text and missing values are null, so the file reads the same in any language.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from ilacs.export.story_tables import interventions_table, visits_table
from ilacs.export.tables import (
    Table,
    authorities_table,
    findings_table,
    judgements_table,
    latest_table,
    wide_table,
)


def write_json(conn: sqlite3.Connection, path: Path, latest: bool) -> None:
    tables: list[Table] = (
        [latest_table(conn)]
        if latest
        else [wide_table(conn), judgements_table(conn), findings_table(conn),
              authorities_table(conn), visits_table(conn), interventions_table(conn)]
    )
    document = {table.name: table.records() for table in tables}
    with path.open("w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, indent=1, default=_iso)
        file.write("\n")


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
