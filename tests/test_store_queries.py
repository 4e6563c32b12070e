"""ilacs.store.queries: summaries, per-LA history, latest per LA and full-text search."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ilacs.extract.models import Grade
from ilacs.store import (
    authorities,
    inspections_for,
    latest_per_la,
    save_unreadable,
    search_pages,
    summary,
    sync_authorities,
)
from test_store_factories import (
    ISLE_OF_WIGHT,
    ISLES_OF_SCILLY,
    ISLINGTON,
    NORTHAMPTONSHIRE,
    REGISTER,
    fresh_store,
    make_document,
    make_problem,
    make_report,
    save_report,
)


@pytest.fixture
def store(tmp_path: Path) -> sqlite3.Connection:
    conn = fresh_store(tmp_path)
    sync_authorities(conn, REGISTER)
    return conn


def _save_history(conn: sqlite3.Connection) -> None:
    """Isle of Wight: inadequate (2013), good (2018), requires improvement (2023), saved
    out of order; Islington: one report whose on-site dates were not found."""
    for grade, year in (("requires_improvement", 2023), ("inadequate", 2013), ("good", 2018)):
        save_report(
            conn,
            make_report(grade=grade, start=date(year, 3, 6), end=date(year, 3, 17),
                        published=date(year, 4, 20)),
            make_document(f"Isle of Wight {year}", f"Findings {year}",
                          path=f"reports/80419/report_{year}-04-20.pdf"),
        )
    save_report(
        conn,
        make_report(grade="outstanding", urn=80471, la_name="Islington", start=None, end=None,
                    published=date(2024, 1, 10)),
        make_document("Islington report", path="reports/80471/report_2024-01-10.pdf"),
    )


def test_summary_counts_what_is_stored(store: sqlite3.Connection) -> None:
    _save_history(store)
    save_unreadable(store, "reports/x.pdf", "e" * 64, 10, make_problem(), "v1")

    counts = summary(store)

    assert counts.documents_by_kind == {"inspection_report": 4, "unreadable": 1}
    assert counts.documents_by_origin == {"ingested": 5}
    assert counts.documents == 5
    assert (counts.inspections, counts.judgements, counts.report_points) == (4, 20, 8)
    assert counts.problems_by_severity == {"warning": 1} and counts.problems == 1
    assert (counts.authorities, counts.authorities_covered) == (4, 2)


def test_inspections_for_an_authority_are_in_date_order(store: sqlite3.Connection) -> None:
    _save_history(store)
    history = inspections_for(store, 80419)
    assert [(i.inspection_start, i.grade_of("overall_effectiveness")) for i in history] == [
        (date(2013, 3, 6), Grade.INADEQUATE),
        (date(2018, 3, 6), Grade.GOOD),
        (date(2023, 3, 6), Grade.REQUIRES_IMPROVEMENT),
    ]
    assert inspections_for(store, 99999) == []


def test_latest_per_la_picks_the_most_recent_and_keeps_the_uninspected(
    store: sqlite3.Connection,
) -> None:
    _save_history(store)
    rows = {row.urn: row for row in latest_per_la(store)}

    assert list(rows) == [ISLE_OF_WIGHT.urn, ISLES_OF_SCILLY.urn, ISLINGTON.urn]  # by name
    wight = rows[ISLE_OF_WIGHT.urn]
    assert wight.la_name == "Isle of Wight" and wight.authority == authorities(store)[0]
    assert wight.inspection is not None
    assert wight.inspection.inspection_start == date(2023, 3, 6)
    assert wight.inspection.grade_of("overall_effectiveness") is Grade.REQUIRES_IMPROVEMENT
    islington = rows[ISLINGTON.urn].inspection
    assert islington is not None and islington.publication_date == date(2024, 1, 10)
    assert rows[ISLES_OF_SCILLY.urn].inspection is None
    assert NORTHAMPTONSHIRE.urn not in rows
    assert NORTHAMPTONSHIRE.urn in {row.urn for row in latest_per_la(store, True)}


def test_latest_per_la_falls_back_to_publication_date(store: sqlite3.Connection) -> None:
    save_report(store, make_report(grade="good", start=date(2019, 1, 7)),
                make_document("a", path="a.pdf"))
    save_report(store, make_report(grade="inadequate", start=None, end=None,
                                   published=date(2021, 6, 1)),
                make_document("b", path="b.pdf"))
    [row] = [r for r in latest_per_la(store) if r.urn == ISLE_OF_WIGHT.urn]
    assert row.inspection is not None
    assert row.inspection.grade_of("overall_effectiveness") is Grade.INADEQUATE


def test_latest_per_la_keeps_an_inspected_urn_missing_from_the_register(
    store: sqlite3.Connection,
) -> None:
    save_report(store, make_report(urn=12345, la_name="Nowhere Borough Council"))
    [row] = [r for r in latest_per_la(store) if r.urn == 12345]
    assert row.authority is None and row.la_name == "Nowhere Borough Council"


def test_search_returns_document_page_and_highlighted_snippet(
    store: sqlite3.Connection,
) -> None:
    save_report(store, document=make_document(
        "Isle of Wight children's services",
        "Some children live in unregistered placements <for weeks> & months.",
    ))

    [hit] = search_pages(store, '"unregistered placements"')

    assert (hit.page, hit.urn, hit.la_name) == (2, 80419, "Isle of Wight")
    assert hit.publication_date == date(2023, 4, 20)
    assert "live in <mark>unregistered placements</mark> &lt;" in hit.snippet
    assert "&lt;for weeks&gt; &amp; months" in hit.snippet  # page text is escaped
    assert search_pages(store, "placement")[0].page == 2  # stemmed
    assert search_pages(store, "nothing-like-this") == []


@pytest.mark.parametrize(
    "query", ['"unbalanced', "placements:", "NOT", "AND placements", "(", "*", "a\"b\"c", " "]
)
def test_search_never_fails_on_a_malformed_query(store: sqlite3.Connection, query: str) -> None:
    save_report(store, document=make_document("unregistered placements"))
    assert isinstance(search_pages(store, query), list)


def test_a_malformed_query_is_searched_as_a_phrase(store: sqlite3.Connection) -> None:
    save_report(store, document=make_document("children's homes: unregistered placements"))
    [hit] = search_pages(store, 'homes: "unregistered')
    assert "<mark>homes: unregistered</mark> placements" in hit.snippet


def test_sync_authorities_mirrors_the_register(store: sqlite3.Connection) -> None:
    assert [a.urn for a in authorities(store)] == [80419, 80420, 80471, 80519]
    assert sync_authorities(store, [ISLINGTON]) == 1
    [islington] = authorities(store)
    assert (islington.name, islington.region_name, islington.active) == (
        "Islington", "London", True
    )
    assert authorities(store, include_defunct=False) == [islington]
