"""Timed objects (an id and a ``start_ts``) in ascending ``(start_ts, id)`` order, as a sequence
that one insert, removal or replacement copies in O(CHUNK + n / CHUNK), not O(n): the objects of
a ranked list (``ranklist.py``) and of each of its key's values (a room's recordings).

A short one (up to ``2 * CHUNK``) is a plain tuple; a longer one a :class:`Chunked`: tuples of
at most ``2 * CHUNK`` objects (a chunk splits in two beyond that), with each chunk's last object
and the position of its first. A change copies the chunk it falls in and the top level, sharing
every other chunk; nothing is ever changed in place, so a snapshot holding an older sequence
keeps seeing its own objects. A position is found by two searches (among the chunks' last
objects, then in one chunk), an object by its position with one search among the offsets.

The functions below take either kind (and, to read, any ascending sequence of such objects: a
filtered list, a :class:`Spliced`), so a caller never asks which it holds.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain
from operator import attrgetter
from typing import Generic, Protocol, TypeAlias, TypeVar, overload

CHUNK = 1024  # objects per chunk when built; a chunk splits in two beyond twice this


class Timed(Protocol):
    """What a ranked object has: an id and a start (``start_ts``, unix seconds)."""

    @property
    def id(self) -> str: ...
    @property
    def start_ts(self) -> int: ...


T = TypeVar("T", bound=Timed)
SortKey = tuple[int, str]
BY_START = attrgetter("start_ts", "id")  # the sort key, as a sort's or a search's key
_START = attrgetter("start_ts")


class Chunked(Sequence[T], Generic[T]):
    """More than ``2 * CHUNK`` objects in ascending ``(start_ts, id)`` order, in chunks."""

    __slots__ = ("_chunks", "_lasts", "_offsets")

    def __init__(self, ordered: Sequence[T]):
        """From objects in ascending order already."""
        chunks = tuple(tuple(ordered[i : i + CHUNK]) for i in range(0, len(ordered), CHUNK))
        self._chunks = chunks
        self._lasts = tuple(c[-1] for c in chunks)
        self._offsets = array("q", accumulate(map(len, chunks), initial=0))

    def __len__(self) -> int:
        return self._offsets[-1]

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1:
                return self.window(start, stop)
            return [self[k] for k in range(start, stop, step)]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        c = bisect_right(self._offsets, i) - 1
        return self._chunks[c][i - self._offsets[c]]

    def __iter__(self) -> Iterator[T]:
        return chain.from_iterable(self._chunks)

    def __reversed__(self) -> Iterator[T]:
        return chain.from_iterable(map(reversed, reversed(self._chunks)))

    def window(self, start: int, stop: int) -> list[T]:
        """The objects at positions ``start`` to ``stop - 1`` (both within bounds)."""
        out: list[T] = []
        if start >= stop:
            return out
        offsets, chunks = self._offsets, self._chunks
        c = bisect_right(offsets, start) - 1
        while c < len(chunks) and offsets[c] < stop:
            base = offsets[c]
            out.extend(chunks[c][max(0, start - base) : stop - base])
            c += 1
        return out

    def iter_from(self, start: int) -> Iterator[T]:
        """The objects from position ``start`` on, in order."""
        if start >= len(self):
            return iter(())
        c = bisect_right(self._offsets, max(0, start)) - 1
        first = self._chunks[c][max(0, start) - self._offsets[c] :]
        return chain(first, chain.from_iterable(self._chunks[c + 1 :]))

    def position(self, key: SortKey) -> int:
        """How many objects sort before ``key``."""
        c = bisect_left(self._lasts, key, key=BY_START)
        if c == len(self._chunks):
            return len(self)
        return self._offsets[c] + bisect_left(self._chunks[c], key, key=BY_START)

    def started(self, instant: int, at: bool) -> int:
        """How many objects start before ``instant``, or at it too with ``at``."""
        search = bisect_right if at else bisect_left
        c = search(self._lasts, instant, key=_START)
        if c == len(self._chunks):
            return len(self)
        return self._offsets[c] + search(self._chunks[c], instant, key=_START)

    def edited(self, at: int, drop: int, put: tuple[T, ...]) -> Sorted[T]:
        """A copy with ``drop`` objects (0 or 1) from position ``at`` on replaced by ``put``:
        the chunk they fall in is copied (split in two past ``2 * CHUNK``), the others shared;
        a sequence left with ``CHUNK`` objects or fewer is a tuple again."""
        if len(self) - drop + len(put) <= CHUNK:
            whole = tuple(self)
            return (*whole[:at], *put, *whole[at + drop :])
        offsets = self._offsets
        c = min(bisect_right(offsets, at) - 1, len(self._chunks) - 1)
        i, chunk = at - offsets[c], self._chunks[c]
        new = chunk[:i] + put + chunk[i + drop :]
        half = len(new) // 2 if len(new) > 2 * CHUNK else len(new)
        pieces = tuple(p for p in (new[:half], new[half:]) if p)  # none left: the chunk goes
        # the offsets up to chunk c are kept, those after it move by the change in length
        # (none for a replacement; a few for a change near the end, where starts go)
        firsts = array("q", accumulate(map(len, pieces[:-1]), initial=offsets[c]) if pieces else ())
        moved = len(put) - drop
        after = offsets[c + 1 :]
        if moved:
            after = array("q", [x + moved for x in after])
        out = Chunked.__new__(Chunked)
        out._chunks = self._chunks[:c] + pieces + self._chunks[c + 1 :]
        out._lasts = self._lasts[:c] + tuple(p[-1] for p in pieces) + self._lasts[c + 1 :]
        out._offsets = offsets[:c] + firsts + after
        return out


Sorted: TypeAlias = tuple[T, ...] | Chunked[T]  # what a ranked list holds: short, or chunked


def built(ordered: Sequence[T]) -> Sorted[T]:
    """``ordered`` (ascending already) as a tuple, or chunked when longer than ``2 * CHUNK``."""
    return tuple(ordered) if len(ordered) <= 2 * CHUNK else Chunked(ordered)


def position(seq: Sequence[T], key: SortKey) -> int:
    """How many objects of the ascending ``seq`` sort before ``key`` (``bisect_left``)."""
    if isinstance(seq, Chunked):
        return seq.position(key)
    return bisect_left(seq, key, key=BY_START)


def started(seq: Sequence[T], instant: int, *, at: bool = True) -> int:
    """How many objects of the ascending ``seq`` start before ``instant``, or at it too with
    ``at`` (a prefix: ``seq`` is ordered by start first)."""
    if isinstance(seq, Chunked):
        return seq.started(instant, at)
    return (bisect_right if at else bisect_left)(seq, instant, key=_START)


def window(seq: Sequence[T], start: int, stop: int) -> list[T]:
    """``seq[start:stop]`` as a list (both within bounds)."""
    if isinstance(seq, Chunked):
        return seq.window(start, stop)
    return list(seq[start:stop])


def iter_from(seq: Sequence[T], start: int) -> Iterator[T]:
    """The objects of ``seq`` from position ``start`` on, in order."""
    if isinstance(seq, Chunked):
        return seq.iter_from(start)
    return iter(seq[max(0, start) :])


def _edited(seq: Sorted[T], at: int, drop: int, put: tuple[T, ...]) -> Sorted[T]:
    if isinstance(seq, Chunked):
        return seq.edited(at, drop, put)
    return built((*seq[:at], *put, *seq[at + drop :]))


def inserted(seq: Sorted[T], item: T) -> Sorted[T]:
    """``seq`` with ``item`` at its place (no object of ``seq`` has its sort key)."""
    return _edited(seq, position(seq, BY_START(item)), 0, (item,))


def removed(seq: Sorted[T], item: T) -> Sorted[T]:
    """``seq`` without the object at ``item``'s place (it must be there)."""
    at = position(seq, BY_START(item))
    assert at < len(seq) and seq[at].id == item.id, f"{item.id} is not held"
    return _edited(seq, at, 1, ())


def replaced(seq: Sorted[T], item: T) -> Sorted[T]:
    """``seq`` with the object at ``item``'s place (the same sort key) replaced by it."""
    at = position(seq, BY_START(item))
    assert at < len(seq) and seq[at].id == item.id, f"{item.id} is not held"
    return _edited(seq, at, 1, (item,))


class Spliced(Sequence[T], Generic[T]):
    """The first ``cut`` items of ``head`` followed by ``tail``, without copying ``head``."""

    __slots__ = ("cut", "head", "tail")

    def __init__(self, head: Sequence[T], cut: int, tail: list[T]):
        self.head, self.cut, self.tail = head, cut, tail

    def __len__(self) -> int:
        return self.cut + len(self.tail)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1 and stop <= self.cut:
                return window(self.head, start, stop)
            return [self[k] for k in range(start, stop, step)]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.head[i] if i < self.cut else self.tail[i - self.cut]
