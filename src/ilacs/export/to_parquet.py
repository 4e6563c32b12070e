"""Parquet: the wide (or latest-per-LA) table with real column types, for analysts.

Columns keep their types (dates as date32, counts as int64), so pandas, polars, R and DuckDB
read dates as dates without parsing. pyarrow is imported here, not at package import.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ilacs.export.tables import ColumnKind, Table, latest_table, wide_table


def write_parquet(conn: sqlite3.Connection, path: Path, latest: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = latest_table(conn) if latest else wide_table(conn)
    types = {ColumnKind.TEXT: pa.string(), ColumnKind.INTEGER: pa.int64(),
             ColumnKind.DATE: pa.date32()}
    schema = pa.schema([pa.field(c.name, types[c.kind]) for c in table.columns])
    columns = _columns(table)
    pq.write_table(pa.Table.from_pydict(columns, schema=schema), str(path))


def _columns(table: Table) -> dict[str, list[object]]:
    return {
        name: [row[index] for row in table.rows]
        for index, name in enumerate(table.column_names)
    }
