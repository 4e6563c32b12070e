"""The expected grade of an authority's next inspection, from its previous grades and its
official figures, back-tested out of time against two baselines (`ilacs analyse expected`).

The model is fitted with scikit-learn (a multinomial logistic regression after imputing
missing figures with the training median, with a flag for each imputed one, and scaling);
nothing is fitted by hand. Decisions, stated once:

- Cases: every ILACS inspection (2018 on) that graded the judgement and follows an earlier
  full inspection (SIF or ILACS) of the same authority that graded it too.
- Features: the previous grade for the judgement and for overall effectiveness (1 inadequate
  to 4 outstanding), years since that inspection, whether it was under the SIF, and the
  authority's latest figures counted before inspectors arrived (at most two years before):
  `FEATURES`. A figure not published then is imputed, and flagged as missing.
- Baselines: "same as last time" (the previous grade, with certainty), "most common grade"
  (the training set's commonest grade, with the training set's frequencies as its
  probabilities) and "how grades moved" (the training set's frequencies of each grade after
  each previous grade).
- Back-test: for each year Y, fit on inspections that started before Y and test on those
  from Y on; and, pooled, each inspection predicted once by the model fitted on every
  earlier year (one year ahead), which gives the calibration table. Accuracy, macro-F1 (over
  the grades present in the test set) and the multi-class Brier score (0 best, 2 worst).
- The model is shown as an expected grade only beside these figures; where it does not beat
  the best baseline's Brier score, the answer says so.
"""

from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from threadpoolctl import threadpool_limits

from ilacs.analysis.grades import (
    BENCHMARK_JUDGEMENTS,
    GRADE_SCORE,
    ILACS_FRAMEWORKS,
    TODAYS_SCALE_FRAMEWORKS,
    check_judgement,
    judgement_grade,
)
from ilacs.analysis.record import AnalysisRecord
from ilacs.analysis.statistics import la_subject
from ilacs.errors import AnalysisError
from ilacs.extract.models import Grade
from ilacs.store.rows import InspectionRow

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

ILACS = ILACS_FRAMEWORKS
PREVIOUS = TODAYS_SCALE_FRAMEWORKS
GRADES: tuple[Grade, ...] = (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Grade.GOOD,
                             Grade.OUTSTANDING)  # the model's class order
FEATURES = ("cin_rate", "referral_rate", "rereferral_percent", "cpp_rate",
            "cpp_repeat_percent", "cpp_two_years_percent", "sw_turnover_rate",
            "sw_agency_rate", "sw_vacancy_rate", "sw_caseload")
MAX_AGE_DAYS = 730
MIN_CASES = 60  # training cases needed to fit a model for a cut-off year
CALIBRATION_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
REGULARISATION = (0.01, 0.03, 0.1, 0.3, 1.0)  # inverse strengths tried (C)
FOLDS = 3
MODEL_NAME = ("multinomial logistic regression (scikit-learn), median-imputed, scaled, its "
              "regularisation chosen by 3-fold cross-validated log-loss within the training set")


@dataclass(frozen=True)
class Case:
    urn: int
    name: str
    started: date
    grade: Grade | None  # None: the inspection to come (a prediction)
    previous: Grade
    features: tuple[float, ...]  # NaN where a figure was not published


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    brier: float


@dataclass(frozen=True)
class CutoffResult:
    year: int  # fitted on inspections before this year, tested on those from it on
    train: int
    test: int
    model: Scores
    same_as_last_time: Scores
    most_common: Scores
    transitions: Scores


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    predictions: int  # (inspection, grade) pairs whose predicted probability fell here
    mean_predicted: float | None
    observed: float | None  # how often that grade was given


@dataclass(frozen=True)
class Prediction:
    urn: int
    name: str
    previous: Grade
    probabilities: dict[Grade, float]
    expected: Grade


@dataclass(frozen=True)
class ExpectedGrades:
    judgement: str
    model: str
    features: tuple[str, ...]
    cases: int
    cutoffs: tuple[CutoffResult, ...]
    pooled: CutoffResult | None  # one year ahead, every tested inspection once
    calibration: tuple[CalibrationBin, ...]
    beats_baselines: bool
    verdict: str
    predictions: tuple[Prediction, ...]


def expected_grades(record: AnalysisRecord, judgement: str = "overall_effectiveness",
                    first_cutoff: int = 2020) -> ExpectedGrades:
    """Back-test the model for `judgement` and predict each authority's next grade."""
    # Hundreds of small fits: BLAS threads cost more to start and synchronise than the
    # arithmetic they share (measured 4x slower on two cores; docs/analysis.md).
    with threadpool_limits(limits=1):
        return _expected_grades(record, judgement, first_cutoff)


def _expected_grades(record: AnalysisRecord, judgement: str,
                     first_cutoff: int) -> ExpectedGrades:
    check_judgement(judgement)
    cases = inspection_cases(record, judgement)
    if len(cases) < MIN_CASES:
        raise AnalysisError(f"only {len(cases)} ILACS inspections with an earlier grade for "
                            f"{judgement}: too few to fit a model")
    years = [y for y in sorted({case.started.year for case in cases}) if y >= first_cutoff]
    models = {year: fit_model(train) for year in years
              if _enough(train := [c for c in cases if c.started.year < year])}
    cutoffs = tuple(_cutoff(cases, year, model) for year, model in models.items())
    pooled, calibration = _pooled(cases, models)
    beats = pooled is not None and pooled.model.brier < min(
        pooled.same_as_last_time.brier, pooled.most_common.brier, pooled.transitions.brier)
    return ExpectedGrades(
        judgement=judgement, model=MODEL_NAME, features=FEATURES, cases=len(cases),
        cutoffs=cutoffs, pooled=pooled, calibration=calibration, beats_baselines=beats,
        verdict=_verdict(pooled, beats), predictions=tuple(_predict(record, judgement, cases)))


def all_expected_grades(record: AnalysisRecord) -> dict[str, ExpectedGrades]:
    """The model for every judgement that has enough inspections to fit one."""
    found = {}
    for judgement in BENCHMARK_JUDGEMENTS:
        try:
            found[judgement] = expected_grades(record, judgement)
        except AnalysisError:
            continue  # too few inspections graded it
    return found


def inspection_cases(record: AnalysisRecord, judgement: str) -> list[Case]:
    cases = []
    for urn, rows in record.inspections_by_urn.items():
        authority = record.authority(urn)
        name = authority.name if authority else str(urn)
        graded = [row for row in rows if row.framework in PREVIOUS and row.date
                  and judgement_grade(row, judgement)]
        for earlier, row in zip(graded, graded[1:], strict=False):
            if row.framework not in ILACS:
                continue
            grade = judgement_grade(row, judgement)
            previous = judgement_grade(earlier, judgement)
            if grade is None or previous is None or grade[0] not in GRADES:
                continue
            assert row.date is not None
            cases.append(Case(urn, name, row.date, grade[0], _four(previous[0]),
                              _features(record, urn, earlier, row.date)))
    return sorted(cases, key=lambda case: (case.started, case.urn))


def _four(grade: Grade) -> Grade:
    """Adequate (the pre-2013 middle grade) reads as requires improvement."""
    return Grade.REQUIRES_IMPROVEMENT if grade is Grade.ADEQUATE else grade


def _features(record: AnalysisRecord, urn: int, earlier: InspectionRow,
              when: date) -> tuple[float, ...]:
    assert earlier.date is not None
    previous = judgement_grade(earlier, "overall_effectiveness")
    values = [GRADE_SCORE[previous[0]] if previous else float("nan"),
              (when - earlier.date).days / 365.25, float(earlier.framework == "sif")]
    for key in FEATURES:
        point = record.statistics.before(key, la_subject(urn), when, MAX_AGE_DAYS)
        values.append(point.value if point is not None and point.value is not None
                      else float("nan"))
    return tuple(values)


def _matrix(cases: Sequence[Case]) -> np.ndarray:
    return np.array([[GRADE_SCORE[case.previous], *case.features] for case in cases],
                    dtype=float)


def _labels(cases: Sequence[Case]) -> np.ndarray:
    return np.array([GRADES.index(case.grade) for case in cases if case.grade is not None])


def fit_model(cases: Sequence[Case]) -> Pipeline:
    # The strength of regularisation is chosen inside the training set (log-loss, 3 folds),
    # never on the inspections being predicted. scikit-learn is imported here, not with the
    # module: it loads SciPy, pandas and Arrow (~130 MB), which a process that only reads
    # the fitted results (the dashboard) should never hold.
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(SimpleImputer(strategy="median", add_indicator=True,
                                        keep_empty_features=True),
                          StandardScaler(),
                          LogisticRegressionCV(Cs=REGULARISATION, l1_ratios=(0.0,), cv=FOLDS,
                                               scoring=neg_log_loss,
                                               max_iter=5000, use_legacy_attributes=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(_matrix(cases), _labels(cases))
    return model


def neg_log_loss(estimator: Any, features: np.ndarray, grades: np.ndarray) -> float:
    """scikit-learn's "neg_log_loss" scorer, to the bit, without its checks of the input,
    which were a third of each fit's time: the mean log of each inspection's probability of
    its own grade, clipped to [eps, 1 - eps] as `log_loss` clips it."""
    probabilities = estimator.predict_proba(features)
    own = probabilities[np.arange(len(grades)), np.searchsorted(estimator.classes_, grades)]
    eps = np.finfo(probabilities.dtype).eps
    return float(np.mean(np.log(np.clip(own, eps, 1 - eps))))


def _probabilities(model: Pipeline, cases: Sequence[Case]) -> np.ndarray:
    """One column per grade of GRADES, whatever grades the training set had."""
    found = model.predict_proba(_matrix(cases))
    full = np.zeros((len(cases), len(GRADES)))
    for column, label in enumerate(model.classes_):
        full[:, int(label)] = found[:, column]
    return full


def _enough(train: Sequence[Case]) -> bool:
    return len(train) >= MIN_CASES and len({c.grade for c in train}) >= 2


def _cutoff(cases: Sequence[Case], year: int, model: Pipeline) -> CutoffResult:
    train = [c for c in cases if c.started.year < year]
    test = [c for c in cases if c.started.year >= year]
    return _evaluate(year, train, test, _probabilities(model, test))


def _evaluate(year: int, train: Sequence[Case], test: Sequence[Case],
              model: np.ndarray) -> CutoffResult:
    truth = _labels(test)
    prior = np.bincount(_labels(train), minlength=len(GRADES)) / len(train)
    same = np.zeros((len(test), len(GRADES)))
    for row, case in enumerate(test):
        same[row, GRADES.index(case.previous)] = 1.0
    moved = _transition_probabilities(train, test, prior)
    common = np.tile(prior, (len(test), 1))
    return CutoffResult(year, len(train), len(test), _scores(truth, model),
                        _scores(truth, same), _scores(truth, common), _scores(truth, moved))


def _transition_probabilities(train: Sequence[Case], test: Sequence[Case],
                              prior: np.ndarray) -> np.ndarray:
    counts: dict[Grade, Counter[Grade]] = defaultdict(Counter)
    for case in train:
        assert case.grade is not None
        counts[case.previous][case.grade] += 1
    rows = []
    for case in test:
        seen = counts.get(case.previous)
        if not seen:
            rows.append(prior)
            continue
        total = sum(seen.values())
        rows.append(np.array([seen[grade] / total for grade in GRADES]))
    return np.array(rows)


def _scores(truth: np.ndarray, probabilities: np.ndarray) -> Scores:
    from sklearn.metrics import accuracy_score, f1_score  # see fit_model

    predicted = probabilities.argmax(axis=1)
    onehot = np.eye(len(GRADES))[truth]
    present = sorted(set(truth.tolist()))
    return Scores(
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(f1_score(truth, predicted, labels=present, average="macro",
                                zero_division=0)),
        brier=float(((probabilities - onehot) ** 2).sum(axis=1).mean()))


def _pooled(cases: Sequence[Case], models: dict[int, Pipeline]
            ) -> tuple[CutoffResult | None, tuple[CalibrationBin, ...]]:
    """Each inspection of the years modelled, predicted by the model fitted on all earlier
    years."""
    tested: list[Case] = []
    parts: dict[str, list[np.ndarray]] = defaultdict(list)
    train_sizes = []
    for year, model in models.items():
        train = [c for c in cases if c.started.year < year]
        test = [c for c in cases if c.started.year == year]
        if not test:
            continue
        result_model = _probabilities(model, test)
        prior = np.bincount(_labels(train), minlength=len(GRADES)) / len(train)
        same = np.zeros((len(test), len(GRADES)))
        for row, case in enumerate(test):
            same[row, GRADES.index(case.previous)] = 1.0
        parts["model"].append(result_model)
        parts["same"].append(same)
        parts["common"].append(np.tile(prior, (len(test), 1)))
        parts["moved"].append(_transition_probabilities(train, test, prior))
        tested.extend(test)
        train_sizes.append(len(train))
    if not tested:
        return None, ()
    truth = _labels(tested)
    stacked = {name: np.vstack(arrays) for name, arrays in parts.items()}
    pooled = CutoffResult(min(c.started.year for c in tested), min(train_sizes), len(tested),
                          _scores(truth, stacked["model"]), _scores(truth, stacked["same"]),
                          _scores(truth, stacked["common"]), _scores(truth, stacked["moved"]))
    return pooled, _calibration(truth, stacked["model"])


def _calibration(truth: np.ndarray, probabilities: np.ndarray) -> tuple[CalibrationBin, ...]:
    onehot = np.eye(len(GRADES))[truth].ravel()
    flat = probabilities.ravel()
    bins = []
    for low, high in zip(CALIBRATION_BINS, CALIBRATION_BINS[1:], strict=False):
        inside = (flat >= low) & ((flat < high) if high < 1.0 else (flat <= high))
        count = int(inside.sum())
        bins.append(CalibrationBin(low, high, count,
                                   float(flat[inside].mean()) if count else None,
                                   float(onehot[inside].mean()) if count else None))
    return tuple(bins)


def _verdict(pooled: CutoffResult | None, beats: bool) -> str:
    if pooled is None:
        return "Too few inspections to back-test."
    best = min((pooled.same_as_last_time, "same as last time"),
               (pooled.most_common, "most common grade"),
               (pooled.transitions, "how grades moved"), key=lambda item: item[0].brier)
    figures = (f"Brier score {pooled.model.brier:.3f} against {best[0].brier:.3f} for the best "
               f"baseline ({best[1]}); accuracy {pooled.model.accuracy:.0%} against "
               f"{pooled.same_as_last_time.accuracy:.0%} for same as last time, over "
               f"{pooled.test} inspections predicted one year ahead.")
    if beats:
        return "The model beats every baseline out of time: " + figures
    return ("The model does not beat the best baseline out of time, so its expected grade "
            "adds nothing to knowing the last grade and how grades usually move: " + figures)


def _predict(record: AnalysisRecord, judgement: str, cases: Sequence[Case]
             ) -> list[Prediction]:
    """Each current authority's next grade, from the model fitted on every inspection."""
    model = fit_model(cases)
    upcoming: list[Case] = []
    as_of = record.as_of or date.today()
    for authority in record.register.all():
        rows = [row for row in record.inspections_by_urn.get(authority.urn, ())
                if row.framework in PREVIOUS and row.date and judgement_grade(row, judgement)]
        if not rows:
            continue
        last = rows[-1]
        found = judgement_grade(last, judgement)
        assert found is not None
        upcoming.append(Case(authority.urn, authority.name, as_of, None, _four(found[0]),
                             _features(record, authority.urn, last, as_of)))
    if not upcoming:
        return []
    probabilities = _probabilities(model, upcoming)
    return [Prediction(case.urn, case.name, case.previous,
                       {grade: round(float(p), 4) for grade, p in zip(GRADES, row, strict=True)},
                       GRADES[int(row.argmax())])
            for case, row in zip(upcoming, probabilities, strict=True)]
