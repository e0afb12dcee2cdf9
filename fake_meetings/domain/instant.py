"""A store seen at one instant: which sessions are visible, ongoing and ended (contract §9).

At ``now``, the visible sessions are the ranks below ``visible`` (the sessions that started by
``now``: ranks follow ``start_time``); the ended ones are the first ``ended`` in end order (every
one of them is visible, since a session ends after it starts); the rest of the visible ones are
ongoing. So the pair ``(visible, ended)`` decides everything the query engine needs, and two
instants with the same pair give the same pages: :class:`Instant` is keyed by it.

Finding the ongoing sessions from nothing costs O(min(visible, sessions ending after now)).
Moving from a known instant to another costs O(k + m) for the k starts and ends crossed (m
ongoing sessions), so :class:`Instants` keeps a few recent instants per store and derives a new
one from the nearest when that is cheaper: a clock moving second by second pays almost nothing.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from .store import Store

KEPT = 8  # instants kept per store


class Complement(Sequence[int]):
    """The elements of ascending ``base`` except those at the ascending positions ``holes``,
    indexed in O(log len(holes)) without being built."""

    __slots__ = ("_base", "_holes", "_len", "_shift")

    def __init__(self, base: Sequence[int], holes: Sequence[int]):
        self._base = base
        self._holes = holes
        # the j-th element left is base[j + k], k = how many holes h_i have h_i - i <= j
        self._shift = array("q", (h - i for i, h in enumerate(holes)))
        self._len = len(base) - len(holes)

    def between(self, start: int, end: int) -> list[int]:
        """Elements ``start`` to ``end - 1``, ascending (``self[start:end]`` without a Python
        call per element)."""
        base, shift = self._base, self._shift
        return [base[j + bisect_right(shift, j)] for j in range(max(0, start), min(end, self._len))]

    def below(self, value: int) -> int:
        """How many elements are less than ``value`` (``bisect_left``), in O(log n)."""
        position = bisect_left(self._base, value)
        return position - bisect_left(self._holes, position)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, j: int) -> int: ...
    @overload
    def __getitem__(self, j: slice) -> Sequence[int]: ...
    def __getitem__(self, j: int | slice) -> int | Sequence[int]:
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(self._len))]
        if j < 0:
            j += self._len
        if not 0 <= j < self._len:
            raise IndexError(j)
        return self._base[j + bisect_right(self._shift, j)]


class Instant:
    """The store's sessions at one instant (any instant with the same ``key``)."""

    __slots__ = ("_rooms", "ended", "ongoing", "store", "visible")

    def __init__(self, store: Store, visible: int, ended: int, ongoing: list[int]):
        self.store = store
        self.visible = visible  # sessions started: the ranks below this
        self.ended = ended  # sessions ended: the first ones in end order
        self.ongoing = ongoing  # ascending ranks of the visible sessions not ended
        self._rooms: dict[str | None, tuple[list[int], Complement]] = {}

    @property
    def key(self) -> tuple[int, int]:
        return (self.visible, self.ended)

    def index(self, room: str | None, ongoing: bool | None) -> Sequence[int]:
        """Ascending ranks of the sessions in ``room`` (any when None) that are ongoing, ended
        or either (None). With ``ongoing`` not True, ranks of sessions not yet visible are
        included at the end: bound the ranks by ``visible``."""
        base = self.store.room_ranks(room)
        if ongoing is None:
            return base
        ranks, others = self._split(room)
        return ranks if ongoing else others

    def _split(self, room: str | None) -> tuple[list[int], Complement]:
        """The ongoing ranks of ``room`` (every room: None), and the others, kept per instant."""
        found = self._rooms.get(room)
        if found is None:
            base = self.store.room_ranks(room)
            if room is None:  # the index of every session is range(n): a position is a rank
                ranks = positions = self.ongoing
            else:
                sessions = self.store.sessions
                ranks = [r for r in self.ongoing if sessions[r].room == room]
                positions = [bisect_left(base, r) for r in ranks]
            found = self._rooms[room] = (ranks, Complement(base, positions))
        return found


class Instants:
    """The instants of one store asked about recently, each derived from the nearest."""

    __slots__ = ("_kept", "_store")

    def __init__(self, store: Store):
        self._store = store
        self._kept: OrderedDict[tuple[int, int], Instant] = OrderedDict()

    def at(self, now: int) -> Instant:
        store = self._store
        key = (bisect_right(store.starts, now), bisect_right(store.ends, now))
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
            return found
        instant = self._derive(*key)
        self._kept[key] = instant
        if len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return instant

    def _derive(self, visible: int, ended: int) -> Instant:
        store = self._store
        scratch = min(visible, len(store.open_ranks) + len(store.ends) - ended)
        nearest, cost = None, scratch
        for known in self._kept.values():
            moves = abs(known.visible - visible) + abs(known.ended - ended) + len(known.ongoing)
            if moves < cost:
                nearest, cost = known, moves
        if nearest is None:
            return Instant(store, visible, ended, self._scratch(visible, ended))
        return Instant(store, visible, ended, self._moved(nearest, visible, ended))

    def _is_ended(self, rank: int, ended: int) -> bool:
        """Whether the session of ``rank`` is among the first ``ended`` in end order."""
        store = self._store
        end = store.sessions[rank].end
        return end is not None and ended > 0 and end <= store.ends[ended - 1]

    def _scratch(self, visible: int, ended: int) -> list[int]:
        store = self._store
        if visible <= len(store.open_ranks) + len(store.ends) - ended:
            return [r for r in range(visible) if not self._is_ended(r, ended)]
        later = [r for r in store.end_ranks[ended:] if r < visible]
        later.extend(r for r in store.open_ranks if r < visible)
        return sorted(later)

    def _moved(self, known: Instant, visible: int, ended: int) -> list[int]:
        store = self._store
        gone: set[int] = set(range(visible, known.visible))  # not started any more
        gone.update(store.end_ranks[known.ended : ended])  # ended since
        # started since (and not ended too), or not ended any more (and still started)
        came = [r for r in range(known.visible, visible) if not self._is_ended(r, ended)]
        came.extend(r for r in store.end_ranks[ended : known.ended] if r < visible)
        kept = [r for r in known.ongoing if r not in gone] if gone else list(known.ongoing)
        if came:
            kept.extend(came)
            kept.sort()  # two sorted runs, merged
        return kept
