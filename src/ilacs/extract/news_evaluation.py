"""Per-field accuracy on news articles and press releases (and letters reproduced in news
pages), against labels in the format of shared/corpus/docs/labels.jsonl.

Each document is read as `ilacs ingest` reads it, with the label's `source` as the address
it came from (a page's address can carry its date). Names are compared as the register's
authorities, grade claims as (authority, grade) pairs, interventions as (authority, type,
action, partner) with a partnership and an improvement partnership the same kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ilacs.documents import read_document
from ilacs.errors import DocumentError
from ilacs.extract.classify import extract_document
from ilacs.extract.evaluation import Evaluation
from ilacs.extract.models import Claim, ClaimKind, DocumentKind, Extraction
from ilacs.reference import load_register

NEWS_FIELDS = ("kind", "la_names", "publication_date", "visit_dates", "inspectors",
               "grade_claims", "interventions")
_KIND_OF_TYPE = {"improvement_partner": "partnership"}


def is_news_labels(labels: list[dict[str, Any]]) -> bool:
    return bool(labels) and "file" in labels[0] and "la_names" in labels[0]


def evaluate_news(labels: Iterable[Mapping[str, Any]], corpus: Path) -> Evaluation:
    evaluation = Evaluation()
    for label in labels:
        path = str(label["file"])
        evaluation.documents += 1
        try:
            document = read_document(corpus / path, display_path=path)
            kind, extraction = extract_document(document, source_url=label.get("source"))
            actual: dict[str, Any] | str = _as_label(kind, extraction)
        except DocumentError as error:
            actual = f"not read: {error}"
        expected = _expected(label)
        for name in NEWS_FIELDS:
            got = actual.get(name) if isinstance(actual, dict) else actual
            evaluation.score(name, path, expected[name], got)
    return evaluation


def _urn(name: str) -> int | str:
    authority = load_register().match(name)
    return authority.urn if authority is not None else f"not in the register: {name}"


def _sorted(values: Iterable[Any]) -> list[Any]:
    return sorted(set(values), key=str)


def _expected(label: Mapping[str, Any]) -> dict[str, Any]:
    names = list(label.get("la_names") or [])
    grades = []
    for key, grade in (label.get("grades_mentioned") or {}).items():
        # 'Croydon: overall [current rating]' names its LA; other keys are the first LA's
        name = key.split(":")[0] if ":" in key else (names[0] if names else "")
        grades.append((_urn(name), grade))
    interventions = [
        (_urn(item["la"]), _KIND_OF_TYPE.get(item["type"], item["type"]), item["action"],
         _urn(item["partner"]) if item.get("partner") else None)
        for item in label.get("intervention") or []]
    return {
        "kind": label["kind"], "la_names": _sorted(_urn(name) for name in names),
        "publication_date": label.get("publication_date") if label["kind"] == "news"
        else label.get("letter_date"),
        "visit_dates": list(label.get("visit_or_event_dates") or []),
        "inspectors": sorted(label.get("inspectors") or []),
        "grade_claims": _sorted(grades), "interventions": _sorted(interventions),
    }


def _as_label(kind: DocumentKind, extraction: Extraction) -> dict[str, Any]:
    article = extraction.article
    if kind is DocumentKind.LETTER and extraction.letter is not None:
        letter = extraction.letter
        dates = [d.isoformat() for d in (letter.visit_start, letter.visit_end) if d]
        claims = _claims(article.claims if article is not None else ())
        return {"kind": letter.kind, "la_names": [letter.urn] if letter.urn else [],
                "publication_date": letter.letter_date.isoformat() if letter.letter_date
                else None, "visit_dates": dates, "inspectors": sorted(letter.inspectors),
                **claims}
    if kind is not DocumentKind.NEWS or article is None:
        return dict.fromkeys(NEWS_FIELDS, f"read as {kind.value}")
    return {
        "kind": "news", "la_names": _sorted(article.urns),
        "publication_date": article.publication_date.isoformat()
        if article.publication_date else None,
        "visit_dates": [d.isoformat() for d in article.visit_dates],
        "inspectors": sorted(article.inspectors), **_claims(article.claims),
    }


def _claims(claims: Iterable[Claim]) -> dict[str, list[Any]]:
    claims = list(claims)
    grades = [(claim.urn, claim.grade.value) for claim in claims
              if claim.kind is ClaimKind.GRADE and claim.grade is not None]
    interventions = [
        (claim.urn, _KIND_OF_TYPE.get(claim.intervention_type or "", claim.intervention_type),
         claim.action, claim.partner_urn)
        for claim in claims if claim.kind is ClaimKind.INTERVENTION]
    return {"grade_claims": _sorted(grades), "interventions": _sorted(interventions)}
