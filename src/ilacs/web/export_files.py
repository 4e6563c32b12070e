"""The export files the downloads page offers, made once per record version, in a child
process (ilacs.export.own_process): the server never loads pandas, pyarrow or openpyxl,
and making a workbook never holds its GIL."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from ilacs.export.own_process import export_in_own_process
from ilacs.web.pages.downloads import parse_export_filename


def export_sizes(folder: Path) -> dict[str, int]:
    """The export files already in `folder` (one record version's), with their sizes."""
    if not folder.is_dir():
        return {}
    return {path.name: path.stat().st_size for path in folder.iterdir()
            if not path.name.startswith(".")}


def make_exports(db_path: Path, folder: Path, lock: threading.Lock,
                 names: Sequence[str]) -> None:
    """Each of the files `names` (as the downloads page names them) not yet in `folder`,
    written from the record at `db_path` by one child process. `lock` keeps two requests
    from making the same file at once."""
    with lock:
        missing = []
        for name in names:
            wanted = parse_export_filename(name)
            if wanted is None:
                raise ValueError(f"{name!r} is not a file the downloads page offers")
            if not (folder / name).exists():
                missing.append((wanted[0], wanted[1], folder / name))
        export_in_own_process(db_path, missing)
