"""Add an independent reading of labelled points to the theme labels, which keep the
consensus.

    python scripts/add_theme_reading.py READINGS.jsonl [READINGS.jsonl …]

Each line of READINGS names a labelled point (`path`, `item`, `sha`, as in
`tests/data/theme_labels.jsonl`) and the `themes` a reader gave it without seeing the
labels or any classifier (batches drawn by `scripts/sample_theme_points.py --again`). The
reading is appended to the point's `readings` (the first one being the label it had), and
its `themes` become their consensus (`ilacs.extract.theme_labels.consensus`): what more
than half of the readings give. Points whose two readings disagree are listed at the end:
a third reading settles them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ilacs.extract.label_files import label_rows
from ilacs.extract.theme_labels import (
    LabelError,
    awaits_third_reading,
    consensus,
    themes_are_keys,
)

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "theme_labels.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("readings", type=Path, nargs="+")
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args()

    rows = [row for _, row in label_rows(args.labels, ("path", "item", "sha", "themes"),
                                         LabelError)]
    by_point = {(row["path"], row["item"]): row for row in rows}
    added = 0
    for path in args.readings:
        for number, reading in label_rows(path, ("path", "item", "sha", "themes"), LabelError):
            row = by_point.get((reading["path"], reading["item"]))
            if row is None or row["sha"] != reading["sha"]:
                raise LabelError(f"{path}, line {number}: {reading['path']} item "
                                 f"{reading['item']} is not a labelled point with that text")
            if not reading["themes"] or not themes_are_keys(reading["themes"]):
                raise LabelError(f"{path}, line {number}: themes {reading['themes']!r} must be "
                                 "keys of themes.yaml, or 'other' alone")
            row.setdefault("readings", [sorted(row["themes"])]).append(sorted(reading["themes"]))
            row["themes"] = consensus(row["readings"])
            added += 1
    args.labels.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                           encoding="utf-8")
    unsettled = [row for row in rows if awaits_third_reading(row)]
    sys.stdout.write(f"{added} readings added; {len(unsettled)} points whose two readings "
                     "disagree wait for a third\n")


if __name__ == "__main__":
    try:
        main()
    except LabelError as error:
        sys.exit(f"error: {error}")
