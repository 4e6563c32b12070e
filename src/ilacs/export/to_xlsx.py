"""XLSX: the whole record as a workbook, the "Latest per LA" sheet first.

Made for people who open it in Excel: a bold, frozen header row with filters, columns wide
enough to read, dates stored as real Excel dates (so they sort and filter as dates), and
characters Excel refuses (control characters from PDF text) removed rather than failing.
With --latest the workbook holds only the latest-per-LA sheet.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ilacs.export.story_tables import interventions_table, visits_table
from ilacs.export.tables import (
    Cell,
    ColumnKind,
    Table,
    authorities_table,
    findings_table,
    judgements_table,
    latest_table,
    problems_table,
    wide_table,
)

DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH, SAMPLE_ROWS = 8, 60, 500


def write_xlsx(conn: sqlite3.Connection, path: Path, latest: bool) -> None:
    from openpyxl import Workbook

    tables = [latest_table(conn)]
    if not latest:
        tables += [
            authorities_table(conn), wide_table(conn), judgements_table(conn),
            findings_table(conn), visits_table(conn), interventions_table(conn),
            problems_table(conn),
        ]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        _write_sheet(workbook.create_sheet(table.title), table)
    workbook.save(str(path))


def _write_sheet(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(table.column_names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_clean(value) for value in row])
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _width(table, index - 1)
        if column.kind is ColumnKind.DATE:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions


def _width(table: Table, index: int) -> int:
    if table.columns[index].kind is ColumnKind.DATE:
        return max(12, len(table.columns[index].name) + 2)
    longest = max(
        [len(table.columns[index].name)]
        + [len(str(row[index])) for row in table.rows[:SAMPLE_ROWS] if row[index] is not None]
    )
    return min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)


def _clean(value: Cell) -> Cell:
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return str(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value
