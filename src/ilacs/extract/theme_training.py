"""Fitting the theme model and measuring every classifier by grouped cross-validation
(the labels are read by `ilacs.extract.theme_labels`, scored by `ilacs.extract.theme_scores`).

Three methods are compared on the hand-labelled points: the keyword `rules`
(`themes.yaml`), a learned `model` on the words alone, and `combined` (the model with the
rules' verdicts as features). Folds are grouped by local authority, so no LA's points are in
both training and test; each theme's threshold is tuned on inner folds of the training part
only. Same labels and seed, same figures.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from ilacs.extract.theme_counts import CountedTerms, FittedPart
from ilacs.extract.theme_labels import LabelledPoint
from ilacs.extract.theme_model import (
    ModelSettings,
    ThemeModel,
    char_vectoriser,
    word_vectoriser,
)
from ilacs.extract.theme_scores import Scores, score
from ilacs.extract.themes import classify, taxonomy

METHODS = ("rules", "model", "combined")
FIT_PROCESSES = min(4, os.cpu_count() or 1)  # the themes' regressions are fitted side by side
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


# -- fitting ---------------------------------------------------------------------------------

def fit(points: Sequence[LabelledPoint], settings: ModelSettings, version: str,
        inner_folds: int = 4) -> ThemeModel:
    """A model fitted on all `points`, thresholds tuned by grouped inner cross-validation."""
    model, _ = _fit(points, np.arange(len(points)), Counted.of(points, settings), settings,
                    version, inner_folds)
    return model


@dataclass(frozen=True)
class Counted:
    """The words and character n-grams of every point, counted once for all the fits."""

    texts: list[str]
    word: CountedTerms
    char: CountedTerms

    @classmethod
    def of(cls, points: Sequence[LabelledPoint], settings: ModelSettings) -> Counted:
        texts = [p.text for p in points]
        return cls(texts, CountedTerms(word_vectoriser(settings), texts),
                   CountedTerms(char_vectoriser(settings), texts))

    def probabilities(self, model: ThemeModel, parts: tuple[FittedPart, FittedPart],
                      rows: np.ndarray) -> np.ndarray:
        """The model's probabilities for the points of `rows`, fitted as `parts`."""
        words, chars = parts
        return model.probabilities_of(model.features(
            [self.texts[i] for i in rows], self.word.transform(words, rows),
            self.char.transform(chars, rows)))


def _fit(points: Sequence[LabelledPoint], rows: np.ndarray, counted: Counted,
         settings: ModelSettings, version: str,
         inner_folds: int = 4) -> tuple[ThemeModel, tuple[FittedPart, FittedPart]]:
    """`fit` on the points of `rows`."""
    keys = tuple(theme.key for theme in taxonomy())
    with threadpool_limits(limits=1):  # many small fits: BLAS threads only add overhead
        thresholds = _tuned_thresholds(points, rows, counted, settings, keys, inner_folds)
        model, parts = _fit_once(points, rows, counted, settings, keys, version)
    model.thresholds = thresholds
    return model, parts


def _fit_once(points: Sequence[LabelledPoint], rows: np.ndarray, counted: Counted,
              settings: ModelSettings, keys: tuple[str, ...],
              version: str) -> tuple[ThemeModel, tuple[FittedPart, FittedPart]]:
    """The regressions fitted on the points of `rows`, with thresholds of 0.5."""
    words, chars = counted.word.fit(rows), counted.char.fit(rows)
    model = ThemeModel(version=version, keys=keys, settings=settings, word=words.vectoriser,
                       char=chars.vectoriser, coef=np.zeros((len(keys), 0)),
                       intercept=np.zeros(len(keys)), thresholds=np.full(len(keys), 0.5))
    features = model.features([counted.texts[i] for i in rows], words.matrix, chars.matrix)
    # canonical here: the worker processes get the matrix read-only, and liblinear's input
    # check would sort fit_transform's unsorted indices in place
    features.sum_duplicates()
    coef = np.zeros((len(keys), features.shape[1]))
    intercept = np.full(len(keys), -12.0)  # a theme never seen in training is never given
    targets = {n: target for n, key in enumerate(keys)
               if (target := np.array([key in points[i].themes for i in rows])).sum()}
    # One process per core, not threads: liblinear draws from one random generator per
    # process, which threads would share (and the fit would no longer be reproducible).
    fitted = Parallel(n_jobs=FIT_PROCESSES)(
        delayed(_fit_theme)(features, target, settings) for target in targets.values())
    for n, (theme_coef, theme_intercept) in zip(targets, fitted, strict=True):
        coef[n], intercept[n] = theme_coef, theme_intercept
    model.coef, model.intercept = coef, intercept
    return model, (words, chars)


def _fit_theme(features: sparse.csr_matrix, target: np.ndarray,
               settings: ModelSettings) -> tuple[np.ndarray, float]:
    """One theme's logistic regression: its coefficients and intercept."""
    # the dual problem: far fewer points than features, so it reaches the same optimum
    # about 15 times faster than the primal (coefficients within 0.001)
    regression = LogisticRegression(C=settings.c, class_weight="balanced", dual=True,
                                    solver="liblinear", random_state=settings.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        regression.fit(features, target)
    return regression.coef_[0], float(regression.intercept_[0])


def _folds(points: Sequence[LabelledPoint], folds: int,
           seed: int) -> Iterable[tuple[np.ndarray, np.ndarray]]:
    groups = [p.urn for p in points]
    splitter = GroupKFold(n_splits=min(folds, len(set(groups))), shuffle=True, random_state=seed)
    folds_: Iterable[tuple[np.ndarray, np.ndarray]] = splitter.split(np.zeros(len(points)),
                                                                     groups=groups)
    return folds_


def _tuned_thresholds(points: Sequence[LabelledPoint], rows: np.ndarray, counted: Counted,
                      settings: ModelSettings, keys: tuple[str, ...], folds: int) -> np.ndarray:
    """Per theme, the threshold with the best F1 on out-of-fold probabilities of the points
    of `rows`."""
    part = [points[i] for i in rows]
    probabilities = np.zeros((len(part), len(keys)))
    for train, test in _folds(part, folds, settings.seed + 1):
        model, parts = _fit_once(points, rows[train], counted, settings, keys, "inner")
        probabilities[test] = counted.probabilities(model, parts, rows[test])
    thresholds = np.full(len(keys), 0.5)
    for n, key in enumerate(keys):
        gold = np.array([key in p.themes for p in part])
        if gold.sum() == 0:
            continue
        best = max(THRESHOLD_GRID, key=lambda t: (_f1(gold, probabilities[:, n] >= t),
                                                  -abs(t - 0.5)))
        thresholds[n] = best
    return thresholds


def _f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    tp = int(np.sum(gold & predicted))
    return 2 * tp / (int(gold.sum()) + int(predicted.sum())) if tp else 0.0


def cross_validated(points: Sequence[LabelledPoint], method: str,
                    settings: ModelSettings | None = None, folds: int = 5) -> Scores:
    """Out-of-fold predictions of `method` for every point, scored."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    if method == "rules":
        return score(method, points, [[m.theme for m in classify(p.text)] for p in points])
    settings = replace(settings or ModelSettings(), use_rules=method == "combined")
    predicted: list[tuple[str, ...]] = [()] * len(points)
    counted = Counted.of(points, settings)
    for train, test in _folds(points, folds, settings.seed):
        model, parts = _fit(points, train, counted, settings, "cross-validation")
        decided = model.decide(counted.probabilities(model, parts, test))
        for index, (themes, _) in zip(test, decided, strict=True):
            predicted[index] = themes
    return score(method, points, predicted)
