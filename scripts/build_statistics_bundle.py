#!/usr/bin/env python3
"""Rebuild the bundled official statistics from the shared reference folder.

    python scripts/build_statistics_bundle.py [REFERENCE_DIR] [--check]

Reads every file of REFERENCE_DIR/dfe (default ../shared/reference/dfe) that the catalogue
names a data set (`src/ilacs/statistics/catalogue.yaml`) with the same readers as
`ilacs statistics load`, and writes the figures, xz-compressed, to
src/ilacs/statistics/data/bundled_statistics.json.xz. Files the catalogue does not name (the
LTLA-UTLA lookup, Ofsted's provider-level workbook) are not bundled. The output is
deterministic, so --check (exit 1 if the shipped file would change) can run in CI.
"""

from __future__ import annotations

import argparse
import lzma
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    from ilacs.ingest.statistics import find_statistics_files, read_statistics_file
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))
    from ilacs.ingest.statistics import find_statistics_files, read_statistics_file

from ilacs.statistics.bundle import BUNDLE_FILE, compress, tables_to_bundle  # noqa: E402
from ilacs.statistics.catalogue import load_catalogue  # noqa: E402

SHIPPED = ROOT / "src" / "ilacs" / "statistics" / "data" / BUNDLE_FILE
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"


def build(reference: Path) -> bytes:
    catalogue = load_catalogue()
    files, _ = find_statistics_files([reference / "dfe"])
    tables = []
    for path in files:
        dataset = catalogue.dataset_for_file(path.name)
        if dataset is None:
            continue
        location = path.relative_to(reference.parent).as_posix()
        tables.append((dataset.key, location, read_statistics_file(path, location)))
    return compress(tables_to_bundle(tables))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--check", action="store_true",
                        help="Only say whether the shipped file is up to date (exit 1 if not).")
    args = parser.parse_args()
    data = build(args.reference)
    if args.check:
        same = SHIPPED.is_file() and lzma.decompress(SHIPPED.read_bytes()) == \
            lzma.decompress(data)
        sys.stdout.write("bundled statistics are up to date\n" if same else
                         "bundled statistics differ: run scripts/build_statistics_bundle.py\n")
        return 0 if same else 1
    SHIPPED.parent.mkdir(parents=True, exist_ok=True)
    SHIPPED.write_bytes(data)
    sys.stdout.write(f"wrote {SHIPPED} ({len(data):,} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
