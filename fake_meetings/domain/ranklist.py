"""A family of timed objects with ids (recordings, transcripts) as one immutable snapshot: the
objects in ascending ``(start_ts, id)`` order (the API lists them newest first), each id's rank,
their start times, and the ranks of each value of a few keys (a room, a session).

A change builds a new snapshot: one object inserted or removed at its rank moves the ranks above
it (``rankshift.py`` for the key indexes) and shares the key lists it leaves alone; one replaced
with the same start and keys shares every index. A page is the keyset window of every paged list
(``query.keyset_window``) over the ranks visible at an instant, of one key's value or of all.

A family subclasses :class:`RankList`, naming its ``KEYS`` and the word its errors use; counts
of its own are kept by ``_derive`` (from scratch) and ``_moved`` (after one change at a rank).
"""

from __future__ import annotations

import random
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from . import rankshift
from .gcpause import gc_paused
from .ids import seeded_uuid
from .query import Keyset, UnknownCursorMode, keyset_window


class Timed(Protocol):
    """What a ranked object has: an id and a start (``start_ts``, unix seconds)."""

    @property
    def id(self) -> str: ...
    @property
    def start_ts(self) -> int: ...


T = TypeVar("T", bound=Timed)
Keys = Mapping[str, Callable[[Any], str]]  # a key's name -> the key of an object (its room...)
_BY_START = attrgetter("start_ts", "id")  # the sort key, as the sort's key: (start_ts, id)
_NONE: Sequence[int] = ()


class RankList(Generic[T]):
    """An immutable snapshot of objects in ascending ``(start_ts, id)`` order."""

    __slots__ = ("by", "ordered", "rank", "starts")
    KEYS: ClassVar[Keys] = {}  # ``by[name]``: each value of the key ``KEYS[name]`` -> its ranks
    WHAT: ClassVar[str] = "object"  # what an error calls one

    def __init__(self, items: Iterable[T] = ()):
        with gc_paused():  # indexing creates no cycles; see gcpause.py
            self._index(items)
            self._derive()

    def _index(self, items: Iterable[T]) -> None:
        # one pass per index, each tight: a third of the time of one pass doing everything
        self.ordered: tuple[T, ...] = tuple(sorted(items, key=_BY_START))
        self.rank: dict[str, int] = {r.id: i for i, r in enumerate(self.ordered)}
        if len(self.rank) != len(self.ordered):
            first = {r.id: i for i, r in reversed(list(enumerate(self.ordered)))}
            twice = next(r for i, r in enumerate(self.ordered) if first[r.id] != i)
            raise ValueError(f"duplicate {self.WHAT} id {twice.id!r}")
        self.by: dict[str, dict[str, array[int]]] = {}
        for name, key in self.KEYS.items():
            lists: dict[str, list[int]] = {}
            for i, value in enumerate(map(key, self.ordered)):
                lists.setdefault(value, []).append(i)
            self.by[name] = {value: array("q", ranks) for value, ranks in lists.items()}
        self.starts: list[int] = [r.start_ts for r in self.ordered]

    def _derive(self) -> None:
        """Counts of a family's own, made from ``ordered`` (none here)."""

    def _moved(self, was: Self, gone: T | None, came: T | None) -> None:
        """Counts of a family's own, made from ``was``'s after one change at a rank: ``gone``
        left and ``came`` arrived (a replacement is both)."""

    def __len__(self) -> int:
        return len(self.ordered)

    def visible(self, item_id: str, now: int) -> T | None:
        """The object ``item_id`` if it has started by ``now``."""
        rank = self.rank.get(item_id)
        if rank is None or self.ordered[rank].start_ts > now:
            return None
        return self.ordered[rank]

    def new_id(self, draw: random.Random) -> str:
        """A seeded UUID (``ids.seeded_uuid``) that no object here has: a new one's id."""
        found = seeded_uuid(draw)
        while found in self.rank:
            found = seeded_uuid(draw)
        return found

    def visible_count(self, now: int) -> int:
        """How many have started by ``now``: the ranks below this are visible."""
        return bisect_right(self.starts, now)

    def visible_in(self, index: Sequence[int], now: int) -> int:
        """How many of the ascending ranks ``index`` have started by ``now`` (a prefix)."""
        return bisect_left(index, self.visible_count(now))

    def ranks(self, key: str, value: str | None) -> Sequence[int]:
        """The ascending ranks of the objects whose ``key`` is ``value``; every rank for None."""
        if value is None:
            return range(len(self.ordered))
        return self.by[key].get(value, _NONE)

    def having(self, key: str, value: str) -> list[T]:
        """The objects whose ``key`` is ``value``, in ascending ``(start_ts, id)`` order."""
        ordered = self.ordered
        return [ordered[i] for i in self.by[key].get(value, _NONE)]

    def page(
        self, index: Sequence[int], hi: int, q: Keyset, unknown_cursor: UnknownCursorMode
    ) -> list[T]:
        """The page ``q`` asks for among the ranks ``index[:hi]`` (ascending), newest first;
        empty for an unknown cursor with ``unknown_cursor="empty"``."""
        found = keyset_window(index, 0, hi, q, self.rank.get, unknown_cursor)
        if found is None:
            return []
        start, end = found
        ordered = self.ordered
        return [ordered[index[i]] for i in range(end - 1, start - 1, -1)]

    def without(self, item_id: str) -> Self:
        """The snapshot without ``item_id``: the ranks above it move down, the rest is shared."""
        at = self.rank.get(item_id)
        if at is None:
            return self
        gone, ordered = self.ordered[at], self.ordered[:at] + self.ordered[at + 1 :]
        rank = self.rank.copy()
        del rank[item_id]
        for i in range(at, len(ordered)):
            rank[ordered[i].id] = i
        by = {n: rankshift.removed(self.by[n], key(gone), at) for n, key in self.KEYS.items()}
        return self._changed(ordered, rank, by, self.starts[:at] + self.starts[at + 1 :], gone)

    def replaced(self, item: T) -> Self:
        """The object with ``item``'s id replaced by it (a stop: the same start and keys, so
        every index is shared)."""
        at = self.rank.get(item.id)
        if at is None or not self._same_place(self.ordered[at], item):
            return type(self)(item if r.id == item.id else r for r in self.ordered)
        was = self.ordered[at]
        ordered = (*self.ordered[:at], item, *self.ordered[at + 1 :])
        return self._changed(ordered, self.rank, self.by, self.starts, was, item)

    def joined(self, more: Iterable[T]) -> Self:
        """These objects and ``more`` (an id in both raises ValueError). One object (a start)
        is inserted at its rank: the ranks above it move up, the rest is shared."""
        added = list(more)
        if len(added) != 1:
            return type(self)((*self.ordered, *added))
        item = added[0]
        if item.id in self.rank:
            raise ValueError(f"duplicate {self.WHAT} id {item.id!r}")
        at = bisect_left(self.ordered, _BY_START(item), key=_BY_START)
        ordered = (*self.ordered[:at], item, *self.ordered[at:])
        rank = self.rank.copy()
        for i in range(at, len(ordered)):
            rank[ordered[i].id] = i
        by = {n: rankshift.inserted(self.by[n], key(item), at) for n, key in self.KEYS.items()}
        starts = [*self.starts[:at], item.start_ts, *self.starts[at:]]
        return self._changed(ordered, rank, by, starts, None, item)

    def _same_place(self, was: T, item: T) -> bool:
        return was.start_ts == item.start_ts and all(
            key(was) == key(item) for key in self.KEYS.values()
        )

    def _changed(
        self,
        ordered: tuple[T, ...],
        rank: dict[str, int],
        by: dict[str, dict[str, array[int]]],
        starts: list[int],
        gone: T | None,
        came: T | None = None,
    ) -> Self:
        """A snapshot of ``ordered`` with its indexes made already, its counts moved."""
        new = type(self).__new__(type(self))
        new.ordered, new.rank, new.by, new.starts = ordered, rank, by, starts
        new._moved(self, gone, came)
        return new
