"""The Context section of an authority's page: its official figures beside its neighbours,
region and England, its inspections on the same time axis, and the expected grade of its
next inspection beside the model's back-test. Also the CSV of the section's numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ilacs.analysis.context import (
    AuthorityContext,
    IndicatorContext,
    TimelineMark,
    authority_context,
)
from ilacs.analysis.expected import Scores
from ilacs.analysis.grades import JUDGEMENT_NAMES
from ilacs.extract.models import Grade
from ilacs.web import urls
from ilacs.web.snapshot import Snapshot

NO_STATISTICS = (
    "This record holds no official statistics. `ilacs build` loads the bundled DfE, ONS and "
    "spend figures; `ilacs statistics load FOLDER` reads EES files."
)


@dataclass(frozen=True)
class ExpectedJudgement:
    judgement: str
    name: str
    previous: Grade
    probabilities: dict[Grade, float]
    expected: Grade
    beats_baselines: bool
    verdict: str
    tested: int  # inspections predicted one year ahead in the back-test
    model: Scores
    best_baseline: str
    baseline: Scores


@dataclass(frozen=True)
class ContextSection:
    available: bool
    message: str | None
    groups: tuple[str, ...]  # indicator groups, in catalogue order
    charts: tuple[IndicatorContext, ...]  # indicators with figures for several years
    single_year: tuple[IndicatorContext, ...]  # indicators published for one year only
    marks: tuple[TimelineMark, ...]
    neighbours: dict[str, tuple[str, ...]]  # names, by neighbour model
    ranking_rule: str
    neighbour_rule: str
    csv_url: str
    expected: tuple[ExpectedJudgement, ...]


def context_section(snapshot: Snapshot, urn: int) -> ContextSection:
    if snapshot.record.statistics.empty:
        return ContextSection(False, NO_STATISTICS, (), (), (), (), {}, "", "",
                              urls.authority_context_csv(urn), ())
    found = _context(snapshot, urn)
    items = [item for item in found.indicators if item.latest is not None]
    charts = tuple(item for item in items if len({y.year for y in item.years}) > 1)
    single = tuple(item for item in items if item not in charts)
    groups = tuple(dict.fromkeys(item.group for item in items))
    return ContextSection(
        available=True, message=None, groups=groups, charts=charts, single_year=single,
        marks=found.marks,
        neighbours={model: tuple(ref.name for ref in refs)
                    for model, refs in found.neighbours.items()},
        ranking_rule=found.ranking_rule, neighbour_rule=found.neighbour_rule,
        csv_url=urls.authority_context_csv(urn),
        expected=tuple(_expected(snapshot, urn)))


def _context(snapshot: Snapshot, urn: int) -> AuthorityContext:
    interventions = [item for item in snapshot.interventions if item.urn == urn]
    return snapshot.memo(("context", urn), lambda: authority_context(
        snapshot.record, urn, interventions))


def _expected(snapshot: Snapshot, urn: int) -> list[ExpectedJudgement]:
    found = []
    for judgement, result in snapshot.expected.items():
        prediction = next((p for p in result.predictions if p.urn == urn), None)
        if prediction is None or result.pooled is None:
            continue
        pooled = result.pooled
        best = min((("same as last time", pooled.same_as_last_time),
                    ("most common grade", pooled.most_common),
                    ("how grades moved", pooled.transitions)), key=lambda item: item[1].brier)
        found.append(ExpectedJudgement(
            judgement, JUDGEMENT_NAMES[judgement], prediction.previous,
            prediction.probabilities, prediction.expected, result.beats_baselines,
            result.verdict, pooled.test, pooled.model, best[0], best[1]))
    return found


CSV_COLUMNS = ("authority", "urn", "indicator", "label", "unit", "period", "year", "value",
               "missing", "missing_note", "neighbour_model", "neighbours_with_value",
               "neighbours_lower_quartile", "neighbours_median", "neighbours_upper_quartile",
               "region", "england", "rank_in_neighbours", "of", "rank_in_england",
               "of_england")


def context_csv(snapshot: Snapshot, urn: int, indicator: str | None = None) -> str:
    """The section's numbers, one row per indicator and year (one indicator if named)."""
    found = _context(snapshot, urn)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in found.indicators:
        if indicator is not None and item.key != indicator:
            continue
        for year in item.years:
            writer.writerow([found.name, urn, item.key, item.label, item.unit, year.period,
                             year.year, _cell(year.value), year.missing if year.value is None
                             else "", year.missing_note if year.value is None else "",
                             year.neighbour_model, year.neighbours_with_value,
                             _cell(year.neighbours_q1), _cell(year.neighbours_median),
                             _cell(year.neighbours_q3), _cell(year.region),
                             _cell(year.england), year.rank or "", year.rank_of or "",
                             year.england_rank or "", year.england_of or ""])
    return out.getvalue()


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"
