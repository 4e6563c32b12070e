"""Measuring the board's points (what a SIF report asks its Local Safeguarding Children Board
to improve) against hand labels.

The shared labels leave the board's list out (they are the authority's points), so
`tests/data/board_labels.jsonl` was made here: for every SIF report, whether it reviews the
board and, for each point of the board's list, the page it starts on and a hash of its text
(`loose_hash`: letters and digits only, case folded, so that spacing, punctuation and
quotes do not count; never the text). Every labelled report is read afresh, so no record is
needed. Scored: reports whose list has the labelled number of points, reports whose list is
the labelled one exactly, points found (precision and recall by text) and found points on
their labelled page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ilacs.documents import read_document
from ilacs.errors import IlacsError
from ilacs.extract.label_files import label_rows, loose_hash
from ilacs.extract.models import InspectionReport
from ilacs.extract.report import extract_report


class BoardLabelError(IlacsError):
    """A board labels file that cannot be used as it is."""


def read_board_labels(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, row in label_rows(path, ("path", "board_review", "items"), BoardLabelError):
        items = row["items"]
        if not isinstance(row["board_review"], bool) or not isinstance(items, list) or any(
                not isinstance(item, dict) or not isinstance(item.get("page"), int)
                or not isinstance(item.get("sha"), str) for item in items):
            raise BoardLabelError(f"{path}, line {number}: expected board_review true or false "
                                  "and items as a list of {page, sha}")
        if items and not row["board_review"]:
            raise BoardLabelError(f"{path}, line {number}: points for a board the report "
                                  "does not review")
        rows.append(row)
    return rows


@dataclass
class BoardScores:
    reports: int = 0
    reviews: int = 0  # labelled reports that review the board
    count_right: int = 0  # reports whose board list has the labelled number of points
    list_right: int = 0  # reports whose board list is the labelled one, in order
    labelled_points: int = 0
    found_points: int = 0  # points ilacs gives the board
    matched_points: int = 0  # of those, with a labelled point's text
    page_right: int = 0  # of the matched, on the labelled page
    disagreements: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_points / self.found_points if self.found_points else 0.0

    @property
    def recall(self) -> float:
        return self.matched_points / self.labelled_points if self.labelled_points else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"reports": self.reports, "board_reviews": self.reviews,
                "count_right": self.count_right, "list_right": self.list_right,
                "labelled_points": self.labelled_points, "found_points": self.found_points,
                "matched_points": self.matched_points, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "page_right": self.page_right,
                "disagreements": self.disagreements}


def evaluate_board(labels: Sequence[dict[str, Any]], corpus: Path) -> BoardScores:
    """Score the board's points of every labelled report under `corpus` (the folder the
    labels' paths are relative to)."""
    return score_board(labels, {
        path: extract_report(read_document(corpus / path, display_path=path)).report
        for path in (str(label["path"]) for label in labels)})


def score_board(labels: Sequence[dict[str, Any]],
                reports: Mapping[str, InspectionReport | None]) -> BoardScores:
    """Score the board's points of the labelled reports, extracted already (by the labels'
    paths; None where a file held no report)."""
    result = BoardScores()
    for label in labels:
        path = str(label["path"])
        report = reports[path]
        found = report.board_recommendations if report is not None else ()
        expected = [(item["sha"], item["page"]) for item in label["items"]]
        got = [(loose_hash(point.text), point.page) for point in found]
        result.reports += 1
        result.reviews += bool(label["board_review"])
        result.labelled_points += len(expected)
        result.found_points += len(got)
        result.count_right += len(got) == len(expected)
        result.list_right += got == expected
        unmatched = Counter(sha for sha, _ in expected)
        pages = dict(expected)
        for number, (sha, page) in enumerate(got, 1):
            if unmatched[sha] > 0:
                unmatched[sha] -= 1
                result.matched_points += 1
                result.page_right += page == pages[sha]
                if page != pages[sha]:
                    result.disagreements.append(f"{path}: point {number} on page {page}, "
                                                f"labelled {pages[sha]}")
            else:
                result.disagreements.append(f"{path}: point {number} (page {page}) is not "
                                            "a labelled point")
        missed = sum(unmatched.values())
        if missed:
            result.disagreements.append(f"{path}: {missed} of {len(expected)} labelled points "
                                        "not found")
    return result
