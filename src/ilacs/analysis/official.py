"""Ofsted's official statistics workbook of local authority inspection outcomes.

Ofsted publishes the outcomes as an OpenDocument spreadsheet (.ods). It is read with the
standard library alone (`ilacs.documents.spreadsheet`) so checking our record against the
official table costs no new dependency. Columns are found by header name, never by position,
because the workbook's layout has changed between releases (the care leavers sub-judgement
was split out in 2023).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from ilacs.documents.spreadsheet import BLANK, SheetCell, SheetRow, read_ods
from ilacs.errors import IlacsError

LATEST_SHEET = "Inspections_as_at_31_March"
IN_YEAR_SHEET = "In-year_inspections"
HISTORY_SHEET = "ILACS_inspection_history"

GRADE_WORDS: Mapping[str, str] = MappingProxyType({
    "Outstanding": "outstanding",
    "Good": "good",
    "Requires improvement to be good": "requires_improvement",
    "Requires improvement": "requires_improvement",
    "Inadequate": "inadequate",
})
# Case-insensitive lookup; a blank cell is no grade (GRADE_WORDS.get("") is None).
_GRADE_LOOKUP = {printed.casefold(): word for printed, word in GRADE_WORDS.items()}


@dataclass(frozen=True)
class OfficialRow:
    """One data row of a sheet, with grades as grade words keyed by judgement."""

    sheet: str
    row_number: int
    ons_code: str
    la_name: str
    status: str | None
    region: str | None
    inspection_date: date | None
    publication_date: date | None
    event_type: str | None
    # Excluded from the hash because a mapping is unhashable; still compared by ==.
    grades: Mapping[str, str] = field(hash=False)
    visit_theme: str | None


@dataclass(frozen=True)
class OfficialTable:
    """The whole workbook: cover facts and the rows of its three data sheets."""

    path: Path
    title: str
    published: date | None
    as_at: date | None
    published_by: date | None
    latest: tuple[OfficialRow, ...]
    in_year: tuple[OfficialRow, ...]
    history: tuple[OfficialRow, ...]


_Cell = SheetCell
_BLANK = BLANK
_Row = SheetRow


# Distinctive words rather than exact headers, so small rewordings between releases still map.
# Grade columns come first: "children in care and care leavers" must land on children_in_care.
_GRADE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("overall_effectiveness", "overall"),
    ("impact_of_leaders", "leaders"),
    ("help_and_protection", "protection"),
    ("children_in_care", "children in care"),
    ("care_leavers", "care leavers"),
)
_FIELD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ons_code", "code"), ("la_name", "name"), ("status", "status"), ("region", "region"),
    ("publication_date", "publication date"), ("inspection_date", "date"),
    ("event_type", "type"), ("visit_theme", "theme"),
)
_REQUIRED = ("ons_code", "la_name", "region", "inspection_date", "publication_date",
             "overall_effectiveness")
_SHEET_REQUIRES = {LATEST_SHEET: (), IN_YEAR_SHEET: ("event_type", "visit_theme"),
                   HISTORY_SHEET: ("status", "event_type")}


def _column_for(header: str) -> str | None:
    # Words only, space-padded: "Inspection/Visit date" -> " inspection visit date ".
    joined = f" {' '.join(re.findall(r'[a-z]+', header.casefold()))} "
    for key, phrase in _GRADE_COLUMNS + _FIELD_COLUMNS:
        if f" {phrase} " in joined:
            return key
    return None


def _parse_date(cell: _Cell) -> date | None:
    if cell.date_value:
        try:
            return date.fromisoformat(cell.date_value[:10])
        except ValueError:
            pass  # fall back to the printed text
    for form in ("%d/%m/%Y", "%d %B %Y"):
        try:
            return datetime.strptime(cell.text, form).date()
        except ValueError:
            continue
    return None


def _read_sheet(name: str, rows: list[_Row], path: Path) -> tuple[OfficialRow, ...]:
    header_at = next((i for i, (_, cells) in enumerate(rows)
                      if cells[0].text.casefold() == "web link"), None)
    if header_at is None:
        raise IlacsError(f"sheet {name}: no header row starting 'Web link'", path=str(path))
    header_number, header = rows[header_at]
    columns: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(header):
        key = _column_for(cell.text)
        if key is not None and key not in columns:
            columns[key] = (index, cell.text)
    for key in _REQUIRED + _SHEET_REQUIRES[name]:
        if key not in columns:
            phrase = dict(_GRADE_COLUMNS + _FIELD_COLUMNS)[key]
            raise IlacsError(f"sheet {name}, header row {header_number}: no column for {key} "
                             f"(a header containing {phrase!r})", path=str(path))

    return tuple(_read_row(name, number, cells, columns, path)
                 for number, cells in rows[header_at + 1:])


def _read_row(name: str, number: int, cells: list[_Cell], columns: Mapping[str, tuple[int, str]],
              path: Path) -> OfficialRow:
    def get(key: str) -> _Cell:
        index = columns[key][0] if key in columns else len(cells)
        return cells[index] if index < len(cells) else _BLANK

    def fail(key: str, what: str) -> IlacsError:
        return IlacsError(f"sheet {name}, row {number}, column {columns[key][1]!r}: "
                          f"{what} {get(key).text!r}", path=str(path))

    def text(key: str) -> str | None:
        return get(key).text or None

    def when(key: str) -> date | None:
        if not get(key).text and get(key).date_value is None:
            return None  # only blank cells are tolerated
        parsed = _parse_date(get(key))
        if parsed is None:
            raise fail(key, "cannot read date")
        return parsed

    grades: dict[str, str] = {}
    for key, _ in _GRADE_COLUMNS:
        printed = " ".join(get(key).text.split())  # tolerate doubled or non-breaking spaces
        if printed:
            if printed.casefold() not in _GRADE_LOOKUP:
                raise fail(key, "unknown grade")
            grades[key] = _GRADE_LOOKUP[printed.casefold()]
    for key in ("ons_code", "la_name"):
        if not get(key).text:  # a data row without them cannot be matched to anything
            raise fail(key, "blank identifying cell")
    return OfficialRow(
        sheet=name, row_number=number, ons_code=get("ons_code").text,
        la_name=get("la_name").text, status=text("status"), region=text("region"),
        inspection_date=when("inspection_date"), publication_date=when("publication_date"),
        event_type=text("event_type"), grades=MappingProxyType(grades),
        visit_theme=text("visit_theme"))


def _cover_value(rows: list[_Row], label: str) -> _Cell | None:
    """The first filled cell after a cover row's label, e.g. the date beside 'Published on:'."""
    for _, cells in rows:
        if cells[0].text.casefold().startswith(label):
            return next((cell for cell in cells[1:] if cell.text), None)
    return None


def _period_date(period: str, phrase: str) -> date | None:
    found = re.search(rf"{phrase}\s+(\d{{1,2}} [A-Za-z]+ \d{{4}})", period, re.IGNORECASE)
    return None if found is None else _parse_date(_Cell(found.group(1), None))


def read_official_table(path: Path) -> OfficialTable:
    """Read the cover facts and the three data sheets of Ofsted's outcomes workbook."""
    sheets = read_ods(path)
    for required in ("Cover", LATEST_SHEET, IN_YEAR_SHEET, HISTORY_SHEET):
        if required not in sheets:
            raise IlacsError(f"missing sheet {required!r} (found: {', '.join(sheets) or 'none'})",
                             path=str(path))

    cover = sheets["Cover"]
    published_cell = _cover_value(cover, "published on") or _BLANK
    published = _parse_date(published_cell)
    if published is None and published_cell.text:
        raise IlacsError(f"sheet Cover, 'Published on:': cannot read date "
                         f"{published_cell.text!r}", path=str(path))
    period = (_cover_value(cover, "period covered") or _BLANK).text
    return OfficialTable(
        path=path,
        title=next((cell.text for cell in cover[0][1] if cell.text), "") if cover else "",
        published=published,
        as_at=_period_date(period, "as at"),
        published_by=_period_date(period, "published by"),
        latest=_read_sheet(LATEST_SHEET, sheets[LATEST_SHEET], path),
        in_year=_read_sheet(IN_YEAR_SHEET, sheets[IN_YEAR_SHEET], path),
        history=_read_sheet(HISTORY_SHEET, sheets[HISTORY_SHEET], path),
    )
