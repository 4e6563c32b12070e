"""Units of figures: read from an EES metadata file where there is one, else from the name.

EES column names follow conventions ("rereferral_percent", "rate_per_10000",
"turnover_rate_fte", "inpost_fte"), so a column's unit can be read from its name when no
metadata says it; an inferred unit is a guess for raw series only. Every headline indicator
states its unit in the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

UNIT_NAMES: Mapping[str, str] = MappingProxyType({
    "count": "number",
    "percent": "%",
    "percentage_points": "percentage points",
    "per_10000": "per 10,000 children",
    "fte": "full-time equivalent",
    "ratio": "ratio",
    "days": "days",
    "gbp": "£",
    "gbp_thousands": "£ thousand",
    "gbp_millions": "£ million",
    "gbp_per_child": "£ per child",
})

# EES metadata's `indicator_unit` values.
_META_UNITS: Mapping[str, str] = MappingProxyType({
    "": "count", "%": "percent", "£": "gbp", "£m": "gbp_millions", "pp": "percentage_points",
})


def meta_unit(value: str) -> str:
    """The unit an EES metadata file gives ("%", "£m", "" ...) as a unit key."""
    return _META_UNITS.get(value.strip(), "count")


def infer_unit(column: str) -> str:
    """The unit a column's EES-style name implies ("count" when it implies none)."""
    name = column.casefold()
    words = set(re.split(r"[^a-z0-9]+", name))
    if "per_10000" in name or "per_10k" in name or "per_10_000" in name:
        return "per_10000"
    if words & {"percent", "percentage", "pct", "rate"}:
        return "percent"
    if "caseload" in name:
        return "ratio"
    if "fte" in words:
        return "fte"
    if "days" in words:
        return "days"
    return "count"


def unit_name(unit: str) -> str:
    return UNIT_NAMES.get(unit, unit.replace("_", " "))
