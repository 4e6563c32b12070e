"""The one bounded cache every cache in ilacs keeps its values in."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LatestKept(Generic[K, V]):
    """The latest `size` values by key, safe to share between threads: a value read or put
    becomes the latest, and the least recent goes first once there are too many, or once
    their total weight (`weigh`, e.g. bytes) is over `budget`."""

    def __init__(self, size: int, weigh: Callable[[V], int] | None = None,
                 budget: int | None = None) -> None:
        self._size = size
        self._weigh = weigh
        self._budget = budget
        self._weight = 0
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def weight(self) -> int:
        """The total weight of the values kept (0 without `weigh`)."""
        return self._weight

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            old = self._values.get(key)
            if old is not None:
                self._weight -= self._weight_of(old)
            self._values[key] = value
            self._values.move_to_end(key)
            self._weight += self._weight_of(value)
            while len(self._values) > self._size or (
                    self._budget is not None and self._weight > self._budget
                    and len(self._values) > 1):
                _, dropped = self._values.popitem(last=False)
                self._weight -= self._weight_of(dropped)

    def _weight_of(self, value: V) -> int:
        return self._weigh(value) if self._weigh is not None else 0
