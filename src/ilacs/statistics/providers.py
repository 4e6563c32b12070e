"""Ofsted's provider-level workbook ("Children's social care in England ... underlying data"):
children's homes by the local authority they stand in, counted into long series.

The workbook lists every social care provider registered at 31 March with its provision type,
sector, places, local authority (by name: it has no code) and latest inspection grades. This
reader counts, for each authority and for England:

- `homes` and `places`: children's homes (every provision type registered as one) and
  their places, from the sheet of providers and places (every active provider);
- `homes_inspected` and `homes_good_or_better`: children's homes with a latest overall grade,
  and those graded good or outstanding, from the sheet of providers' latest inspections.

An authority is named as Ofsted writes it, matched to the register by name (the one place
ilacs joins statistics by name: the workbook gives no code); a name that matches no
authority is a problem naming the sheet and row. Homes stand in an area; children placed in
them often come from elsewhere.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from ilacs.documents.spreadsheet import SheetCell, SheetRow, UnreadableSpreadsheet, read_ods
from ilacs.errors import Problem, ProblemKind, Severity
from ilacs.reference import Authority, Register, load_register
from ilacs.statistics.geography import ENGLAND_CODE, Area, AreaLevel
from ilacs.statistics.periods import Period
from ilacs.statistics.symbols import Cell
from ilacs.statistics.tidy import NotTidyStatistics, TidyLayout, TidyRow, TidyTable

MARKER = "Provision type"
PLACES_SHEET = re.compile(r"^Providers\+places_at_\d{1,2}_[A-Za-z]+_(\d{4})$")
LATEST_SHEET = re.compile(r"^Provider_level_at_\d{1,2}_[A-Za-z]+_(\d{4})$")
GOOD = frozenset({"outstanding", "good"})
INDICATORS = ("homes", "places", "homes_inspected", "homes_good_or_better")
GRADE_COLUMN = "overall experiences and progress of children and young people"


def is_childrens_home(provision: str) -> bool:
    """Children's homes, secure ones and residential special schools registered as one."""
    return "children's home" in provision.casefold().replace("’", "'")


def read_providers(path: Path, name: str | None = None,
                   register: Register | None = None) -> TidyTable:
    shown = name or str(path)
    try:
        data = path.read_bytes()
        sheets = read_ods(path, must_contain=MARKER, sheets=lambda sheet: bool(
            PLACES_SHEET.match(sheet) or LATEST_SHEET.match(sheet)))
    except OSError as error:
        raise NotTidyStatistics(f"cannot read the file ({error.strerror or error})",
                                path=shown) from error
    except UnreadableSpreadsheet as error:
        raise NotTidyStatistics(str(error).removeprefix(f"{path}: "), path=shown) from error
    places = _sheet(sheets, PLACES_SHEET)
    latest = _sheet(sheets, LATEST_SHEET)
    if places is None or latest is None:
        raise NotTidyStatistics("no sheets of providers and places and of their latest "
                                "inspections (Providers+places_at_..., Provider_level_at_...): "
                                "not Ofsted's provider-level workbook", path=shown)
    year = int(places[1])
    register = register or load_register()
    table = TidyTable(shown, hashlib.sha256(data).hexdigest(), len(data),
                      TidyLayout((), INDICATORS, dict.fromkeys(INDICATORS, "count"), {},
                                 ("Local authority", "National")), [])
    counts: dict[str, Counter[str]] = {}
    _count(table, places, counts, register, _places)
    _count(table, latest, counts, register, _grades)
    period = Period(year, str(year), "As at 31 March")
    counted_on = date(year, 3, 31)
    for authority in register.all(include_defunct=True):
        if _existed(authority, counted_on):  # an authority with no home has none: zero
            counts.setdefault(authority.la_code, Counter())
    # A figure here tallies many sheet rows, so a row's number is its place in the tally
    # (England first, then authorities by code); problems name the sheet rows themselves.
    england: Counter[str] = Counter()
    for tally in counts.values():
        england.update(tally)
    table.rows.append(TidyRow(1, period, Area(AreaLevel.NATIONAL, ENGLAND_CODE, "", "England"),
                              (), tuple(_cells(england))))
    for number, (code, tally) in enumerate(sorted(counts.items()), start=2):
        authority = register.by_code(code)
        table.rows.append(TidyRow(number, period, Area(
            AreaLevel.LOCAL_AUTHORITY, authority.ons_code, authority.la_code, authority.name),
            (), tuple(_cells(tally))))
    return table


def _existed(authority: Authority, on: date) -> bool:
    """Whether the authority stood on `on`: made on or before it and not yet succeeded
    (Cumbria stood at 31 March 2023; Cumberland, made the next day, did not)."""
    return (all(link.date <= on for link in authority.predecessors)
            and all(link.date > on for link in authority.successors))


def _sheet(sheets: dict[str, list[SheetRow]], pattern: re.Pattern[str]
           ) -> tuple[str, str, list[SheetRow]] | None:
    for name, rows in sheets.items():
        found = pattern.match(name)
        if found:
            return name, found.group(1), rows
    return None


def _header(rows: Sequence[SheetRow]) -> tuple[int, list[str]] | None:
    for position, (_, cells) in enumerate(rows[:10]):
        texts = [" ".join(cell.text.split()).casefold() for cell in cells]
        if "local authority" in texts and MARKER.casefold() in texts:
            return position, texts
    return None


def _places(tally: Counter[str], cells: list[SheetCell], at: dict[str, int]) -> None:
    tally["homes"] += 1
    places = _text(cells, at["places"])
    if places.isdigit():
        tally["places"] += int(places)


def _grades(tally: Counter[str], cells: list[SheetCell], at: dict[str, int]) -> None:
    grade = _text(cells, at.get(GRADE_COLUMN, -1)).casefold()
    if grade:
        tally["homes_inspected"] += 1
        tally["homes_good_or_better"] += grade in GOOD


Tally = Callable[[Counter[str], list[SheetCell], dict[str, int]], None]


def _count(table: TidyTable, sheet: tuple[str, str, list[SheetRow]],
           counts: dict[str, Counter[str]], register: Register,
           add: Tally) -> None:
    name, _, rows = sheet
    found = _header(rows)
    if found is None:
        raise NotTidyStatistics(f"sheet {name} has no header row with 'Local authority' and "
                                f"'{MARKER}'", path=table.path)
    position, header = found
    at = {column: index for index, column in enumerate(header)}
    for number, cells in rows[position + 1:]:
        if not is_childrens_home(_text(cells, at[MARKER.casefold()])):
            continue
        la = _text(cells, at["local authority"])
        authority = register.match(la) if la else None
        if authority is None:
            table.problems.append(Problem(
                ProblemKind.UNKNOWN_AREA, f"sheet {name}: the local authority {la!r} is no "
                "authority of the register; the home is not counted", table.path,
                field="Local authority", row=number, severity=Severity.WARNING))
            continue
        add(counts.setdefault(authority.la_code, Counter()), cells, at)


def _text(cells: list[SheetCell], position: int) -> str:
    return cells[position].text.strip() if 0 <= position < len(cells) else ""


def _cells(tally: Counter[str]) -> list[Cell | None]:
    return [float(tally.get(indicator, 0)) for indicator in INDICATORS]
