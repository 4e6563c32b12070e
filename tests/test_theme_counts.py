"""Training counts each point's n-grams once (`CountedTerms`) and must still make, for any part
of the points, what scikit-learn's vectorisers make of it: the same vocabulary and IDF, and
the same matrices entry for entry and in the same order within a row (the order the TF-IDF
norm is summed in), so that a model fitted on them is the same to the bit."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ilacs.extract.theme_counts import CountedTerms
from ilacs.extract.theme_model import ModelSettings, char_vectoriser, word_vectoriser

# Written for this test: a term repeated, a word shorter than an n-gram, case, apostrophes,
# runs of spaces, terms met first in a later text, nothing at all.
AWKWARD = ["Plans plans PLANS, and plans again", "", "a", "the child's   social worker",
           "zzqx plans qxzz", "social worker visits", "İstanbul placements", "plans"]


def _record_texts(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [text for (text,) in conn.execute(
            "SELECT text FROM points ORDER BY document_sha256, position")]


def _assert_bitwise(expected: Any, found: Any) -> None:
    assert found.shape == expected.shape
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(found, part), getattr(expected, part)), part


@pytest.mark.parametrize("make", [word_vectoriser, char_vectoriser], ids=["word", "char"])
def test_a_part_is_vectorised_as_scikit_learn_fits_and_transforms_it(
        make: Any, corpus_db: Path) -> None:
    texts = AWKWARD + _record_texts(corpus_db)
    settings = ModelSettings(char_max_features=5000)  # a cut that ties must break
    counted = CountedTerms(make(settings), texts)
    everything = np.arange(len(texts))
    shuffled = np.random.default_rng(7).permutation(len(texts))
    for rows in (everything, np.sort(shuffled[:len(texts) * 3 // 4]), shuffled[:500]):
        others = np.setdiff1d(everything, rows)
        scikit_learn = make(settings)
        expected = scikit_learn.fit_transform([texts[i] for i in rows])
        fitted = counted.fit(rows)
        assert fitted.vectoriser.vocabulary_ == scikit_learn.vocabulary_
        assert np.array_equal(fitted.vectoriser.idf_, scikit_learn.idf_)
        _assert_bitwise(expected, fitted.matrix)
        if len(others):
            _assert_bitwise(scikit_learn.transform([texts[i] for i in others]),
                            counted.transform(fitted, others))
