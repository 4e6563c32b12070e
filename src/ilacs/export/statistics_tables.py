"""Export tables of the official statistics: every headline indicator value for every place
(long: one row per indicator, place and period), and the data sets they came from."""

from __future__ import annotations

import sqlite3

from ilacs.export.tables import Column, ColumnKind, Table
from ilacs.reference import UnknownAuthority, load_register
from ilacs.statistics.catalogue import load_catalogue
from ilacs.statistics.symbols import Missing
from ilacs.store.statistics import indicator_values, list_sources

_INT, _FLOAT = ColumnKind.INTEGER, ColumnKind.FLOAT
STATISTICS_COLUMNS = tuple(
    Column(name, kind) for name, kind in (
        ("indicator", ColumnKind.TEXT), ("label", ColumnKind.TEXT), ("unit", ColumnKind.TEXT),
        ("place", ColumnKind.TEXT), ("subject", ColumnKind.TEXT), ("urn", _INT),
        ("la_code", ColumnKind.TEXT), ("ons_code", ColumnKind.TEXT), ("period", ColumnKind.TEXT),
        ("year", _INT), ("value", _FLOAT), ("missing", ColumnKind.TEXT),
        ("missing_meaning", ColumnKind.TEXT),
    ))
SOURCE_COLUMNS = tuple(
    Column(name, kind) for name, kind in (
        ("dataset", ColumnKind.TEXT), ("title", ColumnKind.TEXT),
        ("publication", ColumnKind.TEXT), ("file", ColumnKind.TEXT),
        ("sha256", ColumnKind.TEXT), ("rows", _INT), ("origin", ColumnKind.TEXT),
        ("loaded_at", ColumnKind.TEXT),
    ))


def statistics_table(conn: sqlite3.Connection) -> Table:
    """Every headline value: England, regions, authorities and shared areas."""
    register = load_register()
    labels = {i.key: (i.label, i.unit) for i in load_catalogue().indicators}
    regions = {a.region_ons_code: a.region_name for a in register.all(include_defunct=True)}
    names: dict[str, tuple[str, str | None, str | None]] = {}
    rows = []
    for value in indicator_values(conn, with_sources=False):
        place = names.get(value.subject)
        if place is None:
            place = names[value.subject] = _place(value.subject, value.urn, regions)
        label, unit = labels.get(value.indicator, (value.indicator, ""))
        rows.append((value.indicator, label, unit, place[0], value.subject, value.urn,
                     place[1], place[2], value.period, value.year, value.value, value.missing,
                     _meaning(value.missing)))
    return Table("statistics", "Statistics", STATISTICS_COLUMNS, tuple(rows))


def statistics_sources_table(conn: sqlite3.Connection) -> Table:
    rows = tuple((s.dataset, s.title, s.publication, _file_name(s.location), s.sha256, s.rows,
                  s.origin, s.loaded_at) for s in list_sources(conn))
    return Table("statistics_sources", "Statistics sources", SOURCE_COLUMNS, rows)


def _place(subject: str, urn: int | None,
           regions: dict[str, str]) -> tuple[str, str | None, str | None]:
    """(name, DfE LA code, ONS code) of a subject."""
    kind, _, key = subject.partition(":")
    if kind == "england":
        return "England", None, "E92000001"
    if kind == "region":
        return regions.get(key, key), None, key
    if urn is not None:
        try:
            authority = load_register().by_urn(urn)
        except UnknownAuthority:
            return f"URN {urn}", None, None
        return authority.name, authority.la_code, authority.ons_code
    return key, None, None  # a shared area ("940/941") or a predecessor without a URN


def _meaning(symbol: str | None) -> str | None:
    if symbol is None:
        return None
    try:
        return Missing(symbol).meaning
    except ValueError:
        return None


def _file_name(location: str) -> str:
    """A web address whole, a file by its name (not where it sat on the loading machine)."""
    if location.startswith(("http://", "https://")):
        return location
    return location.replace("\\", "/").rsplit("/", 1)[-1]
