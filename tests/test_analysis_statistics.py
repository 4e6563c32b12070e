"""Grades read beside the official statistics: an LA's context, one indicator across England,
figures by the grade that followed, the inspection-year change and the expected grade. Small
records whose answers are worked out by hand, then the bundled record (`ilacs build`)."""

from __future__ import annotations

import math
import sqlite3
import statistics
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from analysis_records import REGISTER, figure, inspection, record, urn_of
from ilacs.analysis.context import authority_context, competition_rank
from ilacs.analysis.evidence import (
    BENNETT_INDICATORS,
    RESAMPLES,
    SEED,
    _cliffs_delta,
    _interval,
    _weights,
    bennett_check,
    grade_distribution,
    inspection_year_change,
)
from ilacs.analysis.expected import (
    GRADES,
    _labels,
    _matrix,
    expected_grades,
    fit_model,
    inspection_cases,
    neg_log_loss,
)
from ilacs.analysis.indicators import indicator_view
from ilacs.analysis.record import AnalysisRecord, load_record
from ilacs.errors import AnalysisError
from ilacs.extract.models import Grade

GOOD = ["Kent", "Surrey", "Essex", "Hampshire", "Suffolk"]
WORSE = ["Medway", "Slough", "Croydon", "Sandwell", "Sunderland"]


def test_figures_by_the_grade_that_followed_worked_by_hand() -> None:
    rows, figures = [], []
    for n, name in enumerate(GOOD + WORSE):
        urn = urn_of(name)
        good = name in GOOD
        rows.append(inspection(n + 1, urn, "2019-06-03",
                               overall_effectiveness="good" if good else "inadequate"))
        figures.append(figure("cin_rate", urn, 2019, (100 if good else 200) + 10 * n))
        figures.append(figure("cin_rate", urn, 2020, 999))  # counted after: never used
        figures.append(figure("cin_rate", urn, 2016, 5))  # three years before: too old
    result = grade_distribution(record(rows, figures=figures), "cin_rate")
    assert result.inspections == 10 and result.authorities == 10
    by_grade = {group.grade: group for group in result.groups}
    assert by_grade[Grade.GOOD].median == 120 and by_grade[Grade.GOOD].n == 5
    assert by_grade[Grade.INADEQUATE].median == 270
    assert (result.effect.estimate, result.effect.low, result.effect.high) == (-1.0, -1.0, -1.0)
    assert result.median_difference == -150
    assert result.reading.startswith("Authorities graded good or better had lower figures")
    assert "large effect" in result.reading


def test_an_inspection_with_no_figure_before_it_is_left_out() -> None:
    kent = urn_of("Kent")
    rows = [inspection(1, kent, "2019-06-03", overall_effectiveness="good")]
    result = grade_distribution(record(rows, figures=[figure("cin_rate", kent, 2016, 5)]),
                                "cin_rate")
    assert result.inspections == 0 and result.effect.estimate is None
    assert result.reading == "Too few inspections in one of the groups to compare."


def test_the_inspection_year_change_worked_by_hand() -> None:
    # Six authorities whose rate is flat but for one year's change; two inspected in the
    # year to 31 March 2019 (a rise of 20 % and 10 %), the others not.
    names = ["Kent", "Surrey", "Essex", "Hampshire", "Medway", "Slough"]
    rises = {"Kent": 1.2, "Surrey": 1.1, "Essex": 1.0, "Hampshire": 1.0, "Medway": 1.0,
             "Slough": 1.05}
    rows, figures = [], []
    for n, name in enumerate(names):
        urn = urn_of(name)
        figures += [figure("cin_rate", urn, 2018, 100.0),
                    figure("cin_rate", urn, 2019, 100.0 * rises[name])]
        if name in ("Kent", "Surrey"):
            rows.append(inspection(n + 1, urn, "2018-10-01",
                                   overall_effectiveness="inadequate" if name == "Kent"
                                   else "good"))
    result = inspection_year_change(record(rows, figures=figures), "cin_rate")
    changes = {name: 100 * math.log(rises[name]) for name in names}
    median = statistics.median(changes.values())
    assert result.inspection_year.years == 2 and result.other_years.years == 4
    assert result.inspection_year.mean.estimate == pytest.approx(
        (changes["Kent"] + changes["Surrey"]) / 2 - median)
    assert result.other_years.mean.estimate == pytest.approx(
        statistics.mean(changes[n] for n in names[2:]) - median)
    good, _, inadequate = result.by_grade
    assert inadequate.mean.estimate == pytest.approx(changes["Kent"] - median)
    assert good.mean.estimate == pytest.approx(changes["Surrey"] - median)
    assert result.difference.estimate == pytest.approx(
        result.inspection_year.mean.estimate - result.other_years.mean.estimate)


def test_each_resample_weighs_each_authority_by_how_often_it_was_drawn() -> None:
    for count in (1, 7, 152):
        weights = _weights(count)
        assert weights.shape == (RESAMPLES, count)
        assert np.array_equal(weights.sum(axis=1), np.full(RESAMPLES, float(count)))
        drawn = np.random.default_rng(SEED).integers(0, count, size=(RESAMPLES, count))
        expected = np.zeros((RESAMPLES, count))
        for resample, chosen in enumerate(drawn):
            for authority in chosen:
                expected[resample, authority] += 1
        assert np.array_equal(weights, expected)


def test_cliffs_delta_resamples_are_every_pair_weighed_by_both_draws() -> None:
    rng = np.random.default_rng(7)
    clusters = [(rng.random(size) < 0.5, rng.normal(size=size))
                for size in rng.integers(1, 6, size=40)]
    good = [values[flags] for flags, values in clusters]
    worse = [values[~flags] for flags, values in clusters]
    # D[c, d]: the signs of every (good of c, worse of d) pair, summed, written out pair by pair
    pairs = np.array([[float(sum(np.sign(g - w) for g in good[c] for w in worse[d]))
                       for d in range(len(clusters))] for c in range(len(clusters))])
    weights = _weights(len(clusters))
    samples = np.einsum("rc,cd,rd->r", weights, pairs, weights) / (
        (weights @ [len(v) for v in good]) * (weights @ [len(v) for v in worse]))
    estimate = float(pairs.sum() / (sum(map(len, good)) * sum(map(len, worse))))
    assert _cliffs_delta(clusters) == _interval(estimate, samples)


def test_ranks_follow_the_direction() -> None:
    assert competition_rank(10, [5, 10, 10, 20], "lower_is_better") == (2, 4)
    assert competition_rank(10, [5, 10, 10, 20], "higher_is_better") == (2, 4)
    assert competition_rank(20, [5, 10, 10, 20], "none") == (1, 4)  # 1 = highest


def test_unknown_indicators_and_empty_records_say_so() -> None:
    empty = record([])
    with pytest.raises(AnalysisError, match="unknown indicator 'cin'"):
        indicator_view(empty, "cin")
    with pytest.raises(AnalysisError, match="no figures for cin_rate"):
        indicator_view(empty, "cin_rate")


# --- the bundled record ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled(bundled_db: Path) -> Iterator[AnalysisRecord]:
    conn = sqlite3.connect(bundled_db)
    conn.row_factory = sqlite3.Row
    yield load_record(conn)
    conn.close()


def test_an_authoritys_context_against_its_neighbours(bundled: AnalysisRecord) -> None:
    isle = urn_of("Isle of Wight")
    result = authority_context(bundled, isle, indicators=["cin_rate", "spend_per_child"])
    cin = result.indicators[0]
    by_year = {y.year: y for y in cin.years}
    stats = bundled.statistics
    for year, model in ((2024, "2021"), (2025, "2025")):
        row = by_year[year]
        assert row.neighbour_model == model
        neighbours = [n.authority.urn for n in REGISTER.neighbours(isle, model)]  # type: ignore[arg-type]
        values = [p.value for u in neighbours if (p := stats.value("cin_rate", f"la:{u}", year))
                  and p.value is not None]
        assert row.neighbours_with_value == len(values)
        assert row.neighbours_median == pytest.approx(statistics.median(values))
        mine = stats.value("cin_rate", f"la:{isle}", year)
        assert mine is not None and row.value == mine.value
        assert row.rank == 1 + sum(1 for v in values if v > mine.value)  # no direction
        assert row.england == stats.value("cin_rate", "england", year).value  # type: ignore[union-attr]
        assert row.region == stats.value("cin_rate", "region:E12000008", year).value  # type: ignore[union-attr]
    assert [y.period for y in result.indicators[1].years] == ["2024-25"]
    kinds = {mark.kind for mark in result.marks}
    assert "inspection" in kinds
    assert all(m.grade is not None for m in result.marks if m.kind == "inspection"
               and m.label.startswith("Standard"))


def test_an_authority_without_2021_neighbours_uses_2025_throughout(
        bundled: AnalysisRecord) -> None:
    result = authority_context(bundled, urn_of("Cumberland"), indicators=["cin_rate"])
    assert {y.neighbour_model for y in result.indicators[0].years} == {"2025"}


def test_one_indicator_across_england(bundled: AnalysisRecord) -> None:
    view = indicator_view(bundled, "sw_agency_rate")
    assert view.year == 2025 and view.direction == "lower_is_better"
    ranked = [row for row in view.authorities if row.rank is not None]
    values = [row.value for row in ranked]
    assert values == sorted(values)  # lower is better: rank 1 lowest
    assert ranked[0].rank == 1 and view.with_value == len(ranked)
    assert view.with_value + view.without_value == 153
    assert view.median == pytest.approx(statistics.median(values))  # type: ignore[type-var]
    assert len(view.regions) == 9


def test_bennett_check_reads_three_measures(bundled: AnalysisRecord) -> None:
    check = bennett_check(bundled)
    assert tuple(r.indicator for r in check.results) == BENNETT_INDICATORS
    assert check.verdict.split(":")[0] in ("Reproduces", "Partly reproduces",
                                           "Does not reproduce on this record")
    again = bennett_check(bundled)  # a fixed seed: the same intervals every time
    assert [r.difference for r in again.results] == [r.difference for r in check.results]


def test_the_fits_scorer_is_scikit_learns_log_loss_to_the_bit(bundled: AnalysisRecord) -> None:
    from sklearn.base import clone
    from sklearn.metrics import log_loss, make_scorer

    cases = inspection_cases(bundled, "overall_effectiveness")
    ours = fit_model(cases)
    # the very pipeline fit_model makes, scored by scikit-learn's own "neg_log_loss"
    theirs = clone(ours).set_params(logisticregressioncv__scoring="neg_log_loss").fit(
        _matrix(cases), _labels(cases))
    mine, its = ours[-1], theirs[-1]
    assert np.array_equal(mine.scores_, its.scores_) and mine.C_ == its.C_
    assert np.array_equal(mine.coef_, its.coef_)
    # a part without every grade, scored as LogisticRegressionCV scores a fold (with labels)
    features, grades = ours[:-1].transform(_matrix(cases)), _labels(cases)
    some = np.isin(grades, mine.classes_[1:3])
    scorer = make_scorer(log_loss, greater_is_better=False, response_method="predict_proba",
                         labels=mine.classes_)
    assert neg_log_loss(mine, features[some], grades[some]) == scorer(
        mine, features[some], grades[some])


def test_the_expected_grade_is_back_tested_against_its_baselines(
        bundled: AnalysisRecord) -> None:
    result = expected_grades(bundled, "overall_effectiveness")
    cases = inspection_cases(bundled, "overall_effectiveness")
    assert result.cases == len(cases) > 200
    pooled = result.pooled
    assert pooled is not None
    tested = [c for c in cases if c.started.year >= 2020 and
              len([t for t in cases if t.started.year < c.started.year]) >= 60]
    assert pooled.test == len(tested)
    same = sum(1 for c in tested if c.grade == c.previous) / len(tested)
    assert pooled.same_as_last_time.accuracy == pytest.approx(same)
    assert pooled.same_as_last_time.brier == pytest.approx(2 * (1 - same))
    assert sum(b.predictions for b in result.calibration) == len(tested) * len(GRADES)
    assert result.beats_baselines == (pooled.model.brier < min(
        pooled.same_as_last_time.brier, pooled.most_common.brier, pooled.transitions.brier))
    assert ("does not beat" in result.verdict) != result.beats_baselines
    assert {p.expected for p in result.predictions} <= set(GRADES)
    assert all(sum(p.probabilities.values()) == pytest.approx(1, abs=1e-3)
               for p in result.predictions)
    again = expected_grades(bundled, "overall_effectiveness")
    assert again.pooled == pooled  # the same figures every run
