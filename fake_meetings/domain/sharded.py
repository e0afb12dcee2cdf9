"""A map from strings that one change copies in O(SHARD + n / SHARD), not O(n): a ranked list's
objects by id and its keys' values (``ranklist.py``).

The entries are spread over a power of two of dicts (*shards*) by the key's hash, about
``SHARD`` entries each. A change copies the shard its key falls in and the tuple of shards,
sharing every other; nothing is ever changed in place, so a snapshot holding an older map keeps
seeing its own entries. A map that grows past twice ``SHARD`` entries a shard is spread again
over twice as many shards (one O(n) copy each time it has doubled: amortised, a few copies of
an entry a change). A lookup is one hash (kept by the string) and one dict probe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import TypeVar, overload

V = TypeVar("V")
D = TypeVar("D")
SHARD = 1024  # entries per shard, about, when spread


def _shards_for(count: int) -> int:
    """The power of two of shards that holds ``count`` entries about ``SHARD`` a shard."""
    shards = 1
    while shards * SHARD < count:
        shards *= 2
    return shards


class Sharded(Mapping[str, V]):
    """An immutable map from strings; :meth:`set` and :meth:`without` make changed copies."""

    __slots__ = ("_len", "_mask", "_shards")

    def __init__(self, entries: Mapping[str, V] | Iterable[tuple[str, V]] = ()):
        items = entries.items() if isinstance(entries, Mapping) else entries
        pairs = list(items)
        count = _shards_for(len(pairs))
        shards: list[dict[str, V]] = [{} for _ in range(count)]
        mask = count - 1
        for key, value in pairs:
            shards[hash(key) & mask][key] = value
        self._shards, self._mask = tuple(shards), mask
        self._len = sum(map(len, shards))

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, key: str) -> V:
        return self._shards[hash(key) & self._mask][key]

    @overload
    def get(self, key: str) -> V | None: ...
    @overload
    def get(self, key: str, default: V | D) -> V | D: ...
    def get(self, key: str, default: object = None) -> object:
        return self._shards[hash(key) & self._mask].get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._shards[hash(key) & self._mask]

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._shards)

    def set(self, key: str, value: V) -> Sharded[V]:
        """A copy where ``key`` maps to ``value``."""
        if self._len >= 2 * SHARD * len(self._shards):
            return Sharded(chain(self.items(), ((key, value),)))
        s = hash(key) & self._mask
        shard = dict(self._shards[s])
        grown = key not in shard
        shard[key] = value
        return self._with(s, shard, self._len + grown)

    def without(self, key: str) -> Sharded[V]:
        """A copy without ``key`` (itself when ``key`` is not here)."""
        s = hash(key) & self._mask
        if key not in self._shards[s]:
            return self
        shard = dict(self._shards[s])
        del shard[key]
        return self._with(s, shard, self._len - 1)

    def _with(self, s: int, shard: dict[str, V], count: int) -> Sharded[V]:
        out: Sharded[V] = Sharded.__new__(Sharded)
        out._shards = (*self._shards[:s], shard, *self._shards[s + 1 :])
        out._mask, out._len = self._mask, count
        return out
