"""Claims linked to the record, the interventions register, and an LA's whole story, in a
real SQLite file built from the bundled record."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ilacs.analysis.story import authority_story, describe_claim
from ilacs.cli import cli
from ilacs.ingest.interventions import InterventionFileError, import_interventions
from ilacs.pipeline import IngestSummary, find_files, ingest
from ilacs.record import bundled_record
from ilacs.reference import load_register
from ilacs.store import open_store
from ilacs.store.interventions import (
    confirm_intervention,
    list_interventions,
)
from ilacs.store.story import ClaimRow, VisitRow, claims_for

GRADE_WORDS = {"outstanding": "‘outstanding’", "good": "‘good’",
               "requires_improvement": "‘requires improvement’", "inadequate": "‘inadequate’"}


@pytest.fixture()
def record(bundled_db: Path, tmp_path: Path) -> sqlite3.Connection:
    """A copy of the bundled record (loaded once per session), for a test to write to."""
    with sqlite3.connect(bundled_db) as source, sqlite3.connect(tmp_path / "ilacs.db") as copy:
        source.backup(copy)
    return open_store(tmp_path / "ilacs.db")


def _latest_overall(conn: sqlite3.Connection, urn: int) -> tuple[str, str]:
    row = conn.execute(
        "SELECT i.publication_date, j.grade FROM inspections i JOIN judgements j ON "
        "j.inspection_id = i.id AND j.key = 'overall_effectiveness' WHERE i.urn = ? "
        "ORDER BY i.publication_date DESC LIMIT 1", (urn,)).fetchone()
    return row[0], row[1]



def _ingest_text(record: sqlite3.Connection, folder: Path, name: str,
                 text: str) -> IngestSummary:
    """An article written here, saved as `folder/name` and ingested into the record."""
    folder.mkdir()
    (folder / name).write_text(text, "utf-8")
    return ingest(record, find_files([folder]))

def test_a_claim_the_record_contradicts_is_flagged(record: sqlite3.Connection,
                                                   tmp_path: Path) -> None:
    register = load_register()
    rutland, torbay = register.match("Rutland"), register.match("Torbay")
    assert rutland is not None and torbay is not None
    published, right = _latest_overall(record, rutland.urn)
    wrong = next(grade for grade in GRADE_WORDS if grade != right)
    _, torbay_grade = _latest_overall(record, torbay.urn)
    summary = _ingest_text(record, tmp_path / "news", "article.txt",
        f"Children’s services news\nPublished: {_spoken(published)}\n"
        f"Ofsted has rated Rutland County Council’s children’s services as "
        f"{GRADE_WORDS[wrong]}.\nTorbay Council was rated {GRADE_WORDS[torbay_grade]} by "
        "Ofsted.\n")
    assert summary.articles == 1 and summary.contradictions == 1
    claims = {claim.urn: claim for claim in claims_for(record)}
    assert claims[rutland.urn].status == "contradicts"
    assert f"report says overall_effectiveness {right}" in (claims[rutland.urn].link_note or "")
    assert claims[torbay.urn].status == "consistent"
    contradicting = CliRunner().invoke(cli, ["--db", str(tmp_path / "ilacs.db"), "claims",
                                             "--contradictions"])
    assert contradicting.exit_code == 0 and "Rutland" in contradicting.output
    assert "Torbay" not in contradicting.output


def _spoken(iso: str) -> str:
    year, month, day = iso.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return f"{int(day)} {months[int(month) - 1]} {year}"


def test_seed_interventions_are_bundled_with_sources(record: sqlite3.Connection) -> None:
    items = list_interventions(record)
    wight = load_register().match("Isle of Wight")
    assert wight is not None
    partnership = [item for item in items if item.urn == wight.urn and
                   item.type == "improvement_partner"]
    assert [(p.partner_name, p.start_date, p.end_date, p.status) for p in partnership] == [
        ("Hampshire", "2013", "2024-01-31", "ended")]  # the events' precision
    assert all(item.sources and item.confirmed for item in items)
    assert {"Croydon", "Northamptonshire"} <= {item.la_name for item in items}


def test_bundle_holds_letter_facts_but_no_sentences() -> None:
    bundle = bundled_record()
    assert len(bundle["visits"]) == 281
    kinds = {visit["kind"] for visit in bundle["visits"]}
    assert kinds == {"focused_visit", "jtai"}
    assert all("focus" not in visit and "headline" not in visit for visit in bundle["visits"])
    assert sum(visit["focus_theme"] is not None for visit in bundle["visits"]) >= 250


def test_import_file_and_bad_rows(record: sqlite3.Connection, tmp_path: Path) -> None:
    good = tmp_path / "curated.yaml"
    good.write_text("- la: Reading\n  type: commissioner\n  start: 2016-09\n"
                    "  sources: [https://example.invalid/reading]\n", "utf-8")
    assert import_interventions(record, good).added == 1
    assert import_interventions(record, good).updated == 1  # idempotent
    before = len(list_interventions(record))
    bad = tmp_path / "bad.csv"
    bad.write_text("la,type,start,sources\nReading,commissioner,2016,x\nNowhere,commissioner,"
                   "2016,y\n", "utf-8")
    with pytest.raises(InterventionFileError) as raised:
        import_interventions(record, bad)
    assert "row 2" in str(raised.value) and "'la'" in str(raised.value) and "bad.csv" in str(
        raised.value)
    assert len(list_interventions(record)) == before  # nothing written


def test_news_intervention_becomes_a_suggestion_a_person_confirms(
        record: sqlite3.Connection, tmp_path: Path) -> None:
    _ingest_text(record, tmp_path / "news", "notice.txt",
        "Improvement notice for Wokingham\nPublished: 2 June 2025\nThe Department for "
        "Education has issued an improvement notice to Wokingham Borough Council after Ofsted's "
        "inspection of its children's services.\n")
    suggested = [item for item in list_interventions(record) if not item.confirmed]
    assert [(item.la_name, item.type, item.start_date) for item in suggested] == [
        ("Wokingham", "improvement_notice", "2025-06-02")]
    claim = next(claim for claim in claims_for(record) if claim.kind == "intervention")
    assert claim.status == "suggested"
    confirm_intervention(record, suggested[0].id)
    claim = next(claim for claim in claims_for(record) if claim.kind == "intervention")
    assert claim.status == "consistent"


def test_story_orders_inspections_visits_interventions_and_claims(
        record: sqlite3.Connection, tmp_path: Path) -> None:
    story = authority_story(record, "North Northamptonshire")
    dates = [when for when, _event in story.events if when]
    assert dates == sorted(dates)
    kinds = {type(event).__name__ for _when, event in story.events}
    assert {"InspectionRow", "VisitRow", "Intervention"} <= kinds
    visits = [event for _when, event in story.events if isinstance(event, VisitRow)]
    assert all(visit.focus_theme for visit in visits if visit.kind == "focused_visit")
    output = CliRunner().invoke(cli, ["--db", str(tmp_path / "ilacs.db"), "show",
                                      str(story.authority.urn)])
    assert output.exit_code == 0
    assert "Focused visit" in output.output and "Intervention" in output.output
    assert not any(isinstance(event, ClaimRow) for _when, event in story.events)
    listed = CliRunner().invoke(cli, ["--db", str(tmp_path / "ilacs.db"), "interventions",
                                      "list", "--la", "Isle of Wight", "--json"])
    assert listed.exit_code == 0
    assert {item["partner_name"] for item in json.loads(listed.output)} == {"Hampshire"}
    trust = [event for _when, event in story.events if type(event).__name__ == "Intervention"]
    assert [(item.type, item.start_date) for item in trust] == [("childrens_trust",
                                                                 "2021-04-01")]


def test_exports_carry_visits_and_the_register(record: sqlite3.Connection,
                                               tmp_path: Path) -> None:
    output = tmp_path / "record.json"
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "ilacs.db"), "export", "-f",
                                      "json", "-o", str(output)])
    assert result.exit_code == 0, result.output
    exported = json.loads(output.read_text("utf-8"))
    assert len(exported["visits"]) == 281
    assert {visit["kind"] for visit in exported["visits"]} == {"focused_visit", "jtai"}
    assert len(exported["interventions"]) == len(list_interventions(record))
    assert all(item["sources"] for item in exported["interventions"])


@pytest.mark.parametrize(("when_date", "precision", "said"), [
    ("2012-01-01", "year", "2012"), ("2022-07-01", "month", "2022-07"),
    ("2018-12-13", "day", "2018-12-13"), (None, None, "2019-03-04")])
def test_a_claim_keeps_its_date_as_precise_as_the_article(
        when_date: str | None, precision: str | None, said: str) -> None:
    claim = ClaimRow(id=1, kind="rating", urn=80419, judgement=None, grade="good",
                     previous_grade=None, intervention_type=None, action=None,
                     partner_urn=None, when_printed=None, when_date=when_date, status="consistent",
                     link_note=None, article_title=None, article_date="2019-03-04",
                     article_path="news/a.txt", source_url=None, when_precision=precision)
    assert claim.date_as_said == said


def test_news_that_dates_a_registered_intervention_otherwise_is_flagged_with_both_sources(
        record: sqlite3.Connection, tmp_path: Path) -> None:
    """Swindon's notice is in the register (issued November 2023, from the shared events);
    an article dating its issue in June 2025 is flagged, naming the register's sources."""
    swindon = [item for item in list_interventions(record) if item.la_name == "Swindon"
               and item.type == "improvement_notice"]
    assert [item.start_date for item in swindon] == ["2023-11"]
    _ingest_text(record, tmp_path / "news", "notice.txt",
        "Improvement notice for Swindon\nPublished: 3 June 2025\nOn 2 June 2025 the "
        "Department for Education issued an improvement notice to Swindon Borough Council "
        "after Ofsted's inspection of its children's services.\n")
    claim = next(claim for claim in claims_for(record, swindon[0].urn)
                 if claim.kind == "intervention")
    assert claim.status == "contradicts"
    assert claim.link_note is not None and "2025-06-02" in claim.link_note
    assert "2023-11" in claim.link_note and swindon[0].sources[0] in claim.link_note
    assert not [item for item in list_interventions(record) if not item.confirmed
                and item.la_name == "Swindon"]  # no second notice suggested


def _undated_article(record: sqlite3.Connection, folder: Path, sentence: str) -> ClaimRow:
    _ingest_text(record, folder, f"{folder.name}.txt", f"Children's services news\n{sentence}\n")
    wight = load_register().match("Isle of Wight")
    assert wight is not None
    [claim] = [claim for claim in claims_for(record, wight.urn)
               if claim.article_path.endswith(f"{folder.name}.txt")]
    return claim


def test_an_undated_article_links_only_where_one_report_fits(record: sqlite3.Connection,
                                                              tmp_path: Path) -> None:
    """The record holds three Isle of Wight reports: requires improvement (2014), then good
    (2019) and good (2023)."""
    grades = [row[0] for row in record.execute(
        "SELECT j.grade FROM inspections i JOIN judgements j ON j.inspection_id = i.id AND "
        "j.key = 'overall_effectiveness' WHERE i.urn = 80419 ORDER BY i.publication_date")]
    assert grades == ["requires_improvement", "good", "good"]
    once = _undated_article(record, tmp_path / "once", "Ofsted rated the Isle of Wight "
                            "Council's children's services as requires improvement.")
    assert once.status == "consistent" and "inferred" in (once.link_note or "")
    twice = _undated_article(record, tmp_path / "twice", "Ofsted rated the Isle of Wight "
                             "Council's children's services as good.")
    assert twice.status == "unlinked" and "2 reports agree" in (twice.link_note or "")
    moved = _undated_article(record, tmp_path / "moved", "The Isle of Wight Council's "
                             "children's services have improved from requires improvement to "
                             "good, Ofsted said.")
    assert moved.kind == "rating_change"
    assert moved.status == "consistent" and "inferred" in (moved.link_note or "")


def test_a_dated_article_links_only_to_a_report_published_by_its_date(
        record: sqlite3.Connection, tmp_path: Path) -> None:
    _ingest_text(record, tmp_path / "early", "early.txt",
        "Children's services news\nPublished: 3 March 2014\nOfsted rated the Isle of Wight "
        "Council's children's services as good.\n")
    [claim] = [claim for claim in claims_for(record, 80419)
               if claim.article_path.endswith("early.txt")]
    assert claim.status == "unlinked"
    assert "no report of this LA published by the article's date" in (claim.link_note or "")


def test_the_press_comes_after_the_record_each_claim_once_per_article(
        record: sqlite3.Connection, tmp_path: Path) -> None:
    _ingest_text(record, tmp_path / "twice", "twice.txt",
        "Children's services news\nPublished: 4 February 2024\nOfsted rated the Isle of Wight "
        "Council's children's services as good.\nThe council's leader said the Isle of Wight "
        "Council's children's services were rated good by Ofsted.\n")
    story = authority_story(record, "Isle of Wight")
    said = [(claim.article_path, describe_claim(claim)) for claim in story.press]
    assert said and len(said) == len(set(said))
    mine = [claim for claim in story.press if claim.article_path.endswith("twice.txt")]
    assert len(mine) == 1 and mine[0].evidence
    assert all(not isinstance(event, ClaimRow) for _when, event in story.events)
    shown = CliRunner().invoke(cli, ["--db", str(tmp_path / "ilacs.db"), "show",
                                     "Isle of Wight"]).output
    assert shown.index("In the press") > shown.rindex("Intervention")
    assert "Ofsted rated the Isle of Wight" in shown


def test_news_dated_only_by_its_article_agrees_with_what_happened_by_then(
        record: sqlite3.Connection, tmp_path: Path) -> None:
    """'Has issued' in an article of June 2025 says only that the notice was issued by then:
    Swindon's notice of November 2023 in the register agrees with it."""
    _ingest_text(record, tmp_path / "bythen", "bythen.txt",
        "Improvement notice for Swindon\nPublished: 3 June 2025\nThe Department for "
        "Education has issued an improvement notice to Swindon Borough Council after Ofsted's "
        "inspection of its children's services.\n")
    swindon = load_register().match("Swindon")
    assert swindon is not None
    [claim] = [claim for claim in claims_for(record, swindon.urn)
               if claim.kind == "intervention" and claim.article_path.endswith("bythen.txt")]
    assert claim.status == "consistent"
