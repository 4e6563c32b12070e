"""The bounded cache that the page, ranking and snippet caches keep their values in."""

from __future__ import annotations

from ilacs.caching import LatestKept


def test_the_least_recently_used_goes_first() -> None:
    kept: LatestKept[str, int] = LatestKept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # reading "a" makes it the latest...
    kept.put("c", 3)  # ...so "b" goes
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == (1, None, 3, 2)
    kept.put("a", 4)  # putting a kept key again replaces it and makes it the latest
    kept.put("d", 5)
    assert (kept.get("a"), kept.get("c"), kept.get("d")) == (4, None, 5)
