"""A persistent sorted map: keys in order, looked up, counted and read by rank in O(log n), and
changed in O(log n) without touching the map changed from.

A B+ tree of small nodes (at most ``WIDTH`` entries each): a change copies the nodes on the
path from the root to the key (about ``log_WIDTH n`` of them, ``WIDTH`` entries each) and
shares every other node with the map it came from, so a snapshot holding the old map keeps it,
and a change at 100,000 keys copies a few hundred references, not 100,000. Internal nodes keep
the cumulative sizes of their children, so the rank of a key, the key at a rank and the number
of keys below a bound are one walk down the tree.

A removal drops a node left empty but does not merge small ones: the tree's height stays that
of the largest size it had, which is what every operation costs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any, Generic, Protocol, TypeVar


class _Comparable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Comparable)
V = TypeVar("V")

WIDTH = 64  # the most entries of a node; a node beyond it splits in two
_FILL = 48  # entries per node when a map is built whole (room to grow before a split)


class _Leaf:
    __slots__ = ("keys", "values")

    def __init__(self, keys: tuple[Any, ...], values: tuple[Any, ...]):
        self.keys = keys
        self.values = values

    @property
    def low(self) -> Any:
        return self.keys[0]

    @property
    def size(self) -> int:
        return len(self.keys)


class _Inner:
    __slots__ = ("children", "ends", "lows")

    def __init__(self, children: tuple[_Node, ...]):
        self.children = children
        self.lows = tuple(c.low for c in children)  # each child's least key
        self.ends = tuple(accumulate(c.size for c in children))  # keys up to each child

    @property
    def low(self) -> Any:
        return self.lows[0]

    @property
    def size(self) -> int:
        return self.ends[-1]


_Node = _Leaf | _Inner


def _split(node: _Node) -> tuple[_Node, ...]:
    """``node``, or its two halves when it holds more than ``WIDTH`` entries."""
    if isinstance(node, _Leaf):
        n = len(node.keys)
        if n <= WIDTH:
            return (node,)
        h = n // 2
        return (
            _Leaf(node.keys[:h], node.values[:h]),
            _Leaf(node.keys[h:], node.values[h:]),
        )
    n = len(node.children)
    if n <= WIDTH:
        return (node,)
    h = n // 2
    return (_Inner(node.children[:h]), _Inner(node.children[h:]))


def _set(node: _Node, key: Any, value: Any) -> tuple[tuple[_Node, ...], bool]:
    """The nodes (one, or two after a split) that replace ``node`` once ``key`` maps to
    ``value``, and whether the key is new."""
    if isinstance(node, _Leaf):
        keys, values = node.keys, node.values
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            return (_Leaf(keys, (*values[:i], value, *values[i + 1 :])),), False
        leaf = _Leaf((*keys[:i], key, *keys[i:]), (*values[:i], value, *values[i:]))
        return _split(leaf), True
    i = max(0, bisect_right(node.lows, key) - 1)
    parts, added = _set(node.children[i], key, value)
    children = node.children
    return _split(_Inner((*children[:i], *parts, *children[i + 1 :]))), added


def _remove(node: _Node, key: Any) -> _Node | None:
    """``node`` without ``key`` (None when nothing is left); KeyError when it has no such key."""
    if isinstance(node, _Leaf):
        keys = node.keys
        i = bisect_left(keys, key)
        if i == len(keys) or keys[i] != key:
            raise KeyError(key)
        if len(keys) == 1:
            return None
        return _Leaf((*keys[:i], *keys[i + 1 :]), (*node.values[:i], *node.values[i + 1 :]))
    i = bisect_right(node.lows, key) - 1
    if i < 0:
        raise KeyError(key)
    child = _remove(node.children[i], key)
    children = node.children
    if child is None:
        rest = (*children[:i], *children[i + 1 :])
        return _Inner(rest) if rest else None
    return _Inner((*children[:i], child, *children[i + 1 :]))


def _build(keys: list[Any], values: list[Any]) -> _Node | None:
    if not keys:
        return None
    level: list[_Node] = [
        _Leaf(tuple(keys[i : i + _FILL]), tuple(values[i : i + _FILL]))
        for i in range(0, len(keys), _FILL)
    ]
    fill = max(2, _FILL)  # at least two children a node, or the levels would never end
    while len(level) > 1:
        level = [_Inner(tuple(level[i : i + fill])) for i in range(0, len(level), fill)]
    return level[0]


class SortedMap(Generic[K, V]):
    """An immutable map whose keys are kept in ascending order (see the module docstring)."""

    __slots__ = ("_root",)

    def __init__(self, items: Iterable[tuple[K, V]] = ()):
        """A map of ``items``; a key given twice keeps its last value."""
        pairs = sorted(dict(items).items(), key=lambda kv: kv[0])
        self._root = _build([k for k, _ in pairs], [v for _, v in pairs])

    @classmethod
    def _of(cls, root: _Node | None) -> SortedMap[K, V]:
        out: SortedMap[K, V] = cls.__new__(cls)
        out._root = root
        return out

    def __len__(self) -> int:
        return 0 if self._root is None else self._root.size

    def get(self, key: K) -> V | None:
        node = self._root
        if node is None:
            return None
        while isinstance(node, _Inner):
            i = bisect_right(node.lows, key) - 1
            if i < 0:
                return None
            node = node.children[i]
        keys = node.keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            return node.values[i]  # type: ignore[no-any-return]
        return None

    def __contains__(self, key: K) -> bool:
        return self.rank(key) is not None

    def rank(self, key: K) -> int | None:
        """How many keys come before ``key``, when the map has it; else None."""
        node, before = self._root, 0
        if node is None:
            return None
        while isinstance(node, _Inner):
            i = bisect_right(node.lows, key) - 1
            if i < 0:
                return None
            if i:
                before += node.ends[i - 1]
            node = node.children[i]
        keys = node.keys
        i = bisect_left(keys, key)
        return before + i if i < len(keys) and keys[i] == key else None

    def count_below(self, key: K, *, inclusive: bool = False) -> int:
        """How many keys are below ``key`` (or equal to it too, with ``inclusive``)."""
        search = bisect_right if inclusive else bisect_left
        node, before = self._root, 0
        if node is None:
            return 0
        while isinstance(node, _Inner):
            i = search(node.lows, key) - 1
            if i < 0:
                return before
            if i:
                before += node.ends[i - 1]
            node = node.children[i]
        return before + search(node.keys, key)

    def item_at(self, rank: int) -> tuple[K, V]:
        """The key and value of rank ``rank`` (0 is the least key)."""
        node = self._root
        if node is None or not 0 <= rank < node.size:
            raise IndexError(rank)
        while isinstance(node, _Inner):
            i = bisect_right(node.ends, rank)
            if i:
                rank -= node.ends[i - 1]
            node = node.children[i]
        return node.keys[rank], node.values[rank]

    def values_between(self, start: int, stop: int) -> list[V]:
        """The values of ranks ``start`` to ``stop - 1``, in ascending order: O(log n + k)."""
        start, stop = max(0, start), min(stop, len(self))
        out: list[V] = []
        if start < stop and self._root is not None:
            _collect(self._root, start, stop, out)
        return out

    def values(self) -> Iterator[V]:
        if self._root is not None:
            yield from _leaves_values(self._root)

    def keys(self) -> Iterator[K]:
        if self._root is not None:
            yield from _leaves_keys(self._root)

    def set(self, key: K, value: V) -> SortedMap[K, V]:
        """A map where ``key`` maps to ``value`` (added, or in place of its value)."""
        if self._root is None:
            return self._of(_Leaf((key,), (value,)))
        parts, _ = _set(self._root, key, value)
        return self._of(parts[0] if len(parts) == 1 else _Inner(parts))

    def remove(self, key: K) -> SortedMap[K, V]:
        """A map without ``key``; KeyError when it has no such key."""
        if self._root is None:
            raise KeyError(key)
        root = _remove(self._root, key)
        while isinstance(root, _Inner) and len(root.children) == 1:
            root = root.children[0]
        return self._of(root)


def _collect(node: _Node, start: int, stop: int, out: list[Any]) -> None:
    if isinstance(node, _Leaf):
        out.extend(node.values[start:stop])
        return
    ends = node.ends
    i = bisect_right(ends, start)
    while i < len(ends) and start < stop:
        before = ends[i - 1] if i else 0
        _collect(node.children[i], start - before, min(stop, ends[i]) - before, out)
        start = ends[i]
        i += 1


def _leaves_values(node: _Node) -> Iterator[Any]:
    if isinstance(node, _Leaf):
        yield from node.values
    else:
        for child in node.children:
            yield from _leaves_values(child)


def _leaves_keys(node: _Node) -> Iterator[Any]:
    if isinstance(node, _Leaf):
        yield from node.keys
    else:
        for child in node.children:
            yield from _leaves_keys(child)
