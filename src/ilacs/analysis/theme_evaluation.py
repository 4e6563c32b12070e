"""Hand-labelled improvement points joined to the record's texts, for fitting and measuring
the theme classifier (`ilacs eval themes`, `scripts/train_themes.py`).

Labels keep a point's document path, item number and a hash of its text, never the text: the
record supplies it, and a hash that differs means the numbering drifted (an extraction
change) and is an error naming the label.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from ilacs.extract.label_files import text_hash
from ilacs.extract.theme_labels import OTHER, LabelError, LabelledPoint
from ilacs.store.points import PointRow, all_points


def label_path(item: PointRow) -> str:
    return ("reports/" if item.event == "inspection" else "letters/") + item.document_path


def stratum(item: PointRow) -> str:
    """Reports by framework, letters by kind: the groups scored separately."""
    return item.framework if item.event == "inspection" and item.framework else item.event


def labelled_points(conn: sqlite3.Connection,
                    labels: Sequence[dict[str, Any]]) -> list[LabelledPoint]:
    """Every label with its point's text from the record; every fault named."""
    items = {(label_path(i), i.number): i for i in all_points(conn) if i.text}
    points, faults = [], []
    for label in labels:
        item = items.get((str(label["path"]), int(label["item"])))
        if item is None:
            faults.append(f"{label['path']} item {label['item']}: not in the record (ingest the "
                          "document first)")
            continue
        if text_hash(item.text) != label["sha"]:
            faults.append(f"{label['path']} item {label['item']}: the text's hash is "
                          f"{text_hash(item.text)}, the label's {label['sha']} (numbering drifted)")
            continue
        themes = frozenset(label["themes"]) - {OTHER}
        points.append(LabelledPoint(path=str(label["path"]), item=int(label["item"]),
                                    urn=item.urn or 0, kind=stratum(item), text=item.text,
                                    themes=themes))
    if faults:
        shown = "; ".join(faults[:5])
        raise LabelError(f"{len(faults)} of {len(labels)} labels do not match the record: "
                         f"{shown}{' …' if len(faults) > 5 else ''}")
    return points
