"""Parquet: the wide (or latest-per-LA, or statistics) table with real column types.

Columns keep their types (dates as date32, counts as int64), so pandas, polars, R and DuckDB
read dates as dates without parsing. pyarrow is imported here, not at package import.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ilacs.export.arrow import arrow_table
from ilacs.export.statistics_tables import statistics_table
from ilacs.export.tables import Selection, latest_table, wide_table


def write_parquet(conn: sqlite3.Connection, path: Path, selection: Selection) -> None:
    import pyarrow.parquet as pq

    table = {Selection.LATEST: latest_table, Selection.STATISTICS: statistics_table}.get(
        selection, wide_table)(conn)
    pq.write_table(arrow_table(table), str(path))
