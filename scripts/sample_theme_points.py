"""Draw improvement points for hand-labelling with themes, at random across eras and kinds.

    python scripts/sample_theme_points.py --db RECORD --out DIR [--seed 2412] [--batches 6]
        [--all | --again | --unsettled]

The record must hold the texts (built by `ilacs ingest` of the shared reports and letters).
Points already in `tests/data/theme_labels.jsonl` are left out; `--all` draws every other
point instead of each stratum's quota. For a blind reading of labelled points (the batches
never show their themes), `--again` draws every labelled point, and `--unsettled` those
whose two readings disagree and wait for a third (`scripts/add_theme_reading.py`). Each
batch file lists the documents of its points with *every* point of the document, the ones
to label marked, so a labeller reads each point in its section. The files hold the
corpus's sentences: they are written outside the project (`--out`) and never committed;
labels keep only the document path, the item number and a hash of the text.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from ilacs.analysis.theme_evaluation import label_path, stratum
from ilacs.extract.label_files import text_hash
from ilacs.extract.theme_labels import awaits_third_reading
from ilacs.store import open_store
from ilacs.store.points import PointRow, all_points

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "theme_labels.jsonl"

# Points to draw per stratum (framework for inspections, visit kind for letters): every era
# and kind is represented beyond its share of the record, so the rarer ones can be measured.
QUOTA = {"sif": 360, "ilacs_2018": 230, "ilacs_2023": 170, "ilacs_2026": 40, "pre_sif": 40,
         "focused_visit": 170, "jtai": 140}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2412)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--all", action="store_true",
                        help="every point not yet labelled, not each stratum's quota")
    parser.add_argument("--again", action="store_true",
                        help="every labelled point, for a second reading")
    parser.add_argument("--unsettled", action="store_true",
                        help="labelled points whose two readings disagree, for a third")
    args = parser.parse_args()

    rows = [json.loads(line) for line in LABELS.read_text("utf-8").splitlines() if line]
    labelled = {(row["path"], row["item"]) for row in rows}
    unsettled = {(row["path"], row["item"]) for row in rows if awaits_third_reading(row)}

    def wanted(point: tuple[str, int]) -> bool:
        if args.unsettled:
            return point in unsettled
        return (point in labelled) == args.again

    items = [i for i in all_points(open_store(args.db)) if i.text]
    by_stratum: dict[str, list[PointRow]] = defaultdict(list)
    for item in items:
        if wanted((label_path(item), item.number)):
            by_stratum[stratum(item)].append(item)
    rng = random.Random(args.seed)
    chosen: list[PointRow] = []
    quotas = ({name: len(pool) for name, pool in by_stratum.items()}
              if args.all or args.again or args.unsettled else QUOTA)
    for name, quota in quotas.items():
        pool = sorted(by_stratum[name], key=lambda i: (i.document_path, i.number))
        chosen += rng.sample(pool, min(quota, len(pool)))
    rng.shuffle(chosen)

    documents: dict[str, list[PointRow]] = defaultdict(list)
    for item in items:
        documents[label_path(item)].append(item)
    # Whole documents go to one batch, so a labeller sees a list once.
    per_document: dict[str, set[int]] = defaultdict(set)
    for item in chosen:
        per_document[label_path(item)].add(item.number)
    order = list(per_document)
    rng.shuffle(order)
    args.out.mkdir(parents=True, exist_ok=True)
    batches: list[list[str]] = [[] for _ in range(args.batches)]
    for path in order:
        min(batches, key=lambda b: sum(len(per_document[p]) for p in b)).append(path)
    for number, batch in enumerate(batches, 1):
        with (args.out / f"batch_{number}.jsonl").open("w", encoding="utf-8") as out:
            for path in batch:
                points = sorted(documents[path], key=lambda i: i.number)
                first = points[0]
                out.write(json.dumps({
                    "path": path, "kind": stratum(first),
                    "date": first.date.isoformat() if first.date else None,
                    "points": [{"item": p.number, "sha": text_hash(p.text),
                                "label": p.number in per_document[path],
                                "section": p.section, "text": p.text} for p in points],
                }, ensure_ascii=False) + "\n")
        sys.stdout.write(f"batch {number}: {len(batch)} documents, "
                         f"{sum(len(per_document[p]) for p in batch)} points to label\n")


if __name__ == "__main__":
    main()
