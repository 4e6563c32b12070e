"""ilacs.export.tables: the wide and latest tables every format writes."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ilacs.export import JUDGEMENT_KEYS, latest_table, wide_table
from ilacs.export.tables import judgements_table, points_table
from ilacs.extract.classify import with_themes
from ilacs.extract.models import Extraction, ImprovementPoint, VisitLetter
from ilacs.store import DocumentKind, all_points, save_document, sync_authorities
from test_store_factories import REGISTER, fresh_store, make_document, make_report, save_report


@pytest.fixture
def record(tmp_path: Path) -> sqlite3.Connection:
    """Two Isle of Wight inspections (2018 good, 2023 requires improvement), and Islington
    inspected under SIF in 2016; the Isles of Scilly never inspected."""
    conn = fresh_store(tmp_path)
    sync_authorities(conn, REGISTER)
    save_report(conn, make_report("good", start=date(2018, 3, 5), published=date(2018, 4, 30)),
                make_document("2018", path="reports/80419/2018.pdf"))
    save_report(conn, make_report("requires_improvement"),
                make_document("2023", path="reports/80419/2023.pdf"))
    save_report(
        conn,
        make_report("inadequate", urn=80471, la_name="Islington", framework="sif",
                    start=date(2016, 1, 11), published=date(2016, 3, 1), items=(),
                    keys=("help_and_protection", "children_looked_after_and_permanence",
                          "adoption_performance", "overall_effectiveness", "lscb")),
        make_document("2016", path="reports/80471/2016.pdf"),
    )
    return conn


def test_the_wide_table_has_one_row_per_inspection(record: sqlite3.Connection) -> None:
    table = wide_table(record)
    rows = table.records()

    assert table.column_names[:11] == [
        "urn", "la_code", "ons_code", "la_name", "region", "publication_date",
        "inspection_start", "inspection_end", "framework", "inspection_type", "lead_inspector",
    ]
    grades_end = 11 + len(JUDGEMENT_KEYS)
    assert table.column_names[11:grades_end] == list(JUDGEMENT_KEYS)
    assert table.column_names[grades_end:grades_end + 3] == [
        "improvement_item_count", "document_path", "report_link"]
    # each grade's page in its report, after them
    assert table.column_names[grades_end + 3:] == [f"{key}_page" for key in JUDGEMENT_KEYS]
    assert [(r["urn"], r["inspection_start"]) for r in rows] == [
        (80419, date(2018, 3, 5)), (80419, date(2023, 3, 6)), (80471, date(2016, 1, 11)),
    ]
    wight = rows[1]
    assert (wight["la_code"], wight["ons_code"], wight["la_name"], wight["region"]) == (
        "921", "E06000046", "Isle of Wight", "South East"
    )
    assert wight["children_in_care"] == "requires_improvement"
    assert wight["children_looked_after_and_permanence"] is None
    assert wight["children_in_care_page"] == 1
    assert wight["children_looked_after_and_permanence_page"] is None
    assert wight["report_link"] == "https://reports.ofsted.gov.uk/provider/44/80419"
    assert wight["improvement_item_count"] == 2
    assert wight["document_path"] == "reports/80419/2023.pdf"
    islington = rows[2]
    assert (islington["lscb"], islington["children_in_care"]) == ("inadequate", None)


def test_the_latest_table_has_every_current_authority(record: sqlite3.Connection) -> None:
    rows = latest_table(record).records()

    assert [r["la_name"] for r in rows] == ["Isle of Wight", "Isles of Scilly", "Islington"]
    assert rows[0]["overall_effectiveness"] == "requires_improvement"
    assert rows[0]["inspection_start"] == date(2023, 3, 6)
    scilly = rows[1]
    assert scilly["la_code"] == "420" and scilly["inspection_start"] is None
    assert all(scilly[key] is None for key in JUDGEMENT_KEYS)
    assert scilly["report_link"] == "https://reports.ofsted.gov.uk/provider/44/80420"


def test_judgements_and_points_tables_are_long(record: sqlite3.Connection) -> None:
    judgements = judgements_table(record).records()
    assert len(judgements) == 15
    assert judgements[0]["la_name"] == "Isle of Wight" and judgements[0]["page"] == 1
    points = points_table(record).records()
    assert [(p["urn"], p["position"]) for p in points] == [
        (80419, 1), (80419, 2), (80419, 1), (80419, 2)
    ]
    assert points[1]["outcome"] == 1


def test_the_points_table_holds_letters_and_the_boards_points(tmp_path: Path) -> None:
    """Reports' and letters' points in one table, each with its event, themes and place in
    its document; the board's points are numbered apart from the authority's."""
    conn = fresh_store(tmp_path)
    sync_authorities(conn, REGISTER)
    board = (ImprovementPoint("The board should scrutinise neglect.", None, None, 9, "lscb"),)
    save_report(conn, replace(make_report("inadequate", framework="sif"),
                              board_recommendations=board),
                make_document("SIF", path="reports/80419/sif.pdf"))
    letter = VisitLetter(
        "focused_visit", "Isle of Wight", 80419, date(2024, 6, 1), date(2024, 5, 30),
        date(2024, 5, 1), date(2024, 5, 2), ("Jane Example",), "Jane Example", "front door",
        improvement_items=(ImprovementPoint("Recording of children's views.", None, None, 2),),
        priority_actions=(ImprovementPoint("The timeliness of strategy meetings.", None, None,
                                           1, "priority_action"),))
    document = make_document("A letter", path="letters/80419/visit.pdf")
    save_document(conn, document, with_themes(Extraction(None, (), letter)), "test.1",
                  DocumentKind.LETTER)

    rows = points_table(conn).records()
    assert [(r["event"], r["position"], r["section"], r["page"]) for r in rows] == [
        ("inspection", 1, "what_needs_to_improve", 2),
        ("inspection", 2, "what_needs_to_improve", 2),
        ("inspection", 3, "lscb", 9),
        ("focused_visit", 1, "priority_action", 1),
        ("focused_visit", 2, "what_needs_to_improve", 2),
    ]
    assert rows[3]["start"] == date(2024, 5, 1) and rows[3]["publication_date"] == date(2024, 6, 1)
    assert "strategy_and_s47" in (rows[3]["themes"] or "").split()
    assert "neglect" in (rows[2]["themes"] or "").split()
    numbered = [(p.section, p.number) for p in all_points(conn, board=True)]
    assert numbered == [("what_needs_to_improve", 1), ("what_needs_to_improve", 2), ("lscb", 1),
                        ("priority_action", 1), ("what_needs_to_improve", 2)]
    assert [p.section for p in all_points(conn)].count("lscb") == 0
