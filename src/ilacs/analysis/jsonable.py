"""Analysis results as plain JSON values, for `--json`, the API and exports.

Dataclasses become objects (properties that summarise them included where declared in
`_PROPERTIES`), dates ISO strings, enums their values; an inspection is reduced to what
identifies it and its grades, so results stay small and never carry page text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

from ilacs.reference.register import Authority
from ilacs.store.rows import InspectionRow

# Derived values worth having in JSON beside each type's fields.
_PROPERTIES: Mapping[str, tuple[str, ...]] = {
    "Standing": ("shares",),
    "Distribution": ("total", "shares"),
    "TrendPoint": ("share",),
    "Backtest": ("observed", "inside_share", "counts"),
    "Recurrence": ("first", "last"),
    "PointRow": ("date",),
}


def jsonable(value: Any) -> Any:
    if isinstance(value, InspectionRow):
        return _inspection(value)
    if isinstance(value, Authority):
        return {"urn": value.urn, "name": value.name, "la_code": value.la_code,
                "region": value.region_name}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result = {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)
                  if not f.name.startswith("_")}
        for name in _PROPERTIES.get(type(value).__name__, ()):
            result[name] = jsonable(getattr(value, name))
        return result
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def _inspection(row: InspectionRow) -> dict[str, Any]:
    return {
        "urn": row.urn, "framework": row.framework,
        "inspection_type": row.inspection_type.value if row.inspection_type else None,
        "inspection_start": jsonable(row.inspection_start),
        "inspection_end": jsonable(row.inspection_end),
        "publication_date": jsonable(row.publication_date),
        "document_path": row.document_path,
        "grades": {j.key: j.grade.value for j in row.judgements},
    }
