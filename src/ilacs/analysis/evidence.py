"""Grades and indicators, honestly: how each headline indicator sits beside the grade of the
inspection that followed, and whether figures move in the year of an inspection
(`ilacs analyse indicator-grades`, `ilacs analyse inspection-year`).

Decisions, stated once and printed with every answer:

- Inspections: full inspections under the single inspection framework (from November 2013)
  and ILACS (2018 on) that graded the judgement (through its family: see `grades.py`).
  Earlier inspections graded on another scale and are left out.
- The figure beside an inspection is the authority's latest figure counted before its first
  day on site, and no more than two years before: what was known when inspectors arrived.
- "Good or better" is outstanding and good; "worse" is requires improvement and inadequate.
- Effect size: Cliff's delta, the probability that an inspection graded good or better had
  a higher figure than one graded worse, minus the reverse (-1 to 1; 0: no difference).
- Intervals: 95 % percentile intervals from a bootstrap that resamples authorities, not
  inspections (an authority inspected twice is not two independent observations), with a
  fixed seed so the figures repeat.
- Inspection-year change: the change in an indicator from one year to the next, as
  100 x ln(this year / last year) (about the percentage change; for an indicator that is
  itself a percentage, its change in percentage points), less the median change of all
  authorities that year (so national trends cancel out). A year is an inspection year
  when a full inspection started in it (after the previous year's figures were counted, up
  to and including the day this year's were); the "year after" is the next one.

The data are ecological (authorities, not children), the groups are small, frameworks
changed in 2018 and 2023, and suppressed figures are left out: read every interval before
every estimate. See docs/analysis.md.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ilacs.analysis.grades import (
    GRADE_ORDER,
    TODAYS_SCALE_FRAMEWORKS,
    check_judgement,
    judgement_grade,
)
from ilacs.analysis.record import AnalysisRecord
from ilacs.analysis.statistics import la_subject, refers_to
from ilacs.errors import AnalysisError
from ilacs.extract.models import Grade
from ilacs.statistics.catalogue import Indicator

FRAMEWORKS = TODAYS_SCALE_FRAMEWORKS
MAX_AGE_DAYS = 730
RESAMPLES = 1000
SEED = 20261205
GOOD = frozenset({Grade.OUTSTANDING, Grade.GOOD})
BENNETT_INDICATORS = ("cin_rate", "cpp_start_rate", "cla_start_rate")
RELATIVE = "% change"  # 100 x ln(this year / last year): about the percentage change
PERCENTAGE_POINTS = "percentage points"


@dataclass(frozen=True)
class Interval:
    estimate: float | None
    low: float | None  # 95 % bootstrap interval
    high: float | None

    @property
    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (
            self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class GradeGroup:
    grade: Grade
    n: int
    median: float | None
    q1: float | None
    q3: float | None


@dataclass(frozen=True)
class GradeDistribution:
    indicator: str
    label: str
    direction: str
    judgement: str
    inspections: int
    authorities: int
    groups: tuple[GradeGroup, ...]  # best grade first
    good_or_better: int
    worse: int
    effect: Interval  # Cliff's delta, good or better against worse
    median_difference: float | None  # median of good or better minus median of worse
    reading: str


def grade_distribution(record: AnalysisRecord, key: str,
                       judgement: str = "overall_effectiveness") -> GradeDistribution:
    """The indicator's figures by the grade of the inspection that followed them."""
    indicator = _indicator(record, key)
    check_judgement(judgement)
    pairs = paired_figures(record, indicator, judgement)
    by_grade: dict[Grade, list[float]] = defaultdict(list)
    for _, grade, value in pairs:
        by_grade[grade].append(value)
    groups = tuple(GradeGroup(grade, len(values), *_quartiles(values))
                   for grade in GRADE_ORDER if (values := by_grade.get(grade)))
    clusters = _clusters([(urn, (grade in GOOD, value)) for urn, grade, value in pairs])
    effect = _cliffs_delta(clusters)
    difference = _median_difference(clusters)
    good = sum(1 for _, grade, _ in pairs if grade in GOOD)
    return GradeDistribution(
        indicator=key, label=indicator.label, direction=indicator.direction,
        judgement=judgement, inspections=len(pairs), authorities=len(clusters),
        groups=groups, good_or_better=good, worse=len(pairs) - good, effect=effect,
        median_difference=difference, reading=_read_effect(indicator, effect, good,
                                                           len(pairs) - good))


def paired_figures(record: AnalysisRecord, indicator: Indicator,
                   judgement: str) -> list[tuple[int, Grade, float]]:
    """(URN, grade, the figure known when inspectors arrived) for every graded inspection."""
    pairs = []
    for urn, rows in record.inspections_by_urn.items():
        for row in rows:
            found = judgement_grade(row, judgement)
            if row.framework not in FRAMEWORKS or found is None or row.date is None:
                continue
            point = record.statistics.before(indicator.key, la_subject(urn), row.date,
                                             MAX_AGE_DAYS)
            if point is not None and point.value is not None:
                pairs.append((urn, found[0], point.value))
    return pairs


def _indicator(record: AnalysisRecord, key: str) -> Indicator:
    found = record.statistics.catalogue.indicators_by_key.get(key)
    if found is None:
        raise AnalysisError(f"unknown indicator {key!r}; the catalogue has: "
                            f"{', '.join(record.statistics.catalogue.indicators_by_key)}")
    if not record.statistics.years(key):
        raise AnalysisError(f"the record holds no figures for {key}: `ilacs build` or "
                            "`ilacs statistics load` first")
    return found


def _quartiles(values: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return median, q1, q3


def _read_effect(indicator: Indicator, effect: Interval, good: int, worse: int) -> str:
    if effect.estimate is None or min(good, worse) < 5:
        return "Too few inspections in one of the groups to compare."
    higher = "higher" if effect.estimate > 0 else "lower"
    size = abs(effect.estimate)
    strength = ("negligible" if size < 0.147 else "small" if size < 0.33 else
                "medium" if size < 0.474 else "large")
    if not effect.excludes_zero:
        return (f"No clear difference: authorities graded good or better had {higher} "
                f"figures before inspection in the sample ({strength} effect), but the "
                "interval includes no difference at all.")
    reading = (f"Authorities graded good or better had {higher} figures before inspection "
               f"({strength} effect; the interval excludes no difference).")
    if indicator.direction != "none":
        better = (effect.estimate > 0) == (indicator.direction == "higher_is_better")
        reading += (" That is the better direction for this indicator." if better else
                    " That is the worse direction for this indicator.")
    return reading


# --- inspection-year change ---------------------------------------------------------------

@dataclass(frozen=True)
class ChangeGroup:
    label: str
    years: int  # authority-years
    authorities: int
    mean: Interval  # mean change less the year's median, in the result's `change_unit`


@dataclass(frozen=True)
class InspectionYearChange:
    indicator: str
    label: str
    judgement: str
    other_years: ChangeGroup
    inspection_year: ChangeGroup
    year_after: ChangeGroup
    by_grade: tuple[ChangeGroup, ...]  # inspection years, by the inspection's grade
    difference: Interval  # inspection years minus other years
    change_unit: str  # "% change" (rates and counts) or "percentage points" (percentages)
    reading: str


def inspection_year_change(record: AnalysisRecord, key: str,
                           judgement: str = "overall_effectiveness") -> InspectionYearChange:
    indicator = _indicator(record, key)
    check_judgement(judgement)
    rows = _changes(record, indicator, judgement)
    other = [(urn, change) for urn, change, kind, _ in rows if kind == "other"]
    during = [(urn, change) for urn, change, kind, _ in rows if kind == "inspection"]
    after = [(urn, change) for urn, change, kind, _ in rows if kind == "after"]
    groups = []
    for label, grades in (("good or better", GOOD),
                          ("requires improvement", frozenset({Grade.REQUIRES_IMPROVEMENT})),
                          ("inadequate", frozenset({Grade.INADEQUATE}))):
        chosen = [(urn, change) for urn, change, kind, grade in rows
                  if kind == "inspection" and grade in grades]
        groups.append(_change_group(f"inspection year, graded {label}", chosen))
    both = _clusters([(urn, (True, change)) for urn, change in during] +
                     [(urn, (False, change)) for urn, change in other])
    difference = _mean_difference(both)
    result = InspectionYearChange(
        indicator=key, label=indicator.label, judgement=judgement,
        other_years=_change_group("other years", other),
        inspection_year=_change_group("inspection year", during),
        year_after=_change_group("year after an inspection", after),
        by_grade=tuple(groups), difference=difference,
        change_unit=PERCENTAGE_POINTS if indicator.unit == "percent" else RELATIVE, reading="")
    return InspectionYearChange(**{**result.__dict__, "reading": _read_change(result)})


def _changes(record: AnalysisRecord, indicator: Indicator, judgement: str
             ) -> list[tuple[int, float, str, Grade | None]]:
    """(URN, adjusted change, inspection/after/other, the inspection's grade) per year."""
    stats, catalogue = record.statistics, record.statistics.catalogue
    raw: list[tuple[int, int, float]] = []
    for authority in record.register.all(include_defunct=True):
        points = {p.year: p.value for p in stats.series(indicator.key, la_subject(authority.urn))}
        for year, value in points.items():
            before = points.get(year - 1)
            if value is None or before is None:
                continue
            if indicator.unit == "percent":  # a share: its change in points, not relative
                raw.append((authority.urn, year, value - before))
            elif value > 0 and before > 0:
                raw.append((authority.urn, year, 100 * math.log(value / before)))
    medians = {year: statistics.median(c for _, y, c in raw if y == year)
               for year in {y for _, y, _ in raw}}
    # each year's reference date, the same for every authority: worked out once a year
    dated = {year: refers_to(catalogue, indicator, year)
             for year in {y + step for _, y, _ in raw for step in (-2, -1, 0)}}
    found = []
    for urn, year, change in raw:
        window = (dated[year - 1], dated[year])
        previous = (dated[year - 2], window[0])
        during = _inspected(record, urn, window, judgement)
        kind, grade = ("inspection", during[0]) if during else (
            ("after", None) if _inspected(record, urn, previous, judgement) else ("other", None))
        found.append((urn, change - medians[year], kind, grade))
    return found


def _inspected(record: AnalysisRecord, urn: int, window: tuple[date, date],
               judgement: str) -> list[Grade | None]:
    """The grades of full inspections that started in (start, end]."""
    grades: list[Grade | None] = []
    for row in record.inspections_by_urn.get(urn, ()):
        if row.framework in FRAMEWORKS and row.date and window[0] < row.date <= window[1]:
            found = judgement_grade(row, judgement)
            grades.append(found[0] if found else None)
    return grades


def _change_group(label: str, rows: Sequence[tuple[int, float]]) -> ChangeGroup:
    clusters = _clusters([(urn, (True, change)) for urn, change in rows])
    return ChangeGroup(label, len(rows), len(clusters), _mean(clusters))


def _read_change(result: InspectionYearChange) -> str:
    difference = result.difference
    if difference.estimate is None:
        return "Too few inspection years to compare."
    moved = "rose more" if difference.estimate > 0 else "rose less (or fell more)"
    unit = result.change_unit
    if not difference.excludes_zero:
        verdict = (f"In inspection years the indicator {moved} than in other years in the "
                   f"sample ({difference.estimate:+.1f} {unit}), but the interval "
                   f"({difference.low:+.1f} to {difference.high:+.1f}) includes no difference.")
    else:
        verdict = (f"In inspection years the indicator {moved} than in other years: "
                   f"{difference.estimate:+.1f} {unit} ({difference.low:+.1f} to "
                   f"{difference.high:+.1f}).")
    ordered = [g.mean.estimate for g in result.by_grade if g.years >= 5]
    if len(ordered) == 3 and ordered[0] is not None and ordered[2] is not None:
        worse_higher = ordered[2] > ordered[0]
        verdict += (" Rises were larger after an inadequate judgement than after good or "
                    "better." if worse_higher else " Rises were not larger after an inadequate "
                    "judgement than after good or better.")
    return verdict


@dataclass(frozen=True)
class BennettCheck:
    """Whether Bennett et al. (2022) reproduces on this record, indicator by indicator."""

    results: tuple[InspectionYearChange, ...]
    verdict: str


def bennett_check(record: AnalysisRecord) -> BennettCheck:
    results = tuple(inspection_year_change(record, key) for key in BENNETT_INDICATORS
                    if record.statistics.years(key))
    rises = [r for r in results if r.difference.excludes_zero and
             (r.difference.estimate or 0) > 0]
    graded = [r for r in results if _worse_rises_more(r)]
    if not results:
        verdict = "No figures for children in need, protection plans or care entry."
    elif len(rises) == len(results) and len(graded) == len(results):
        verdict = ("Reproduces: every measure rose more in inspection years, and more after "
                   "worse judgements.")
    elif rises or graded:
        verdict = (f"Partly reproduces: {len(rises)} of {len(results)} measures rose clearly "
                   f"more in inspection years; in {len(graded)} of {len(results)} the rise "
                   "was larger after worse judgements.")
    else:
        verdict = ("Does not reproduce on this record: no measure rose clearly more in "
                   "inspection years, and rises were not larger after worse judgements.")
    return BennettCheck(results, verdict)


def _worse_rises_more(result: InspectionYearChange) -> bool:
    good, _, inadequate = (g.mean.estimate for g in result.by_grade)
    return good is not None and inadequate is not None and inadequate > good


# --- the bootstrap ----------------------------------------------------------------------------
# Resampling authorities: each resample draws K authorities with replacement, so an
# authority counts `weight` times (0, 1, 2 ...). Every statistic below is written in terms
# of per-authority totals, so a thousand resamples are a few matrix products, not loops.

Cluster = tuple[np.ndarray, np.ndarray]  # one authority's (flags, values)


def _clusters(rows: Sequence[tuple[int, tuple[bool, float]]]) -> list[Cluster]:
    grouped: dict[int, list[tuple[bool, float]]] = defaultdict(list)
    for urn, item in rows:
        grouped[urn].append(item)
    return [(np.array([f for f, _ in items], dtype=bool), np.array([v for _, v in items]))
            for _, items in sorted(grouped.items())]


def _weights(count: int) -> np.ndarray:
    """RESAMPLES x `count` weights: how often each authority is drawn in each resample."""
    rng = np.random.default_rng(SEED)
    chosen = rng.integers(0, count, size=(RESAMPLES, count))
    # each draw counted in its (resample, authority) cell: one bincount, where np.add.at
    # took eight times as long (and every indicator page draws a dozen sets)
    cells = (np.arange(RESAMPLES)[:, None] * count + chosen).ravel()
    return np.bincount(cells, minlength=RESAMPLES * count).reshape(RESAMPLES, count) \
        .astype(float)


def _interval(estimate: float | None, samples: np.ndarray) -> Interval:
    """The estimate with the 95 % percentile interval of the resamples that had one."""
    if estimate is None:
        return Interval(None, None, None)
    kept = samples[np.isfinite(samples)]
    if len(kept) < RESAMPLES // 2:
        return Interval(estimate, None, None)
    low, high = np.percentile(kept, [2.5, 97.5])
    return Interval(estimate, float(low), float(high))


def _cliffs_delta(clusters: Sequence[Cluster]) -> Interval:
    """Cliff's delta of flagged (good or better) against unflagged values, with its interval.

    With D[c, d] the sum of sign(good value - worse value) over the pairs of a good-or-better
    inspection of authority c and a worse one of d, a resample weighting authorities by w
    has delta = w D w / ((w . goods) (w . worse))."""
    if not clusters:
        return Interval(None, None, None)
    good = [c[1][c[0]] for c in clusters]
    worse = [c[1][~c[0]] for c in clusters]
    goods = np.array([len(v) for v in good], dtype=float)
    worses = np.array([len(v) for v in worse], dtype=float)
    if not goods.sum() or not worses.sum():
        return Interval(None, None, None)
    all_good = np.concatenate(good)
    all_worse = np.concatenate(worse)
    signs = np.sign(all_good[:, None] - all_worse[None, :])
    good_owner = np.repeat(np.arange(len(clusters)), goods.astype(int))
    worse_owner = np.repeat(np.arange(len(clusters)), worses.astype(int))
    pairs = np.zeros((len(clusters), len(clusters)))
    np.add.at(pairs, (good_owner[:, None], worse_owner[None, :]), signs)
    estimate = float(pairs.sum() / (goods.sum() * worses.sum()))
    weights = _weights(len(clusters))
    # w D w for every resample as one matrix product (einsum's loop took ten times as
    # long); weights and pairs are whole numbers, so any order of the sums is exact
    numerator = ((weights @ pairs) * weights).sum(axis=1)
    denominator = (weights @ goods) * (weights @ worses)
    with np.errstate(divide="ignore", invalid="ignore"):
        samples = numerator / denominator
    return _interval(estimate, samples)


def _mean(clusters: Sequence[Cluster]) -> Interval:
    """The mean of all values, with its interval."""
    if not clusters:
        return Interval(None, None, None)
    sums = np.array([c[1].sum() for c in clusters])
    sizes = np.array([len(c[1]) for c in clusters], dtype=float)
    weights = _weights(len(clusters))
    with np.errstate(divide="ignore", invalid="ignore"):
        samples = (weights @ sums) / (weights @ sizes)
    return _interval(float(sums.sum() / sizes.sum()), samples)


def _mean_difference(clusters: Sequence[Cluster]) -> Interval:
    """The mean of flagged values less the mean of the others, with its interval."""
    if not clusters:
        return Interval(None, None, None)
    first = np.array([c[1][c[0]].sum() for c in clusters])
    first_n = np.array([c[0].sum() for c in clusters], dtype=float)
    second = np.array([c[1][~c[0]].sum() for c in clusters])
    second_n = np.array([(~c[0]).sum() for c in clusters], dtype=float)
    if not first_n.sum() or not second_n.sum():
        return Interval(None, None, None)
    estimate = float(first.sum() / first_n.sum() - second.sum() / second_n.sum())
    weights = _weights(len(clusters))
    with np.errstate(divide="ignore", invalid="ignore"):
        samples = (weights @ first) / (weights @ first_n) - (weights @ second) / (
            weights @ second_n)
    return _interval(estimate, samples)


def _median_difference(clusters: Sequence[Cluster]) -> float | None:
    """The median of flagged values less the median of the others (no interval: medians do
    not resample as totals do; Cliff's delta carries the interval)."""
    good = [v for c in clusters for v in c[1][c[0]]]
    worse = [v for c in clusters for v in c[1][~c[0]]]
    if not good or not worse:
        return None
    return float(np.median(good) - np.median(worse))
