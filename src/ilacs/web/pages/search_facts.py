"""What a search finds among the record's facts: authorities and themes by name. They are
listed above the matching pages, and on a record of facts alone (the bundled record of
`make run`, which holds no text) they are what a search can find."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ilacs.extract.themes import taxonomy
from ilacs.web import urls
from ilacs.web.pages.common import authority_refs
from ilacs.web.snapshot import Snapshot

MAX_FACTS = 8
# The search syntax's operators are not words a name is made of.
OPERATORS = frozenset({"and", "or", "not", "near"})
_WORD = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class FactMatch:
    kind: str  # "Authority" or "Theme"
    name: str
    url: str
    detail: str  # an authority's region, a theme's description


def fact_matches(snapshot: Snapshot, query: str) -> tuple[FactMatch, ...]:
    """Authorities, then themes, whose name has every word of `query` (as a word's start, so
    'plac*' and 'placement' find Placement sufficiency); a theme's description counts too."""
    words = [w for w in _WORD.findall(query.casefold()) if w not in OPERATORS]
    if not words:
        return ()
    # " word" in " its words": the start of one of its words, one search in C a word
    starts = [f" {word}" for word in words]
    found = [fact for fact, spoken in snapshot.memo("search-facts", lambda: _facts(snapshot))
             if all(start in spoken for start in starts)]
    return tuple(found[:MAX_FACTS])


def _facts(snapshot: Snapshot) -> list[tuple[FactMatch, str]]:
    """Every authority, then every theme, with the words a search may name it by (each
    after a space)."""
    facts = [(FactMatch("Authority", ref.name, ref.url, ref.region), _words(ref.name))
             for ref in authority_refs(snapshot)]
    facts += [(FactMatch("Theme", theme.name, urls.themes(theme.key), theme.about),
               _words(f"{theme.name} {theme.about}")) for theme in taxonomy()]
    return facts


def _words(text: str) -> str:
    return "".join(f" {word}" for word in _WORD.findall(text.casefold()))
