"""Time loading every official statistics file into a fresh record, against plain reading of
the same files in the same run.

    python benchmarks/load_statistics.py [DFE_DIR] [--runs 5] [--workers 2]

Each run loads the folder (default ../shared/reference/dfe) into a new SQLite file with
`load_statistics` (read, join to the register, store every figure, derive the headline
indicators), then times the baseline on the same files: `csv.reader` over every CSV, and
ElementTree parsing the `content.xml` of every OpenDocument workbook the load reads. Prints
each run's times, the ratio, and the median; the issue's target is 5 s for the load on 2
cores. Peak resident memory of this process is printed last.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ilacs.ingest.statistics import find_statistics_files, load_statistics
from ilacs.record import ensure_authorities
from ilacs.store import open_store
from ilacs.store.statistics import figure_count

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DFE = ROOT.parent / "shared" / "reference" / "dfe"


def plain_read(files: list[Path]) -> tuple[float, int]:
    """Seconds to read every CSV with csv.reader and parse every workbook's XML; cells seen."""
    started = time.perf_counter()
    cells = 0
    for path in files:
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                cells += sum(len(row) for row in csv.reader(handle))
        else:
            with zipfile.ZipFile(path) as archive:
                root = ElementTree.fromstring(archive.read("content.xml"))
            cells += sum(1 for _ in root.iter())
    return time.perf_counter() - started, cells


def load(files: list[Path], workers: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        conn = open_store(Path(folder) / "ilacs.db")
        ensure_authorities(conn)
        started = time.perf_counter()
        load_statistics(conn, files, workers=workers)
        elapsed = time.perf_counter() - started
        figures = figure_count(conn)
        conn.close()
    return elapsed, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DFE)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    files, _ = find_statistics_files([args.folder])
    read = [f for f in files if not f.name.startswith("LTLA")]
    loads, plains = [], []
    for run in range(1, args.runs + 1):
        took, figures = load(files, args.workers)
        plain, cells = plain_read(read)
        loads.append(took)
        plains.append(plain)
        print(f"run {run}: load {took:.2f} s ({figures:,} figures stored), plain read "
              f"{plain:.2f} s ({cells:,} cells and elements), ratio {took / plain:.1f}")
    load_median, plain_median = statistics.median(loads), statistics.median(plains)
    print(f"median: load {load_median:.2f} s (range {min(loads):.2f}-{max(loads):.2f}; target "
          f"5 s), plain read {plain_median:.2f} s, ratio {load_median / plain_median:.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB (this process), {children:.0f} MiB (largest worker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
