"""How local authorities are named, reduced to keys that can be looked up.

Ofsted, the DfE, councils and the press write the same authority many ways: "Isle of Wight
Council", "the Isle of Wight local authority", "Bristol, City of", "Bristol City Council",
"Dudley MBC", "Sandwell Children's Trust", "Royal Borough of Kingston-upon-Thames". Two
functions turn a name into keys:

- `normalise` gives the *plain form*: words only, case-folded, "&" read as "and", apostrophes
  and possessive "'s" dropped ("Children's" -> "children"), "St." and "Saint" -> "st",
  hyphens and other punctuation -> spaces, a leading "the" dropped.
- `reductions` gives the plain form and then each form left after taking off one council
  word at a time: a prefix ("london borough of", "royal borough of", "metropolitan borough
  of", "borough of", "city of", "county of", "council of", "the") or a suffix ("council",
  "city", "county", "borough", "metropolitan", "district", "mbc", "corporation",
  "unitary authority", "local authority", "children's services", "children's trust",
  "children first", "children and families trust", "safeguarding children board/partnership",
  "city of", "county of"). The last form is the *key* (`name_key`).

A reduction that would leave nothing, or leave a word too generic to name one authority
("london": "City of London" must not become "London"), is not made.

`PhraseFinder` finds names inside running text, word by word, longest name first, so that
"Derby" is never found inside "Derbyshire" and "North Northamptonshire" is not read as
"Northamptonshire".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

__all__ = [
    "PhraseFinder",
    "name_key",
    "normalise",
    "reductions",
    "slugify",
    "tokens",
]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_FOLD = {"saint": "st"}


def _raw_tokens(text: str) -> list[str]:
    """The words of `text` as printed (case kept), with "&" as a word "and"."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = _POSSESSIVE.sub("", text)
    text = text.replace("'", "").replace("&", " and ")
    return _WORD.findall(text)


def _fold(word: str) -> str:
    folded = word.casefold()
    return _FOLD.get(folded, folded)


def word_position(text: str, offset: int) -> int:
    """How many words of `text` come before character `offset`."""
    return len(_raw_tokens(text[:offset]))


def tokens(text: str) -> list[str]:
    """The case-folded words of `text`: `tokens("St. Helens")` -> `["st", "helens"]`."""
    return [_fold(word) for word in _raw_tokens(text)]


def normalise(name: str) -> str:
    """The plain form of a name: `normalise("The Royal Borough of Windsor & Maidenhead")`
    -> `"royal borough of windsor and maidenhead"`."""
    words = tokens(name)
    while words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


_PREFIXES = (
    "the",
    "london borough of",
    "royal borough of",
    "metropolitan borough of",
    "borough of",
    "city and county of",
    "city of",
    "county of",
    "council of",
)
_SUFFIXES = (
    "council",
    "city",
    "county",
    "borough",
    "metropolitan",
    "district",
    "mbc",
    "corporation",
    "city of",
    "county of",
    "unitary authority",
    "local authority",
    "local authority area",
    "children's services",
    "children's social care",
    "children's social care services",
    "children's trust",
    "children first",
    "children and families trust",
    "safeguarding children board",
    "local safeguarding children board",
    "safeguarding children partnership",
    "safeguarding partnership",
)
# Forms a reduction must never produce: too generic to name one authority.
_TOO_GENERIC = frozenset({"london"})


def _affix_words(affixes: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    # Normalised with the same tokeniser as names, longest first.
    return tuple(sorted({tuple(tokens(a)) for a in affixes}, key=lambda w: (-len(w), w)))


_PREFIX_WORDS = _affix_words(_PREFIXES)
_SUFFIX_WORDS = _affix_words(_SUFFIXES)


def _reduce_once(words: tuple[str, ...]) -> tuple[str, ...] | None:
    for suffix in _SUFFIX_WORDS:
        n = len(suffix)
        if len(words) > n and words[-n:] == suffix:
            rest = words[:-n]
            if " ".join(rest) not in _TOO_GENERIC:
                return rest
    for prefix in _PREFIX_WORDS:
        n = len(prefix)
        if len(words) > n and words[:n] == prefix:
            rest = words[n:]
            if " ".join(rest) not in _TOO_GENERIC:
                return rest
    return None


def reductions(name: str) -> tuple[str, ...]:
    """The plain form of `name`, then each form left by taking off one council word.

    `reductions("Metropolitan Borough of Barnsley Council")` ->
    `("metropolitan borough of barnsley council", "metropolitan borough of barnsley",
    "barnsley")`. Empty for a name with no words.
    """
    plain = normalise(name)
    if not plain:
        return ()
    forms = [plain]
    words: tuple[str, ...] | None = tuple(plain.split(" "))
    while words is not None:
        words = _reduce_once(words)
        if words is not None:
            forms.append(" ".join(words))
    return tuple(forms)


def name_key(name: str) -> str:
    """The fully reduced key of a name: `name_key("Hull City Council")` -> `"hull"`."""
    forms = reductions(name)
    return forms[-1] if forms else ""


def slugify(name: str) -> str:
    """A URL-safe slug: `slugify("Bournemouth, Christchurch & Poole")` ->
    `"bournemouth-christchurch-and-poole"`."""
    return "-".join(tokens(name))


T = TypeVar("T")

# Words in a name that are printed in lower case; every other word of a name must be
# capitalised in running text to count ("reading" and "bury" are words, not places).
_CONNECTORS = frozenset({"and", "of", "upon", "on", "the", "with", "under", "in", "le", "by"})


class PhraseFinder(Generic[T]):
    """Finds phrases (names) in running text: word boundaries, longest phrase first.

    Each phrase maps to a value; a phrase mapped to `None` blocks the words it covers
    (e.g. "New York" stops "York" being found). Outside the connecting words ("and", "of",
    "upon", ...) a phrase only matches words printed with a capital letter.
    """

    def __init__(self, phrases: Mapping[str, T | None]) -> None:
        self._phrases: dict[tuple[str, ...], T | None] = {}
        for phrase, value in phrases.items():
            words = tuple(tokens(phrase))
            if words:
                self._phrases[words] = value
        self._longest = max((len(w) for w in self._phrases), default=0)

    def find(self, text: str) -> list[T]:
        """Every value whose phrase occurs in `text`, in order of first occurrence, once each."""
        found: list[T] = []
        for _position, value in self.occurrences(text):
            if value not in found:
                found.append(value)
        return found

    def occurrences(self, text: str) -> list[tuple[int, T]]:
        """Every occurrence of a phrase in `text` as (word position, value); a word position
        is what `word_position` gives for a character offset in the same text."""
        raw = _raw_tokens(text)
        folded = [_fold(word) for word in raw]
        found: list[tuple[int, T]] = []
        i = 0
        while i < len(folded):
            matched = self._match_at(raw, folded, i)
            if matched is None:
                i += 1
                continue
            length, value = matched
            if value is not None:
                found.append((i, value))
            i += length
        return found

    def _match_at(
        self, raw: Sequence[str], folded: Sequence[str], i: int
    ) -> tuple[int, T | None] | None:
        for length in range(min(self._longest, len(folded) - i), 0, -1):
            words = tuple(folded[i : i + length])
            if words not in self._phrases:
                continue
            if all(
                word in _CONNECTORS or not printed[:1].islower()
                for word, printed in zip(words, raw[i : i + length], strict=True)
            ):
                return length, self._phrases[words]
        return None
