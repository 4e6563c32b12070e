"""Rebuild the bundled record (facts only, no report sentences) from the shared corpus.

    python scripts/build_bundle.py [FOLDER ...] [--check]

Ingests every report and letter (by default ../shared/corpus/reports and .../letters) into a
temporary database with the interventions register's seed and the sourced events of
../shared/reference/interventions (their facts and addresses; quotes stay there), and writes what
`record_to_bundle` returns to src/ilacs/store/data/bundled_record.json. --check exits 1 if
the shipped file differs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from ilacs.ingest.interventions import import_seed
from ilacs.pipeline import default_workers, find_files, ingest
from ilacs.record import ensure_authorities
from ilacs.store import open_store, record_to_bundle

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "ilacs" / "store" / "data" / "bundled_record.json"
EVENTS = ROOT.parent / "shared" / "reference" / "interventions" / "events.jsonl"


def bundle_text(bundle: dict[str, object]) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def build(folders: list[Path]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        conn = open_store(Path(folder) / "bundle.db")
        ensure_authorities(conn)
        import_seed(conn, EVENTS)
        ingest(conn, find_files(folders), workers=default_workers())
        bundle = record_to_bundle(conn)
        conn.close()
    return bundle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus = ROOT.parent / "shared" / "corpus"
    parser.add_argument("folders", nargs="*", type=Path,
                        default=[corpus / "reports", corpus / "letters"])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = bundle_text(build(args.folders))
    if args.check:
        same = SHIPPED.is_file() and SHIPPED.read_text("utf-8") == text
        sys.stdout.write("bundled record is up to date\n" if same else "bundled record differs\n")
        return 0 if same else 1
    SHIPPED.parent.mkdir(parents=True, exist_ok=True)
    SHIPPED.write_text(text, "utf-8")
    sys.stdout.write(f"wrote {SHIPPED}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
