"""The byte-budgeted map that kept response bytes live in, and :func:`exact`, which gives bytes
to be kept a buffer of their own size.

A map drops its oldest entries first when a new one would go over its budget: a hit is one dict
lookup and never reorders anything, and the bytes kept stay bounded however many snapshots or
namespaces a server holds. The render cache (``render_cache.py``) keeps its fragments and
bodies in such maps, the room routes (``rooms.py``) their single-room bodies.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import orjson

ENTRY_OVERHEAD = 170  # rough cost of an ordered-map slot, a key tuple and a bytes header

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A dict with a byte budget: adding beyond it drops the oldest entries first (FIFO).

    Reads take no lock and never reorder; writes are serialized, so servers on several threads
    may share one world. A value costing more than the whole budget is simply not kept.
    ``dropped(key, value)`` is called for each entry evicted to make room (inside the lock).
    """

    __slots__ = ("_cost", "_dropped", "_lock", "budget", "data", "size")

    def __init__(
        self,
        budget: int,
        cost: Callable[[K, V], int],
        dropped: Callable[[K, V], None] | None = None,
    ):
        self.budget = budget
        self.size = 0
        # insertion order is eviction order; an OrderedDict drops its oldest entry in O(1)
        # (a plain dict's first live entry is found by scanning past every one already popped)
        self.data: OrderedDict[K, V] = OrderedDict()
        self._cost = cost
        self._dropped = dropped
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        return self.data.get(key)

    def put(self, key: K, value: V) -> bool:
        """Keep ``value`` under ``key`` (replacing any value there); False if it is not kept."""
        cost = self._cost(key, value)
        if cost > self.budget:
            return False
        with self._lock:
            old = self.data.pop(key, None)
            if old is not None:
                self.size -= self._cost(key, old)
            while self.data and self.size + cost > self.budget:
                oldest, dropped = self.data.popitem(last=False)
                self.size -= self._cost(oldest, dropped)
                if self._dropped is not None:
                    self._dropped(oldest, dropped)
            self.data[key] = value
            self.size += cost
        return True

    def drop_where(self, doomed: Callable[[K], bool]) -> None:
        with self._lock:
            for key in [k for k in self.data if doomed(k)]:
                self.size -= self._cost(key, self.data.pop(key))

    def __len__(self) -> int:
        return len(self.data)


def exact(value: object) -> bytes:
    """``orjson.dumps(value)`` in a bytes object of its own size: orjson's buffer starts at 4 KiB
    and is not shrunk, which would make a kept 800-byte fragment cost 4 KiB."""
    return memoryview(orjson.dumps(value)).tobytes()
