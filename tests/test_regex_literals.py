"""`required_strings`: strings one of which every match of a pattern contains, so that the
theme rules skip searches that cannot match. Never one that is not required (a search
skipped that would have found something); None when nothing is required."""

from __future__ import annotations

import re

import pytest

from ilacs.extract.regex_literals import required_strings
from ilacs.extract.themes import needed_strings, taxonomy


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\bearly help\b", ("early help",)),
    (r"\bcontacts?\b(?! with)", ("contact",)),  # neither the optional "s" nor the lookahead
    (r"(?:\bfront door\b)|(?:\bmash\b)", ("front door", "mash")),
    (r"\b(?:manager|leader)s?'? (?:grip|oversight)", ("manager", "leader")),  # not " "
    (r"\bstep(?:ping)?[- ]?(?:down|up)\b", ("step",)),
    (r"(?<!life )history", ("history",)),  # not the lookbehind's words
    (r"plans?|(?:care|pathway) plan", ("plan", " plan")),  # " plan" beats "care"/"pathway"
    (r"\b[a-z]+ing\b", ("ing",)),
])
def test_the_strings_every_match_needs(pattern: str, expected: tuple[str, ...]) -> None:
    assert required_strings(pattern) == expected


@pytest.mark.parametrize("pattern", [
    r"\b[a-z]{3}\b|\bneglect",  # a branch that needs no fixed text
    r"(?i)neglect",  # the gate compares cased text
    r"\d{2}",
    r"(?:a|b*)c?",
])
def test_a_pattern_that_needs_no_fixed_text_is_always_searched(pattern: str) -> None:
    assert required_strings(pattern) is None


def test_every_rule_s_gate_lets_through_every_text_it_would_match() -> None:
    # Written for this test: texts that each match a pattern of a theme only barely
    texts = ["mash", "referrals", "step-down", "a plan.", "16", "sgo", "the lado", "pep",
             "iro", "peps", "early-help", "re-assess", "chronologies", "police"]
    rules = [rule for theme in taxonomy() for rule in (*theme.patterns, *theme.context)]
    assert any(rule.needs for rule in rules)
    needed = needed_strings()
    for rule in rules:
        assert rule.needs is None or rule.needs <= set(needed)
        for text in texts:
            present = frozenset(s for s in needed if s in text)
            assert bool(rule.search(text, present)) == bool(re.search(rule.pattern, text)), (
                rule.pattern.pattern[:60], text)
