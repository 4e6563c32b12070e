"""MHCLG's revenue outturn workbooks (RO3, RSX): spend by service line, by authority.

Spend is not on EES: the Ministry of Housing, Communities and Local Government publishes each
financial year's outturn as an .ods workbook, one sheet of data with a row per authority
(`ONS Code`, `Local authority`, `Class` ...) and a column per service line and measure, in
£ thousand. This reader turns that sheet into the same long series as an EES tidy CSV (see
`ilacs.statistics.tidy`), so everything downstream treats spend like any other statistic:

- the data sheet is the one whose header row has `ONS Code` and `Local authority`; its
  figures start after `Certification` (or the last of the descriptive columns);
- the period is the financial year in the sheet's title ("... 2024-25 ...");
- rows of children's services authorities (ONS codes E06, E08, E09, E10) and England
  (E92000001) are read; districts, police, fire and other bodies are not;
- the columns about children (headers that mention them: children's social care by service
  line, its total, children's public health programmes) are read; adult social care,
  highways and the rest are not ilacs's business;
- a figure is the cell's numeric value; `[x]` and the other bracketed symbols are typed
  missing values, as in EES files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from ilacs.documents.spreadsheet import SheetCell, SheetRow, UnreadableSpreadsheet, read_ods
from ilacs.errors import Problem, ProblemKind, Severity
from ilacs.statistics.geography import ENGLAND_CODE, Area, AreaLevel
from ilacs.statistics.periods import Period, financial_year
from ilacs.statistics.symbols import Cell, Missing, parse_cell
from ilacs.statistics.tidy import NotTidyStatistics, TidyLayout, TidyRow, TidyTable

AUTHORITY_CODES = re.compile(r"E(06|08|09|10)\d{6}")
_DESCRIPTIVE = ("e-code", "ons code", "local authority", "notes", "class", "detailed class",
                "certification")
_YEARS = re.compile(r"\b(20\d{2})-(\d{2})\b")
# The workbook's own symbol beside the EES ones (its Notes sheet): "[n]", no appropriate
# estimation for a missing return.
_OWN_SYMBOLS = {"[n]": Missing.NOT_AVAILABLE}


def read_outturn(path: Path, name: str | None = None) -> TidyTable:
    """Read a revenue outturn workbook's data sheet as long series (see the module notes)."""
    shown = name or str(path)
    try:
        data = path.read_bytes()
        sheets = read_ods(path, must_contain="ONS Code")
    except OSError as error:
        raise NotTidyStatistics(f"cannot read the file ({error.strerror or error})",
                                path=shown) from error
    except UnreadableSpreadsheet as error:
        raise NotTidyStatistics(str(error).removeprefix(f"{path}: "), path=shown) from error
    found = _data_sheet(sheets)
    if found is None:
        raise NotTidyStatistics("no sheet has a header row with 'ONS Code' and 'Local "
                                "authority' columns: not a revenue outturn workbook", path=shown)
    sheet, header_at, rows = found
    header = [" ".join(cell.text.split()) for cell in rows[header_at][1]]
    period = _period(rows[:header_at], sheet)
    if period is None:
        raise NotTidyStatistics(f"sheet {sheet}: no financial year (like 2024-25) in its title",
                                path=shown)
    first = max(i for i, text in enumerate(header) if text.casefold() in _DESCRIPTIVE) + 1
    positions = [first + offset for offset, text in enumerate(header[first:])
                 if _about_children(text)]
    indicators = tuple(header[position] for position in positions)
    if not indicators:
        raise NotTidyStatistics(f"sheet {sheet}: no column about children's services after "
                                "the descriptive columns", path=shown)
    code_at = next(i for i, text in enumerate(header) if text.casefold() == "ons code")
    name_at = next(i for i, text in enumerate(header) if text.casefold() == "local authority")
    layout = TidyLayout((), indicators, dict.fromkeys(indicators, "gbp_thousands"), {},
                        ("Local authority", "National"))
    table = TidyTable(shown, hashlib.sha256(data).hexdigest(), len(data), layout, [])
    for number, cells in rows[header_at + 1:]:
        texts = [cell.text for cell in cells]
        if len(texts) > code_at and texts[code_at].casefold() == "ons code":
            break  # a second table (totals by class) follows the authorities
        row = _row(table, number, cells, code_at, name_at, positions, period)
        if row is not None:
            table.rows.append(row)
    return table


def _about_children(header: str) -> bool:
    return "child" in header.casefold()


def _data_sheet(sheets: dict[str, list[SheetRow]]) -> tuple[str, int, list[SheetRow]] | None:
    for sheet, rows in sheets.items():
        for position, (_, cells) in enumerate(rows[:30]):
            texts = {" ".join(cell.text.split()).casefold() for cell in cells}
            if {"ons code", "local authority"} <= texts:
                return sheet, position, rows
    return None


def _period(rows: Sequence[SheetRow], sheet: str) -> Period | None:
    for text in [cell.text for _, cells in rows for cell in cells] + [sheet]:
        found = _YEARS.search(text)
        if found and (int(found.group(1)) + 1) % 100 == int(found.group(2)):
            return financial_year(int(found.group(1)))
    return None


def _row(table: TidyTable, number: int, cells: list[SheetCell], code_at: int, name_at: int,
         positions: list[int], period: Period) -> TidyRow | None:
    def at(position: int) -> SheetCell:
        return cells[position] if position < len(cells) else SheetCell("")

    code = at(code_at).text.strip().upper()
    if code == ENGLAND_CODE:
        area = Area(AreaLevel.NATIONAL, code, "", "England")
    elif AUTHORITY_CODES.fullmatch(code):
        area = Area(AreaLevel.LOCAL_AUTHORITY, code, "", at(name_at).text.strip())
    else:
        return None  # a district, police, fire or other body: not a children's services one
    values: list[Cell | None] = []
    for position, column in zip(positions, table.layout.indicators, strict=True):
        cell = at(position)
        value: Cell | None = (cell.number if cell.number is not None else
                              _OWN_SYMBOLS.get(cell.text.strip().casefold())
                              or parse_cell(cell.text))
        if value is None:
            table.problems.append(Problem(
                ProblemKind.UNREADABLE_VALUE,
                f"{cell.text!r} is neither a figure nor a known symbol; nothing is stored for it"
                if cell.text else "blank where a figure or a symbol belongs; nothing is stored "
                "for it", table.path, field=column, row=number, severity=Severity.WARNING))
        values.append(value)
    return TidyRow(number, period, area, (), tuple(values))
