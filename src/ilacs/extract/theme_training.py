"""Fitting the theme model and measuring every classifier by grouped cross-validation.

Three methods are compared on the hand-labelled points: the keyword `rules`
(`themes.yaml`), a learned `model` on the words alone, and `combined` (the model with the
rules' verdicts as features). Folds are grouped by local authority, so no LA's points are in
both training and test; each theme's threshold is tuned on inner folds of the training part
only. Same labels and seed, same figures.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from ilacs.errors import IlacsError
from ilacs.extract.label_files import label_rows
from ilacs.extract.theme_model import (
    ModelSettings,
    ThemeModel,
    char_vectoriser,
    word_vectoriser,
)
from ilacs.extract.themes import classify, taxonomy

METHODS = ("rules", "model", "combined")
OTHER = "other"
FIT_PROCESSES = min(4, os.cpu_count() or 1)  # the themes' regressions are fitted side by side
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


class LabelError(IlacsError):
    """A theme labels file that cannot be used as it is."""


@dataclass(frozen=True)
class LabelledPoint:
    path: str  # "reports/…" or "letters/…", relative to the corpus
    item: int
    urn: int
    kind: str  # the stratum: framework of a report, kind of a letter
    text: str
    themes: frozenset[str]  # empty: labelled "other"


def read_theme_labels(path: Path) -> list[dict[str, Any]]:
    """The labels of `path`; a label read more than once keeps its `readings`, and its themes
    must be their consensus."""
    rows = []
    for number, row in label_rows(path, ("path", "item", "sha", "themes"), LabelError):
        for themes in (row["themes"], *row.get("readings", ())):
            if not themes or not themes_are_keys(themes):
                raise LabelError(f"{path}, line {number}: themes {themes!r} must be keys "
                                 "of themes.yaml, or 'other' alone")
        if "readings" in row and sorted(row["themes"]) != consensus(row["readings"]):
            raise LabelError(f"{path}, line {number}: themes {sorted(row['themes'])} are not "
                             f"the consensus of its readings, {consensus(row['readings'])}")
        rows.append(row)
    return rows


def consensus(readings: Sequence[Iterable[str]]) -> list[str]:
    """The themes of a point read more than once: each theme (or 'other') that more than half
    of the readings give. When none does (three readings, three different sets), the last
    reading's, made to settle the others' disagreement."""
    votes = Counter(theme for reading in readings for theme in set(reading))
    agreed = sorted(theme for theme, count in votes.items() if 2 * count > len(readings))
    return agreed or sorted(readings[-1])


def awaits_third_reading(row: dict[str, Any]) -> bool:
    """Whether a label was read twice, the two readings disagree, and none has settled it."""
    readings = row.get("readings", ())
    return len(readings) == 2 and set(readings[0]) != set(readings[1])


def themes_are_keys(themes: Iterable[str]) -> bool:
    """Whether `themes` are keys of the taxonomy, or 'other' alone (or none)."""
    chosen = set(themes)
    return chosen <= {theme.key for theme in taxonomy()} | {OTHER} and (
        OTHER not in chosen or len(chosen) == 1)


# -- fitting ---------------------------------------------------------------------------------

def fit(points: Sequence[LabelledPoint], settings: ModelSettings, version: str,
        inner_folds: int = 4) -> ThemeModel:
    """A model fitted on all `points`, thresholds tuned by grouped inner cross-validation."""
    keys = tuple(theme.key for theme in taxonomy())
    with threadpool_limits(limits=1):  # many small fits: BLAS threads only add overhead
        thresholds = _tuned_thresholds(points, settings, keys, inner_folds)
        model = _fit_once(points, settings, keys, version)
    model.thresholds = thresholds
    return model


def _fit_once(points: Sequence[LabelledPoint], settings: ModelSettings,
              keys: tuple[str, ...], version: str) -> ThemeModel:
    texts = [p.text for p in points]
    word, char = word_vectoriser(settings), char_vectoriser(settings)
    # the training texts' features as fitting makes them: read once, not again by transform
    words, chars = word.fit_transform(texts), char.fit_transform(texts)
    model = ThemeModel(version=version, keys=keys, settings=settings, word=word, char=char,
                       coef=np.zeros((len(keys), 0)), intercept=np.zeros(len(keys)),
                       thresholds=np.full(len(keys), 0.5))
    features = model.features(texts, words, chars)
    # canonical here: the worker processes get the matrix read-only, and liblinear's input
    # check would sort fit_transform's unsorted indices in place
    features.sum_duplicates()
    coef = np.zeros((len(keys), features.shape[1]))
    intercept = np.full(len(keys), -12.0)  # a theme never seen in training is never given
    targets = {n: target for n, key in enumerate(keys)
               if (target := np.array([key in p.themes for p in points])).sum()}
    # One process per core, not threads: liblinear draws from one random generator per
    # process, which threads would share (and the fit would no longer be reproducible).
    fitted = Parallel(n_jobs=FIT_PROCESSES)(
        delayed(_fit_theme)(features, target, settings) for target in targets.values())
    for n, (theme_coef, theme_intercept) in zip(targets, fitted, strict=True):
        coef[n], intercept[n] = theme_coef, theme_intercept
    model.coef, model.intercept = coef, intercept
    return model


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


def _tuned_thresholds(points: Sequence[LabelledPoint], settings: ModelSettings,
                      keys: tuple[str, ...], folds: int) -> np.ndarray:
    """Per theme, the threshold with the best F1 on out-of-fold probabilities."""
    probabilities = np.zeros((len(points), len(keys)))
    for train, test in _folds(points, folds, settings.seed + 1):
        model = _fit_once([points[i] for i in train], settings, keys, "inner")
        probabilities[test] = model.probabilities([points[i].text for i in test])
    thresholds = np.full(len(keys), 0.5)
    for n, key in enumerate(keys):
        gold = np.array([key in p.themes for p in points])
        if gold.sum() == 0:
            continue
        best = max(THRESHOLD_GRID, key=lambda t: (_f1(gold, probabilities[:, n] >= t),
                                                  -abs(t - 0.5)))
        thresholds[n] = best
    return thresholds


def _f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    tp = int(np.sum(gold & predicted))
    return 2 * tp / (int(gold.sum()) + int(predicted.sum())) if tp else 0.0


# -- measuring -------------------------------------------------------------------------------

@dataclass
class Scores:
    method: str
    points: int
    per_theme: dict[str, dict[str, float | int]] = field(default_factory=dict)
    macro_f1: float = 0.0
    micro_f1: float = 0.0
    exact: float = 0.0
    exact_by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    other: dict[str, float | int] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "points": self.points, "macro_f1": self.macro_f1,
                "micro_f1": self.micro_f1, "exact_match": self.exact,
                "exact_by_kind": {k: {"exact": e, "points": n}
                                  for k, (e, n) in self.exact_by_kind.items()},
                "per_theme": self.per_theme, "other": self.other,
                "confusions": [{"missed": a, "given_instead": b, "points": n}
                               for a, b, n in self.confusions]}


def score(method: str, points: Sequence[LabelledPoint],
          predicted: Sequence[Iterable[str]]) -> Scores:
    """Per-theme precision, recall and F1 (themes with labelled points), macro and micro F1,
    exact set matches, `other` as its own row, and the pairs most often confused."""
    keys = [theme.key for theme in taxonomy()]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    confused: Counter[tuple[str, str]] = Counter()
    exact_by_kind: dict[str, list[int]] = {}
    for point, guess in zip(points, predicted, strict=True):
        gold, got = set(point.themes) or {OTHER}, set(guess) or {OTHER}
        for key in gold & got:
            tp[key] += 1
        for key in got - gold:
            fp[key] += 1
        for key in gold - got:
            fn[key] += 1
        for missed in gold - got:
            for wrong in got - gold:
                confused[(missed, wrong)] += 1
        tally = exact_by_kind.setdefault(point.kind, [0, 0])
        tally[0] += gold == got
        tally[1] += 1
    result = Scores(method, len(points))
    for key in [*keys, OTHER]:
        support = tp[key] + fn[key]
        if not support and key != OTHER:
            continue
        precision = tp[key] / (tp[key] + fp[key]) if tp[key] + fp[key] else 0.0
        recall = tp[key] / support if support else 0.0
        f1 = 2 * tp[key] / (2 * tp[key] + fp[key] + fn[key]) if tp[key] else 0.0
        row = {"support": support, "precision": round(precision, 3), "recall": round(recall, 3),
               "f1": round(f1, 3)}
        if key == OTHER:
            result.other = row
        else:
            result.per_theme[key] = row
    f1s = [float(row["f1"]) for row in result.per_theme.values()]
    result.macro_f1 = round(sum(f1s) / len(f1s), 3) if f1s else 0.0
    themed = list(result.per_theme)
    all_tp = sum(tp[k] for k in themed)
    all_fp = sum(fp[k] for k in themed)
    all_fn = sum(fn[k] for k in themed)
    result.micro_f1 = round(2 * all_tp / (2 * all_tp + all_fp + all_fn), 3) if all_tp else 0.0
    result.exact_by_kind = {k: (v[0], v[1]) for k, v in sorted(exact_by_kind.items())}
    result.exact = round(sum(v[0] for v in exact_by_kind.values()) / max(1, len(points)), 3)
    result.confusions = [(a, b, n) for (a, b), n in confused.most_common(10)]
    return result


def cross_validated(points: Sequence[LabelledPoint], method: str,
                    settings: ModelSettings | None = None, folds: int = 5) -> Scores:
    """Out-of-fold predictions of `method` for every point, scored."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    if method == "rules":
        return score(method, points, [[m.theme for m in classify(p.text)] for p in points])
    settings = replace(settings or ModelSettings(), use_rules=method == "combined")
    predicted: list[tuple[str, ...]] = [()] * len(points)
    for train, test in _folds(points, folds, settings.seed):
        model = fit([points[i] for i in train], settings, "cross-validation")
        for index, themes in zip(test, model.predict([points[i].text for i in test]),
                                 strict=True):
            predicted[index] = themes
    return score(method, points, predicted)
