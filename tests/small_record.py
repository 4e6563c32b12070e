"""A small synthetic record for the tests that need a record but not the corpus: a few
authorities' inspections written as ingest writes them (themes and all), in a real SQLite
file, with the register of every authority. It builds in about a second."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ilacs.ingest.settle import settle
from ilacs.record import ensure_authorities
from ilacs.reference import find_authority
from ilacs.store import open_store
from test_store_factories import make_document, make_report, save_report

# (authority, grade on every judgement, first day on site): two inspections of Isle of Wight,
# one each of Islington and Lancashire; every other authority has none.
INSPECTIONS = (
    ("Isle of Wight", "requires_improvement", date(2018, 3, 5)),
    ("Isle of Wight", "good", date(2023, 3, 6)),
    ("Islington", "outstanding", date(2022, 10, 3)),
    ("Lancashire", "inadequate", date(2024, 1, 15)),
)


def build_small_record(path: Path) -> Path:
    """The small record at `path` (a new file); returns the path."""
    conn = open_store(path)
    try:
        ensure_authorities(conn)
        for name, grade, start in INSPECTIONS:
            authority = find_authority(name)
            published = date(start.year, start.month + 1, 20)
            document = make_document(
                f"{name}\nInspection of children's social care services\n"
                f"Inspection dates: {start:%-d %B %Y}",
                "What needs to improve?\nThe timeliness of assessments for children in need.",
                path=f"reports/{authority.urn}_{authority.slug}/{published.isoformat()}.pdf")
            save_report(conn, make_report(grade=grade, urn=authority.urn, la_name=name,
                                          start=start,
                                          end=start.replace(day=start.day + 9),
                                          published=published), document)
        settle(conn)
    finally:
        conn.close()
    return path
