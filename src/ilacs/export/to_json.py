"""JSON: the record's tables as lists of objects, for scripts and the web.

Without --latest: {"inspections": [wide rows], "judgements": [...], "points": [...],
"authorities": [...], ..., "statistics": [...], "statistics_sources": [...]}. With --latest:
{"latest": [one row per authority]}; with --statistics, the last two only. Dates are ISO
text and missing values are null, so the file reads the same in any language.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from ilacs.export.statistics_tables import statistics_sources_table, statistics_table
from ilacs.export.story_tables import interventions_table, visits_table
from ilacs.export.tables import (
    Selection,
    Table,
    authorities_table,
    judgements_table,
    latest_table,
    points_table,
    strengths_table,
    wide_table,
)


def write_json(conn: sqlite3.Connection, path: Path, selection: Selection) -> None:
    tables: list[Table]
    if selection is Selection.LATEST:
        tables = [latest_table(conn)]
    elif selection is Selection.STATISTICS:
        tables = [statistics_table(conn), statistics_sources_table(conn)]
    else:
        tables = [wide_table(conn), judgements_table(conn), points_table(conn),
                  strengths_table(conn), authorities_table(conn), visits_table(conn),
                  interventions_table(conn),
                  statistics_table(conn), statistics_sources_table(conn)]
    document = {table.name: table.records() for table in tables}
    with path.open("w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, indent=1, default=_iso)
        file.write("\n")


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
