"""ilacs.store.records: saving replaces by content hash, atomically."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ilacs.errors import ProblemKind, Severity, StoreError
from ilacs.extract.models import Extraction, Grade, InspectionType
from ilacs.store import (
    DocumentKind,
    Origin,
    inspections_for,
    load_bundle,
    problems,
    record_problem,
    save_document,
    save_unreadable,
    search_pages,
    stored_version,
)
from ilacs.store.bundle import BUNDLE_FORMAT, BUNDLE_VERSION
from test_store_factories import (
    fresh_store,
    make_document,
    make_problem,
    make_report,
    save_report,
)


@pytest.fixture
def store(tmp_path: Path) -> sqlite3.Connection:
    return fresh_store(tmp_path)


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _fts_rows(conn: sqlite3.Connection) -> int:
    # The FTS index's own row count, read through its docsize shadow table.
    return int(conn.execute("SELECT count(*) FROM pages_fts_docsize").fetchone()[0])


def test_save_then_query_round_trips_every_fact(store: sqlite3.Connection) -> None:
    document = save_report(store, make_report(grade="requires_improvement"))

    assert stored_version(store, document.sha256) == (Origin.INGESTED, "test.1")
    assert stored_version(store, "0" * 64) is None
    [inspection] = inspections_for(store, 80419)
    assert inspection.document_sha256 == document.sha256
    assert inspection.document_path == document.path
    assert inspection.la_name_printed == "Isle of Wight"
    assert inspection.framework == "ilacs_2023"
    assert inspection.inspection_type is InspectionType.STANDARD
    assert inspection.inspection_start == date(2023, 3, 6)
    assert inspection.inspection_end == date(2023, 3, 17)
    assert inspection.publication_date == date(2023, 4, 20)
    assert inspection.lead_inspector == "Jane Example"
    assert inspection.improvement_item_count == 2
    assert inspection.field_pages == {"inspection_dates": 1, "lead_inspector": 2}
    assert [j.key for j in inspection.judgements] == [
        "impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers",
        "overall_effectiveness",
    ]
    assert inspection.grade_of("overall_effectiveness") is Grade.REQUIRES_IMPROVEMENT
    assert inspection.judgements[0].page == 1
    assert inspection.judgements[0].printed == "impact of leaders: requires_improvement"
    assert _count(store, "pages") == 2 and _fts_rows(store) == 2
    points = store.execute("SELECT position, text, outcome, page FROM points").fetchall()
    assert [tuple(row) for row in points] == [
        (1, "The timeliness of assessments for children in need.", None, 2),
        (2, "The quality of plans. (outcome 1, national framework)", 1, 2),
    ]


def test_saving_the_same_bytes_again_replaces_without_duplicates(
    store: sqlite3.Connection,
) -> None:
    problem = make_problem()
    save_report(store, problems=(problem,))
    save_report(store, problems=(problem,))

    assert _count(store, "documents") == 1
    assert _count(store, "pages") == 2 and _fts_rows(store) == 2
    assert _count(store, "inspections") == 1
    assert _count(store, "judgements") == 5
    assert _count(store, "points") == 2
    assert _count(store, "problems") == 1
    assert len(search_pages(store, "timeliness")) == 1


def test_a_new_parser_version_replaces_stale_facts(store: sqlite3.Connection) -> None:
    document = make_document("Old reading of page one", "Old reading of page two")
    save_report(store, make_report(grade="good"), document, (make_problem(),), "v1")
    newer = make_report(grade="outstanding", keys=("overall_effectiveness",), items=())
    save_report(store, newer, document, (), "v2")

    assert stored_version(store, document.sha256) == ("ingested", "v2")
    [inspection] = inspections_for(store, 80419)
    assert [(j.key, j.grade) for j in inspection.judgements] == [
        ("overall_effectiveness", Grade.OUTSTANDING)
    ]
    assert _count(store, "points") == 0
    assert problems(store) == []


def test_a_failure_mid_save_leaves_the_previous_state(store: sqlite3.Connection) -> None:
    document = save_report(store, make_report(grade="good"), parser_version="v1")
    before = store.execute("SELECT * FROM documents").fetchall()
    # An extraction bug: the same judgement twice. Inserting the second fails after the old
    # pages, inspection and judgements were already deleted inside the transaction.
    broken = make_report(grade="inadequate", keys=("impact_of_leaders", "impact_of_leaders"))

    with pytest.raises(StoreError, match="what was stored for it before is kept") as raised:
        save_report(store, broken, document, parser_version="v2")

    assert raised.value.path == document.path
    assert [tuple(r) for r in store.execute("SELECT * FROM documents")] == [
        tuple(r) for r in before
    ]
    [inspection] = inspections_for(store, 80419)
    assert {j.grade for j in inspection.judgements} == {Grade.GOOD}
    assert len(inspection.judgements) == 5
    assert _count(store, "pages") == 2 and _fts_rows(store) == 2
    assert not store.in_transaction


def test_a_document_with_no_report_keeps_its_pages_and_problems(
    store: sqlite3.Connection,
) -> None:
    letter = make_document("Focused visit letter", path="letters/80419/letter.pdf")
    problem = make_problem(path=letter.path, kind=ProblemKind.UNKNOWN_DOCUMENT,
                           message="not a full inspection report")
    save_document(store, letter, Extraction(None, (problem,)), "v1", DocumentKind.LETTER)

    assert _count(store, "inspections") == 0
    assert [hit.kind for hit in search_pages(store, "focused")] == [DocumentKind.LETTER]
    assert [p.to_problem() for p in problems(store)] == [problem]


def test_unreadable_bytes_ingested_twice_record_one_problem(store: sqlite3.Connection) -> None:
    problem = make_problem(
        path="reports/80419/report.pdf", kind=ProblemKind.NOT_A_PDF, severity=Severity.ERROR,
        message="this .pdf is an HTML page (it starts with <!DOCTYPE); re-download it",
    )
    for _ in range(2):
        save_unreadable(store, "reports/80419/report.pdf", "f" * 64, 1234, problem, "v1")

    assert stored_version(store, "f" * 64) == ("ingested", "v1")
    row = store.execute("SELECT kind, page_count, size FROM documents").fetchone()
    assert tuple(row) == ("unreadable", 0, 1234)
    [stored] = problems(store)
    assert stored.document_sha256 == "f" * 64
    assert stored.kind is ProblemKind.NOT_A_PDF and stored.severity is Severity.ERROR


def test_record_problem_keeps_one_copy_of_a_repeated_problem(store: sqlite3.Connection) -> None:
    problem = make_problem(path="reports/missing.pdf", kind=ProblemKind.EMPTY_FILE,
                           message="the file is empty")
    assert record_problem(store, problem, parser_version="v1") is True
    assert record_problem(store, problem, parser_version="v1") is False
    assert record_problem(store, make_problem(path="reports/missing.pdf", page=3)) is True
    assert len(problems(store)) == 2


def test_ingesting_a_bundled_document_makes_it_ingested(store: sqlite3.Connection) -> None:
    document = make_document()
    load_bundle(store, {
        "format": BUNDLE_FORMAT, "version": BUNDLE_VERSION,
        "documents": [{
            "sha256": document.sha256, "path": document.path, "media_type": "pdf",
            "size": document.size, "page_count": 2, "kind": "inspection_report",
            "parser_version": "old",
        }],
    })
    assert stored_version(store, document.sha256) == ("bundled", "old")
    assert search_pages(store, "timeliness") == []

    save_report(store, document=document)

    assert stored_version(store, document.sha256) == ("ingested", "test.1")
    assert len(search_pages(store, "timeliness")) == 1
