"""The text every match of a regular expression must contain, to skip searches that cannot
match.

The theme rules (`ilacs.extract.themes`) search every improvement point and strength for
about forty alternations of patterns that start with `\\b`, and Python's `re` cannot skip
ahead to where such a pattern might start: it tries every alternative at every position of
the text. Most texts match few themes, so most searches find nothing. A substring test
(`in`) is far cheaper, and if none of a pattern's required strings is in the text, the search
would have found nothing; only the rest are searched, with the same results.

`required_strings` reads the pattern with the parser of Python's own `re` module, so what it
derives follows the engine's reading of the pattern. A branch whose matches need no fixed
text (only character classes, say) makes the whole pattern unfiltered (`None`): the gate may
let through searches that find nothing, never stop one that would find something.
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

# The parser `re.compile` uses and its operation codes (Python 3.11+; typeshed has no stubs)
sre_parse: Any = import_module("re._parser")
sre: Any = import_module("re._constants")

_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_CASELESS = re.IGNORECASE | re.LOCALE


def required_strings(pattern: str) -> tuple[str, ...] | None:
    """Strings such that every match of `pattern` contains at least one of them, or None
    when no such strings are found. Matches are taken as case-sensitive: a pattern with
    `(?i)` gives None."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & _CASELESS:
        return None
    found = _of_sequence(list(parsed))
    return tuple(dict.fromkeys(found)) if found else None


def _of_sequence(items: list[tuple[Any, Any]]) -> list[str] | None:
    """Required strings of a sequence of items all of which must match, in order."""
    runs, run = [], ""
    for op, av in _flattened(items):
        if op is sre.LITERAL:
            run += chr(av)
        else:
            runs.append(run)
            run = ""
    runs.append(run)
    longest = max(runs, key=len)
    choices = [[longest]] if longest else []
    # or a group of alternatives that must match, each alternative with strings of its own
    for op, av in items:
        alternatives = _alternatives(op, av)
        if alternatives is not None:
            found = [_of_sequence(list(branch)) for branch in alternatives]
            if all(found):
                choices.append([text for strings in found if strings for text in strings])
    # the choice whose shortest string is longest filters most ("manager" rather than " ")
    return max(choices, key=lambda strings: min(map(len, strings))) if choices else None


def _flattened(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The items with plain groups opened (their items must match in place); anything
    else that is not a literal stands for text that varies."""
    flat: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is sre.SUBPATTERN and not av[1] & _CASELESS and not _has_branch(av[3]):
            flat.extend(_flattened(list(av[3])))
        elif op in _ZERO_WIDTH:
            flat.append((op, None))  # breaks a run: conservative, and a run stays a substring
        else:
            flat.append((op, av))
    return flat


def _has_branch(subpattern: Any) -> bool:
    return any(op is sre.BRANCH for op, _ in subpattern)


def _alternatives(op: Any, av: Any) -> list[Any] | None:
    """The branches of a mandatory alternation item (`a|b` or a group of one), if it is one."""
    if op is sre.BRANCH:
        return list(av[1])
    if op is sre.SUBPATTERN and not av[1] & _CASELESS:
        inner = list(av[3])
        if len(inner) == 1 and inner[0][0] is sre.BRANCH:
            return list(inner[0][1][1])
    return None
