"""When each authority's next full inspection is due, under the rules of the time.

The rules (ILACS framework, Ofsted, from January 2018, as revised in 2022 and April 2026;
summarised in docs/analysis.md):
- overall effectiveness good or outstanding: a *short* inspection about three years after
  the last one, within six months either side; a focused visit in between;
- requires improvement to be good: a *standard* inspection about three years on, with the
  same six months either side; a focused visit in between;
- inadequate: monitoring visits (one to three a year), then a *standard* re-inspection once
  they show enough progress: the window is 18 to 42 months, the spread seen in practice;
- from April 2026 there is no overall effectiveness: any inadequate judgement brings the
  inadequate rule; otherwise leaders and at least two of the three practice judgements
  (help and protection, children in care, care leavers) good or better bring a short
  inspection and a focused visit, and anything else a standard inspection with no focused
  visit.
Windows run from the last day on site. Ofsted paused routine inspection from 17 March 2020
until ILACS inspections resumed in April 2021; a window reaching into that pause is pushed
back by the pause's length, as Ofsted's schedule was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from ilacs.analysis.grades import GRADE_SCORE, judgement_grade
from ilacs.analysis.record import AnalysisRecord
from ilacs.analysis.trends import MONTH_DAYS
from ilacs.extract.frameworks import load_frameworks
from ilacs.extract.models import Grade
from ilacs.store.rows import InspectionRow

PAUSE_START, PAUSE_END = date(2020, 3, 17), date(2021, 4, 12)
_PRACTICE = ("help_and_protection", "children_in_care", "care_leavers")


@dataclass(frozen=True)
class Rule:
    key: str  # "good_or_better", "requires_improvement", "inadequate", "2026_*"
    next_type: str  # "short" or "standard"
    from_months: int
    to_months: int
    focused_visit: bool
    monitoring_visits: bool
    citation: str


RULES = {
    "good_or_better": Rule(
        "good_or_better", "short", 30, 42, True, False,
        "ILACS framework: good or outstanding authorities receive a short inspection about "
        "three years after the last day on site of their last inspection (six months either "
        "side), with a focused visit in between"),
    "requires_improvement": Rule(
        "requires_improvement", "standard", 30, 42, True, False,
        "ILACS framework: authorities that require improvement to be good receive a standard "
        "inspection about three years after the last day on site of their last inspection, "
        "with a focused visit in between"),
    "inadequate": Rule(
        "inadequate", "standard", 18, 42, False, True,
        "ILACS framework: inadequate authorities receive monitoring visits (one to three a "
        "year) and a standard re-inspection when those show enough progress"),
    "2026_focused": Rule(
        "2026_focused", "short", 30, 42, True, False,
        "ILACS from April 2026: good or better on leaders and on at least two of the three "
        "practice judgements brings a short inspection about three years after the last day "
        "on site, and a focused visit in between"),
    "2026_standard": Rule(
        "2026_standard", "standard", 30, 42, False, False,
        "ILACS from April 2026: authorities not good on leaders and two practice judgements "
        "receive a standard inspection about three years after the last day on site, without "
        "a focused visit"),
}


@dataclass(frozen=True)
class Due:
    urn: int
    name: str
    last: InspectionRow
    rule: Rule
    opens: date
    closes: date
    status: str  # "not yet open", "open", "overdue" (relative to the record's horizon)


@dataclass(frozen=True)
class BacktestCase:
    urn: int
    before: InspectionRow
    after: InspectionRow | None
    rule: Rule
    opens: date
    closes: date
    outcome: str  # "inside", "early", "late", "not yet seen" (window closed, none recorded)


@dataclass(frozen=True)
class Backtest:
    cases: tuple[BacktestCase, ...]

    @property
    def counts(self) -> Counter[str]:
        return Counter(case.outcome for case in self.cases)

    @property
    def observed(self) -> int:
        return sum(self.counts[o] for o in ("inside", "early", "late"))

    @property
    def inside_share(self) -> float:
        return round(100 * self.counts["inside"] / self.observed, 1) if self.observed else 0.0

    def cohort(self, before_pause: bool) -> Backtest:
        """Only the windows set by inspections before (or after) the 2020-21 pause: the
        backlog it left makes the rule a poor guide for the first, a good one since."""
        return Backtest(tuple(c for c in self.cases if c.before.date is not None and
                              (c.before.date < PAUSE_START) == before_pause))


def rule_for(inspection: InspectionRow) -> Rule | None:
    """The rule that set the next inspection after this one (None before ILACS): the one its
    framework file names (`schedule`)."""
    schedule = _schedules().get(inspection.framework or "")
    if schedule is None:
        return None
    if schedule == "overall_grade":
        overall = judgement_grade(inspection, "overall_effectiveness")
        if overall is None:
            return None
        if overall[0] is Grade.INADEQUATE:
            return RULES["inadequate"]
        if GRADE_SCORE[overall[0]] >= GRADE_SCORE[Grade.GOOD]:
            return RULES["good_or_better"]
        return RULES["requires_improvement"]
    grades = [g[0] for key in ("impact_of_leaders", *_PRACTICE)
              if (g := judgement_grade(inspection, key))]
    if not grades:
        return None
    if Grade.INADEQUATE in grades:
        return RULES["inadequate"]
    leaders = judgement_grade(inspection, "impact_of_leaders")
    good_practice = sum(1 for key in _PRACTICE if (g := judgement_grade(inspection, key))
                        and GRADE_SCORE[g[0]] >= GRADE_SCORE[Grade.GOOD])
    if leaders and GRADE_SCORE[leaders[0]] >= GRADE_SCORE[Grade.GOOD] and good_practice >= 2:
        return RULES["2026_focused"]
    return RULES["2026_standard"]


@cache
def _schedules() -> dict[str, str | None]:
    return {framework.id: framework.schedule for framework in load_frameworks()}


def window(inspection: InspectionRow, rule: Rule) -> tuple[date, date]:
    start = inspection.inspection_end or inspection.date
    assert start is not None
    opens = _add_months(start, rule.from_months)
    closes = _add_months(start, rule.to_months)
    if start < PAUSE_END and closes >= PAUSE_START:
        pause = PAUSE_END - PAUSE_START
        opens, closes = (opens + pause if opens >= PAUSE_START else opens), closes + pause
    return opens, closes


def next_due(record: AnalysisRecord) -> list[Due]:
    """Every active authority's next full inspection window, soonest first."""
    horizon = record.as_of or date.today()
    due = []
    for authority in record.register.all():
        last = record.latest_inspection(authority.urn)
        rule = rule_for(last) if last else None
        if last is None or rule is None:
            continue
        opens, closes = window(last, rule)
        status = ("not yet open" if horizon < opens else
                  "open" if horizon <= closes else "overdue")
        due.append(Due(authority.urn, authority.name, last, rule, opens, closes, status))
    return sorted(due, key=lambda d: (d.opens, d.name))


def backtest(record: AnalysisRecord) -> Backtest:
    """Apply the rules to every ILACS inspection and compare with the next one recorded."""
    horizon = record.as_of or date.today()
    cases = []
    for urn, rows in sorted(record.inspections_by_urn.items()):
        for position, before in enumerate(rows):
            rule = rule_for(before)
            if rule is None:
                continue
            opens, closes = window(before, rule)
            after = rows[position + 1] if position + 1 < len(rows) else None
            if after is None:
                if closes < horizon:
                    cases.append(BacktestCase(urn, before, None, rule, opens, closes,
                                              "not yet seen"))
                continue
            assert after.date is not None
            outcome = ("early" if after.date < opens else
                       "late" if after.date > closes else "inside")
            cases.append(BacktestCase(urn, before, after, rule, opens, closes, outcome))
    return Backtest(tuple(cases))


def _add_months(start: date, months: int) -> date:
    return start + timedelta(days=round(months * MONTH_DAYS))


def backtest_report(record: AnalysisRecord) -> dict[str, Any]:
    """`ilacs analyse backtest`: the share inside the window, overall and either side of the
    2020-21 pause, and every case."""
    result = backtest(record)
    summary = {name: {"inside_share": part.inside_share, "observed": part.observed,
                      "counts": dict(part.counts)}
               for name, part in (("all", result), ("before_pause", result.cohort(True)),
                                  ("since_pause", result.cohort(False)))}
    return {"summary": summary, "cases": result.cases}
