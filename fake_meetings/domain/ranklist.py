"""A family of timed objects with ids (recordings, transcripts) as one immutable snapshot: the
objects in ascending ``(start_ts, id)`` order (the API lists them newest first), each id's
object, and the objects of each value of a few keys (a room, a session), in the same order.

A change builds a new snapshot that copies only what it touches: one object inserted, removed
or replaced (a stop: the same start and keys) copies a chunk of each ordered sequence it is in
(``chunked.py``) and a shard of each map (``sharded.py``), O(CHUNK + n / CHUNK) and
O(SHARD + n / SHARD), whatever the number of objects. A page is the keyset window of every
paged list (``query.keyset_window``) over the objects of one key's value, or of all, visible at
an instant; an object's rank (its position in the order) is found by a search, never stored.

A family subclasses :class:`RankList`, naming its ``KEYS`` and the word its errors use; counts
of its own are kept by ``_derive`` (from scratch) and ``_moved`` (after one change).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, ClassVar, Generic, Self

from . import chunked
from .chunked import BY_START, Sorted, T, Timed
from .gcpause import gc_paused
from .ids import seeded_uuid
from .query import Keyset, UnknownCursorMode, keyset_window
from .sharded import Sharded

__all__ = ["EARLIEST", "LATEST", "Keys", "RankList", "Timed"]

Keys = Mapping[str, Callable[[Any], str]]  # a key's name -> the key of an object (its room...)
EARLIEST, LATEST = -(1 << 62), 1 << 62  # before and after every instant the fake handles


class RankList(Generic[T]):
    """An immutable snapshot of objects in ascending ``(start_ts, id)`` order."""

    __slots__ = ("by", "ids", "ordered")
    KEYS: ClassVar[Keys] = {}  # ``by[name]``: each value of the key ``KEYS[name]`` -> its objects
    WHAT: ClassVar[str] = "object"  # what an error calls one

    def __init__(self, items: Iterable[T] = ()):
        with gc_paused():  # indexing creates no cycles; see gcpause.py
            self._index(items)
            self._derive()

    def _index(self, items: Iterable[T]) -> None:
        ordered = sorted(items, key=BY_START)
        ids = {r.id: r for r in ordered}
        if len(ids) != len(ordered):
            seen: set[str] = set()
            for r in ordered:
                if r.id in seen:
                    raise ValueError(f"duplicate {self.WHAT} id {r.id!r}")
                seen.add(r.id)
        self.ordered: Sorted[T] = chunked.built(ordered)
        self.ids: Sharded[T] = Sharded(ids)
        self.by: dict[str, Sharded[Sorted[T]]] = {}
        for name, key in self.KEYS.items():
            lists: dict[str, list[T]] = {}
            for r, value in zip(ordered, map(key, ordered), strict=True):
                lists.setdefault(value, []).append(r)
            self.by[name] = Sharded({v: chunked.built(of) for v, of in lists.items()})

    def _derive(self) -> None:
        """Counts of a family's own, made from ``ordered`` (none here)."""

    def _moved(self, was: Self, gone: T | None, came: T | None) -> None:
        """Counts of a family's own, made from ``was``'s after one change: ``gone`` left and
        ``came`` arrived (a replacement is both)."""

    def __len__(self) -> int:
        return len(self.ordered)

    @property
    def rank(self) -> Mapping[str, int]:
        """Each id's rank, its position in the order (a view: a search for each lookup)."""
        return _Ranks(self)

    def visible(self, item_id: str, now: int) -> T | None:
        """The object ``item_id`` if it has started by ``now``."""
        found = self.ids.get(item_id)
        return None if found is None or found.start_ts > now else found

    def new_id(self, draw: random.Random) -> str:
        """A seeded UUID (``ids.seeded_uuid``) that no object here has: a new one's id."""
        found = seeded_uuid(draw)
        while found in self.ids:
            found = seeded_uuid(draw)
        return found

    def from_rank(self, rank: int) -> Iterator[T]:
        """The objects from ``rank`` on, in ascending ``(start_ts, id)`` order."""
        return chunked.iter_from(self.ordered, rank)

    def visible_count(self, now: int) -> int:
        """How many have started by ``now``: the ranks below this are visible."""
        return chunked.started(self.ordered, now)

    def visible_span(self, now: int) -> tuple[int, int]:
        """The instants ``[lo, hi)`` around ``now`` at which the same objects are visible as at
        ``now``: from the latest start at or before it (``EARLIEST`` when none has started) to
        the next start after it (``LATEST`` when none is to come)."""
        ordered = self.ordered
        count = chunked.started(ordered, now)
        lo = ordered[count - 1].start_ts if count else EARLIEST
        hi = ordered[count].start_ts if count < len(ordered) else LATEST
        return lo, hi

    def visible_in(self, index: Sequence[T], now: int) -> int:
        """How many of the objects ``index`` (ascending) have started by ``now`` (a prefix)."""
        return chunked.started(index, now)

    def of(self, key: str, value: str | None) -> Sequence[T]:
        """The objects whose ``key`` is ``value``, in ascending ``(start_ts, id)`` order; every
        object for None."""
        if value is None:
            return self.ordered
        return self.by[key].get(value, ())

    def having(self, key: str, value: str) -> list[T]:
        """The objects whose ``key`` is ``value``, in ascending ``(start_ts, id)`` order."""
        return list(self.of(key, value))

    def page(
        self, index: Sequence[T], hi: int, q: Keyset, unknown_cursor: UnknownCursorMode
    ) -> list[T]:
        """The page ``q`` asks for among the objects ``index[:hi]`` (ascending), newest first;
        empty for an unknown cursor with ``unknown_cursor="empty"``."""
        # The keyset rules read ascending ranks: the objects of ``index`` get the even ones
        # (0, 2, 4...), and a cursor its object's, or, when ``index`` does not hold it (an
        # object of another room), the odd one between the objects around its place.
        ranks = range(0, 2 * len(index), 2)
        found = keyset_window(ranks, 0, hi, q, partial(self._cursor, index), unknown_cursor)
        if found is None:
            return []
        out = chunked.window(index, *found)
        out.reverse()
        return out

    def _cursor(self, index: Sequence[T], item_id: str) -> int | None:
        found = self.ids.get(item_id)
        if found is None:
            return None
        at = chunked.position(index, BY_START(found))
        return 2 * at if at < len(index) and index[at].id == item_id else 2 * at - 1

    def without(self, item_id: str) -> Self:
        """The snapshot without ``item_id``."""
        gone = self.ids.get(item_id)
        if gone is None:
            return self
        by: dict[str, Sharded[Sorted[T]]] = {}
        for name, key in self.KEYS.items():
            lists, value = self.by[name], key(gone)
            left = chunked.removed(lists[value], gone)
            by[name] = lists.set(value, left) if left else lists.without(value)
        ordered = chunked.removed(self.ordered, gone)
        return self._changed(ordered, self.ids.without(item_id), by, gone)

    def replaced(self, item: T) -> Self:
        """The object with ``item``'s id replaced by it (a stop: the same start and keys, so
        every object keeps its place; else the snapshot is built again)."""
        was = self.ids.get(item.id)
        if was is None or not self._same_place(was, item):
            return type(self)(item if r.id == item.id else r for r in self.ordered)
        by: dict[str, Sharded[Sorted[T]]] = {}
        for name, key in self.KEYS.items():
            lists, value = self.by[name], key(item)
            by[name] = lists.set(value, chunked.replaced(lists[value], item))
        ordered = chunked.replaced(self.ordered, item)
        return self._changed(ordered, self.ids.set(item.id, item), by, was, item)

    def joined(self, more: Iterable[T]) -> Self:
        """These objects and ``more`` (an id in both raises ValueError). One object (a start)
        is inserted at its place; more are indexed again with the others."""
        added = list(more)
        if len(added) != 1:
            return type(self)((*self.ordered, *added))
        item = added[0]
        if item.id in self.ids:
            raise ValueError(f"duplicate {self.WHAT} id {item.id!r}")
        by: dict[str, Sharded[Sorted[T]]] = {}
        for name, key in self.KEYS.items():
            lists, value = self.by[name], key(item)
            by[name] = lists.set(value, chunked.inserted(lists.get(value, ()), item))
        ordered = chunked.inserted(self.ordered, item)
        return self._changed(ordered, self.ids.set(item.id, item), by, None, item)

    def _same_place(self, was: T, item: T) -> bool:
        return was.start_ts == item.start_ts and all(
            key(was) == key(item) for key in self.KEYS.values()
        )

    def _changed(
        self,
        ordered: Sorted[T],
        ids: Sharded[T],
        by: dict[str, Sharded[Sorted[T]]],
        gone: T | None,
        came: T | None = None,
    ) -> Self:
        """A snapshot of ``ordered`` with its indexes made already, its counts moved."""
        new = type(self).__new__(type(self))
        new.ordered, new.ids, new.by = ordered, ids, by
        new._moved(self, gone, came)
        return new


class _Ranks(Mapping[str, int], Generic[T]):
    """A ranked list's ids -> their ranks, each found when asked."""

    __slots__ = ("_of",)

    def __init__(self, of: RankList[T]):
        self._of = of

    def __getitem__(self, item_id: str) -> int:
        return chunked.position(self._of.ordered, BY_START(self._of.ids[item_id]))

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._of.ids

    def __iter__(self) -> Iterator[str]:
        return (r.id for r in self._of.ordered)

    def __len__(self) -> int:
        return len(self._of.ordered)
