"""Measuring a letter's headline (the first sentence under 'Headline findings', or
'Overview' in older letters) against hand labels.

The shared letter labels leave the headline out, so `tests/data/headline_labels.jsonl` was
made here: for every letter of the corpus, the page its headline starts on and a hash of
its text (`loose_hash`: letters and digits only, case folded; never the text), or null for
a letter with neither heading. Every labelled letter is read afresh, so no record is needed.
Scored: letters whose headline is the labelled one (or, labelled none, none is found), and
found headlines on their labelled page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ilacs.documents import read_document
from ilacs.errors import IlacsError
from ilacs.extract.label_files import label_rows, loose_hash
from ilacs.extract.letters import extract_letter


class HeadlineLabelError(IlacsError):
    """A headline labels file that cannot be used as it is."""


def read_headline_labels(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, row in label_rows(path, ("path", "sha", "page"), HeadlineLabelError):
        labelled = isinstance(row["sha"], str) and isinstance(row["page"], int)
        if not labelled and (row["sha"], row["page"]) != (None, None):
            raise HeadlineLabelError(f"{path}, line {number}: expected sha and page, or both "
                                     "null for a letter with no headline")
        rows.append(row)
    return rows


@dataclass
class HeadlineScores:
    letters: int = 0
    labelled: int = 0  # letters labelled with a headline
    found: int = 0  # letters ilacs gives a headline
    right: int = 0  # the labelled headline, or none where none is labelled
    page_right: int = 0  # of the right ones with a headline, on the labelled page
    disagreements: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"letters": self.letters, "labelled": self.labelled, "found": self.found,
                "right": self.right, "page_right": self.page_right,
                "disagreements": self.disagreements}


def evaluate_headlines(labels: Sequence[dict[str, Any]], corpus: Path) -> HeadlineScores:
    """Score the headline of every labelled letter under `corpus` (the folder the labels'
    paths are relative to)."""
    result = HeadlineScores()
    for label in labels:
        path = str(label["path"])
        letter, _ = extract_letter(read_document(corpus / path, display_path=path))
        headline = letter.headline if letter is not None else None
        page = letter.field_pages.get("headline") if letter is not None else None
        result.letters += 1
        result.labelled += label["sha"] is not None
        result.found += headline is not None
        got = loose_hash(headline) if headline is not None else None
        if got != label["sha"]:
            result.disagreements.append(
                f"{path}: " + ("no headline found" if got is None else
                               "a headline where none is labelled" if label["sha"] is None
                               else "not the labelled headline"))
            continue
        result.right += 1
        if got is not None:
            result.page_right += page == label["page"]
            if page != label["page"]:
                result.disagreements.append(f"{path}: headline on page {page}, labelled "
                                            f"{label['page']}")
    return result
