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
    # made before the words are read: the server's warm-up, an empty search, makes it
    facts = snapshot.memo("search-facts", lambda: FactWords.of(snapshot))
    words = [w for w in _WORD.findall(query.casefold()) if w not in OPERATORS]
    if not words:
        return ()
    return facts.matching(words)[:MAX_FACTS]


@dataclass(frozen=True)
class FactWords:
    """Every authority, then every theme, and which of them each start of a word names:
    a search looks its words up rather than reading every name and description."""

    facts: tuple[FactMatch, ...]
    by_start: dict[str, frozenset[int]]  # the start of a word -> the facts (their places)

    @classmethod
    def of(cls, snapshot: Snapshot) -> FactWords:
        named = [(FactMatch("Authority", ref.name, ref.url, ref.region), ref.name)
                 for ref in authority_refs(snapshot)]
        named += [(FactMatch("Theme", theme.name, urls.themes(theme.key), theme.about),
                   f"{theme.name} {theme.about}") for theme in taxonomy()]
        starts: dict[str, set[int]] = {}
        for place, (_, text) in enumerate(named):
            for word in _WORD.findall(text.casefold()):
                for end in range(1, len(word) + 1):
                    starts.setdefault(word[:end], set()).add(place)
        return cls(tuple(fact for fact, _ in named),
                   {start: frozenset(places) for start, places in starts.items()})

    def matching(self, words: list[str]) -> tuple[FactMatch, ...]:
        """The facts with a word starting with each of `words`, in their order."""
        places = frozenset.intersection(*(self.by_start.get(word, frozenset())
                                          for word in words))
        return tuple(self.facts[place] for place in sorted(places))
