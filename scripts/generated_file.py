"""What the scripts that generate a packaged data file from ../shared/reference share: stable
JSON, writing only when the content changes, and one command line for all of them:

    python scripts/<script>.py [REFERENCE_DIR] [--output PATH] [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

Build = Callable[[Path], Mapping[str, Any]]


class BuildError(Exception):
    """The inputs are not as the script expects; the message says which and how."""


def to_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_if_changed(text: str, output: Path) -> bool:
    """Write `text` to `output`; True if the file changed."""
    if output.exists() and output.read_text(encoding="utf-8") == text:
        return False
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return True


def main(build: Build, description: str, needs: str, default_reference: Path,
         default_output: Path, argv: Sequence[str] | None = None) -> int:
    """The command line: build from REFERENCE_DIR (which must hold the file `needs`) and write
    the output, or with --check only say whether it is out of date (exit 1 if so)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("reference_dir", nargs="?", type=Path, default=default_reference)
    parser.add_argument("--output", type=Path, default=default_output)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the output would change; write nothing"
    )
    args = parser.parse_args(argv)
    reference_dir: Path = args.reference_dir
    output: Path = args.output
    if not (reference_dir / needs).is_file():
        parser.error(f"{reference_dir / needs} not found; pass the shared reference folder")
    try:
        if args.check:
            current = output.read_text(encoding="utf-8") if output.exists() else ""
            stale = current != to_json(build(reference_dir))
            sys.stderr.write(f"{output}: {'out of date' if stale else 'up to date'}\n")
            return 1 if stale else 0
        changed = write_if_changed(to_json(build(reference_dir)), output)
    except BuildError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stderr.write(f"{output}: {'written' if changed else 'unchanged'}\n")
    return 0
