"""Parquet: the wide (or latest-per-LA, or statistics) table with real column types.

Columns keep their types (dates as date32, counts as int64), so pandas, polars, R and DuckDB
read dates as dates without parsing. pyarrow is imported here, not at package import.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ilacs.export.statistics_tables import statistics_table
from ilacs.export.tables import ColumnKind, Selection, Table, latest_table, wide_table


def write_parquet(conn: sqlite3.Connection, path: Path, selection: Selection) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = {Selection.LATEST: latest_table, Selection.STATISTICS: statistics_table}.get(
        selection, wide_table)(conn)
    types = {ColumnKind.TEXT: pa.string(), ColumnKind.INTEGER: pa.int64(),
             ColumnKind.FLOAT: pa.float64(), ColumnKind.DATE: pa.date32()}
    schema = pa.schema([pa.field(c.name, types[c.kind]) for c in table.columns])
    columns = _columns(table)
    pq.write_table(pa.Table.from_pydict(columns, schema=schema), str(path))


def _columns(table: Table) -> dict[str, list[object]]:
    return {
        name: [row[index] for row in table.rows]
        for index, name in enumerate(table.column_names)
    }
