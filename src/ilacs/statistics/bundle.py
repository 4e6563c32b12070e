"""The official figures ilacs ships, so `ilacs build` gives every LA its context offline.

The bundle holds the figures ilacs read from the shared DfE, ONS and MHCLG files (long
series: each row's period, place, filter values and figures, with suppressed figures as
their symbols), with each file's name, size and sha256, compressed with xz. It is written
by `scripts/build_statistics_bundle.py` and read back into the same `TidyTable`s the readers
produce, so the bundled figures take exactly the path loaded files take; a later
`ilacs statistics load` of the same file finds it unchanged (same sha256).
"""

from __future__ import annotations

import json
import lzma
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ilacs.errors import IlacsError, Problem, ProblemKind, Severity
from ilacs.statistics.geography import Area, AreaLevel
from ilacs.statistics.periods import Period
from ilacs.statistics.symbols import Cell, Missing
from ilacs.statistics.tidy import TidyLayout, TidyRow, TidyTable

BUNDLE_FILE = "bundled_statistics.json.xz"
BUNDLE_FORMAT = "ilacs-statistics"
BUNDLE_VERSION = 1


class InvalidStatisticsBundle(IlacsError):
    """The packaged statistics are malformed; rebuild them with the script."""


@dataclass(frozen=True)
class BundledTable:
    dataset: str
    location: str  # the file it was read from, relative to the shared reference folder
    table: TidyTable


def tables_to_bundle(tables: Sequence[tuple[str, str, TidyTable]]) -> dict[str, Any]:
    """(data set, location, table) triples as the bundle's JSON document (deterministic)."""
    return {"format": BUNDLE_FORMAT, "version": BUNDLE_VERSION, "datasets": [
        {"dataset": dataset, "location": location, "sha256": table.sha256, "size": table.size,
         "layout": table.layout.to_json(), "rows": [_row(row) for row in table.rows],
         "problems": [_problem(problem) for problem in table.problems]}
        for dataset, location, table in sorted(tables, key=lambda item: item[0])]}


def _row(row: TidyRow) -> list[Any]:
    return [row.number, row.period.code, row.period.year, row.period.identifier,
            row.area.level.value, row.area.code, row.area.la_code, row.area.name,
            list(row.filters), [_cell(cell) for cell in row.cells]]


def _problem(problem: Problem) -> dict[str, Any]:
    return {"kind": problem.kind.value, "message": problem.message, "field": problem.field,
            "row": problem.row, "severity": problem.severity.value}


def _cell(cell: Cell | None) -> float | int | str | None:
    if isinstance(cell, Missing):
        return cell.value
    if cell is not None and cell.is_integer():
        return int(cell)
    return cell


def compress(document: dict[str, Any]) -> bytes:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return lzma.compress(text.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME)


@lru_cache(maxsize=1)
def bundled_tables() -> tuple[BundledTable, ...]:
    """The tables packaged with ilacs (read once)."""
    resource = resources.files("ilacs.statistics").joinpath("data", BUNDLE_FILE)
    try:
        data = lzma.decompress(resource.read_bytes())
    except (OSError, lzma.LZMAError) as error:
        raise InvalidStatisticsBundle(f"cannot read the packaged statistics ({error}); run "
                                      "scripts/build_statistics_bundle.py",
                                      path=str(resource)) from error
    return tuple(bundle_to_tables(json.loads(data)))


def bundle_to_tables(document: dict[str, Any]) -> Iterable[BundledTable]:
    if document.get("format") != BUNDLE_FORMAT or document.get("version") != BUNDLE_VERSION:
        raise InvalidStatisticsBundle(
            f"not an ilacs statistics bundle of version {BUNDLE_VERSION} (format "
            f"{document.get('format')!r}, version {document.get('version')!r})")
    for item in document["datasets"]:
        layout = item["layout"]
        table = TidyTable(
            item["location"], item["sha256"], item["size"],
            TidyLayout(tuple(layout["filters"]), tuple(layout["indicators"]), layout["units"],
                       layout["labels"], tuple(layout["levels"])),
            [_read_row(row) for row in item["rows"]],
            [Problem(ProblemKind(p["kind"]), p["message"], item["location"], field=p["field"],
                     row=p["row"], severity=Severity(p["severity"]))
             for p in item.get("problems", [])])
        yield BundledTable(item["dataset"], item["location"], table)


def _read_row(row: list[Any]) -> TidyRow:
    number, code, year, identifier, level, area_code, la_code, name, filters, cells = row
    return TidyRow(number, Period(year, code, identifier),
                   Area(AreaLevel(level), area_code, la_code, name), tuple(filters),
                   tuple(_read_cell(cell) for cell in cells))


def _read_cell(cell: float | int | str | None) -> Cell | None:
    if isinstance(cell, str):
        return Missing(cell)
    return None if cell is None else float(cell)
