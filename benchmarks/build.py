"""Build the whole corpus into a fresh database and compare with plain text extraction.

    python benchmarks/build.py [REPORTS_DIR] [--workers N]

Prints, from the same run: our build time (read + extract + store, on N processes), the time
of plain pypdfium2 text extraction of every page on the same N processes, their ratio, and the
peak resident memory of the build (this process and its workers).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium

from ilacs.pipeline import default_workers, find_files, ingest
from ilacs.record import ensure_authorities
from ilacs.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def plain_text(path: Path) -> int:
    """The baseline: open the PDF and extract every page's text, nothing else."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    characters = 0
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        characters += len(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
    return characters


def time_baseline(files: list[Path], workers: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(plain_text, files, chunksize=4))
    return time.perf_counter() - start


def time_build(reports: Path, workers: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        conn = open_store(Path(folder) / "benchmark.db")
        ensure_authorities(conn)
        sources = find_files([reports])
        start = time.perf_counter()
        summary = ingest(conn, sources, workers=workers)
        elapsed = time.perf_counter() - start
        conn.close()
    return elapsed, summary.inspections


def peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="?", type=Path,
                        default=ROOT.parent / "shared" / "corpus" / "reports")
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    files = sorted(args.reports.rglob("*.pdf"))
    baseline = time_baseline(files, args.workers)
    build, inspections = time_build(args.reports, args.workers)
    print(f"files: {len(files)}, workers: {args.workers}, inspections extracted: {inspections}")
    print(f"plain pypdfium2 text extraction: {baseline:.2f} s")
    print(f"ilacs build (read, extract, store): {build:.2f} s")
    print(f"ratio build / baseline: {build / baseline:.2f} (target <= 1.2)")
    print(f"peak RSS (largest process): {peak_rss_mib():.0f} MiB (target < 1024)")


if __name__ == "__main__":
    main()
