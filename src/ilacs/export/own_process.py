"""Exports written in a process of their own, as the server has them made.

pandas, pyarrow and openpyxl are about 100 MB resident once imported, and a workbook's
tables allocate as much again, which the allocator then keeps: made in the server, the
twelve export files took a warm server from about 300 to 460 MB for good. Made in the
server's threads, they also held its GIL for seconds while visitors waited. A child process
makes them and exits, giving all of it back.

    python -m ilacs.export RECORD FORMAT:SELECTION:FILE [FORMAT:SELECTION:FILE ...]
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from ilacs.child_process import ChildFailed, run_module
from ilacs.errors import IlacsError
from ilacs.export.registry import ExportError, export_record
from ilacs.export.tables import Selection
from ilacs.store.database import open_read_only
from ilacs.store.transactions import read_transaction

# Making all twelve files of the full record takes about 15 s of one core.
CHILD_SECONDS = 600


def export_in_own_process(db_path: Path, wanted: Sequence[tuple[str, Selection, Path]],
                          timeout: float = CHILD_SECONDS) -> None:
    """Write each (format, selection, file) of the record at `db_path`, in one child process
    that reads the record read-only."""
    if not wanted:
        return
    try:
        run_module("ilacs.export", [str(db_path), *(
            f"{format}:{selection.value}:{path}" for format, selection, path in wanted)],
            timeout)
    except ChildFailed as error:
        names = ", ".join(path.name for _, _, path in wanted)
        raise ExportError(f"making {names} from {db_path} failed: {error}") from error


def main(arguments: Sequence[str]) -> int:
    """The child's side: write each FORMAT:SELECTION:FILE from the record, read-only."""
    if len(arguments) < 2:
        sys.stderr.write("usage: python -m ilacs.export RECORD FORMAT:SELECTION:FILE ...\n")
        return 2
    record, *wanted = arguments
    try:
        conn = open_read_only(record)
        with read_transaction(conn):  # every file from one version of the record
            for item in wanted:
                format, selection, file = _parsed(item)
                export_record(conn, format, Path(file), latest=selection is Selection.LATEST,
                              statistics=selection is Selection.STATISTICS)
    except (IlacsError, sqlite3.Error) as error:
        sys.stderr.write(f"{record}: {error}\n")
        return 1
    return 0


def _parsed(item: str) -> tuple[str, Selection, str]:
    format, _, rest = item.partition(":")
    selection, _, file = rest.partition(":")  # the file last: a path may hold colons
    try:
        return format, Selection(selection), file
    except ValueError:
        raise ExportError(f"{item!r}: expected FORMAT:SELECTION:FILE, SELECTION one of "
                          f"{', '.join(s.value for s in Selection)}") from None
