"""Fit the theme model on the hand-labelled points and write the packaged artefact.

    python scripts/train_themes.py --db RECORD [--check]

RECORD must hold the labelled points' texts (`ilacs ingest ../shared/corpus/reports
../shared/corpus/letters`). The fit is deterministic (fixed seed, liblinear), so running it
again on the same labels writes the same file; `--check` says whether the shipped artefact
is what the labels give. The version names the labels it was trained on (a digest), so a
record's stored themes can say which model made them. Measure before shipping:
`ilacs --db RECORD eval themes tests/data/theme_labels.jsonl`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import sys
from pathlib import Path

from ilacs.analysis.theme_evaluation import labelled_points
from ilacs.extract.theme_labels import read_theme_labels
from ilacs.extract.theme_model import ARTEFACT, ModelSettings, write_model
from ilacs.extract.theme_training import fit
from ilacs.store import open_store

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "theme_labels.jsonl"
SHIPPED = ROOT / "src" / "ilacs" / "extract" / ARTEFACT
# Raise when the method or its settings change; the labels' digest is added to it.
METHOD_VERSION = "4"  # 4: the rules' features weighted 0.25 (3: 0.5; 2: 1.0)


def model_version(labels: Path) -> str:
    return f"{METHOD_VERSION}+{hashlib.sha256(labels.read_bytes()).hexdigest()[:10]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--output", type=Path, default=SHIPPED)
    parser.add_argument("--check", action="store_true",
                        help="compare with the shipped artefact instead of writing it")
    args = parser.parse_args()

    points = labelled_points(open_store(args.db), read_theme_labels(args.labels))
    model = fit(points, ModelSettings(), model_version(args.labels))
    if args.check:
        shipped = json.loads(lzma.decompress(args.output.read_bytes()))
        same = shipped == json.loads(json.dumps(model.to_json()))
        sys.stdout.write("theme model is up to date\n" if same else "theme model differs\n")
        sys.exit(0 if same else 1)
    write_model(model, args.output)
    sys.stdout.write(f"wrote {args.output} (version {model.version}, {len(points)} points)\n")


if __name__ == "__main__":
    main()
