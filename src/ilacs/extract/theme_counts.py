"""The labelled points' n-grams counted once, for the many fits of training and
cross-validation.

A fit of the theme model on some of the points (`ilacs.extract.theme_training`: four inner
folds, then all of them; five outer folds of that to measure) fits scikit-learn's
`TfidfVectorizer`s on those points, and reading every character n-gram of every text again
was a third of the time of each fit. `CountedTerms` reads each text once, with the analyser of
the vectoriser itself, and then makes what `TfidfVectorizer(...).fit_transform` and
`.transform` make for any part of the points: the same vocabulary (the same document
frequencies, the same `min_df` and `max_features` cut, ties broken by the same sort) and the
same matrices, entry for entry and in the same order within each row, so that the floats and
the model fitted on them are the same to the bit (`tests/test_theme_model.py` retrains the
shipped model through it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from ilacs.extract.theme_vectors import Analyser, FittedTfidf

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer


@dataclass(frozen=True)
class FittedPart:
    """A vectoriser as fitted on some of the points, and their TF-IDF rows."""

    vectoriser: FittedTfidf
    matrix: sparse.csr_matrix
    kept: np.ndarray  # the counted terms' ids that the vocabulary keeps, in column order
    transformer: TfidfTransformer


class CountedTerms:
    """Every text's terms (n-grams) as `vectoriser` analyses them, counted once: a row per
    text, its terms in the order they first appear in it, term ids in alphabetical order."""

    def __init__(self, vectoriser: TfidfVectorizer, texts: Sequence[str]) -> None:
        self.vectoriser = vectoriser
        analyse = vectoriser.build_analyzer()
        ids: dict[str, int] = {}
        columns: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for text in texts:
            found: dict[int, int] = {}  # in order of first appearance, as CountVectorizer
            for term in analyse(text):
                column = ids.setdefault(term, len(ids))
                found[column] = found.get(column, 0) + 1
            columns.extend(found)
            counts.extend(found.values())
            indptr.append(len(columns))
        self.terms = sorted(ids)
        alphabetical = np.empty(len(ids), dtype=np.int64)
        for rank, term in enumerate(self.terms):
            alphabetical[ids[term]] = rank
        self.counts = sparse.csr_matrix(
            (np.asarray(counts, dtype=np.float64),
             alphabetical[np.asarray(columns, dtype=np.int64)],
             np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(ids)))

    def fit(self, rows: np.ndarray) -> FittedPart:
        """What `vectoriser.fit_transform` makes of the texts of `rows` (in that order)."""
        part = self.counts[rows]
        entry_rows = np.repeat(np.arange(len(rows)), np.diff(part.indptr))
        # CountVectorizer numbers terms as it first meets them in the part, and a row's terms
        # are kept in that order through the cut: the order the TF-IDF norm is summed in
        present, first_seen = np.unique(part.indices, return_index=True)
        meeting = np.empty(len(self.terms), dtype=np.int64)
        meeting[present] = np.argsort(np.argsort(first_seen))
        order = np.lexsort((meeting[part.indices], entry_rows))
        kept = self._vocabulary(part, present)
        column_of = np.full(len(self.terms), -1, dtype=np.int64)
        column_of[kept] = np.arange(len(kept))
        columns = column_of[part.indices[order]]
        keep = columns >= 0
        counts = sparse.csr_matrix(
            (part.data[order][keep], columns[keep],
             np.concatenate([[0], np.cumsum(np.bincount(entry_rows[order][keep],
                                                        minlength=len(rows)))])),
            shape=(len(rows), len(kept)))
        transformer = self._transformer().fit(counts)
        analyser = self._analyser()
        vectoriser = FittedTfidf(
            analyser, self.vectoriser.ngram_range, [self.terms[i] for i in kept],
            transformer.idf_, self.vectoriser.token_pattern if analyser == "word" else None)
        return FittedPart(vectoriser, transformer.transform(counts, copy=False), kept,
                          transformer)

    def transform(self, fitted: FittedPart, rows: np.ndarray) -> sparse.csr_matrix:
        """What the vectoriser fitted as `fitted` makes of the texts of `rows`."""
        part = self.counts[rows][:, fitted.kept]
        part.sort_indices()
        transformed: sparse.csr_matrix = fitted.transformer.transform(part, copy=False)
        return transformed

    def _vocabulary(self, part: sparse.csr_matrix, present: np.ndarray) -> np.ndarray:
        """The ids of the terms the vocabulary keeps: CountVectorizer's `_limit_features` on
        the part's terms in alphabetical order."""
        frequencies = np.bincount(part.indices, minlength=len(self.terms))[present]
        mask = (frequencies >= _documents(self.vectoriser.min_df, part.shape[0])) & (
            frequencies <= _documents(self.vectoriser.max_df, part.shape[0]))
        limit = self.vectoriser.max_features
        if limit is not None and mask.sum() > limit:
            totals = np.asarray(part.sum(axis=0)).ravel()[present]
            chosen = (-totals[mask]).argsort()[:limit]
            limited = np.zeros(len(present), dtype=bool)
            limited[np.where(mask)[0][chosen]] = True
            mask = limited
        kept: np.ndarray = present[mask]
        return kept

    def _transformer(self) -> TfidfTransformer:
        v = self.vectoriser
        return TfidfTransformer(norm=v.norm, use_idf=v.use_idf, smooth_idf=v.smooth_idf,
                                sublinear_tf=v.sublinear_tf)

    def _analyser(self) -> Analyser:
        analyser: Analyser = "word" if self.vectoriser.analyzer == "word" else "char_wb"
        return analyser


def _documents(share: float, documents: int) -> float:
    """A vectoriser's `min_df` or `max_df` as a number of documents (a float is a share)."""
    return share if isinstance(share, Integral) else share * documents
