"""Quotes from named people in an article, kept as short attributed snippets."""

from __future__ import annotations

import re

from ilacs.extract.models import Quote

SNIPPET_WORDS = 25
_NAME = (r"(?P<speaker>(?:(?:Cllr|Councillor|Dr|Sir|Dame|Professor)\.?\s+)?[A-Z][a-z]+"
         r"(?:[- ](?:[A-Z][a-z’'-]+)){1,3})")
_SAYS = (r"(?:said|says|added|comments|commented|explained|told\s+[A-Z][\w ]{2,30}?|"
         r"has\s+commented)")
# Quoted words end at a closing mark followed by a space or punctuation ("I’d" is no end).
_TEXT = r"(?P<text>(?:(?![’”\"'](?:[\s,.;:!?]|$)).){15,}?)"
_OPEN = "[“\"‘']"
_CLOSE = "[”\"’']"
# Jane Smith, director of children's services, said: "..."
_NAME_FIRST = re.compile(
    _NAME + r"(?:,\s*(?P<role>[^,:“\"‘]{3,140}),)?,?\s+" + _SAYS + r"\s*:?\s*" + _OPEN
    + _TEXT + r"[,.]?(?:" + _CLOSE + r"|$)", re.MULTILINE)
# "...," said Islington's corporate director of people, Carmel Littleton.
_QUOTE_FIRST = re.compile(
    _OPEN + _TEXT + r"[,.]?" + _CLOSE + r",?\s+" + _SAYS
    + r"\s+(?:(?P<role>[^,.]{3,140}),\s+)?" + _NAME + r"\b")
# Cllr Joel Williams has commented 'This is ...'
_PRONOUNS = {"He", "She", "They", "It", "This", "The", "Ofsted", "Inspectors"}


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    seen: set[str] = set()
    for pattern in (_NAME_FIRST, _QUOTE_FIRST):
        for match in pattern.finditer(text):
            speaker = match["speaker"].strip()
            if speaker.split()[0] in _PRONOUNS:
                continue
            snippet = _snippet(match["text"])
            if snippet in seen:
                continue
            seen.add(snippet)
            role = match["role"].strip() if match["role"] else None
            quotes.append(Quote(speaker=speaker, role=role, text=snippet))
    return quotes


def _snippet(text: str) -> str:
    words = text.split()
    cut = " ".join(words[:SNIPPET_WORDS])
    return cut + ("…" if len(words) > SNIPPET_WORDS else "")
