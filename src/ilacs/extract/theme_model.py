"""The learned theme classifier: TF-IDF of words and character n-grams, one logistic
regression per theme with its own threshold, and the keyword rules' verdicts as features.

`scripts/train_themes.py` fits it on the hand-labelled points (`ilacs.extract.theme_labels`)
with `ilacs.extract.theme_training`, and writes the artefact this module loads: plain JSON
(xz-compressed) holding the vocabularies, IDF weights, coefficients and thresholds, with the
classifier's version, so it never unpickles code and reads the same with any scikit-learn
that has the vectorisers.
"""

from __future__ import annotations

import base64
import json
import lzma
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ilacs.errors import IlacsError
from ilacs.extract.theme_vectors import FittedTfidf, TermWeights
from ilacs.extract.themes import ThemeMatch, rule_evidence, taxonomy

# scikit-learn and SciPy are imported only to fit a model (training, cross-validation): the
# shipped one is read by `FittedTfidf` and classifies with numpy alone, so neither an ingest
# worker nor a process that only reads stored themes (the dashboard) holds them.
if TYPE_CHECKING:
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

ARTEFACT = "theme_model.json.xz"
# The model's probability for a theme it assigns; below this the point's themes are
# reported as uncertain.
CONFIDENT = 0.5


class ThemeModelError(IlacsError):
    """The packaged theme model is missing or malformed."""


@dataclass(frozen=True)
class ModelSettings:
    """What a fit depends on besides the labels (the artefact records them)."""

    seed: int = 2412
    c: float = 8.0  # inverse regularisation of each theme's logistic regression
    # Scale of the keyword rules' features beside the TF-IDF ones: the rules still count, but
    # do not outweigh the words around them (chosen by grouped CV: docs/analysis.md).
    rule_weight: float = 0.25
    use_rules: bool = True
    word_min_df: int = 2
    char_min_df: int = 2
    char_max_features: int = 40000
    # When no theme clears its threshold, the best one is still given if its probability
    # is at least this share of its threshold.
    fallback: float = 0.5

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


WORD_NGRAMS = (1, 2)
WORD_TOKENS = r"(?u)\b[a-z][a-z0-9'-]+\b"
CHAR_NGRAMS = (3, 5)


def word_vectoriser(settings: ModelSettings) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, sublinear_tf=True,
                           min_df=settings.word_min_df, lowercase=True,
                           token_pattern=WORD_TOKENS)


def char_vectoriser(settings: ModelSettings) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                           min_df=settings.char_min_df, max_features=settings.char_max_features,
                           lowercase=True)


def rule_features(texts: Sequence[str], keys: Sequence[str], weight: float) -> sparse.csr_matrix:
    """Two columns per theme: the rules found it through a strong pattern, or through a
    context pattern only."""
    from scipy import sparse

    rows, columns = rule_columns(texts, keys)
    data = np.full(len(rows), weight, dtype=np.float64)
    return sparse.csr_matrix((data, (rows, columns)), shape=(len(texts), 2 * len(keys)))


def rule_columns(texts: Sequence[str], keys: Sequence[str]) -> tuple[list[int], list[int]]:
    """The rows and columns of `rule_features`' entries, by row."""
    index = {key: n for n, key in enumerate(keys)}
    rows, columns = [], []
    for row, text in enumerate(texts):
        strong, context = rule_evidence(text)
        strong_keys = {m.theme for m in strong}
        for match in strong:
            rows.append(row)
            columns.append(2 * index[match.theme])
        for match in context:
            if match.theme not in strong_keys:
                rows.append(row)
                columns.append(2 * index[match.theme] + 1)
    return rows, columns


@dataclass
class ThemeModel:
    """A fitted classifier: each text's `margins` per theme, `decide` its themes."""

    version: str
    keys: tuple[str, ...]
    settings: ModelSettings
    word: FittedTfidf
    char: FittedTfidf
    coef: np.ndarray  # themes × features
    intercept: np.ndarray  # themes
    thresholds: np.ndarray  # themes

    def features(self, texts: Sequence[str], words: sparse.csr_matrix,
                 chars: sparse.csr_matrix) -> sparse.csr_matrix:
        """The design matrix fitting uses: `texts`' TF-IDF `words` and `chars` (made by
        training's vectorisers), then the rules' columns."""
        from scipy import sparse

        blocks = [words, chars]
        if self.settings.use_rules:
            blocks.append(rule_features(texts, self.keys, self.settings.rule_weight))
        return sparse.hstack(blocks, format="csr")

    @cached_property
    def coef_by_feature(self) -> np.ndarray:
        """`coef.T` laid out by rows: a sparse product with the view copies it every time."""
        return np.ascontiguousarray(self.coef.T)

    @cached_property
    def word_terms(self) -> list[str]:
        """The word vectoriser's terms in column order (fixed once the model is fitted)."""
        return _vocabulary(self.word)

    def probabilities_of(self, features: sparse.csr_matrix) -> np.ndarray:
        """Each row's probability per theme from its `features` (training's out-of-fold
        probabilities, which tune the thresholds: SciPy's product, as they were tuned on)."""
        return _sigmoid(np.asarray(features @ self.coef_by_feature) + self.intercept)

    def margins(self, texts: Sequence[str], words: TermWeights | None = None) -> np.ndarray:
        """`features(texts) @ coef.T + intercept` (up to the order of the sums) from the
        features' entries, with numpy alone: building SciPy matrices for a document's dozen
        points cost more than the product. `words`: `word.weights(texts)` made already."""
        words = self.word.weights(texts) if words is None else words
        chars = self.char.weights(texts)
        char_start = len(self.word.vocabulary_)
        margin = self._summed(len(texts), words.rows, words.columns, words.values)
        margin += self._summed(len(texts), chars.rows, chars.columns + char_start, chars.values)
        if self.settings.use_rules:
            rows, columns = rule_columns(texts, self.keys)
            margin += self._summed(
                len(texts), np.asarray(rows, dtype=np.int64),
                np.asarray(columns, dtype=np.int64) + char_start + len(self.char.vocabulary_),
                np.full(len(rows), self.settings.rule_weight))
        margin += self.intercept
        return margin

    def _summed(self, texts: int, rows: np.ndarray, columns: np.ndarray,
                values: np.ndarray) -> np.ndarray:
        """Per row (`rows` ascending) and theme, the sum of each entry's value times the
        coefficient of its column."""
        summed = np.zeros((texts, len(self.keys)))
        if len(rows):
            starts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))
            summed[rows[starts]] = np.add.reduceat(
                self.coef_by_feature[columns] * values[:, None], starts, axis=0)
        return summed

    def decide(self, probabilities: np.ndarray) -> list[tuple[tuple[str, ...], bool]]:
        """Each point's themes (taxonomy order) and whether the model is confident of them."""
        decided = []
        for row in probabilities:
            chosen = np.flatnonzero(row >= self.thresholds)
            if not len(chosen):
                ratio = row / self.thresholds
                best = int(np.argmax(ratio))
                chosen = np.array([best]) if ratio[best] >= self.settings.fallback else chosen
            confident = bool(len(chosen)) and bool(np.all(row[chosen] >= CONFIDENT))
            decided.append((tuple(self.keys[n] for n in sorted(chosen)), confident))
        return decided

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version, "keys": list(self.keys),
            "settings": self.settings.to_json(),
            "word": {"vocabulary": _vocabulary(self.word), "idf": _rounded(self.word.idf_)},
            "char": {"vocabulary": _vocabulary(self.char), "idf": _rounded(self.char.idf_)},
            "coef": _encoded_coefficients(self.coef),
            "intercept": _rounded(self.intercept), "thresholds": _rounded(self.thresholds),
        }


def _vocabulary(vectoriser: FittedTfidf) -> list[str]:
    """Terms in column order (the column is the position)."""
    terms = [""] * len(vectoriser.vocabulary_)
    for term, column in vectoriser.vocabulary_.items():
        terms[column] = term
    return terms


def _sigmoid(margin: np.ndarray) -> np.ndarray:
    probabilities: np.ndarray = 1.0 / (1.0 + np.exp(-margin))
    return probabilities


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 5) for v in values]


# Coefficients are kept to COEF_SCALE's decimals, under COEF_FLOOR as none, and written as
# whole numbers of 1 / COEF_SCALE in little-endian int32, base64 in the JSON: parsing a
# million JSON numbers was most of what each process that classifies spent loading the model
# (docs/analysis.md), and dividing a whole number by COEF_SCALE gives the very double that
# parsing its decimal does (both are the nearest to the same fraction).
COEF_SCALE = 100_000
COEF_FLOOR = 1e-4


def _encoded_coefficients(coef: np.ndarray) -> dict[str, Any]:
    kept = np.where(np.abs(coef) >= COEF_FLOOR, coef, 0.0)
    decimals = np.array(_rounded(kept.ravel())).reshape(coef.shape)
    whole = np.rint(decimals * COEF_SCALE).astype("<i4")
    return {"shape": list(coef.shape), "scale": COEF_SCALE,
            "int32le": base64.b64encode(whole.tobytes()).decode("ascii")}


def _decoded_coefficients(encoded: dict[str, Any]) -> np.ndarray:
    rows, columns = (int(n) for n in encoded["shape"])
    whole = np.frombuffer(base64.b64decode(encoded["int32le"], validate=True), dtype="<i4")
    coef: np.ndarray = whole.reshape(rows, columns) / float(encoded["scale"])
    return coef


def model_from_json(data: dict[str, Any]) -> ThemeModel:
    try:
        settings = ModelSettings(**data["settings"])
        word = FittedTfidf("word", WORD_NGRAMS, data["word"]["vocabulary"],
                           np.asarray(data["word"]["idf"], dtype=np.float64), WORD_TOKENS)
        char = FittedTfidf("char_wb", CHAR_NGRAMS, data["char"]["vocabulary"],
                           np.asarray(data["char"]["idf"], dtype=np.float64))
        keys = tuple(data["keys"])
        width = len(data["word"]["vocabulary"]) + len(data["char"]["vocabulary"]) + (
            2 * len(keys) if settings.use_rules else 0)
        coef = _decoded_coefficients(data["coef"])
        if coef.shape != (len(keys), width):
            raise ValueError(f"coefficients of shape {coef.shape}, expected "
                             f"{(len(keys), width)}")
        return ThemeModel(version=str(data["version"]), keys=keys, settings=settings, word=word,
                          char=char, coef=coef, intercept=np.asarray(data["intercept"]),
                          thresholds=np.asarray(data["thresholds"]))
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise ThemeModelError(f"{ARTEFACT}: malformed theme model ({error!r})") from error


def write_model(model: ThemeModel, path: Path) -> None:
    text = json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":"))
    path.write_bytes(lzma.compress(text.encode("utf-8"), preset=9))


def _packaged_json() -> dict[str, Any]:
    try:
        raw = resources.files("ilacs.extract").joinpath(ARTEFACT).read_bytes()
        data: dict[str, Any] = json.loads(lzma.decompress(raw))
    except (OSError, lzma.LZMAError, json.JSONDecodeError) as error:
        raise ThemeModelError(f"{ARTEFACT}: cannot read the packaged theme model: {error}") \
            from error
    return data


@lru_cache(maxsize=1)
def packaged_version() -> str:
    """The shipped model's version, without building the model: a reader of stored themes
    needs only this, to tell which points an older model classified."""
    try:
        return str(_packaged_json()["version"])
    except KeyError as error:
        raise ThemeModelError(f"{ARTEFACT}: malformed theme model (no version)") from error


@lru_cache(maxsize=1)
def packaged_model() -> ThemeModel:
    """The shipped model (package data), checked against the taxonomy it was trained on."""
    model = model_from_json(_packaged_json())
    if set(model.keys) != {theme.key for theme in taxonomy()}:
        raise ThemeModelError(f"{ARTEFACT} was trained on other themes than themes.yaml's: "
                              "retrain with scripts/train_themes.py")
    return model


@dataclass(frozen=True)
class PointThemes:
    """What the shipped classifier says of one improvement point."""

    matches: tuple[ThemeMatch, ...]  # taxonomy order; empty: no theme fits ("other")
    confident: bool  # every theme given with probability ≥ CONFIDENT
    model: str  # the classifier's version


def themes_of(texts: Sequence[str]) -> list[PointThemes]:
    """The themes of each point (one batch: the vectorisers run once), with the reasons."""
    if not texts:
        return []
    model = packaged_model()
    # the batch's words once: a transform per point explained cost more than classifying
    words = model.word.weights(texts)
    verdicts = model.decide(_sigmoid(model.margins(texts, words)))
    themed = []
    for n, (text, (keys, confident)) in enumerate(zip(texts, verdicts, strict=True)):
        row = words.row(n)
        columns, weights = words.columns[row], words.values[row]
        themed.append(PointThemes(
            tuple(explain(model, text, key, columns, weights) for key in keys), confident,
            model.version))
    return themed


def explain(model: ThemeModel, text: str, theme: str, word_columns: np.ndarray,
            word_weights: np.ndarray) -> ThemeMatch:
    """Why the model gave `theme`: the rules' words if they found it, else the word feature
    present in the text that weighs most for it (`word_columns` and `word_weights`: the
    text's row of the word vectoriser)."""
    strong, context = rule_evidence(text)
    for match in (*strong, *context):
        if match.theme == theme:
            return match
    if not len(word_columns):
        return ThemeMatch(theme, "")
    weights = model.coef[model.keys.index(theme), word_columns] * word_weights
    return ThemeMatch(theme, model.word_terms[int(word_columns[int(np.argmax(weights))])])
