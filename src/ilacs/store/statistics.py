"""Official statistics in the record: SQL only (see migration 8 for the tables and why).

Writers run inside the caller's transaction (the ingest stage groups a whole load), so a
load that fails part way leaves what was stored before untouched. Readers return typed rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ilacs.statistics.geography import Area, Place
from ilacs.statistics.model import IndicatorValue, SeriesPoint, filters_json

__all__ = ["IndicatorValue", "SeriesPoint", "StatisticsSource", "filters_json"]

@dataclass(frozen=True)
class StatisticsSource:
    dataset: str
    title: str
    publication: str | None
    location: str  # the file or address it was read from
    sha256: str
    size: int
    origin: str  # loaded, fetched or bundled
    reader_version: str
    rows: int
    layout: Mapping[str, Any]
    loaded_at: str


@dataclass(frozen=True)
class SeriesKey:
    indicator: str
    filters: str  # filters_json
    time_identifier: str
    unit: str


# (series position in the list given, area id, period code, year, value, missing, row)
ValueRow = tuple[int, int, str, int, float | None, str | None, int]


# --- sources --------------------------------------------------------------------------------

def stored_source(conn: sqlite3.Connection, dataset: str) -> StatisticsSource | None:
    row = conn.execute("SELECT * FROM statistics_sources WHERE dataset = ?",
                       (dataset,)).fetchone()
    return None if row is None else _source(row)


def list_sources(conn: sqlite3.Connection) -> list[StatisticsSource]:
    return [_source(row) for row in
            conn.execute("SELECT * FROM statistics_sources ORDER BY dataset")]


def _source(row: sqlite3.Row) -> StatisticsSource:
    return StatisticsSource(
        dataset=row["dataset"], title=row["title"], publication=row["publication"],
        location=row["location"], sha256=row["sha256"], size=row["size"],
        origin=row["origin"], reader_version=row["reader_version"], rows=row["rows"],
        layout=json.loads(row["layout"]), loaded_at=row["loaded_at"])


# --- writing --------------------------------------------------------------------------------

def save_areas(conn: sqlite3.Connection, places: Iterable[Place]) -> dict[Area, int]:
    """The id of each place's area, inserting those not yet stored (a stored area keeps the
    name first seen, and takes the current join to the register)."""
    ids: dict[Area, int] = {}
    for place in places:
        area = place.area
        if area in ids:
            continue
        conn.execute(
            """
            INSERT INTO statistics_areas (level, code, la_code, name, relation, subject, urn,
                urns, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (level, code, la_code) DO UPDATE SET relation = excluded.relation,
                subject = excluded.subject, urn = excluded.urn, urns = excluded.urns,
                note = excluded.note
            """,
            (area.level.value, area.code, area.la_code, area.name, place.relation.value,
             place.subject, place.urn, json.dumps(list(place.urns)), place.note))
        ids[area] = conn.execute(
            "SELECT id FROM statistics_areas WHERE level = ? AND code = ? AND la_code = ?",
            (area.level.value, area.code, area.la_code)).fetchone()[0]
    return ids


def replace_dataset(conn: sqlite3.Connection, source: StatisticsSource,
                    series: Sequence[SeriesKey], values: Iterable[ValueRow]) -> int:
    """Store a data set's figures in place of any stored before; return the values written."""
    conn.execute("DELETE FROM statistics_values WHERE series_id IN (SELECT id FROM "
                 "statistics_series WHERE dataset = ?)", (source.dataset,))
    conn.execute("DELETE FROM statistics_sources WHERE dataset = ?", (source.dataset,))
    conn.execute(
        """
        INSERT INTO statistics_sources (dataset, title, publication, location, sha256, size,
            origin, reader_version, rows, layout, loaded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (source.dataset, source.title, source.publication, source.location, source.sha256,
         source.size, source.origin, source.reader_version, source.rows,
         json.dumps(source.layout, ensure_ascii=False, sort_keys=True), source.loaded_at))
    ids: list[int] = []
    for key in series:
        cursor = conn.execute(
            "INSERT INTO statistics_series (dataset, indicator, filters, time_identifier, unit)"
            " VALUES (?, ?, ?, ?, ?)",
            (source.dataset, key.indicator, key.filters, key.time_identifier, key.unit))
        ids.append(int(cursor.lastrowid or 0))
    rows = [(ids[s], area, period, year, value, missing, row)
            for s, area, period, year, value, missing, row in values]
    conn.executemany(
        "INSERT INTO statistics_values (series_id, area_id, period, year, value, missing, row)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def replace_indicator_values(conn: sqlite3.Connection, values: Iterable[IndicatorValue]) -> int:
    conn.execute("DELETE FROM indicator_values")
    rows = [(v.indicator, v.subject, v.urn, v.year, v.period, v.value, v.missing,
             v.missing_note, json.dumps(list(v.sources), separators=(",", ":")))
            for v in values]
    conn.executemany(
        "INSERT INTO indicator_values (indicator, subject, urn, year, period, value, missing,"
        " missing_note, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


# --- reading --------------------------------------------------------------------------------

# A stored figure's identity across loads: series (indicator, filters, time identifier),
# area (level, code, LA code) and period.
FigureKey = tuple[str, ...]


def dataset_figures(conn: sqlite3.Connection, dataset: str
                    ) -> dict[FigureKey, tuple[float | None, str | None]]:
    """Every figure of a stored data set by (indicator, filters, time identifier, level,
    code, LA code, period), for telling what a new version changed."""
    return {
        (row[0], row[1], row[2], row[3], row[4], row[5], row[6]): (row[7], row[8])
        for row in conn.execute(
            """
            SELECT s.indicator, s.filters, s.time_identifier, a.level, a.code, a.la_code,
                v.period, v.value, v.missing
            FROM statistics_values v
            JOIN statistics_series s ON s.id = v.series_id
            JOIN statistics_areas a ON a.id = v.area_id
            WHERE s.dataset = ?
            """, (dataset,))}


def series_points(conn: sqlite3.Connection,
                  series: Iterable[tuple[str, str, str]]) -> list[SeriesPoint]:
    """Every stored figure of the series named by (dataset, indicator, filters)."""
    wanted = sorted(set(series))
    if not wanted:
        return []
    points: list[SeriesPoint] = []
    for dataset, indicator, filters in wanted:
        points.extend(SeriesPoint(dataset, indicator, filters, *row) for row in conn.execute(
            """
            SELECT a.subject, a.urn, a.relation, v.year, v.period, v.value, v.missing, v.row
            FROM statistics_series s
            JOIN statistics_values v ON v.series_id = s.id
            JOIN statistics_areas a ON a.id = v.area_id
            WHERE s.dataset = ? AND s.indicator = ? AND s.filters = ?
            """, (dataset, indicator, filters)))
    return points


def indicator_values(conn: sqlite3.Connection, indicator: str | None = None,
                     subject: str | None = None, with_sources: bool = True
                     ) -> list[IndicatorValue]:
    """Headline values, with the figures each was derived from unless `with_sources` is
    False (reading every value's citations costs more than the values)."""
    clauses, params = ["1"], []
    if indicator is not None:
        clauses.append("indicator = ?")
        params.append(indicator)
    if subject is not None:
        clauses.append("subject = ?")
        params.append(subject)
    sources = "sources" if with_sources else "'[]'"
    return [
        IndicatorValue(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                       tuple(json.loads(row[8])) if with_sources else ())
        for row in conn.execute(
            "SELECT indicator, subject, urn, year, period, value, missing, missing_note, "
            f"{sources} FROM indicator_values WHERE {' AND '.join(clauses)}"
            " ORDER BY indicator, subject, year", params)]


def indicator_figures(conn: sqlite3.Connection
                      ) -> dict[tuple[str, str, int], tuple[float | None, str | None]]:
    """Every headline value (or its missing symbol) by (indicator, subject, year)."""
    return {(row[0], row[1], row[2]): (row[3], row[4]) for row in conn.execute(
        "SELECT indicator, subject, year, value, missing FROM indicator_values")}


def indicator_years(conn: sqlite3.Connection) -> dict[str, dict[int, int]]:
    """For each indicator, each year with values and how many authorities have one."""
    found: dict[str, dict[int, int]] = {}
    for indicator, year, authorities in conn.execute(
            "SELECT indicator, year, count(value) FILTER (WHERE urn IS NOT NULL) "
            "FROM indicator_values GROUP BY indicator, year"):
        found.setdefault(indicator, {})[year] = authorities
    return found


def figure_count(conn: sqlite3.Connection, dataset: str | None = None) -> int:
    """Figures stored, of one data set or of all."""
    if dataset is None:
        return int(conn.execute("SELECT count(*) FROM statistics_values").fetchone()[0])
    return int(conn.execute(
        "SELECT count(*) FROM statistics_values WHERE series_id IN (SELECT id FROM "
        "statistics_series WHERE dataset = ?)", (dataset,)).fetchone()[0])
