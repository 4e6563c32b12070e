"""ilacs: the open, tested record of Ofsted's inspections of local authority children's services."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ilacs.api import Record

__version__ = "0.1.0"


def open(path: str | os.PathLike[str], writable: bool = False) -> Record:  # noqa: A001
    """The record in the SQLite file `path` (read-only unless `writable`): its tables as
    DataFrames and Arrow tables, its analyses as the CLI's --json. See ilacs.api."""
    from ilacs.api import open_record

    return open_record(path, writable)
