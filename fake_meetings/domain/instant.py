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
from bisect import bisect_left, bisect_right, insort
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from operator import sub
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from .listed import HolesKey
    from .model import Session
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
        self._shift = array("q", map(sub, holes, range(len(holes))))
        self._len = len(base) - len(holes)

    def between(self, start: int, end: int) -> list[int]:
        """Elements ``start`` to ``end - 1``, ascending (``self[start:end]``): the positions of
        ``base`` they span, minus the holes among them (two searches, not one per element),
        unless there are more holes there than elements."""
        base, shift = self._base, self._shift
        start, end = max(0, start), min(end, self._len)
        if start >= end:
            return []
        # element j is base[j + k], k = how many holes come before it
        k0, k1 = bisect_right(shift, start), bisect_right(shift, end - 1)
        lo, hi = start + k0, end + k1  # the positions of base spanned, k1 - k0 holes among them
        if k0 == k1:
            return list(base[lo:hi])
        if k1 - k0 > end - start:  # more holes than elements: one search per element
            return [base[j + bisect_right(shift, j)] for j in range(start, end)]
        holes = self._holes
        skip = set(holes[bisect_left(holes, lo) : bisect_left(holes, hi)])
        return [base[p] for p in range(lo, hi) if p not in skip]

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
    """The store's sessions at one instant (any instant with the same ``key``).

    In a listed store (the ten-second rule: ``listed.py``) some sessions that have started are
    not listed yet: the ``holes``, ascending ranks, every one of them among the ``ongoing``.
    The indexes leave them out; ``ongoing`` keeps them (what has ended is decided without
    them)."""

    __slots__ = (
        "_all",
        "_by_room",
        "_present",
        "_rooms",
        "ended",
        "holes",
        "key",
        "ongoing",
        "store",
        "visible",
    )

    def __init__(
        self,
        store: Store,
        visible: int,
        ended: int,
        ongoing: list[int],
        holes: HolesKey | None = None,
    ):
        self.store = store
        self.visible = visible  # sessions started: the ranks below this
        self.ended = ended  # sessions ended: the first ones in end order
        self.ongoing = ongoing  # ascending ranks of the visible sessions not ended (not mutated)
        self.key: Hashable = (visible, ended)
        self.holes: list[int] = []  # started, not listed yet (a listed store only)
        if holes is not None:
            self.key = (visible, ended, holes)
            assert store.listing is not None, "holes are a listed store's"
            self.holes = store.listing.holes(holes)
        self._rooms: dict[str | None, tuple[list[int], Complement]] = {}
        self._all: dict[str | None, Complement] = {}  # every room's index less the holes
        self._by_room: dict[str, list[int]] | None = None  # ongoing ranks per room, when asked
        self._present: Present | None = None  # built when asked

    def index(self, room: str | None, ongoing: bool | None) -> Sequence[int]:
        """Ascending ranks of the sessions in ``room`` (any when None) that are ongoing, ended
        or either (None). With ``ongoing`` not True, ranks of sessions not yet visible are
        included at the end: bound the ranks by ``visible``. Holes are left out."""
        if ongoing is None:
            return self._listed(room) if self.holes else self.store.room_ranks(room)
        ranks, others = self._split(room)
        return ranks if ongoing else others

    def _listed(self, room: str | None) -> Complement:
        """The ranks of ``room`` less the holes, kept per instant."""
        found = self._all.get(room)
        if found is None:
            base = self.store.room_ranks(room)
            positions = self.holes if room is None else _positions(base, self.holes)
            found = self._all[room] = Complement(base, positions)
        return found

    def ongoing_in(self, room: str) -> list[int]:
        """Ascending ranks of the ongoing sessions of ``room``: O(ongoing) for the first room
        asked about, then O(1) (and carried to the snapshot a live change makes)."""
        if self._by_room is None:
            by_room: dict[str, list[int]] = {}
            for rank, s in zip(self.ongoing, self.store.sessions.pick(self.ongoing), strict=True):
                by_room.setdefault(s.room, []).append(rank)
            self._by_room = by_room
        return self._by_room.get(room, [])

    def present(self) -> Present:
        """Who is in the ongoing sessions (see :class:`Present`)."""
        if self._present is None:
            self._present = Present.of(self.ongoing, self.store.sessions.pick(self.ongoing))
        return self._present

    def _split(self, room: str | None) -> tuple[list[int], Complement]:
        """The ongoing ranks of ``room`` (every room: None), and the others, kept per instant."""
        found = self._rooms.get(room)
        if found is None:
            base = self.store.room_ranks(room)
            if room is None:  # the index of every session is range(n): a position is a rank
                ranks = positions = self.ongoing
            else:
                ranks = self.ongoing_in(room)
                positions = [bisect_left(base, r) for r in ranks]
            if self.holes:  # ongoing, not listed yet
                holes = set(self.holes)
                ranks = [r for r in ranks if r not in holes]
            found = self._rooms[room] = (ranks, Complement(base, positions))
        return found

    def carried(
        self,
        store: Store,
        now: int,
        rank: int,
        before: Session | None,
        after: Session,
        *,
        added: Sequence[str] | None = None,
    ) -> Instant:
        """This instant (of the store before a change at ``now``) in ``store``, the store
        after it: the session of ``rank`` became ``after`` (was ``before``; None: it is new).
        The ongoing list changes by that rank at most: O(ongoing) to copy it, nothing to find.
        ``added``: the participant ids ``after`` has and ``before`` has not, when known (else
        both sessions' stays are read)."""
        was = before is not None and rank < self.visible and not _ended(before, now)
        visible = store.visible_count(now)
        now_ongoing = rank < visible and not _ended(after, now)
        ongoing = self.ongoing
        if was != now_ongoing:
            ongoing = list(ongoing)
            if now_ongoing:
                insort(ongoing, rank)
            else:
                del ongoing[bisect_left(ongoing, rank)]
        listing = store.listing
        holes = None if listing is None else listing.key(store.sessions, now)
        out = Instant(store, visible, store.ends.ended(now), ongoing, holes)
        if self._by_room is not None:
            out._by_room = dict(self._by_room)
            if was != now_ongoing:
                ranks = list(self._by_room.get(after.room, ()))
                if now_ongoing:
                    insort(ranks, rank)
                else:
                    del ranks[bisect_left(ranks, rank)]
                out._by_room[after.room] = ranks
        if self._present is not None:
            out._present = self._present
            if now_ongoing and added is not None:
                out._present = self._present.plus(dict.fromkeys(added, rank))
            elif now_ongoing:
                known = {p.participant_id for p in before.participants} if before else set()
                fresh = {p.participant_id for p in after.participants}
                out._present = self._present.plus(dict.fromkeys(fresh - known, rank))
        return out


def _positions(base: Sequence[int], ranks: Sequence[int]) -> list[int]:
    """The positions in ascending ``base`` of those of the ascending ``ranks`` it holds."""
    out = []
    for r in ranks:
        p = bisect_left(base, r)
        if p < len(base) and base[p] == r:
            out.append(p)
    return out


def _ended(session: Session, now: int) -> bool:
    return session.end is not None and session.end <= now


class Present:
    """Participant id -> rank of the latest ongoing session that holds it, at one instant.

    Built from the ongoing sessions, then carried from snapshot to snapshot by live changes
    (and by the clock moving forward), which add the ids they bring in. A rank may be stale:
    its session may have ended since, and an earlier ongoing session may hold the same id
    (scenarios may repeat a participant id). So a miss is exact (no ongoing session holds the
    id) and a hit is a hint to check. The ids added since the build are a small dict copied
    at every change, folded into a new base when it grows (O(present) every ``FOLD`` changes).
    """

    FOLD = 256
    __slots__ = ("_base", "_extra")

    def __init__(self, base: dict[str, int], extra: dict[str, int]):
        self._base = base  # never changed once built
        self._extra = extra

    @staticmethod
    def of(ranks: Sequence[int], sessions: Sequence[Session]) -> Present:
        """From the ongoing sessions, in ascending rank (a later one wins an id)."""
        return Present(
            {
                p.participant_id: r
                for r, s in zip(ranks, sessions, strict=True)
                for p in s.participants
            },
            {},
        )

    def get(self, participant_id: str) -> int | None:
        found = self._extra.get(participant_id)
        return self._base.get(participant_id) if found is None else found

    def plus(self, added: dict[str, int]) -> Present:
        """With these ids, each held by the ongoing session of its rank, the latest one that
        holds it."""
        if not added:
            return self
        extra = {**self._extra, **added}
        if len(extra) > self.FOLD:
            return Present({**self._base, **extra}, {})
        return Present(self._base, extra)


class Instants:
    """The instants of one store asked about recently, each derived from the nearest."""

    __slots__ = ("_kept", "_last", "_store")

    def __init__(self, store: Store, known: Instant | None = None):
        """``known``: an instant of ``store`` found already (carried over a live change)."""
        self._store = store
        self._kept: OrderedDict[Hashable, Instant] = OrderedDict()
        self._last: tuple[int, Instant] | None = None  # the latest asked: every request asks
        if known is not None:
            self._kept[known.key] = known

    def at(self, now: int) -> Instant:
        last = self._last
        if last is not None and last[0] == now:
            return last[1]
        found = self._find(now)
        self._last = (now, found)
        return found

    def _find(self, now: int) -> Instant:
        store = self._store
        visible, ended, listing = store.visible_count(now), store.ends.ended(now), store.listing
        holes = None if listing is None else listing.key(store.sessions, now)
        key = (visible, ended) if holes is None else (visible, ended, holes)
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
            return found
        instant = self._derive(visible, ended, holes)
        self._kept[key] = instant
        if len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return instant

    def _derive(self, visible: int, ended: int, holes: HolesKey | None) -> Instant:
        store = self._store
        scratch = min(visible, len(store.ends) - ended)
        nearest, cost = None, scratch
        for known in self._kept.values():
            moves = abs(known.visible - visible) + abs(known.ended - ended) + len(known.ongoing)
            if moves < cost:
                nearest, cost = known, moves
        if nearest is None:
            return Instant(store, visible, ended, self._scratch(visible, ended), holes)
        out = Instant(store, visible, ended, self._moved(nearest, visible, ended), holes)
        if nearest._present is not None and visible >= nearest.visible and ended >= nearest.ended:
            # forward: the sessions that came have started since, later in rank than any before
            came = out.ongoing[bisect_left(out.ongoing, nearest.visible) :]
            sessions = store.sessions.pick(came)
            out._present = nearest._present.plus(
                {
                    p.participant_id: r
                    for r, s in zip(came, sessions, strict=True)
                    for p in s.participants
                }
            )
        return out

    def _is_ended(self, rank: int, ended: int) -> bool:
        """Whether the session of ``rank`` is among the first ``ended`` in end order."""
        store = self._store
        end = store.sessions[rank].end
        return end is not None and ended > 0 and end <= store.ends[ended - 1]

    def _scratch(self, visible: int, ended: int) -> list[int]:
        store = self._store
        if visible <= len(store.ends) - ended:
            return [r for r in range(visible) if not self._is_ended(r, ended)]
        return sorted(r for r in store.ends.ranks(ended, len(store.ends)) if r < visible)

    def _moved(self, known: Instant, visible: int, ended: int) -> list[int]:
        ends = self._store.ends
        gone: set[int] = set(range(visible, known.visible))  # not started any more
        gone.update(ends.ranks(known.ended, ended))  # ended since
        # started since (and not ended too), or not ended any more (and still started)
        came = [r for r in range(known.visible, visible) if not self._is_ended(r, ended)]
        came.extend(r for r in ends.ranks(ended, known.ended) if r < visible)
        kept = [r for r in known.ongoing if r not in gone] if gone else list(known.ongoing)
        if came:
            kept.extend(came)
            kept.sort()  # two sorted runs, merged
        return kept
