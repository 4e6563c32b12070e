"""News articles, press releases and letters reproduced in them, against the labels in
../shared/corpus/docs, plus variants written here (no corpus text is copied)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED
from ilacs.documents import read_document
from ilacs.documents.reader import bytes_to_document
from ilacs.extract.classify import extract_document
from ilacs.extract.models import ClaimKind, DocumentKind, NewsArticle
from ilacs.reference import load_register

DOCS = SHARED / "corpus" / "docs"
MISSION = SHARED / "mission"
# The labeller inferred these from outside the text; the article prints no year.
YEAR_NOT_PRINTED = {"news/bbc-bcp-monitoring-visit-2024.txt"}
# A register type and the label's name for the same kind of intervention.
SAME_TYPE = {"partnership": {"partnership", "improvement_partner"}}


def _labels() -> list[dict[str, Any]]:
    path = DOCS / "labels.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _news_labels() -> list[dict[str, Any]]:
    return [label for label in _labels() if label["kind"] == "news"]


@pytest.fixture(scope="session")
def articles() -> dict[str, tuple[DocumentKind, Any]]:
    if not DOCS.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no documents corpus at {DOCS}")
    found = {}
    for label in _labels():
        document = read_document(DOCS / label["file"], display_path=label["file"])
        kind, extraction = extract_document(document, source_url=label.get("source"))
        found[label["file"]] = (kind, extraction)
    return found


def _urn(name: str) -> int:
    authority = load_register().match(name)
    assert authority is not None, name
    return authority.urn


@pytest.mark.parametrize("label", _news_labels(), ids=lambda label: label["file"])
def test_article_las_dates_and_inspectors(articles: dict[str, tuple[DocumentKind, Any]],
                                          label: dict[str, Any]) -> None:
    kind, extraction = articles[label["file"]]
    assert kind is DocumentKind.NEWS
    article: NewsArticle = extraction.article
    assert set(article.urns) == {_urn(name) for name in label["la_names"]}
    assert article.publication_date == (date.fromisoformat(label["publication_date"])
                                        if label["publication_date"] else None)
    assert set(article.inspectors) == set(label["inspectors"])
    if label["file"] not in YEAR_NOT_PRINTED:
        assert [d.isoformat() for d in article.visit_dates] == label["visit_or_event_dates"]


@pytest.mark.parametrize("label", _news_labels(), ids=lambda label: label["file"])
def test_every_grade_claim_is_found(articles: dict[str, tuple[DocumentKind, Any]],
                                    label: dict[str, Any]) -> None:
    article: NewsArticle = articles[label["file"]][1].article
    expected = set()
    for key, grade in label["grades_mentioned"].items():
        name = key.split(":")[0] if ":" in key else label["la_names"][0]
        expected.add((_urn(name), grade))
    found = {(claim.urn, claim.grade.value) for claim in article.claims
             if claim.kind is ClaimKind.GRADE and claim.grade is not None}
    assert found == expected


@pytest.mark.parametrize("label", [label for label in _news_labels() if label["intervention"]],
                         ids=lambda label: label["file"])
def test_every_intervention_claim_is_found(articles: dict[str, tuple[DocumentKind, Any]],
                                           label: dict[str, Any]) -> None:
    article: NewsArticle = articles[label["file"]][1].article
    for stated in label["intervention"]:
        types = SAME_TYPE.get(stated["type"], {stated["type"]})
        matches = [claim for claim in article.claims if claim.kind is ClaimKind.INTERVENTION
                   and claim.urn == _urn(stated["la"]) and claim.intervention_type in types
                   and claim.action == stated["action"]]
        assert matches, f"{stated['type']} {stated['action']} for {stated['la']}"
        if stated.get("partner"):
            assert matches[0].partner_urn == _urn(stated["partner"])


def test_monitoring_visit_letter_reproduced_in_a_news_page(
        articles: dict[str, tuple[DocumentKind, Any]]) -> None:
    label = next(label for label in _labels() if label["kind"] == "monitoring_visit")
    kind, extraction = articles[label["file"]]
    assert kind is DocumentKind.LETTER
    letter = extraction.letter
    assert letter.kind == "monitoring_visit" and letter.monitoring_visit_number == 1
    assert letter.urn == _urn(label["la_names"][0])
    assert [letter.visit_start.isoformat(), letter.visit_end.isoformat()] == \
        label["visit_or_event_dates"]
    assert list(letter.inspectors) == label["inspectors"]
    assert letter.focus_theme == "front_door"


def test_quotes_are_short_and_attributed(articles: dict[str, tuple[DocumentKind, Any]]) -> None:
    article = articles["news/communitycare-inadequate-councils-progress-2021.txt"][1].article
    assert article.quotes, "the round-up quotes a named councillor"
    for quote in article.quotes:
        assert quote.speaker[0].isupper() and len(quote.text.split()) <= 26


def test_seed_letter_and_articles() -> None:
    if not MISSION.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: no mission documents at {MISSION}")
    results = {path.name[:3]: extract_document(read_document(path))
               for path in sorted(MISSION.glob("*.txt"))}
    kind, letter = results["001"]
    assert kind is DocumentKind.LETTER and letter.letter is not None
    assert letter.letter.urn == _urn("Isle of Wight")
    assert (letter.letter.visit_start, letter.letter.visit_end) == (date(2024, 11, 5),
                                                                    date(2024, 11, 6))
    assert letter.letter.focus_theme == "children_in_need_or_plan"
    assert len(letter.letter.improvement_items) == 2
    for name in ("000", "002", "003", "004"):
        assert results[name][0] is DocumentKind.NEWS, name
    scilly = results["002"][1].article
    assert scilly.urns == (_urn("Isles of Scilly"),)
    assert scilly.publication_date == date(2019, 12, 19)
    grades = {(claim.judgement, claim.grade.value) for claim in scilly.claims
              if claim.grade is not None and claim.when != date(2016, 1, 1)}
    assert grades == {("all", "good"), ("impact_of_leaders", "outstanding")}
    islington = results["003"][1].article
    change = [claim for claim in islington.claims if claim.kind is ClaimKind.RATING_CHANGE]
    assert [(c.previous_grade.value, c.grade.value) for c in change if c.previous_grade
            and c.grade] == [("good", "outstanding")]


# -- variants written here ---------------------------------------------------------------

MONITORING_LETTER = """12 March 2025
Director of Children's Services
Torbay Council

Dear Ms Example

Monitoring visit to Torbay children’s services

This letter summarises the findings of the monitoring visit to Torbay children’s services
on 4 and 5 February 2025. This was the third monitoring visit since the local authority was
judged inadequate in 2023. His Majesty’s Inspectors for this visit were Alex Example and
Sam Sample.

Areas covered by the visit
The focus of this visit was children in care.

Yours sincerely

Alex Example
His Majesty’s Inspector
"""

JTAI_LETTER = """9 May 2025
Dear partners

Joint targeted area inspection of Sefton

This letter summarises the findings of the joint targeted area inspection (JTAI) of the
multi-agency response to children who are victims of domestic abuse in Sefton.
This inspection took place from 3 to 7 March 2025. It was carried out by inspectors from
Ofsted, the Care Quality Commission (CQC) and His Majesty’s Inspectorate of Constabulary.
"""


def test_variant_monitoring_visit_letter() -> None:
    document = bytes_to_document(MONITORING_LETTER.encode(), "variant-mv.txt", ".txt")
    kind, extraction = extract_document(document)
    letter = extraction.letter
    assert kind is DocumentKind.LETTER and letter is not None
    assert (letter.kind, letter.monitoring_visit_number) == ("monitoring_visit", 3)
    assert letter.urn == _urn("Torbay")
    assert (letter.visit_start, letter.visit_end) == (date(2025, 2, 4), date(2025, 2, 5))
    assert letter.inspectors == ("Alex Example", "Sam Sample")
    assert letter.lead_inspector == "Alex Example"
    assert letter.focus_theme == "children_in_care"
    assert letter.publication_date == date(2025, 3, 12)  # no Ofsted file name: its date


def test_variant_jtai_letter() -> None:
    document = bytes_to_document(JTAI_LETTER.encode(), "variant-jtai.txt", ".txt")
    kind, extraction = extract_document(document)
    letter = extraction.letter
    assert kind is DocumentKind.LETTER and letter is not None and letter.kind == "jtai"
    assert letter.urn == _urn("Sefton")
    assert letter.focus == "the multi-agency response to children who are victims of domestic " \
                           "abuse"
    assert letter.focus_theme == "domestic_abuse"
    assert letter.inspectors == () and letter.lead_inspector is None
    assert (letter.visit_start, letter.visit_end) == (date(2025, 3, 3), date(2025, 3, 7))


def test_variant_article_naming_two_las() -> None:
    text = (
        "Two councils, two verdicts\n"
        "Published: 3 April 2025\n"
        "Ofsted has rated Rutland County Council’s children’s services as ‘outstanding’, "
        "while neighbouring Leicestershire was judged ‘requires improvement’ in March 2025.\n"
        "The Department for Education has issued an improvement notice to Leicestershire "
        "County Council.\n"
        "Jo Example, cabinet member for children, said: “We are proud of every one of our "
        "social workers and the families they support.”\n"
    )
    kind, extraction = extract_document(bytes_to_document(text.encode(), "two.txt", ".txt"))
    article = extraction.article
    assert kind is DocumentKind.NEWS and article is not None
    assert set(article.urns) == {_urn("Rutland"), _urn("Leicestershire")}
    assert article.publication_date == date(2025, 4, 3)
    grades = {(claim.urn, claim.grade.value) for claim in article.claims if claim.grade}
    assert grades == {(_urn("Rutland"), "outstanding"),
                      (_urn("Leicestershire"), "requires_improvement")}
    notices = [claim for claim in article.claims if claim.intervention_type ==
               "improvement_notice"]
    assert [(c.urn, c.action) for c in notices] == [(_urn("Leicestershire"), "issued")]
    assert [(q.speaker, q.role) for q in article.quotes] == [
        ("Jo Example", "cabinet member for children")]


def test_a_visit_date_without_a_year_takes_the_year_of_the_articles_address() -> None:
    """Undated, with an earlier report's year in the text: the file name's year is the
    article's, and the visit's."""
    text = ("Inspectors back at Rutland children’s services\n"
            "A report released in 2021 found serious weaknesses at Rutland County Council.\n"
            "Ofsted inspectors visited the service on 4 and 5 March for a monitoring visit.\n")
    article = extract_document(bytes_to_document(
        text.encode(), "rutland-monitoring-visit-2023.txt", ".txt"))[1].article
    assert article is not None and article.publication_date is None
    assert article.visit_dates == (date(2023, 3, 4), date(2023, 3, 5))
    unnamed = extract_document(bytes_to_document(text.encode(), "rutland.txt", ".txt"))[1]
    assert unnamed.article is not None
    assert unnamed.article.visit_dates == (date(2021, 3, 4), date(2021, 3, 5))  # text only


def test_a_document_of_no_known_kind_is_other_with_a_problem() -> None:
    text = "Minutes of the allotment society\nThe marrows were discussed at length.\n"
    kind, extraction = extract_document(bytes_to_document(text.encode(), "minutes.txt",
                                                          ".txt"))
    assert kind is DocumentKind.OTHER
    assert extraction.report is None and extraction.letter is None and \
        extraction.article is None
    assert [problem.path for problem in extraction.problems] == ["minutes.txt"]
    assert "not recognised" in extraction.problems[0].message


def test_a_hypothetical_grade_is_not_a_claim() -> None:
    text = ("Ofsted and Barnet children’s services\n"
            "Barnet council hopes it would be rated ‘outstanding’ at its next inspection.\n")
    article = extract_document(bytes_to_document(text.encode(), "hope.txt", ".txt"))[1].article
    assert article is not None and article.claims == ()


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_eval_scores_every_news_field_and_lists_each_disagreement() -> None:
    """`ilacs eval` on the documents' labels: every field scored, and every one agrees."""
    from ilacs.extract.evaluation import read_labels
    from ilacs.extract.news_evaluation import NEWS_FIELDS, evaluate_news, is_news_labels

    if not (DOCS / "labels.jsonl").is_file():
        pytest.skip(f"SKIPPED LOUDLY: no documents corpus at {DOCS}")
    labels = read_labels(DOCS / "labels.jsonl")
    assert is_news_labels(labels)
    result = evaluate_news(labels, DOCS)
    assert set(result.fields) == set(NEWS_FIELDS)
    assert all(score.total == len(labels) for score in result.fields.values())
    assert result.disagreements == []


def _interventions(text: str) -> set[tuple[str | None, str | None]]:
    article = extract_document(bytes_to_document(text.encode(), "notice.txt", ".txt"))[1].article
    assert article is not None
    return {(claim.intervention_type, claim.action) for claim in article.claims
            if claim.kind is ClaimKind.INTERVENTION}


def test_the_reason_for_an_intervention_already_named_is_not_news_of_it() -> None:
    background = ("Direction revoked at Barnet council\n"
                  "The government has revoked the statutory direction issued to Barnet "
                  "council.\n"
                  "The commissioner was appointed following an inspection by Ofsted that "
                  "found services inadequate.\n")
    assert _interventions(background) == {("statutory_direction", "revoked")}
    news = ("Commissioner for Barnet children's services\n"
            "A commissioner was appointed to Barnet council today following an Ofsted "
            "report that found services inadequate.\n")
    assert ("commissioner", "appointed") in _interventions(news)
