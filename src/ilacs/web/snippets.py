"""Snippets kept between searches, per version of the record."""

from __future__ import annotations

from collections.abc import Sequence

from ilacs.caching import LatestKept


class SnippetCache:
    """Snippets already made, by what FTS5 was asked and the page, the latest `size` kept.

    Making a snippet is most of a search's cost (FTS5 tokenises the whole page, twice), and
    the same pages come back under other filters and on the next visit: a server keeps one
    of these per version of the record.
    """

    def __init__(self, size: int) -> None:
        self._snippets: LatestKept[tuple[str, int], str] = LatestKept(size)

    def __len__(self) -> int:
        return len(self._snippets)

    def known(self, match: str, page_ids: Sequence[int]) -> dict[int, str]:
        return {page_id: snippet for page_id in page_ids
                if (snippet := self._snippets.get((match, page_id))) is not None}

    def keep(self, match: str, snippets: dict[int, str]) -> None:
        for page_id, snippet in snippets.items():
            self._snippets.put((match, page_id), snippet)
