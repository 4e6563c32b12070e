"""ilacs.store.bundle: the shipped record round-trips, holds facts only, never overwrites."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ilacs.errors import ProblemKind, Severity, StoreError
from ilacs.extract.models import Grade
from ilacs.extract.theme_model import packaged_model, themes_of
from ilacs.store import (
    Origin,
    inspections_for,
    load_bundle,
    record_to_bundle,
    save_unreadable,
    stored_version,
    summary,
)
from ilacs.store.points import all_points
from test_store_factories import fresh_store, make_document, make_problem, make_report, save_report

FINDING = "The timeliness of assessments for children in need."
PAGE_TEXT = "Inspection of children's social care services"


def _record(tmp_path: Path) -> sqlite3.Connection:
    conn = fresh_store(tmp_path / "source")
    save_report(conn, make_report(grade="good"), problems=(make_problem(page=2),))
    save_report(
        conn,
        make_report(grade="inadequate", start=date(2014, 5, 1), published=None),
        make_document("An older report", "Its findings", path="reports/80419/older.pdf"),
    )
    save_unreadable(
        conn, "reports/80419/error_page.pdf", "d" * 64, 512,
        make_problem(path="reports/80419/error_page.pdf", kind=ProblemKind.NOT_A_PDF,
                     severity=Severity.ERROR, message="an HTML page saved as .pdf"),
        "test.1",
    )
    return conn


def test_the_bundle_round_trips_into_a_fresh_store(tmp_path: Path) -> None:
    bundle = record_to_bundle(_record(tmp_path))
    fresh = fresh_store(tmp_path / "fresh")

    loaded = load_bundle(fresh, json.loads(json.dumps(bundle)))

    assert (loaded.loaded, loaded.skipped) == (3, 0)
    assert record_to_bundle(fresh) == bundle
    assert summary(fresh).documents_by_origin == {"bundled": 3}
    [older, newer] = inspections_for(fresh, 80419)
    assert older.grade_of("overall_effectiveness") is Grade.INADEQUATE
    assert newer.judgements[0].page == 1 and newer.judgements[0].printed is None
    assert newer.improvement_item_count == 2


def test_the_bundle_holds_facts_not_report_text(tmp_path: Path) -> None:
    bundle = record_to_bundle(_record(tmp_path))
    text = json.dumps(bundle)

    assert PAGE_TEXT not in text and FINDING not in text and "An older report" not in text
    assert "impact of leaders: good" not in text  # judgement wording as printed
    assert [(d["path"], d["kind"]) for d in bundle["documents"]] == [
        ("reports/80419/error_page.pdf", "unreadable"),
        ("reports/80419/older.pdf", "inspection_report"),
        ("reports/80419_isle_of_wight/report_2023-04-20.pdf", "inspection_report"),
    ]
    assert set(bundle["documents"][0]) == {
        "sha256", "path", "source_url", "media_type", "size", "page_count", "kind",
        "parser_version",
    }
    assert [p["kind"] for p in bundle["problems"]] == ["not_a_pdf"]  # unreadable files only
    fresh = fresh_store(tmp_path / "fresh")
    load_bundle(fresh, bundle)
    assert fresh.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    assert fresh.execute("SELECT count(*) FROM points WHERE text IS NOT NULL").fetchone()[0] == 0


def test_the_bundle_is_deterministic(tmp_path: Path) -> None:
    conn = _record(tmp_path)
    first = json.dumps(record_to_bundle(conn), sort_keys=True)
    assert json.dumps(record_to_bundle(conn), sort_keys=True) == first
    assert [d["path"] for d in record_to_bundle(conn)["documents"]] == sorted(
        d["path"] for d in record_to_bundle(conn)["documents"]
    )


def test_loading_never_overwrites_an_ingested_document(tmp_path: Path) -> None:
    bundle = record_to_bundle(_record(tmp_path))
    target = fresh_store(tmp_path / "target")
    document = save_report(target, make_report(grade="outstanding"))

    loaded = load_bundle(target, bundle)

    assert (loaded.loaded, loaded.skipped) == (2, 1)
    assert stored_version(target, document.sha256) == (Origin.INGESTED, "test.1")
    grades = {i.grade_of("overall_effectiveness") for i in inspections_for(target, 80419)}
    assert grades == {Grade.OUTSTANDING, Grade.INADEQUATE}
    assert target.execute("SELECT count(*) FROM pages").fetchone()[0] == 2


def test_loading_again_replaces_bundled_rows(tmp_path: Path) -> None:
    bundle = record_to_bundle(_record(tmp_path))
    target = fresh_store(tmp_path / "target")
    load_bundle(target, bundle)
    load_bundle(target, bundle)
    assert record_to_bundle(target) == bundle
    assert summary(target).inspections == 2 and summary(target).problems == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b.update(version=99),
        lambda b: b["inspections"][0]["judgements"][0].update(grade="brilliant"),
        lambda b: b["inspections"][0].update(inspection_start="6 March 2023"),
        lambda b: b["documents"][1].pop("sha256"),
    ],
)
def test_a_malformed_bundle_stores_nothing(tmp_path: Path, damage: Any) -> None:
    bundle = record_to_bundle(_record(tmp_path))
    damage(bundle)
    target = fresh_store(tmp_path / "target")
    with pytest.raises(StoreError):
        load_bundle(target, bundle)
    assert summary(target).documents == 0


def test_the_bundle_keeps_each_points_themes_and_page_not_its_words(tmp_path: Path) -> None:
    source = _record(tmp_path)
    bundle = record_to_bundle(source)
    read = all_points(source)
    # the themes stored at extraction travel, with the classifier's version and confidence
    expected = [[m.theme for m in v.matches] for v in themes_of([item.text for item in read])]
    assert expected == [[m.theme for m in item.themes or ()] for item in read]
    assert any(expected), "the factory's points should fall under some theme"
    assert {p["theme_model"] for p in bundle["points"]} == {packaged_model().version}
    assert all(isinstance(p["confident"], bool) for p in bundle["points"])
    assert [(p["position"], p["section"], p["page"], p["themes"])
            for p in bundle["points"]] == [
        (item.number, item.section, item.page, themes) for item, themes in zip(
            read, expected, strict=True)]

    fresh = fresh_store(tmp_path / "fresh")
    load_bundle(fresh, bundle)
    bundled = all_points(fresh)
    assert [(i.number, i.section, i.page, i.urn, i.date) for i in bundled] == [
        (i.number, i.section, i.page, i.urn, i.date) for i in read]
    assert all(i.text == "" for i in bundled)
    assert [[m.theme for m in i.themes or ()] for i in bundled] == expected
    assert [i.theme_model for i in bundled] == [i.theme_model for i in read]
    assert summary(fresh).points_themed_only == len(read) and summary(source).report_points > 0

    # Ingesting the document brings its words, and its points are no longer counted twice.
    newer = save_report(fresh, make_report(grade="good"))
    newer_path = fresh.execute("SELECT path FROM documents WHERE sha256 = ?",
                               (newer.sha256,)).fetchone()[0]
    assert sorted(i.text for i in all_points(fresh) if i.text) == sorted(
        i.text for i in read if i.document_path == newer_path)
    assert len(all_points(fresh)) == len(read)
    assert summary(fresh).points_themed_only == len(read) - len(
        [i for i in read if i.document_path == newer_path])
