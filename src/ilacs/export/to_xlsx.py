"""XLSX: the whole record as a workbook, the "Latest per LA" sheet first.

Made for people who open it in Excel: a bold, frozen header row with filters, columns wide
enough to read, dates stored as real Excel dates (so they sort and filter as dates), and
characters Excel refuses (control characters from PDF text) removed rather than failing.
With --latest the workbook holds only the latest-per-LA sheet; with --statistics, the
official statistics' headline indicators and their sources.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ilacs.export.statistics_tables import statistics_sources_table, statistics_table
from ilacs.export.story_tables import interventions_table, visits_table
from ilacs.export.tables import (
    Cell,
    ColumnKind,
    Selection,
    Table,
    authorities_table,
    judgements_table,
    latest_table,
    points_table,
    problems_table,
    strengths_table,
    wide_table,
)

DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH, SAMPLE_ROWS = 8, 60, 500


def write_xlsx(conn: sqlite3.Connection, path: Path, selection: Selection) -> None:
    from openpyxl import Workbook

    if selection is Selection.STATISTICS:
        tables = [statistics_table(conn), statistics_sources_table(conn)]
    else:
        tables = [latest_table(conn)]
    if selection is Selection.RECORD:
        tables += [
            authorities_table(conn), wide_table(conn), judgements_table(conn),
            points_table(conn), strengths_table(conn), visits_table(conn),
            interventions_table(conn),
            statistics_table(conn), statistics_sources_table(conn), problems_table(conn),
        ]
    # Write-only: rows stream to the file as they are added, several times faster than
    # building every cell in memory first (the statistics sheet alone is 37,000 rows).
    workbook = Workbook(write_only=True)
    for table in tables:
        _write_sheet(workbook.create_sheet(table.title), table)
    workbook.save(str(path))


def _write_sheet(sheet: Any, table: Table) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for index in range(1, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(table, index - 1)
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = (f"A1:{get_column_letter(len(table.columns))}"
                                 f"{len(table.rows) + 1}")
    bold = Font(bold=True)
    header = []
    for name in table.column_names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    dates = [i for i, column in enumerate(table.columns) if column.kind is ColumnKind.DATE]
    for row in table.rows:
        values: list[Any] = [_clean(value) for value in row]
        for index in dates:
            if values[index] is not None:
                cell = WriteOnlyCell(sheet, value=values[index])
                cell.number_format = DATE_FORMAT
                values[index] = cell
        sheet.append(values)


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
