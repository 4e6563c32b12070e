"""The theme model's TF-IDF features, read from its fitted vocabulary without scikit-learn.

Training fits scikit-learn's `TfidfVectorizer`s (`ilacs.extract.theme_model`); classifying a
point only needs what they learned: each term's column and IDF weight. Importing
scikit-learn costs each ingest worker about 2 s and 130 MB before its first point, and its
`transform` looks up every character n-gram of every word of every point. `FittedTfidf`
makes the same matrix (`tests/test_theme_vectors.py` compares them on every improvement point
and strength of the record) with the n-grams of a word looked up once per process: a
report's points share most words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

Analyser = Literal["word", "char_wb"]

# Words seen by one process; each holds a few dozen columns. Past this many the cache starts
# again rather than grow with an unusual corpus.
WORD_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class TermWeights:
    """A sparse matrix as its entries, by row and then column."""

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray

    def row(self, n: int) -> slice:
        """Where the entries of row `n` are."""
        return slice(*np.searchsorted(self.rows, [n, n + 1]))


class FittedTfidf:
    """scikit-learn's TfidfVectorizer(analyzer=`analyser`, sublinear_tf=True, norm="l2",
    lowercase=True) after fitting, for `transform` only."""

    def __init__(self, analyser: Analyser, ngram_range: tuple[int, int], vocabulary: list[str],
                 idf: np.ndarray, token_pattern: str | None = None) -> None:
        if analyser == "word" and token_pattern is None:
            raise ValueError("a word vectoriser needs its token pattern")
        self.analyser = analyser
        self.ngram_range = ngram_range
        self.vocabulary_ = {term: column for column, term in enumerate(vocabulary)}
        self.idf_ = idf
        self._tokens = re.compile(token_pattern or "") if analyser == "word" else None
        self._word_columns: dict[str, list[int]] = {}

    def weights(self, texts: Sequence[str]) -> TermWeights:
        """The TF-IDF weight of each term of each text: the entries of `transform`'s matrix,
        made with numpy alone (a classifying process never needs SciPy)."""
        lengths = np.zeros(len(texts), dtype=np.int64)
        columns: list[int] = []
        for row, text in enumerate(texts):
            found = self._columns(text.lower())
            lengths[row] = len(found)
            columns.extend(found)
        width = len(self.vocabulary_)
        # a term found twice in a text is one entry, its count (as CountVectorizer)
        keys, counts = np.unique(
            np.repeat(np.arange(len(texts), dtype=np.int64), lengths) * width
            + np.asarray(columns, dtype=np.int64), return_counts=True)
        rows, terms = np.divmod(keys, width)
        values = (np.log(counts) + 1.0) * self.idf_[terms]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))
        norms[norms == 0] = 1.0
        return TermWeights(rows, terms, values / norms[rows])

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        from scipy import sparse

        found = self.weights(texts)
        return sparse.csr_matrix((found.values, (found.rows, found.columns)),
                                 shape=(len(texts), len(self.vocabulary_)))

    def _columns(self, text: str) -> list[int]:
        """The vocabulary's columns of the text's terms, once per occurrence."""
        if self._tokens is not None:
            return self._word_ngram_columns(self._tokens.findall(text))
        columns: list[int] = []
        cache = self._word_columns
        if len(cache) > WORD_CACHE_LIMIT:
            cache.clear()
        for word in text.split():
            known = cache.get(word)
            if known is None:
                known = cache[word] = self._char_columns(word)
            columns.extend(known)
        return columns

    def _word_ngram_columns(self, tokens: list[str]) -> list[int]:
        vocabulary = self.vocabulary_
        low, high = self.ngram_range
        columns = []
        for n in range(low, high + 1):
            for start in range(len(tokens) - n + 1):
                column = vocabulary.get(" ".join(tokens[start:start + n]))
                if column is not None:
                    columns.append(column)
        return columns

    def _char_columns(self, word: str) -> list[int]:
        """The columns of one word's n-grams, the word padded with a space each side (as
        scikit-learn's `char_wb`: a word shorter than an n-gram counts once, whole)."""
        vocabulary = self.vocabulary_
        padded = f" {word} "
        low, high = self.ngram_range
        columns: list[int] = []
        for n in range(low, high + 1):
            grams = [padded[start:start + n] for start in range(max(len(padded) - n + 1, 1))]
            columns.extend(column for gram in grams if (column := vocabulary.get(gram)) is not None)
            if len(padded) <= n:
                break
        return columns
