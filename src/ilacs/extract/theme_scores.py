"""Scoring a classifier's themes against the labels: per-theme precision, recall and F1,
macro and micro F1, exact matches by kind of document, and the pairs most often confused."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ilacs.extract.theme_labels import OTHER, LabelledPoint
from ilacs.extract.themes import taxonomy


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
        # in sorted order: pairs confused as often keep one order, whatever the string hashes
        for missed in sorted(gold - got):
            for wrong in sorted(got - gold):
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
