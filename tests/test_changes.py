"""The change log: what the record learned and when, as `ilacs changes` and the store read it.

Against real records: the full corpus record (built in two steps, so its log has a baseline
and five new documents), copies of the bundled record changed the ways a record really
changes (a wrong grade put right by reading the report, a document removed, an intervention
imported then ended), and `ilacs update` against the fake Ofsted website publishing a new
report.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPORTS
from fake_ofsted import FakeOfsted, FakeServer, standard_site
from fake_ofsted.site import FakePublication, corpus_pdf
from ilacs.analysis.changes import tell
from ilacs.cli import cli
from ilacs.ingest.changes import record_changes
from ilacs.pipeline import find_files, ingest
from ilacs.sources import HttpSettings, PoliteClient, UpdateOptions, update
from ilacs.store import open_store
from ilacs.store.changes import ChangeKind, list_changes

WIGHT_2023 = "80419_isle of wight/children's services inspection - 15 december 2023.pdf"
WIGHT_2019 = "reports/80419_isle of wight/children's services inspection - 07 january 2019.pdf"


def run_cli(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), obj={}, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def kinds(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT kind FROM changes ORDER BY id")]


@pytest.fixture
def bundled_copy(bundled_db: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "ilacs.db"
    shutil.copy(bundled_db, path)
    conn = open_store(path)
    yield conn
    conn.close()


# --- the full record ------------------------------------------------------------------------

def test_the_log_starts_with_a_baseline_then_lists_what_came_later(corpus_db: Path) -> None:
    conn = sqlite3.connect(corpus_db)
    changes = list(reversed(list_changes(conn)))  # oldest first
    baseline, later = changes[0], changes[1:]
    held = {"inspection": 3, "visit": 2}
    totals = {topic: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for topic, table in [("inspection", "inspections"), ("visit", "visits"),
                                   ("intervention", "interventions")]}
    assert baseline.kind is ChangeKind.BASELINE
    assert baseline.counts == {topic: total - held.get(topic, 0)
                               for topic, total in totals.items()}
    # then the official statistics loaded after them (see `corpus_db`): one entry a data set
    assert sorted(change.kind.value for change in later) == [
        "inspection_added"] * 3 + ["statistics_added"] * 17 + ["visit_added"] * 2
    assert all(c.subject.startswith("statistics:") and c.urn is None for c in later
               if c.kind is ChangeKind.STATISTICS_ADDED)

    # The three new reports are the newest published: none stored earlier is newer.
    added = [c for c in later if c.kind is ChangeKind.INSPECTION_ADDED]
    oldest_added = min(c.published for c in added if c.published)
    newest_other = conn.execute(
        f"SELECT max(publication_date) FROM inspections WHERE document_sha256 NOT IN "
        f"({', '.join('?' * len(added))})", [c.document_sha256 for c in added]).fetchone()[0]
    assert oldest_added.isoformat() >= newest_other
    for change in added:
        stored = conn.execute(
            "SELECT urn, publication_date FROM inspections WHERE document_sha256 = ?",
            (change.document_sha256,)).fetchone()
        assert (change.urn, change.published.isoformat() if change.published else None) == \
            tuple(stored)
        assert change.grades, "a new report lists its grades"
        for step in change.grades:
            assert step.previous == previous_grade(conn, change.urn, change.document_sha256,
                                                   step.judgement)


def previous_grade(conn: sqlite3.Connection, urn: int | None, sha256: str | None,
                   judgement: str) -> str | None:
    """The LA's grade for the judgement at its latest inspection before this one, by SQL."""
    from ilacs.extract.judgements import JUDGEMENT_FAMILIES

    keys = JUDGEMENT_FAMILIES[judgement]
    rows = conn.execute(
        f"""SELECT i.id, j.key, j.grade FROM inspections i
        JOIN judgements j ON j.inspection_id = i.id
        WHERE i.urn = ? AND i.document_sha256 != ? AND j.key IN ({', '.join('?' * len(keys))})
          AND coalesce(i.inspection_start, i.publication_date) < (
            SELECT coalesce(inspection_start, publication_date) FROM inspections
            WHERE document_sha256 = ?)
        ORDER BY coalesce(i.inspection_start, i.publication_date) DESC""",
        (urn, sha256, *keys, sha256)).fetchall()
    if not rows:
        return None
    latest = {key: grade for inspection, key, grade in rows if inspection == rows[0][0]}
    return next(latest[key] for key in keys if key in latest)


def test_each_change_reads_as_a_headline_with_its_details(corpus_db: Path) -> None:
    conn = sqlite3.connect(corpus_db)
    for change in list_changes(conn):
        story = tell(change)
        if change.kind is ChangeKind.BASELINE:
            assert story.title.startswith("The record began, holding ")
            assert f"{change.counts['inspection']} inspections" in story.title
            continue
        if change.kind is ChangeKind.STATISTICS_ADDED:
            title = conn.execute("SELECT title FROM statistics_sources WHERE dataset = ?",
                                 (change.subject.removeprefix("statistics:"),)).fetchone()[0]
            assert story.title == f"Official statistics added: {title}"
            continue
        name = conn.execute("SELECT name FROM authorities WHERE urn = ?",
                            (change.urn,)).fetchone()[0]
        assert story.title.startswith(f"{name}: new ")
        if change.kind is ChangeKind.INSPECTION_ADDED:
            first = change.grades[0] if not any(
                s.judgement == "overall_effectiveness" for s in change.grades) else next(
                s for s in change.grades if s.judgement == "overall_effectiveness")
            assert first.grade.replace("_", " ") in story.title.lower()
            if first.previous and first.previous != first.grade:
                assert f"(was {first.previous.replace('_', ' ')})" in story.title.lower()
            elif first.previous:
                assert story.title.endswith(" (unchanged)")
            assert len(story.lines) == len(change.grades) + 2  # grades, framework, dates


# --- a record that changes -------------------------------------------------------------------

def test_reading_the_same_facts_again_logs_nothing(bundled_copy: sqlite3.Connection) -> None:
    before = kinds(bundled_copy)
    assert before == ["baseline"]
    summary = ingest(bundled_copy, find_files([REPORTS / WIGHT_2023]))
    assert summary.new == 1 and summary.changes == 0  # bundled facts = facts read here
    assert record_changes(bundled_copy) == 0
    assert kinds(bundled_copy) == before


def test_a_wrong_grade_put_right_and_a_removal_are_logged(
        bundled_copy: sqlite3.Connection) -> None:
    conn = bundled_copy
    sha, inspection_id = conn.execute(
        "SELECT document_sha256, id FROM inspections WHERE urn = 80419 "
        "AND publication_date = '2023-12-15'").fetchone()
    true_grade = conn.execute("SELECT grade FROM judgements WHERE inspection_id = ? AND key = "
                              "'overall_effectiveness'", (inspection_id,)).fetchone()[0]
    wrong = "inadequate" if true_grade != "inadequate" else "good"
    conn.execute("UPDATE judgements SET grade = ? WHERE inspection_id = ? AND key = "
                 "'overall_effectiveness'", (wrong, inspection_id))
    assert record_changes(conn) == 1
    summary = ingest(conn, find_files([REPORTS / WIGHT_2023]))  # reading the report itself
    assert summary.changes == 1

    wrong_way, right_way = list_changes(conn, kinds=[ChangeKind.INSPECTION_CHANGED])[::-1]
    for change, (before, after) in [(wrong_way, (true_grade, wrong)),
                                    (right_way, (wrong, true_grade))]:
        assert (change.urn, change.document_sha256, change.la_name) == (80419, sha,
                                                                        "Isle of Wight")
        assert [(f.field, f.before, f.after) for f in change.fields] == [
            ("grades.overall_effectiveness", before, after)]
        story = tell(change)
        assert story.title == "Isle of Wight: inspection report published 15 December 2023 " \
                              "corrected"
        assert story.lines[0] == ("Overall effectiveness: " + before.replace("_", " ")
                                  .capitalize() + " → " + after.replace("_", " ").capitalize())

    conn.execute("DELETE FROM documents WHERE sha256 = ?", (sha,))
    assert record_changes(conn) == 1
    removed = list_changes(conn, kinds=[ChangeKind.INSPECTION_REMOVED])[0]
    assert removed.facts["grades"]["overall_effectiveness"] == true_grade
    assert tell(removed).title.endswith("inspection report published 15 December 2023 "
                                        "removed from the record")
    assert record_changes(conn) == 0


def test_interventions_imported_then_ended_are_logged(bundled_copy: sqlite3.Connection,
                                                      tmp_path: Path) -> None:
    db = str(bundled_copy.execute("PRAGMA database_list").fetchone()[2])
    register = tmp_path / "register.yaml"
    register.write_text("- la: Isle of Wight\n  type: improvement_notice\n  start: 2026-10-01\n"
                        "  status: active\n  sources: [a test]\n", encoding="utf-8")
    run_cli("--db", db, "interventions", "import", str(register))
    register.write_text("- la: Isle of Wight\n  type: improvement_notice\n  start: 2026-10-01\n"
                        "  end: 2026-11-20\n  status: ended\n  sources: [a test]\n",
                        encoding="utf-8")
    run_cli("--db", db, "interventions", "import", str(register))

    out = run_cli("--db", db, "changes", "--la", "80419", "--kind", "intervention_added",
                  "--kind", "intervention_changed")
    assert "Isle of Wight: improvement notice recorded" in out
    assert "Isle of Wight: improvement notice updated" in out
    assert "Status: active → ended" in out and "End: not known → 20 November 2026" in out
    assert out.index("updated") < out.index("recorded")  # newest first


# --- the CLI -------------------------------------------------------------------------------

def test_changes_since_a_date_as_text_and_json(corpus_db: Path) -> None:
    db = str(corpus_db)
    everything = json.loads(run_cli("--db", db, "changes", "--json"))
    kinds = [item["kind"] for item in everything]
    assert kinds.count("baseline") == 1 and kinds.count("statistics_added") == 17
    assert len(everything) == 6 + 17
    assert all(item["title"] and isinstance(item["lines"], list) for item in everything)
    assert everything == sorted(everything, key=lambda i: i["recorded_at"], reverse=True)

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert run_cli("--db", db, "changes", "--since", tomorrow).strip() == (
        f"No changes recorded since {tomorrow}.")
    today = json.loads(run_cli("--db", db, "changes", "--since", "2000-01-01", "--json",
                               "--kind", "visit_added"))
    assert [item["kind"] for item in today] == ["visit_added"] * 2
    text = run_cli("--db", db, "changes", "--limit", "2")
    assert text.count("\n    ") >= 2 and text.splitlines()[0][:4].isdigit()

    bad = run_cli("--db", db, "changes", "--since", "last week", code=2)
    assert "--since" in bad and "2026-11-01" in bad


# --- keeping current from the website ------------------------------------------------------

def test_an_update_that_finds_a_new_report_logs_it_with_the_grade_it_replaced(
        server: FakeServer, tmp_path: Path) -> None:
    site: FakeOfsted = standard_site()
    wight = next(p for p in site.providers if p.urn == 80419)
    newest = wight.publications[0]
    wight.publications[0] = FakePublication("1000", newest.kind_words, newest.title,
                                            corpus_pdf(WIGHT_2019), date(2019, 1, 7))
    server.install(site)
    conn = open_store(tmp_path / "ilacs.db")
    settings = HttpSettings(min_interval=0, timeout=2, attempts=3, backoff=0, max_wait=0)
    options = UpdateOptions(base_url=server.base_url)
    with PoliteClient(settings) as client:
        update(conn, options, client=client)
    assert kinds(conn) == ["baseline"]
    between = datetime.now(UTC)
    wight.publications.insert(0, newest)  # Ofsted publishes the 2023 report
    said = run_cli("--db", str(tmp_path / "ilacs.db"), "update", "--base-url", server.base_url,
                   "--rate", "0")
    assert "1 new inspection and 0 new visits recorded" in said
    assert "1 change logged: see them with `ilacs changes --since " in said

    new = list_changes(conn, since=between)
    assert [c.kind for c in new] == [ChangeKind.INSPECTION_ADDED] and new[0].urn == 80419
    earlier = dict(conn.execute(
        "SELECT j.key, j.grade FROM judgements j JOIN inspections i ON i.id = j.inspection_id "
        "WHERE i.urn = 80419 AND i.publication_date LIKE '2019-%'").fetchall())
    now = dict(conn.execute(
        "SELECT j.key, j.grade FROM judgements j JOIN inspections i ON i.id = j.inspection_id "
        "WHERE i.urn = 80419 AND i.publication_date = '2023-12-15'").fetchall())
    overall = next(s for s in new[0].grades if s.judgement == "overall_effectiveness")
    assert (overall.grade, overall.previous) == (now["overall_effectiveness"],
                                                 earlier["overall_effectiveness"])
    assert overall.previous_published and overall.previous_published.startswith("2019-")
    conn.close()

    out = run_cli("--db", str(tmp_path / "ilacs.db"), "changes", "--since",
                  between.isoformat())
    story = tell(new[0])
    assert story.title.startswith("Isle of Wight: new inspection report published 15 December "
                                  "2023, overall effectiveness ")
    for words in [story.title, *story.lines]:
        assert " ".join(words.split()) in " ".join(out.split())
