"""CSV: the wide inspection table (or the latest-per-LA table, or the statistics) as one file.

Written as UTF-8 with a byte-order mark ("CSV UTF-8" in Excel's own words): without it
Excel, which most LA data teams open CSVs in, misreads accented names. Python readers should
open it with encoding="utf-8-sig"; pandas and most other tools skip the mark themselves.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from ilacs.export.statistics_tables import statistics_table
from ilacs.export.tables import Cell, Selection, latest_table, wide_table

ENCODING = "utf-8-sig"


def write_csv(conn: sqlite3.Connection, path: Path, selection: Selection) -> None:
    table = {Selection.LATEST: latest_table, Selection.STATISTICS: statistics_table}.get(
        selection, wide_table)(conn)
    with path.open("w", encoding=ENCODING, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(table.column_names)
        writer.writerows([_text(cell) for cell in row] for row in table.rows)


def _text(cell: Cell) -> str | int | float:
    if cell is None:
        return ""
    if isinstance(cell, str | int | float):
        return cell
    return cell.isoformat()
