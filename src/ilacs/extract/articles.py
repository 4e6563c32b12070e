"""News articles and press releases: which LAs they are about, their date, the visit they
report, and the claims and quotes in them (see `claims` and `quotes`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from ilacs.documents import Document
from ilacs.extract.article_dates import publication_date
from ilacs.extract.claims import find_claims
from ilacs.extract.dates import parse_date_blocks
from ilacs.extract.models import NewsArticle
from ilacs.extract.quotes import find_quotes
from ilacs.reference import load_register

# What a text about children's services says of itself; without any of these words a text
# that names a council is not news about its children's services.
_TOPIC = re.compile(r"\b(?:Ofsted|children.s\s+(?:social\s+care|services)|statutory\s+direction|"
                    r"improvement\s+notice|Department\s+for\s+Education|DfE)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[’”\"']?\s+(?=[A-Z“‘\"'(])")
_VISIT_SENTENCE = re.compile(
    r"\b(?:visit(?:ed)?|took\s+place|inspectors\s+(?:visited|were\s+on\s+site)|on\s+site)\b",
    re.IGNORECASE)
_DAY_DATE = re.compile(
    r"\b(?:\d{1,2}(?:\s*(?:and|to|-|–)\s*\d{1,2})?\s+(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December)(?:\s+\d{4})?|(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\s+\d{1,2}"
    r"(?:\s*(?:and|to|-|–)\s*\d{1,2})?(?:,?\s+\d{4})?)\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_INSPECTORS_NAMED = re.compile(
    r"\binspectors?\s+(?:for\s+this\s+visit\s+were\s+)?(?P<names>[A-Z][a-z]+\s+[A-Z][a-zA-Z’'-]+"
    r"(?:\s+and\s+[A-Z][a-z]+\s+[A-Z][a-zA-Z’'-]+)?)\b(?!\s+(?:Council|County))")
_MIN_MENTIONS_FOR_SUBJECT = 2


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int


def looks_like_article(document: Document) -> bool:
    text = document.text
    return bool(_TOPIC.search(text)) and bool(load_register().match_in_text(text))


def extract_article(document: Document, source_url: str | None = None) -> NewsArticle:
    text = document.text
    sentences = split_sentences(text)
    title = sentences[0].text if sentences else None
    published = publication_date(text, source_url)
    subjects, mentioned = _authorities(sentences)
    main = subjects[0] if subjects else None
    claims = find_claims(sentences, main, published)
    # An LA named as a claim's subject or partner is what the article is about.
    for claim in claims:
        for urn in (claim.urn, claim.partner_urn):
            if urn is not None and urn not in subjects:
                subjects.append(urn)
                if urn in mentioned:
                    mentioned.remove(urn)
    register = load_register()
    return NewsArticle(
        title=title,
        source_url=source_url,
        publication_date=published,
        la_names=tuple(register.by_urn(urn).name for urn in subjects),
        urns=tuple(subjects),
        mentioned_urns=tuple(mentioned),
        visit_dates=_visit_dates(sentences, published,
                                 _address_year(source_url, document.path)),
        inspectors=_inspectors(text),
        claims=tuple(claims),
        quotes=tuple(find_quotes(text)),
    )


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraphs = [p.strip(" ?\t") for p in re.split(r"\n\s*", text) if p.strip(" ?\t")]
    for number, paragraph in enumerate(paragraphs):
        for piece in _SENTENCE_END.split(paragraph):
            if piece.strip():
                sentences.append(Sentence(piece.strip(), number))
    return sentences


def _authorities(sentences: list[Sentence]) -> tuple[list[int], list[int]]:
    """The LAs an article is about (named in its headline or opening paragraphs, or more
    than once) and those it only names in passing (a company 'that runs children's services
    in Kingston upon Thames and Richmond')."""
    register = load_register()
    counts: Counter[int] = Counter()
    early: set[int] = set()
    order: list[int] = []
    opening = {sentence.paragraph for sentence in sentences[:3]}
    for sentence in sentences:
        for _position, authority in register.mentions(sentence.text):
            counts[authority.urn] += 1
            if authority.urn not in order:
                order.append(authority.urn)
            if sentence.paragraph in opening:
                early.add(authority.urn)
    subjects = [urn for urn in order
                if urn in early or counts[urn] >= _MIN_MENTIONS_FOR_SUBJECT]
    if not subjects and order:
        subjects = [order[0]]
    return subjects, [urn for urn in order if urn not in subjects]


def _visit_dates(sentences: list[Sentence], published: date | None,
                 address_year: int | None) -> tuple[date, ...]:
    """The dates of the visit an article reports ('visited ... on 17 and 18 June 2025'): a
    date without a year takes the publication year, else the year in the article's address
    or file name (saved articles are often named by their year), else the latest year the
    article names (which may be an earlier report's: 'a report released in 2022')."""
    years = [int(year) for sentence in sentences for year in _YEAR.findall(sentence.text)]
    default_year = published.year if published else (
        address_year or (max(years) if years else None))
    for sentence in sentences:
        if not _VISIT_SENTENCE.search(sentence.text):
            continue
        for match in _DAY_DATE.finditer(sentence.text):
            printed = _day_first(match.group(0))
            blocks = parse_date_blocks(printed, default_year=default_year)
            if blocks and blocks[0].start is not None:
                dates = {blocks[0].start, blocks[-1].end}
                return tuple(sorted(d for d in dates if d is not None))
    return ()


def _address_year(source_url: str | None, path: str) -> int | None:
    """The last year written in the address or the file name ('...-visit-2024.txt'), not
    part of a longer number (an article id such as 20579521)."""
    for text in (source_url, PurePath(path).name):
        years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text or "")
        if years:
            return int(years[-1])
    return None


def _day_first(printed: str) -> str:
    """'September 11 and 12' -> '11 and 12 September' (and 'May 16, 2018' -> '16 May 2018')."""
    american = re.match(r"^([A-Z][a-z]+)\s+(\d{1,2}(?:\s*(?:and|to|-|–)\s*\d{1,2})?)"
                        r"(?:,?\s+(\d{4}))?$", printed)
    if not american:
        return printed
    month, days, year = american.groups()
    return f"{days} {month}" + (f" {year}" if year else "")


def _inspectors(text: str) -> tuple[str, ...]:
    names: list[str] = []
    for match in _INSPECTORS_NAMED.finditer(text):
        for name in re.split(r"\s+and\s+", match.group("names")):
            if name not in names and not load_register().match_in_text(name):
                names.append(name)
    return tuple(names)
