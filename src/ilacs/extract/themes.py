"""Which practice themes an improvement point is about, and the words that say so.

The taxonomy and its rules live in `themes.yaml` (documented there): each theme has
patterns, and any match files the point under the theme with the matched words as its
reason. Rules are explainable by construction; `tests/test_themes.py` measures them against
hand-labelled points from reports and letters of every era.

Some words name the context of a point more often than its subject ("planning",
"assessment", "multi-agency", "care leavers" as a cohort): those are a theme's `context`
patterns, and they assign it only when the point names no theme through a strong pattern.
So "the quality of pathway plans for care leavers" is about pathway plans, while "support
for care leavers" is about care leavers' support.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ilacs.errors import IlacsError
from ilacs.extract.regex_literals import required_strings


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    about: str
    outcomes: tuple[int, ...]
    enabler: str | None
    patterns: tuple[Rule, ...]  # strong evidence: always assigns the theme
    context: tuple[Rule, ...]  # weak: assigns it only if no theme has strong evidence


@dataclass(frozen=True)
class Rule:
    """A list of a theme's patterns as one alternation, lowercased, with the strings every
    match contains (`ilacs.extract.regex_literals`): a text holding none of them is not
    searched, since the search would find nothing."""

    pattern: re.Pattern[str]
    needs: frozenset[str] | None  # None: search every text

    def search(self, lowered: str, present: frozenset[str]) -> re.Match[str] | None:
        """The first match in `lowered`, whose `present` are the taxonomy's needed strings
        it holds (`needed_strings`)."""
        if self.needs is not None and present.isdisjoint(self.needs):
            return None
        return self.pattern.search(lowered)


@dataclass(frozen=True)
class ThemeMatch:
    theme: str
    evidence: str  # the words that matched, as printed


class TaxonomyError(IlacsError):
    """The packaged theme taxonomy is malformed."""


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Theme, ...]:
    """The themes in their documented order."""
    text = resources.files("ilacs.extract").joinpath("themes.yaml").read_text("utf-8")
    return tuple(_theme(entry) for entry in yaml.safe_load(text))


def theme_names() -> Mapping[str, str]:
    return {theme.key: theme.name for theme in taxonomy()}


@lru_cache(maxsize=65536)
def classify(text: str) -> tuple[ThemeMatch, ...]:
    """The themes of one improvement point, in taxonomy order, each with its first evidence.

    Cached: a long-running process (the web app, a test session) classifies the record's
    points once, however many analyses read them.
    """
    strong, context = rule_evidence(text)
    return strong or context


@lru_cache(maxsize=65536)
def rule_evidence(text: str) -> tuple[tuple[ThemeMatch, ...], tuple[ThemeMatch, ...]]:
    """The themes the rules find through strong patterns, and through context patterns.

    The rules' verdict is the strong ones, else the context ones (`classify`); the learned
    model reads both as features (`ilacs.extract.theme_model`).
    """
    cleaned = _normalise(text)
    lowered = cleaned.lower()
    # the evidence is printed as written; lowercasing may change a string's length (rarely:
    # "İ"), and then the lowercased words are printed
    written = cleaned if len(lowered) == len(cleaned) else lowered
    # each needed string looked for once, not once for each rule that needs it
    present = frozenset(text for text in needed_strings() if text in lowered)
    strong = tuple(match for theme in taxonomy()
                   if (match := _first(theme.key, theme.patterns, lowered, written, present)))
    context = tuple(match for theme in taxonomy()
                    if (match := _first(theme.key, theme.context, lowered, written, present)))
    return strong, context


@lru_cache(maxsize=1)
def needed_strings() -> tuple[str, ...]:
    """Every string some rule of the taxonomy needs, once."""
    return tuple(dict.fromkeys(text for theme in taxonomy()
                               for rule in (*theme.patterns, *theme.context)
                               for text in sorted(rule.needs or ())))


def _first(key: str, patterns: Sequence[Rule], lowered: str, written: str,
           present: frozenset[str]) -> ThemeMatch | None:
    for pattern in patterns:
        found = pattern.search(lowered, present)
        if found:
            return ThemeMatch(key, written[found.start():found.end()])
    return None


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-"})


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_APOSTROPHES)).strip()


def _theme(entry: object) -> Theme:
    if not isinstance(entry, dict) or "key" not in entry:
        raise TaxonomyError(f"themes.yaml: expected a mapping with a key, got {entry!r}")
    key = str(entry["key"])
    try:
        return Theme(
            key=key, name=str(entry["name"]), about=str(entry["about"]),
            outcomes=tuple(int(n) for n in entry.get("outcomes") or ()),
            enabler=entry.get("enabler"),
            patterns=_compile(key, entry.get("patterns") or []),
            context=_compile(key, entry.get("context") or []),
        )
    except (KeyError, re.error) as error:
        raise TaxonomyError(f"themes.yaml, theme {key!r}: {error}") from error


def _compile(key: str, patterns: Sequence[str]) -> tuple[Rule, ...]:
    """One alternation per list: a single search per theme keeps classifying the whole
    record fast (each pattern is also compiled alone first, so an error names it).

    Patterns match regardless of case. They are lowercased and searched in lowercased text,
    which takes half the time of `re.IGNORECASE` and finds the same spans; an escape such as
    `\\S` keeps its case.
    """
    if not isinstance(patterns, list):
        raise TaxonomyError(f"themes.yaml, theme {key!r}: patterns must be a list")
    for pattern in patterns:
        re.compile(pattern)
    if not patterns:
        return ()
    alternation = "|".join(f"(?:{_lowercased(p)})" for p in patterns)
    needs = required_strings(alternation)
    return (Rule(re.compile(alternation), None if needs is None else frozenset(needs)),)


def _lowercased(pattern: str) -> str:
    return _ESCAPE_OR_TEXT.sub(
        lambda part: part[0] if part[0].startswith("\\") else part[0].lower(), pattern)


_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)
