"""The hand-labelled improvement points that measure and train the theme classifier: reading
the labels file (a point read more than once keeps its readings, and its themes are their
consensus) and the points they label. Light on purpose: the labelling scripts read it without
scikit-learn."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ilacs.errors import IlacsError
from ilacs.extract.label_files import label_rows
from ilacs.extract.themes import taxonomy

OTHER = "other"


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
