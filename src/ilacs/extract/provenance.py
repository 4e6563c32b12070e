"""Checking the page a fact gives as its provenance: are its words printed there? Used to
score every stored page (`ilacs eval`, `ilacs eval strengths`), since labels give none."""

from __future__ import annotations

import re

from ilacs.documents import Document

RUN_ON_WORDS = 12  # the most words of a sentence that end a page it runs on from


def opens_on_page(document: Document, page: int, text: str) -> bool:
    """Whether the sentence's first words are printed on `page` (the provenance it gives):
    its opening letters there, running on to the next page if the sentence does."""
    if not 1 <= page <= len(document.pages):
        return False
    opening = _letters(text)[:30]
    here = document.pages[page - 1].text
    if opening in _letters(here):
        return True
    after = _letters(document.pages[page].text)[:300] if page < len(document.pages) else ""
    # A sentence run on to the next page (which opens with its running header): the page
    # ends with whole words that begin the sentence (the last one perhaps split), and the
    # rest follows over the page. Whole words: "...so that" does not start "The quality".
    tail = ""
    for word in reversed(re.findall(r"[a-z]+", here.casefold())[-RUN_ON_WORDS:]):
        tail = word + tail
        if len(tail) >= len(opening):
            break
        if opening.startswith(tail) and opening[len(tail):] in after:
            return True
    return False


def printed_on_page(document: Document, page: int, printed: str) -> bool:
    """Whether words read from the document (a judgement's wording) are on `page`, letters
    only: a table's cells may be read with other spacing than they were printed with."""
    return 1 <= page <= len(document.pages) and _letters(printed) in _letters(
        document.pages[page - 1].text)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())
