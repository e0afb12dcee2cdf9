"""An immutable snapshot of all sessions, with the indexes the query engine needs.

Sessions are kept in *ascending* ``(start_time, id)`` order; a session's position in that order
is its *rank*. The list order of the API is descending rank. Every index below is an ascending
sequence of ranks, so a filter, a cursor and ``total_count`` are all ``bisect`` calls:
a query costs O(log n + page), never a scan.

What is visible and what is ongoing depend on the instant asked about: ``at(now)`` gives the
store's :class:`~fake_meetings.domain.instant.Instant` (see ``instant.py``).

A store is never mutated. Reloading builds a new one and swaps the reference, so a reader holding
the old snapshot keeps a consistent view. A live change (someone joins or leaves now) makes a new
snapshot that shares almost everything with the old one: the sessions by rank (``ranked.py``)
and the end order (``endindex.py``) copy O(√n) of themselves, and the instant the change
happened at is carried over rather than computed again (``Instant.carried``).
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from itertools import islice
from operator import attrgetter

from .endindex import EndIndex
from .gcpause import gc_paused
from .instant import Instant, Instants
from .listed import Listing
from .model import Session
from .ranked import Ranked
from .recorded import recorded, visible_from

_start = attrgetter("start_time")
_end = attrgetter("end")
_room = attrgetter("room")
_id = attrgetter("id")


def _in_rank_order(sessions: Iterable[Session]) -> tuple[list[Session], array[int]]:
    """Sorted by ``Session.sort_key``, ``(start_time, id)``, with their start times: by start
    (a sort of ints, linear when they come sorted already), then each run of equal starts by
    id."""
    ordered = sorted(sessions, key=_start)
    starts = array("q", map(_start, ordered))
    nexts = islice(starts, 1, None)
    tied = [i for i, (a, b) in enumerate(zip(starts, nexts, strict=False)) if a == b]
    end = -1
    for i in tied:
        if i >= end:  # the first of a run of equal starts
            end = bisect_right(starts, starts[i], i)
            ordered[i:end] = sorted(ordered[i:end], key=_id)
    return ordered, starts


def _first_duplicate(ids: Iterable[str]) -> str:
    seen: set[str] = set()
    for session_id in ids:
        if session_id in seen:
            return session_id
        seen.add(session_id)
    raise AssertionError("no duplicate")


LISTED_KEPT = 4  # listed stores kept per snapshot (different min_stay values: see Store.listed)


class DuplicateSessionId(ValueError):
    def __init__(self, session_id: str):
        super().__init__(f"duplicate session id {session_id!r}")
        self.session_id = session_id


class Store:
    # __weakref__: layers above may keep data derived from one snapshot (the API's render cache)
    # in weak-keyed maps, so it goes away with the snapshot.
    __slots__ = ("__weakref__", "_by_room", "_instants", "_listed", "ends", "listing", "sessions")

    def __init__(self, sessions: Iterable[Session] = ()):
        with gc_paused():  # indexing creates no cycles; see gcpause.py
            self._build(sessions)

    def _build(self, sessions: Iterable[Session]) -> None:
        ordered, starts = _in_rank_order(sessions)
        ids = dict(zip(map(_id, ordered), range(len(ordered)), strict=True))
        if len(ids) < len(ordered):
            raise DuplicateSessionId(_first_duplicate(s.id for s in ordered))
        by_room: dict[str, list[int]] = {}
        for rank, room in enumerate(map(_room, ordered)):
            ranks = by_room.get(room)
            if ranks is None:
                by_room[room] = [rank]
            else:
                ranks.append(rank)
        self.sessions = Ranked(ordered, ids, starts)
        # every session in end order, those with no end last
        self.ends = EndIndex.by_rank(map(_end, ordered))
        self._by_room = {room: array("q", ranks) for room, ranks in by_room.items()}
        self.listing: Listing | None = None  # a listed store's rule (see listed)
        # the listed stores made from this one, by min_stay, once asked (see listed)
        self._listed: dict[int, Store] | None = None
        self._instants = Instants(self)

    def _derived(self, sessions: Ranked, ends: EndIndex, by_room: dict[str, array[int]]) -> Store:
        store = Store.__new__(Store)
        store.sessions, store.ends, store._by_room = sessions, ends, by_room
        store.listing = store._listed = None
        return store

    def listed(self, min_stay: int) -> Store:
        """What ``/meetings`` lists of this store under the ten-second rule (``recorded.py``):
        a store of the recorded sessions, at the same ranks, that holds back the sessions not
        recorded yet (``listed.py``). Itself when ``min_stay`` is 0. Made on first use, O(n)
        (sharing this store's indexes when no session differs, as no generated one does), then
        carried by every live change at the cost of the change. Namespaces sharing a snapshot
        may ask different values: the last :data:`LISTED_KEPT` asked are kept (and carried)."""
        if min_stay <= 0 or self.listing is not None:
            return self
        kept = self._listed
        found = None if kept is None else kept.get(min_stay)
        if found is None:
            found = self._listing(min_stay)
            others = list((kept or {}).items())[-(LISTED_KEPT - 1) :]
            self._listed = {**dict(others), min_stay: found}  # a new dict: readers see one whole
        return found

    def _listing(self, min_stay: int) -> Store:
        sessions = self.sessions
        recs = [recorded(s, min_stay) for s in sessions]
        if all(map(operator.is_, recs, sessions)):
            store = self._derived(sessions, self.ends, self._by_room)
        else:
            store = self._derived(
                sessions.like(recs), EndIndex.by_rank(map(_end, recs)), self._by_room
            )
        store.listing = Listing.of(min_stay, recs)
        store._instants = Instants(store)
        return store

    def __len__(self) -> int:
        return len(self.sessions)

    @property
    def starts(self) -> Sequence[int]:
        """Start times in rank order (ascending)."""
        return self.sessions.starts

    def rank_of(self, session_id: str) -> int | None:
        return self.sessions.rank(session_id)

    def get(self, session_id: str) -> Session | None:
        return self.sessions.find(session_id)

    def visible(self, session_id: str, now: int) -> Session | None:
        """The session if it exists and has started by ``now`` (and, in a listed store, has a
        stay recorded by then)."""
        s = self.sessions.find(session_id)
        if s is None or s.start_time > now:
            return None
        listing = self.listing
        return s if listing is None or visible_from(s, listing.min_stay) <= now else None

    def visible_count(self, now: int) -> int:
        """How many sessions have started by ``now`` (they are the ranks below this count)."""
        return self.sessions.started(now)

    def starting_before(self, instant: int) -> int:
        """How many sessions start before ``instant`` (the ranks below this count)."""
        return self.sessions.started(instant, at=False)

    @property
    def rooms(self) -> list[str]:
        return sorted(self._by_room)

    def first_starts(self) -> dict[str, int]:
        """The start_time of each room's first session: O(rooms), from the room index."""
        start = self.sessions.start
        return {room: start(ranks[0]) for room, ranks in self._by_room.items()}

    def room_ranks(self, room: str | None) -> Sequence[int]:
        """Ascending ranks of the sessions in ``room`` (of every session when None)."""
        if room is None:
            return range(len(self.sessions))
        return self._by_room.get(room, ())

    def at(self, now: int) -> Instant:
        """Which sessions are visible, ongoing and ended at ``now``."""
        return self._instants.at(now)

    def crossed(self, before: int, after: int) -> list[tuple[int, str, Session]]:
        """The starts and ends of sessions at instants in ``(before, after]`` (a clock moving
        forward from ``before`` to ``after`` passes them), in time order, a start before an end
        at the same instant: ``(instant, "start" | "end", session)``. O(k log n) for k of them."""
        if after <= before:
            return []
        sessions, ends = self.sessions, self.ends
        out = [
            (s.start_time, "start", s)
            for s in sessions[sessions.started(before) : sessions.started(after)]
        ]
        ended = sessions.pick(ends.ranks(ends.ended(before), ends.ended(after)))
        out.extend((s.end, "end", s) for s in ended if s.end is not None)
        out.sort(key=lambda c: (c[0], c[1] == "end"))
        return out

    def replaced(
        self, old: Session, new: Session, now: int, *, added: Sequence[str] | None = None
    ) -> Store:
        """A new snapshot where ``new`` takes the place of ``old`` (same start_time, id and
        room: a stay added or ended), changed at ``now``. Ranks and the room index are shared;
        the sessions and the end order copy O(√n) of themselves; the instant at ``now`` is
        carried over (see the module docstring). ``added``: the participant ids ``new`` has
        and ``old`` has not, when the caller knows them (else both are read)."""
        assert old.sort_key == new.sort_key and old.room == new.room, "not the same session"
        rank = self.sessions.rank(old.id)
        assert rank is not None, "not a session of this store"
        ends = self.ends if old.end == new.end else self.ends.moved(rank, old.end, new.end)
        store = self._derived(self.sessions.replaced(rank, new), ends, self._by_room)
        self._carry(store, rank, old, new, now)
        carried = self.at(now).carried(store, now, rank, old, new, added=added)
        store._instants = Instants(store, carried)
        return store

    def _carry(self, store: Store, rank: int, old: Session | None, new: Session, now: int) -> None:
        """Make ``store`` (this one after the session of ``rank`` became ``new``) a listed store
        like this one, or carry this one's listed store over the change."""
        if self.listing is not None:
            store.listing = self.listing.changed(rank, new)
            return
        if self._listed is None:
            return
        carried: dict[int, Store] = {}
        for min_stay, listed in self._listed.items():
            rec = recorded(new, min_stay)
            if old is None:
                carried[min_stay] = listed.added(rec, now)
            else:
                carried[min_stay] = listed.replaced(listed.sessions[rank], rec, now)
        store._listed = carried

    def added(self, new: Session, now: int) -> Store:
        """A new snapshot with one more session, added at ``now``. When it comes last in rank
        order (no session starts later, nor at the same time with a greater id), this costs
        what a change does (see :meth:`replaced`) and a copy of its room's index. Otherwise
        (a scenario has sessions after ``now``, or two rooms start a session in the same
        second and the second id sorts first) see :meth:`_inserted`."""
        if self.sessions.rank(new.id) is not None:
            raise DuplicateSessionId(new.id)
        n = len(self.sessions)
        if n and self.sessions[n - 1].sort_key >= new.sort_key:
            return self._inserted(new)
        ranks = array("q", self._by_room.get(new.room, ()))
        ranks.append(n)
        store = self._derived(
            self.sessions.appended(new),
            self.ends.moved(n, None, new.end, new=True),
            {**self._by_room, new.room: ranks},
        )
        self._carry(store, n, None, new, now)
        store._instants = Instants(store, self.at(now).carried(store, now, n, None, new))
        return store

    def _inserted(self, new: Session) -> Store:
        """:meth:`added` for a session that sorts before others: the ranks from its own on move
        up one. No sort: copies made in C (the sessions, their starts, the id map), and a pass
        over what moves (the ids, room ranks and end-order ranks of the later sessions; chunks
        of the end order holding none of them are shared). At a million sessions with a few
        thousand after ``now``, tens of milliseconds instead of seconds."""
        starts = array("q", self.sessions.starts)
        r = bisect_left(starts, new.start_time)
        sessions = list(self.sessions)
        while r < len(sessions) and sessions[r].sort_key < new.sort_key:
            r += 1  # past the sessions that start in the same second with a smaller id
        sessions.insert(r, new)
        starts.insert(r, new.start_time)
        ids = self.sessions.id_ranks()
        for rank in range(r, len(sessions)):
            ids[sessions[rank].id] = rank
        by_room = {room: _shifted(ranks, r) for room, ranks in self._by_room.items()}
        room = array("q", by_room.get(new.room, ()))
        insort(room, r)
        by_room[new.room] = room
        ends = self.ends.shifted(r).moved(r, None, new.end, new=True)
        store = self._derived(Ranked(sessions, ids, starts), ends, by_room)
        if self.listing is not None:  # ranks moved: the late ones are found again
            store.listing = Listing.of(self.listing.min_stay, sessions)
        store._instants = Instants(store)
        return store  # a listed store of it is made again when asked


def _shifted(ranks: array[int], r: int) -> array[int]:
    """Ascending ``ranks`` with every rank from ``r`` on one higher (shared when none is)."""
    p = bisect_left(ranks, r)
    if p == len(ranks):
        return ranks
    return ranks[:p] + array("q", [x + 1 for x in ranks[p:]])
