"""Reconciling the record with Ofsted's official outcomes table, field by field.

Scope: the table covers inspections on site by its "as at" date whose report was published
by its cut-off (both read from its cover sheet). Records outside that scope are not
compared: a report published after the cut-off cannot be in the table.

Three comparisons, each listing every disagreement by LA and field:
- `ILACS_inspection_history`: every ILACS inspection, both ways (in the table and not the
  record; in the record and not the table), then dates, type and each grade;
- `Inspections_as_at_31_March`: each LA's latest judgements at the "as at" date;
- `In-year_inspections`: the year's inspections and visits (visit theme and kind).

A disagreement is explained when the known-differences file (`known_differences.yaml`,
documented there) lists it with its reason; `unexplained` counts the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from ilacs.analysis.grades import ILACS_FRAMEWORKS
from ilacs.analysis.jsonable import jsonable
from ilacs.analysis.official import (
    HISTORY_SHEET,
    IN_YEAR_SHEET,
    LATEST_SHEET,
    OfficialRow,
    OfficialTable,
)
from ilacs.analysis.record import AnalysisRecord
from ilacs.errors import AnalysisError
from ilacs.extract.visit_themes import FOCUSED_VISIT_THEMES
from ilacs.store.rows import InspectionRow
from ilacs.store.story import VisitRow

_OFFICIAL_FAMILIES: Mapping[str, tuple[str, ...]] = {
    # The table files the 2018 framework's combined judgement under children in care and
    # leaves care leavers blank before 2023; compare like with like.
    "overall_effectiveness": ("overall_effectiveness",),
    "impact_of_leaders": ("impact_of_leaders",),
    "help_and_protection": ("help_and_protection",),
    "children_in_care": ("children_in_care", "children_in_care_and_care_leavers"),
    "care_leavers": ("care_leavers",),
}
_THEME_LABELS = {theme.key: theme.label for theme in FOCUSED_VISIT_THEMES}
_VISIT_KINDS = {"focused visit": "focused_visit", "monitoring visit": "monitoring_visit"}


@dataclass(frozen=True)
class Disagreement:
    sheet: str
    ons_code: str
    la_name: str
    urn: int | None
    date: date | None  # the official row's inspection or visit date (else the record's)
    field: str
    official: str | None
    record: str | None
    document_path: str | None = None
    reason: str | None = None  # from the known-differences file; None = unexplained


@dataclass(frozen=True)
class Reconciliation:
    compared: int  # official rows compared
    disagreements: tuple[Disagreement, ...]

    @property
    def unexplained(self) -> int:
        return sum(1 for d in self.disagreements if d.reason is None)

    def as_json(self) -> dict[str, object]:
        return {"compared": self.compared, "disagreements": jsonable(self.disagreements),
                "unexplained": self.unexplained}


def reconcile(record: AnalysisRecord, table: OfficialTable,
              known: Iterable[Mapping[str, str]] = ()) -> Reconciliation:
    urns = _urns_by_code(record, table)
    in_scope = [row for row in record.inspections if row.framework in ILACS_FRAMEWORKS
                and _in_scope(row, table)]
    found: list[Disagreement] = []
    found += _history(table, urns, in_scope, record)
    found += _latest(table, urns, in_scope)
    found += _in_year(table, urns, in_scope, record)
    reasons = _reasons(known)
    explained = tuple(replace(d, reason=reasons.get(_key(d))) for d in found)
    compared = len(table.history) + len(table.latest) + len(table.in_year)
    return Reconciliation(compared, explained)


def _urns_by_code(record: AnalysisRecord, table: OfficialTable) -> dict[str, int]:
    """URN for each ONS code the table uses. Where the table keeps a code the register has
    replaced (Barnsley's and Sheffield's changed in 2021), the LA is found by its name."""
    urns = {a.ons_code: a.urn for a in record.register.all(include_defunct=True)}
    for row in (*table.history, *table.latest, *table.in_year):
        if row.ons_code not in urns and row.status != "No longer exists" and (
                found := record.register.match(row.la_name)):
            urns[row.ons_code] = found.urn
    return urns


def load_known_differences(path: Path | None = None) -> list[dict[str, str]]:
    """The documented known differences (the packaged file unless `path` is given)."""
    if path is None:
        text = resources.files("ilacs.analysis").joinpath("known_differences.yaml").read_text(
            "utf-8")
        where = "known_differences.yaml"
    else:
        try:
            text = path.read_text("utf-8")
        except OSError as error:
            raise AnalysisError(f"cannot read the known differences: {error}",
                                str(path)) from error
        where = str(path)
    try:
        entries = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        raise AnalysisError(f"not valid YAML: {error}", where) from error
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise AnalysisError("expected a list of entries (sheet, ons_code, date, field, "
                            "reason)", where)
    for number, entry in enumerate(entries, 1):
        missing = [k for k in ("sheet", "ons_code", "field", "reason") if not entry.get(k)]
        if missing:
            raise AnalysisError(f"entry {number} lacks {', '.join(missing)}", where)
    return [{k: str(v) for k, v in entry.items()} for entry in entries]


def _key(d: Disagreement | Mapping[str, str]) -> tuple[str, str, str, str]:
    if isinstance(d, Disagreement):
        return (d.sheet, d.ons_code, d.date.isoformat() if d.date else "", d.field)
    return (d["sheet"], d["ons_code"], d.get("date", ""), d["field"])


def _reasons(known: Iterable[Mapping[str, str]]) -> dict[tuple[str, str, str, str], str]:
    return {_key(entry): entry["reason"] for entry in known}


def _in_scope(row: InspectionRow, table: OfficialTable) -> bool:
    on_site = row.inspection_start or row.date
    if on_site is None or (table.as_at and on_site > table.as_at):
        return False
    return not (table.published_by and row.publication_date
                and row.publication_date > table.published_by)


def _match(rows: Iterable[InspectionRow], urn: int | None, when: date | None,
           ) -> InspectionRow | None:
    """The record's inspection of `urn` that began on `when` (or within a week of it)."""
    if urn is None or when is None:
        return None
    candidates = [r for r in rows if r.urn == urn and r.inspection_start is not None
                  and abs((r.inspection_start - when).days) <= 7]
    return min(candidates, key=lambda r: abs((r.inspection_start or when) - when),
               default=None)


def _compare(sheet: str, official: OfficialRow, urn: int | None,
             row: InspectionRow) -> list[Disagreement]:
    def differ(field: str, theirs: object, ours: object) -> Disagreement:
        return Disagreement(sheet, official.ons_code, official.la_name, urn,
                            official.inspection_date, field, _text(theirs), _text(ours),
                            row.document_path)

    found = []
    if official.inspection_date != row.inspection_start:
        found.append(differ("inspection_date", official.inspection_date, row.inspection_start))
    if official.publication_date and official.publication_date != row.publication_date:
        found.append(differ("publication_date", official.publication_date,
                            row.publication_date))
    kind = (official.event_type or "").casefold()
    ours_type = row.inspection_type.value if row.inspection_type else None
    for word in ("standard", "short"):
        if word in kind and ours_type != word:
            found.append(differ("inspection_type", word, ours_type))
    for key, family in _OFFICIAL_FAMILIES.items():
        theirs = official.grades.get(key)
        got = next((g for k in family if (g := row.grade_of(k)) is not None), None)
        ours = got.value if got else None
        if theirs != ours and not (theirs is None and key == "care_leavers"
                                   and row.grade_of("children_in_care_and_care_leavers")):
            found.append(differ(key, theirs, ours))
    return found


def _missing(sheet: str, official: OfficialRow, urn: int | None) -> Disagreement:
    return Disagreement(sheet, official.ons_code, official.la_name, urn,
                        official.inspection_date, "inspection",
                        official.event_type or "inspection", None)


def _history(table: OfficialTable, urns: Mapping[str, int], rows: list[InspectionRow],
             record: AnalysisRecord) -> list[Disagreement]:
    found: list[Disagreement] = []
    matched: set[int] = set()
    for official in table.history:
        urn = urns.get(official.ons_code)
        row = _match(rows, urn, official.inspection_date)
        if row is None:
            found.append(_missing(HISTORY_SHEET, official, urn))
            continue
        matched.add(row.id)
        found += _compare(HISTORY_SHEET, official, urn, row)
    codes = {urn: code for code, urn in urns.items()}  # the table's code where it has one
    names = {a.urn: a.name for a in record.register.all(include_defunct=True)}
    for row in rows:
        if row.id not in matched and row.urn in names:
            found.append(Disagreement(HISTORY_SHEET, codes.get(row.urn, ""), names[row.urn],
                                      row.urn, row.inspection_start, "inspection", None,
                                      "inspection", row.document_path))
    return found


def _latest(table: OfficialTable, urns: Mapping[str, int],
            rows: list[InspectionRow]) -> list[Disagreement]:
    found: list[Disagreement] = []
    for official in table.latest:
        urn = urns.get(official.ons_code)
        mine = sorted((r for r in rows if r.urn == urn and r.inspection_start),
                      key=lambda r: r.inspection_start or date.min)
        if not mine:
            found.append(_missing(LATEST_SHEET, official, urn))
            continue
        found += _compare(LATEST_SHEET, official, urn, mine[-1])
    return found


def _in_year(table: OfficialTable, urns: Mapping[str, int], rows: list[InspectionRow],
             record: AnalysisRecord) -> list[Disagreement]:
    found: list[Disagreement] = []
    for official in table.in_year:
        urn = urns.get(official.ons_code)
        kind = (official.event_type or "").casefold()
        visit_kind = next((v for k, v in _VISIT_KINDS.items() if k in kind), None)
        if visit_kind is None:
            row = _match(rows, urn, official.inspection_date)
            found += (_compare(IN_YEAR_SHEET, official, urn, row) if row
                      else [_missing(IN_YEAR_SHEET, official, urn)])
            continue
        visit = _match_visit(record.visits_by_urn.get(urn or -1, ()), visit_kind,
                             official.inspection_date)
        if visit is None:
            found.append(_missing(IN_YEAR_SHEET, official, urn))
            continue
        theirs, ours = official.visit_theme, _THEME_LABELS.get(visit.focus_theme or "")
        if theirs and theirs != ours:
            found.append(Disagreement(IN_YEAR_SHEET, official.ons_code, official.la_name, urn,
                                      official.inspection_date, "visit_theme", theirs,
                                      ours or visit.focus_theme, visit.document_path))
    return found


def _match_visit(visits: Iterable[VisitRow], kind: str, when: date | None) -> VisitRow | None:
    if when is None:
        return None
    return next((v for v in visits if v.kind == kind and v.visit_start
                 and abs((date.fromisoformat(v.visit_start) - when).days) <= 7), None)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)
