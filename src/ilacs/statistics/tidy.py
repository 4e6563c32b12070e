"""One reader for any EES tidy CSV.

Explore Education Statistics publishes every data set as a "tidy" CSV: one row per time
period, place and combination of filters, with the standard time and geography columns, then
filter columns (text that breaks the figures down: "care_leaver_age") and indicator columns
(the figures). The reader finds each kind of column by name and content, not by position or
file, so a new release or another publication reads the same way:

- time: `time_period` and `time_identifier` (required);
- geography: `geographic_level` (required), `country_code`, `region_code`, `old_la_code`,
  `new_la_code`, `la_name` and the other EES geography columns; rows at the national,
  regional and local authority levels are read, other levels are counted and reported once;
- indicators: the columns an EES metadata file (`NAME.meta.csv` beside it) calls
  `Indicator`; without one, every other column whose cells are mostly figures or
  suppression symbols, with at least one figure (an unknown symbol in it is a problem, not
  a reason to call the column text; a filter of bare numbers needs the metadata file);
- filters: the remaining columns.

A file that lacks a required column is not read at all (`NotTidyStatistics`, naming the
column); a bad row or cell is a problem naming file, row and column, and the rest is read.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ilacs.errors import IlacsError, Problem, ProblemKind, Severity
from ilacs.statistics.geography import ENGLAND_CODE, LEVEL_WORDS, Area, AreaLevel
from ilacs.statistics.periods import Period, PeriodError, parse_period
from ilacs.statistics.symbols import Cell, parse_cell
from ilacs.statistics.units import infer_unit, meta_unit

READER_VERSION = "1"
REQUIRED = ("time_period", "time_identifier", "geographic_level")
# EES's standard geography columns: never filters or indicators.
GEOGRAPHY = frozenset({
    "geographic_level", "country_code", "country_name", "region_code", "region_name",
    "old_la_code", "new_la_code", "la_name", "lad_code", "lad_name", "pcon_code", "pcon_name",
    "rsc_region_lead_name", "opportunity_area_code", "opportunity_area_name", "ward_code",
    "ward_name", "trust_id", "trust_name", "sponsor_id", "sponsor_name", "school_urn",
    "school_laestab", "school_name", "provider_ukprn", "provider_name", "institution_id",
    "institution_name", "english_devolved_area_code", "english_devolved_area_name",
    "local_enterprise_partnership_code", "local_enterprise_partnership_name",
    "local_skills_improvement_plan_area_code", "local_skills_improvement_plan_area_name",
    "mat_id", "mat_name", "planning_area_code", "planning_area_name",
})
TIME = frozenset({"time_period", "time_identifier"})
# Without a metadata file, a column is an indicator when more than this share of its cells
# are figures or symbols, and at least one is a figure.
INDICATOR_SHARE = 0.5
MAX_PROBLEMS_PER_COLUMN = 20  # beyond this, one problem counts the rest


class NotTidyStatistics(IlacsError):
    """A file that is not an EES tidy CSV (a required column is missing, say)."""


@dataclass(frozen=True)
class TidyLayout:
    """What each column of a file is."""

    filters: tuple[str, ...]
    indicators: tuple[str, ...]
    units: Mapping[str, str]  # indicator -> unit
    labels: Mapping[str, str]  # column -> label, where a metadata file gives one
    levels: tuple[str, ...] = ()  # geographic levels present, as written

    def to_json(self) -> dict[str, object]:
        return {"filters": list(self.filters), "indicators": list(self.indicators),
                "units": dict(self.units), "labels": dict(self.labels),
                "levels": list(self.levels)}


@dataclass(frozen=True)
class TidyRow:
    number: int  # line of the file, the header being line 1
    period: Period
    area: Area
    filters: tuple[str, ...]  # in the layout's filter order
    cells: tuple[Cell | None, ...]  # in the layout's indicator order; None: unreadable


@dataclass
class TidyTable:
    path: str
    sha256: str
    size: int
    layout: TidyLayout
    rows: list[TidyRow]
    problems: list[Problem] = field(default_factory=list)
    skipped_levels: Counter[str] = field(default_factory=Counter)


def read_tidy_csv(path: Path, meta: Path | None = None, name: str | None = None) -> TidyTable:
    """Read the EES tidy CSV at `path` (its metadata file is found beside it if not given).

    `name` is how problems name the file (default: the path). Raises NotTidyStatistics
    for a file that cannot be read as one; everything else is a problem in the table.
    """
    shown = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NotTidyStatistics(f"cannot read the file ({error.strerror or error})",
                                path=shown) from error
    if meta is None:
        beside = path.with_name(path.name.removesuffix(".csv") + ".meta.csv")
        meta = beside if beside.is_file() and beside != path else None
    meta_columns = read_meta(meta) if meta is not None else None
    return read_tidy_bytes(data, shown, meta_columns)


@dataclass(frozen=True)
class MetaColumn:
    name: str
    kind: str  # "Filter" or "Indicator"
    label: str
    unit: str


def read_meta(path: Path) -> dict[str, MetaColumn]:
    """An EES metadata file: `col_name`, `col_type`, `label`, `indicator_unit` ..."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise NotTidyStatistics(f"cannot read the metadata file ({error})",
                                path=str(path)) from error
    try:
        reader = csv.DictReader(io.StringIO(text))
        fields = reader.fieldnames or []
        rows = list(reader)
    except csv.Error as error:  # a stray carriage return in an unquoted cell, say
        raise NotTidyStatistics(f"not a CSV file Python can read ({error})",
                                path=str(path)) from error
    missing = [c for c in ("col_name", "col_type") if c not in fields]
    if missing:
        raise NotTidyStatistics(f"not an EES metadata file: it has no {missing[0]} column",
                                path=str(path))
    found: dict[str, MetaColumn] = {}
    for row in rows:
        name = (row.get("col_name") or "").strip()
        if name:
            found[name] = MetaColumn(name, (row.get("col_type") or "").strip().capitalize(),
                                     (row.get("label") or "").strip(),
                                     (row.get("indicator_unit") or "").strip())
    return found


def read_tidy_bytes(data: bytes, name: str,
                    meta: Mapping[str, MetaColumn] | None = None) -> TidyTable:
    """Read a tidy CSV already in memory (from a download, say); see `read_tidy_csv`."""
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotTidyStatistics(f"not UTF-8 text (byte {error.start}): save it as CSV UTF-8",
                                path=name) from error
    if text.lstrip()[:1] == "<":
        raise NotTidyStatistics("this is a web page (it starts with '<'), not a CSV file: "
                                "download the data set's CSV again", path=name)
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:  # a stray carriage return in an unquoted cell, say
        raise NotTidyStatistics(f"not a CSV file Python can read ({error})", path=name) \
            from error
    if not records or not any(cell.strip() for cell in records[0]):
        raise NotTidyStatistics("empty: an EES tidy CSV starts with a header row", path=name)
    header = [cell.strip() for cell in records[0]]
    for column in REQUIRED:
        if column not in header:
            raise NotTidyStatistics(
                f"not an EES tidy CSV: it has no {column} column (its columns are "
                f"{', '.join(header[:8])}{' ...' if len(header) > 8 else ''})", path=name)
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise NotTidyStatistics(f"the column {duplicated[0]} appears twice", path=name)
    problems: list[Problem] = []
    rows = _complete_rows(name, header, records[1:], problems)
    candidates = [c for c in header if c not in TIME and c not in GEOGRAPHY and c]
    parsed = _parse_columns(header, rows, candidates if meta is None else
                            [c for c in candidates if c in meta and meta[c].kind == "Indicator"])
    layout = _layout(name, header, rows, candidates, parsed, meta)
    table = TidyTable(name, sha256, len(data), layout, [], problems)
    _read_rows(table, header, rows, parsed)
    return table


def _complete_rows(name: str, header: Sequence[str], body: Sequence[list[str]],
                   problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """Non-blank rows with as many cells as the header, with their line numbers."""
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(body, start=2):
        if len(record) == len(header):
            rows.append((number, record))
        elif any(cell.strip() for cell in record):
            problems.append(_problem(name, number, None, f"has {len(record)} cells where the "
                                     f"header has {len(header)} columns; the row is not read"))
    return rows


def _parse_columns(header: Sequence[str], rows: Sequence[tuple[int, list[str]]],
                   columns: Iterable[str]) -> dict[str, list[Cell | None]]:
    """Each column's cells read as figures or symbols (None: neither), once."""
    memo: dict[str, Cell | None] = {}
    parsed: dict[str, list[Cell | None]] = {}
    for column in columns:
        at = header.index(column)
        values: list[Cell | None] = []
        for _, record in rows:
            text = record[at]
            if text in memo:
                values.append(memo[text])
            else:
                values.append(memo.setdefault(text, parse_cell(text)))
        parsed[column] = values
    return parsed


def _layout(name: str, header: Sequence[str], rows: Sequence[tuple[int, list[str]]],
            candidates: Sequence[str], parsed: Mapping[str, Sequence[Cell | None]],
            meta: Mapping[str, MetaColumn] | None) -> TidyLayout:
    if meta is not None:
        indicators = [c for c in candidates if c in parsed]
    else:
        indicators = [c for c in candidates if _looks_like_figures(parsed[c])]
    if not indicators:
        raise NotTidyStatistics("no indicator column: no column holds figures", path=name)
    filters = tuple(c for c in candidates if c not in indicators)
    units = {c: (meta_unit(meta[c].unit) if meta and c in meta and meta[c].unit
                 else infer_unit(c)) for c in indicators}
    labels = {c: m.label for c, m in (meta or {}).items() if m.label and c in header}
    level_at = header.index("geographic_level")
    levels = tuple(sorted({record[level_at].strip() for _, record in rows}))
    return TidyLayout(filters, tuple(indicators), units, labels, levels)


def _looks_like_figures(values: Sequence[Cell | None]) -> bool:
    """Mostly figures or symbols, at least one a figure (a blank counts as unreadable)."""
    if not values:
        return False
    unreadable = values.count(None)
    numbers = sum(1 for value in values if type(value) is float)
    return numbers > 0 and len(values) - unreadable > INDICATOR_SHARE * len(values)


def _read_rows(table: TidyTable, header: Sequence[str], rows: Sequence[tuple[int, list[str]]],
               parsed: Mapping[str, Sequence[Cell | None]]) -> None:
    at = {column: position for position, column in enumerate(header)}
    layout = table.layout
    filter_at = [at[c] for c in layout.filters]
    columns = [parsed[c] for c in layout.indicators]
    bad_cells: Counter[str] = Counter()
    areas: dict[tuple[object, ...], Area] = {}
    area_at = {level: (at.get(code, -1), at.get(number, -1) if number else -1, at.get(name, -1))
               for level, (code, number, name) in _AREA_COLUMNS.items()}
    periods: dict[tuple[str, str], Period] = {}
    level_at, period_at, identifier_at = (at["geographic_level"], at["time_period"],
                                          at["time_identifier"])
    filter_values: dict[tuple[str, ...], tuple[str, ...]] = {}
    for index, (number, record) in enumerate(rows):
        level_text = record[level_at].strip()
        level = LEVEL_WORDS.get(level_text.casefold())
        if level is None:
            if level_text or any(cell.strip() for cell in record):
                table.skipped_levels[level_text or "(blank)"] += 1
            continue
        period_key = (record[period_at], record[identifier_at])
        period = periods.get(period_key)
        if period is None:
            try:
                period = periods[period_key] = parse_period(*period_key)
            except PeriodError as error:
                table.problems.append(_problem(table.path, number, "time_period", str(error)))
                continue
        area = _area(level, record, area_at[level], areas)
        cells = tuple([column[index] for column in columns])
        if None in cells:
            _report_cells(table, number, record, at, cells, bad_cells)
        raw = tuple([record[p] for p in filter_at])
        filters = filter_values.get(raw)
        if filters is None:
            filters = filter_values[raw] = tuple(value.strip() for value in raw)
        table.rows.append(TidyRow(number, period, area, filters, cells))
    for column, count in bad_cells.items():
        if count > MAX_PROBLEMS_PER_COLUMN:
            table.problems.append(_problem(
                table.path, None, column, f"{count - MAX_PROBLEMS_PER_COLUMN} more unreadable "
                "cells in this column, not listed one by one"))
    if table.skipped_levels:
        counts = ", ".join(f"{n} at {level!r}" for level, n in sorted(table.skipped_levels.items()))
        table.problems.append(Problem(
            ProblemKind.UNREADABLE_VALUE, f"rows at geographic levels ilacs does not read were "
            f"left out ({counts}); it reads national, regional and local authority rows",
            table.path, severity=Severity.WARNING))


def _report_cells(table: TidyTable, number: int, record: Sequence[str], at: Mapping[str, int],
                  cells: Sequence[Cell | None], bad_cells: Counter[str]) -> None:
    for column, value in zip(table.layout.indicators, cells, strict=True):
        if value is not None:
            continue
        bad_cells[column] += 1
        if bad_cells[column] > MAX_PROBLEMS_PER_COLUMN:
            continue
        shown = record[at[column]].strip()
        table.problems.append(_problem(
            table.path, number, column,
            f"{shown!r} is neither a figure nor a known symbol (c, x, z, k, low, u); nothing "
            "is stored for it" if shown else "blank where a figure or a symbol (c, x, z, k, "
            "low, u) belongs; nothing is stored for it"))


_AREA_COLUMNS: Mapping[AreaLevel, tuple[str, str, str]] = {
    AreaLevel.NATIONAL: ("country_code", "", "country_name"),
    AreaLevel.REGIONAL: ("region_code", "", "region_name"),
    AreaLevel.LOCAL_AUTHORITY: ("new_la_code", "old_la_code", "la_name"),
}


def _area(level: AreaLevel, record: Sequence[str], positions: tuple[int, int, int],
          known: dict[tuple[object, ...], Area]) -> Area:
    code_at, number_at, name_at = positions
    raw = (level, record[code_at] if code_at >= 0 else "",
           record[number_at] if number_at >= 0 else "", record[name_at] if name_at >= 0 else "")
    found = known.get(raw)
    if found is None:
        code, number, name = (str(value).strip() for value in raw[1:])
        if level is AreaLevel.NATIONAL:
            code, name = code or ENGLAND_CODE, name or "England"
        found = known[raw] = Area(level, code, number, name)
    return found


def _problem(path: str, row: int | None, column: str | None, message: str,
             severity: Severity = Severity.WARNING) -> Problem:
    return Problem(ProblemKind.UNREADABLE_VALUE, message, path, field=column, row=row,
                   severity=severity)
