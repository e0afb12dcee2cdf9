"""The sessions of a store by rank, with their start times and ids: a sequence a live change
copies in O(√n), not O(n).

A :class:`Ranked` is a *base* (a flat tuple of sessions, an array of their starts, a dict of
their ranks, shared by every snapshot derived from it) and a small *patch*: the sessions
replaced or appended since, by rank. A change copies the patch only; when the patch outgrows
about √n entries it is folded into a new base (one O(n) copy every √n changes: a few
microseconds a change, amortised). Nothing is changed in place, so a store holding an older
sequence keeps seeing its own sessions.

Reading a page goes through :meth:`Ranked.pick`, a list comprehension over the flat tuple
(one dict probe more per session while a patch is pending).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from math import isqrt
from typing import overload

from .model import Session

FOLD_AT = 64  # the least patch that is folded (the limit is max(this, √n))


class Ranked(Sequence[Session]):
    __slots__ = ("_added", "_base", "_ids", "_len", "_patch", "_starts", "_tail")

    def __init__(
        self, ordered: Sequence[Session], ids: dict[str, int], starts: array[int] | None = None
    ):
        """``ordered``: sessions in rank order; ``ids``: the rank of each session id;
        ``starts``: their start times, if known already."""
        self._base: tuple[Session, ...] = tuple(ordered)
        if starts is None:
            starts = array("q", (s.start_time for s in self._base))
        self._starts = starts
        self._ids = ids
        self._patch: dict[int, Session] = {}  # rank -> session, replaced or appended
        self._tail = array("q")  # starts of the appended ranks (len(_base) and up)
        self._added: dict[str, int] = {}  # ranks of the appended session ids
        self._len = len(self._base)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, r: int) -> Session: ...
    @overload
    def __getitem__(self, r: slice) -> list[Session]: ...
    def __getitem__(self, r: int | slice) -> Session | list[Session]:
        if isinstance(r, slice):
            start, stop, step = r.indices(self._len)
            if step != 1:
                return self.pick(range(start, stop, step))
            out = list(self._base[start:stop])
            out.extend(self._patch[x] for x in range(max(start, len(self._base)), stop))
            for x, s in self._patch.items():
                if start <= x < min(stop, len(self._base)):
                    out[x - start] = s
            return out
        if r < 0:
            r += self._len
        found = self._patch.get(r)
        if found is not None:
            return found
        if not 0 <= r < len(self._base):
            raise IndexError(r)
        return self._base[r]

    def __iter__(self) -> Iterator[Session]:
        return iter(self[:])

    def __reversed__(self) -> Iterator[Session]:
        return reversed(self[:])

    def pick(self, ranks: Iterable[int]) -> list[Session]:
        """The sessions of these ranks, in their order."""
        base = self._base
        if not self._patch:
            if (  # a run of ranks (a page of every room): one slice
                isinstance(ranks, range)
                and ranks.step == 1
                and 0 <= ranks.start <= ranks.stop <= len(base)
            ):
                return list(base[ranks.start : ranks.stop])
            return [base[r] for r in ranks]
        get = self._patch.get
        return [get(r) or base[r] for r in ranks]

    def find(self, session_id: str) -> Session | None:
        """The session with this id, or None: ``self[self.rank(session_id)]`` without the
        slice and bounds handling of ``__getitem__`` (a rank found is always in range)."""
        r = self.rank(session_id)
        if r is None:
            return None
        found = self._patch.get(r)
        return self._base[r] if found is None else found

    def like(self, sessions: Sequence[Session]) -> Ranked:
        """These ``sessions`` at the ranks of this sequence's (the same ids and starts, in the
        same order): the id map and the starts are shared when no change is pending."""
        if self._patch:
            return Ranked(sessions, self.id_ranks(), array("q", self.starts))
        return Ranked(sessions, self._ids, self._starts)

    def id_ranks(self) -> dict[str, int]:
        """A new dict of every session id's rank."""
        return {**self._ids, **self._added} if self._added else dict(self._ids)

    def rank(self, session_id: str) -> int | None:
        r = self._ids.get(session_id)
        return self._added.get(session_id) if r is None else r

    def start(self, r: int) -> int:
        n = len(self._starts)
        return self._starts[r] if r < n else self._tail[r - n]

    def started(self, instant: int, *, at: bool = True) -> int:
        """How many sessions start before ``instant``, or at it too with ``at``."""
        search = bisect_right if at else bisect_left
        i = search(self._starts, instant)
        if i == len(self._starts) and self._tail:
            i += search(self._tail, instant)
        return i

    @property
    def starts(self) -> Sequence[int]:
        """Start times in rank order (a copy while appended sessions are pending)."""
        return self._starts + self._tail if self._tail else self._starts

    def replaced(self, r: int, session: Session) -> Ranked:
        """A copy where ``session`` is at rank ``r`` (the same start and id)."""
        out = self._copy()
        out._patch[r] = session
        return out._folded()

    def appended(self, session: Session) -> Ranked:
        """A copy with ``session`` after the last rank (its sort key after every other)."""
        out = self._copy()
        out._patch[out._len] = session
        out._added = {**self._added, session.id: out._len}
        out._tail = self._tail + array("q", [session.start_time])
        out._len += 1
        return out._folded()

    def _copy(self) -> Ranked:
        out = Ranked.__new__(Ranked)
        out._base, out._starts, out._ids = self._base, self._starts, self._ids
        out._patch, out._added, out._tail = dict(self._patch), self._added, self._tail
        out._len = self._len
        return out

    def _folded(self) -> Ranked:
        if len(self._patch) <= max(FOLD_AT, isqrt(self._len)):
            return self
        sessions = list(self._base)
        sessions.extend(self._patch[r] for r in range(len(self._base), self._len))
        for r, s in self._patch.items():
            sessions[r] = s
        ids = {**self._ids, **self._added} if self._added else self._ids
        return Ranked(sessions, ids, self._starts + self._tail)
