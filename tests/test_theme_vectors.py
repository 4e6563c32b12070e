"""The shipped theme model reads its features without scikit-learn (`FittedTfidf`), and its
rules search lowercased text: both must give exactly what scikit-learn and `re.IGNORECASE`
give, on every improvement point and strength of the record and on awkward text."""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import yaml

from ilacs.extract.theme_model import (
    ModelSettings,
    _packaged_json,
    char_vectoriser,
    packaged_model,
    word_vectoriser,
)
from ilacs.extract.theme_vectors import FittedTfidf
from ilacs.extract.themes import _normalise, rule_evidence, taxonomy

# Written for this test: repeated terms, a word shorter than an n-gram, case, hyphens and
# apostrophes, tabs and runs of spaces, a letter whose lowercase is longer, nothing at all.
AWKWARD = [
    "",
    "   ",
    "a",
    "Plans plans PLANS, and plans again",
    "the child's   social\tworker's visits\n\nare  timely",
    "16- and 17-year-olds' pathway plans",
    "zzqx qxzz",
    "İstanbul placements for children in care",
]


def _record_texts(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [text for (text,) in conn.execute(
            "SELECT text FROM points UNION ALL SELECT text FROM strengths")]


def _scikit_learn(name: str) -> object:
    data = _packaged_json()
    settings = ModelSettings(**data["settings"])
    vectoriser = word_vectoriser(settings) if name == "word" else char_vectoriser(settings)
    vectoriser.vocabulary_ = {term: n for n, term in enumerate(data[name]["vocabulary"])}
    vectoriser.idf_ = np.asarray(data[name]["idf"], dtype=np.float64)
    return vectoriser


def _assert_same_matrix(expected: object, found: object) -> None:
    expected = expected.tocsr()  # type: ignore[attr-defined]
    expected.sort_indices()
    assert found.shape == expected.shape  # type: ignore[attr-defined]
    assert np.array_equal(found.indptr, expected.indptr)  # type: ignore[attr-defined]
    assert np.array_equal(found.indices, expected.indices)  # type: ignore[attr-defined]
    assert np.allclose(found.data, expected.data, rtol=0, atol=1e-12)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["word", "char"])
def test_features_are_scikit_learn_s_on_awkward_text(name: str) -> None:
    ours = getattr(packaged_model(), name)
    assert isinstance(ours, FittedTfidf)
    _assert_same_matrix(_scikit_learn(name).transform(AWKWARD),  # type: ignore[attr-defined]
                        ours.transform(AWKWARD))
    # a word seen before is read from the process's cache: the same row again
    _assert_same_matrix(_scikit_learn(name).transform(AWKWARD[::-1]),  # type: ignore[attr-defined]
                        ours.transform(AWKWARD[::-1]))


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["word", "char"])
def test_features_are_scikit_learn_s_on_every_point_of_the_record(corpus_db: Path,
                                                                  name: str) -> None:
    texts = _record_texts(corpus_db)
    assert len(texts) > 5000
    _assert_same_matrix(_scikit_learn(name).transform(texts),  # type: ignore[attr-defined]
                        getattr(packaged_model(), name).transform(texts))


def test_a_word_vectoriser_needs_its_token_pattern() -> None:
    with pytest.raises(ValueError, match="token pattern"):
        FittedTfidf("word", (1, 2), ["plans"], np.ones(1))


@cache
def _ignorecase_rules() -> list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]]:
    """themes.yaml's patterns as `re.IGNORECASE` reads them, each list one alternation."""
    entries = yaml.safe_load(
        resources.files("ilacs.extract").joinpath("themes.yaml").read_text("utf-8"))

    def alternation(patterns: list[str] | None) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) \
            if patterns else None

    return [(entry["key"], alternation(entry.get("patterns")), alternation(entry.get("context")))
            for entry in entries]


def _ignorecase_evidence(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    cleaned = _normalise(text)
    found: tuple[list[tuple[str, str]], list[tuple[str, str]]] = ([], [])
    for key, *alternations in _ignorecase_rules():
        for part, alternation in zip(found, alternations, strict=True):
            match = alternation.search(cleaned) if alternation else None
            if match:
                part.append((key, match.group(0)))
    return found


def _evidence(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    strong, context = rule_evidence(text)
    return ([(m.theme, m.evidence) for m in strong], [(m.theme, m.evidence) for m in context])


def test_rules_find_what_ignorecase_finds_on_awkward_text() -> None:
    texts = [*AWKWARD, "Care Plans are not SMART", "CONTINGENCY planning for Care Leavers"]
    for text in texts:
        assert _evidence(text) == _ignorecase_evidence(text), text
    assert ("plans", "Care Plans") in _evidence(texts[-2])[0]  # evidence printed as written
    assert len(taxonomy()) == len(_ignorecase_rules())


@pytest.mark.corpus
def test_rules_find_what_ignorecase_finds_on_every_point_of_the_record(corpus_db: Path) -> None:
    texts = _record_texts(corpus_db)
    differing = [text[:80] for text in texts if _evidence(text) != _ignorecase_evidence(text)]
    assert not differing
