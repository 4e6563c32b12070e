"""A table of authorities and their grades as CSV: what England's filtered table and a
comparison download as, with each grade's report page beside it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ilacs.web.pages.common import AuthorityRef, GradeCell, Option


@dataclass(frozen=True)
class GradeTableRow:
    authority: AuthorityRef
    inspected: date | None
    grades: tuple[GradeCell, ...]  # in the order of the table's judgements
    shown_as: str | None = None  # in a comparison: "chosen", "neighbour 3"
    framework: str | None = None  # the inspection's, where a table lists every inspection


def grade_table_csv(judgements: Sequence[Option], rows: Iterable[GradeTableRow],
                    base_url: str, shown_as: bool = False, framework: bool = False) -> str:
    """A row per authority: who, when inspected, and for each judgement its grade and the
    address of the report page that gives it (absolute, from `base_url`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["authority", "urn", "region", *(["shown_as"] if shown_as else []),
                     "inspected", *(["framework"] if framework else []),
                     *(column for option in judgements
                                    for column in (option.label, f"{option.label}: source"))])
    for row in rows:
        cells: list[object] = []
        for cell in row.grades:
            url = cell.source.url if cell.source else None
            cells += [cell.grade_name or "", f"{base_url}{url}" if url else ""]
        writer.writerow([row.authority.name, row.authority.urn, row.authority.region,
                         *([row.shown_as or ""] if shown_as else []),
                         row.inspected.isoformat() if row.inspected else "",
                         *([row.framework or ""] if framework else []), *cells])
    return out.getvalue()
