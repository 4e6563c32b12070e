"""The record from Python, for analysts and researchers: `ilacs.open(path)`.

    >>> import ilacs
    >>> with ilacs.open("ilacs.db") as record:
    ...     inspections = record.inspections.to_pandas()   # one row per inspection
    ...     latest = record.latest.to_arrow()               # one row per authority
    ...     due = record.due()                              # as `ilacs analyse due --json`

A record opens read-only unless asked (`writable=True`), so a notebook can never change the
file a server is reading. Its tables are the export tables (the same columns and types as
`ilacs export`); its analyses return what the CLI's `--json` prints.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ilacs.analysis import benchmark as bench
from ilacs.analysis import schedule, trends
from ilacs.analysis.jsonable import jsonable
from ilacs.analysis.record import AnalysisRecord, load_record
from ilacs.errors import IlacsError
from ilacs.export.arrow import arrow_table
from ilacs.export.statistics_tables import statistics_sources_table, statistics_table
from ilacs.export.story_tables import interventions_table, visits_table
from ilacs.export.tables import (
    Table,
    authorities_table,
    judgements_table,
    latest_table,
    points_table,
    problems_table,
    strengths_table,
    wide_table,
)
from ilacs.reference import find_authority
from ilacs.store import open_read_only, open_store
from ilacs.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    import pandas
    import pyarrow


class Dataset:
    """One table of the record, as rows or as a DataFrame / Arrow table with real types."""

    def __init__(self, table: Table) -> None:
        self.table = table

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def columns(self) -> list[str]:
        return self.table.column_names

    def __len__(self) -> int:
        return len(self.table.rows)

    def records(self) -> list[dict[str, Any]]:
        return self.table.records()

    def to_arrow(self) -> pyarrow.Table:
        """Dates as date32, counts as int64, text as strings (as the Parquet export)."""
        return arrow_table(self.table)

    def to_pandas(self) -> pandas.DataFrame:
        """A DataFrame (pandas' Arrow-backed dates and nullable integers)."""
        return self.to_arrow().to_pandas(types_mapper=_nullable_types())

    def __repr__(self) -> str:
        return f"<Dataset {self.name}: {len(self)} rows, columns {', '.join(self.columns)}>"


def _nullable_types() -> Callable[[Any], Any]:
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype()}
    return mapping.get


class Record:
    """An open ilacs database: its tables and its analyses."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # --- tables -------------------------------------------------------------------------
    @cached_property
    def inspections(self) -> Dataset:
        """One row per inspection, one column per judgement (the 'wide' export)."""
        return Dataset(wide_table(self.conn))

    @cached_property
    def latest(self) -> Dataset:
        """One row per authority: its latest full inspection."""
        return Dataset(latest_table(self.conn))

    @cached_property
    def judgements(self) -> Dataset:
        return Dataset(judgements_table(self.conn))

    @cached_property
    def points(self) -> Dataset:
        """What inspectors asked each authority to improve in reports and letters (and,
        section 'lscb', a report's safeguarding children board), with the themes and page
        of each point."""
        return Dataset(points_table(self.conn))

    @cached_property
    def strengths(self) -> Dataset:
        """What each report praises (its strengths list, or its summary's sentences of
        praise), with their themes and page."""
        return Dataset(strengths_table(self.conn))

    @cached_property
    def visits(self) -> Dataset:
        return Dataset(visits_table(self.conn))

    @cached_property
    def interventions(self) -> Dataset:
        return Dataset(interventions_table(self.conn))

    @cached_property
    def authorities(self) -> Dataset:
        return Dataset(authorities_table(self.conn))

    @cached_property
    def problems(self) -> Dataset:
        return Dataset(problems_table(self.conn))

    @cached_property
    def statistics(self) -> Dataset:
        """The headline indicators of the official statistics, per authority and year."""
        return Dataset(statistics_table(self.conn))

    @cached_property
    def statistics_sources(self) -> Dataset:
        return Dataset(statistics_sources_table(self.conn))

    # --- analyses: each returns what `ilacs analyse ... --json` prints ------------------
    @cached_property
    def analysis(self) -> AnalysisRecord:
        return load_record(self.conn)

    def benchmark(self, la: str, model: str = "2025") -> Any:
        return jsonable(bench.benchmark(self.analysis, find_authority(la).urn,
                                        model))  # type: ignore[arg-type]

    def grades(self, judgement: str = "overall_effectiveness", by: str = "year",
               region: str | None = None) -> Any:
        return jsonable(trends.grade_report(self.analysis, judgement, by, region))

    def transitions(self, judgement: str = "overall_effectiveness",
                    frameworks: tuple[str, ...] = ()) -> Any:
        return jsonable(trends.transitions_summary(self.analysis, judgement,
                                                   frameworks or None))

    def due(self, la: str | None = None) -> Any:
        rows = schedule.next_due(self.analysis)
        if la:
            urn = find_authority(la).urn
            rows = [row for row in rows if row.urn == urn]
        return jsonable(rows)

    def backtest(self) -> Any:
        return jsonable(schedule.backtest_report(self.analysis))

    # --- lifetime -----------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Record:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<ilacs record {self.path}>"


def open_record(path: str | os.PathLike[str], writable: bool = False) -> Record:
    """The record in `path`; read-only unless `writable` (which also brings an older
    database's schema up to date)."""
    file = Path(path)
    if not file.is_file():
        raise IlacsError("no such database; build one with `ilacs build` or `ilacs ingest`",
                         path=str(file))
    if writable:
        return Record(open_store(file), file)
    conn = open_read_only(file)
    try:
        applied = {row[0] for row in conn.execute("SELECT id FROM _migrations")}
    except sqlite3.DatabaseError as error:
        conn.close()
        raise IlacsError(f"not an ilacs record ({error})", path=str(file)) from error
    missing = {migration.id for migration in MIGRATIONS} - applied
    if missing:
        conn.close()
        raise IlacsError(f"written by an older ilacs (schema migrations {sorted(missing)} not "
                         "applied): open it once with writable=True", path=str(file))
    return Record(conn, file)
