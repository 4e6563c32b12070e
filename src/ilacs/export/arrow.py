"""An export table as an Arrow table with real column types (dates as date32, counts as
int64): what the Parquet export writes and what `ilacs.open(...)` tables convert to.
pyarrow is imported here, not at package import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ilacs.export.tables import ColumnKind, Table

if TYPE_CHECKING:
    import pyarrow


def arrow_table(table: Table) -> pyarrow.Table:
    import pyarrow as pa

    types = {ColumnKind.TEXT: pa.string(), ColumnKind.INTEGER: pa.int64(),
             ColumnKind.FLOAT: pa.float64(), ColumnKind.DATE: pa.date32()}
    schema = pa.schema([pa.field(c.name, types[c.kind]) for c in table.columns])
    columns = {name: [row[index] for row in table.rows]
               for index, name in enumerate(table.column_names)}
    return pa.Table.from_pydict(columns, schema=schema)
