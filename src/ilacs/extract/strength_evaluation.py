"""Measuring the strengths extractor against hand labels of every summary sentence.

A label names a sentence of a report's summary (or a point of its strengths list) by the
report's path, the unit, and a hash of the text (`label_files.text_hash`), and says what
a reader would call it: `praise`, `mixed` (praise and a fault together), `criticism` or
`neutral`, with the practice themes it praises. Every labelled report is read afresh, so no
record is needed. Scored: which sentences the rule keeps (precision and recall of `praise`),
whether every labelled sentence and list point is found, and the themes given to the
sentences labelled praise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ilacs.documents import read_document
from ilacs.errors import IlacsError
from ilacs.extract.frameworks import framework_by_id
from ilacs.extract.label_files import label_rows, text_hash
from ilacs.extract.provenance import opens_on_page
from ilacs.extract.report import extract_report
from ilacs.extract.strengths import strengths_list, summary_sentences
from ilacs.extract.text import document_lines
from ilacs.extract.theme_labels import OTHER, LabelledPoint, themes_are_keys
from ilacs.extract.theme_model import themes_of
from ilacs.extract.theme_scores import Scores, score

LABELS = ("praise", "mixed", "criticism", "neutral")
UNITS = ("summary", "list")


class StrengthLabelError(IlacsError):
    """A strengths labels file that cannot be used as it is."""


@dataclass
class StrengthScores:
    reports: int = 0
    sentences: int = 0  # labelled summary sentences found in the reports
    list_points: int = 0  # labelled strengths-list points found
    not_found: list[str] = field(default_factory=list)  # labels whose text was not read
    # labelled sentences whose opening words are not on the page ilacs gives them
    wrong_page: list[str] = field(default_factory=list)
    kept: Counter[str] = field(default_factory=Counter)  # label -> sentences the rule kept
    labelled: Counter[str] = field(default_factory=Counter)  # label -> sentences
    themes: Scores | None = None
    # the themes_confident flag: (exact theme sets, points) when the classifier was sure of a
    # praise sentence's themes, and when it was not
    confident_exact: tuple[int, int] = (0, 0)
    uncertain_exact: tuple[int, int] = (0, 0)

    @property
    def precision(self) -> float:
        kept = sum(self.kept.values())
        return self.kept["praise"] / kept if kept else 0.0

    @property
    def recall(self) -> float:
        return self.kept["praise"] / self.labelled["praise"] if self.labelled["praise"] else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "reports": self.reports, "summary_sentences": self.sentences,
            "list_points": self.list_points, "not_found": self.not_found,
            "wrong_page": self.wrong_page,
            "praise_selection": {"precision": round(self.precision, 3),
                                 "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                                 "kept_by_label": dict(self.kept),
                                 "labelled": dict(self.labelled)},
            "themes_of_praise": self.themes.to_json() if self.themes else None,
            "exact_themes_when_confident": {"exact": self.confident_exact[0],
                                            "points": self.confident_exact[1]},
            "exact_themes_when_uncertain": {"exact": self.uncertain_exact[0],
                                            "points": self.uncertain_exact[1]},
        }


def read_strength_labels(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, row in label_rows(path, ("path", "unit", "sha", "label", "themes"),
                                  StrengthLabelError):
        unit, label, themes = row["unit"], row["label"], row["themes"]
        if unit not in UNITS or label not in LABELS:
            raise StrengthLabelError(f"{path}, line {number}: unit must be one of {UNITS} "
                                     f"and label one of {LABELS}")
        praised = label in ("praise", "mixed")
        if not themes_are_keys(themes) or praised != bool(themes):
            raise StrengthLabelError(f"{path}, line {number}: themes {themes!r} must be keys "
                                     "of themes.yaml or 'other' alone, given for praise and "
                                     "mixed only")
        rows.append(row)
    return rows


def evaluate_strengths(labels: Sequence[dict[str, Any]], corpus: Path) -> StrengthScores:
    """Score the extractor on every labelled report under `corpus`."""
    result = StrengthScores()
    by_path: dict[str, list[dict[str, Any]]] = {}
    for label in labels:
        by_path.setdefault(str(label["path"]), []).append(label)
    praised: list[LabelledPoint] = []
    for path, rows in sorted(by_path.items()):
        document = read_document(corpus / path, display_path=path)
        report = extract_report(document).report
        if report is None or report.framework is None:
            result.not_found += [f"{path}: not read as a report" for _ in rows]
            continue
        result.reports += 1
        framework = framework_by_id(report.framework)
        lines = document_lines(document)
        sentences = {text_hash(s.text): s for s in summary_sentences(lines, framework)}
        listed = {text_hash(s.text): s for s in strengths_list(lines, framework)}
        for row in rows:
            sentence = sentences.get(row["sha"]) if row["unit"] == "summary" else None
            point = listed.get(row["sha"]) if row["unit"] == "list" else None
            found = sentence or point
            if found is None:
                result.not_found.append(f"{path}, {row['unit']} {row.get('index')}")
                continue
            text = found.text
            if not opens_on_page(document, found.page, text):
                result.wrong_page.append(f"{path}, {row['unit']} {row.get('index')}: not on "
                                         f"page {found.page}")
            if sentence is not None:
                result.sentences += 1
                result.labelled[row["label"]] += 1
                result.kept[row["label"]] += sentence.praises
            else:
                result.list_points += 1
            if row["label"] == "praise":
                praised.append(LabelledPoint(path, int(row.get("index") or 0), report.urn or 0,
                                             row["unit"], text,
                                             frozenset(row["themes"]) - {OTHER}))
    if praised:
        verdicts = themes_of([point.text for point in praised])
        result.themes = score("shipped", praised,
                              [[m.theme for m in v.matches] for v in verdicts])
        tallies = {True: [0, 0], False: [0, 0]}
        for labelled, verdict in zip(praised, verdicts, strict=True):
            tally = tallies[verdict.confident]
            tally[0] += {m.theme for m in verdict.matches} == labelled.themes
            tally[1] += 1
        result.confident_exact = (tallies[True][0], tallies[True][1])
        result.uncertain_exact = (tallies[False][0], tallies[False][1])
    return result
