"""The shapes official statistics take between the stages: a stored figure as the
derivation of indicators reads it, and a derived headline indicator value."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Filters = tuple[tuple[str, str], ...]


def filters_json(filters: Mapping[str, str] | Filters) -> str:
    """The stored form of a series' filters: a JSON object with sorted keys."""
    items = filters.items() if isinstance(filters, Mapping) else filters
    return json.dumps(dict(sorted(items)), ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class SeriesPoint:
    """One stored figure with where it belongs, as the derivation of indicators reads it."""

    dataset: str
    indicator: str
    filters: str
    subject: str
    urn: int | None
    relation: str
    year: int
    period: str
    value: float | None
    missing: str | None
    row: int


@dataclass(frozen=True)
class IndicatorValue:
    indicator: str
    subject: str  # "england", "region:E12000008", "la:80419", "shared:940/941", "area:..."
    urn: int | None
    year: int
    period: str  # as published: "2025", "2024-25"
    value: float | None
    missing: str | None  # the symbol that stands in its place (c, x, z ...)
    missing_note: str | None
    sources: tuple[Mapping[str, Any], ...]  # the figures it was derived from
