"""An immutable snapshot of all sessions, with the indexes the query engine needs.

Sessions are kept in *ascending* ``(start_time, id)`` order; a session's position in that order
is its *rank*. The list order of the API is descending rank. Every index below is an ascending
sequence of ranks, so a filter, a cursor and ``total_count`` are all ``bisect`` calls:
a query costs O(log n + page), never a scan.

What is visible and what is ongoing depend on the instant asked about: ``at(now)`` gives the
store's :class:`~fake_meetings.domain.instant.Instant` (see ``instant.py``).

A store is never mutated. Reloading builds a new one and swaps the reference, so a reader holding
the old snapshot keeps a consistent view.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from .gcpause import gc_paused
from .instant import Instant, Instants
from .model import Session


class DuplicateSessionId(ValueError):
    def __init__(self, session_id: str):
        super().__init__(f"duplicate session id {session_id!r}")
        self.session_id = session_id


class Store:
    # __weakref__: layers above may keep data derived from one snapshot (the API's render cache)
    # in weak-keyed maps, so it goes away with the snapshot.
    __slots__ = (
        "__weakref__",
        "_by_room",
        "_instants",
        "end_ranks",
        "ends",
        "open_ranks",
        "rank",
        "sessions",
        "starts",
    )

    def __init__(self, sessions: Iterable[Session] = ()):
        with gc_paused():  # indexing creates no cycles; see gcpause.py
            self._build(sessions)

    def _build(self, sessions: Iterable[Session]) -> None:
        ordered = sorted(sessions, key=lambda s: s.sort_key)
        self.sessions: tuple[Session, ...] = tuple(ordered)
        self.starts: array[int] = array("q", (s.start_time for s in ordered))
        self.rank: dict[str, int] = {}
        by_room: dict[str, array[int]] = {}
        ended: list[tuple[int, int]] = []  # (end, rank) of the sessions that have an end
        self.open_ranks: array[int] = array("q")  # ascending ranks of the sessions with no end
        for rank, s in enumerate(ordered):
            if s.id in self.rank:
                raise DuplicateSessionId(s.id)
            self.rank[s.id] = rank
            by_room.setdefault(s.room, array("q")).append(rank)
            if s.end is not None:
                ended.append((s.end, rank))
            else:
                self.open_ranks.append(rank)
        ended.sort()
        self.ends: array[int] = array("q", (end for end, _ in ended))  # ascending
        self.end_ranks: array[int] = array("q", (rank for _, rank in ended))  # in end order
        self._by_room = by_room
        self._instants = Instants(self)

    def __len__(self) -> int:
        return len(self.sessions)

    def get(self, session_id: str) -> Session | None:
        rank = self.rank.get(session_id)
        return None if rank is None else self.sessions[rank]

    def visible(self, session_id: str, now: int) -> Session | None:
        """The session if it exists and has started by ``now``."""
        s = self.get(session_id)
        return s if s is not None and s.start_time <= now else None

    def visible_count(self, now: int) -> int:
        """How many sessions have started by ``now`` (they are the ranks below this count)."""
        return bisect_right(self.starts, now)

    @property
    def rooms(self) -> list[str]:
        return sorted(self._by_room)

    def first_starts(self) -> dict[str, int]:
        """The start_time of each room's first session: O(rooms), from the room index."""
        starts = self.starts
        return {room: starts[ranks[0]] for room, ranks in self._by_room.items()}

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
        sessions, starts, ends = self.sessions, self.starts, self.ends
        out = [
            (starts[r], "start", sessions[r])
            for r in range(bisect_right(starts, before), bisect_right(starts, after))
        ]
        out.extend(
            (ends[i], "end", sessions[self.end_ranks[i]])
            for i in range(bisect_right(ends, before), bisect_right(ends, after))
        )
        out.sort(key=lambda c: (c[0], c[1] == "end"))
        return out

    def replaced(self, old: Session, new: Session) -> Store:
        """A new snapshot where ``new`` takes the place of ``old`` (same start_time, id and
        room: a stay added or ended). The order and the room indexes are shared, not rebuilt:
        the cost is a copy of flat arrays, not an index of every session."""
        assert old.sort_key == new.sort_key and old.room == new.room, "not the same session"
        rank = self.rank[old.id]
        store = Store.__new__(Store)
        sessions = list(self.sessions)
        sessions[rank] = new
        store.sessions = tuple(sessions)
        store.starts, store.rank, store._by_room = self.starts, self.rank, self._by_room
        ends, end_ranks = array("q", self.ends), array("q", self.end_ranks)
        open_ranks = array("q", self.open_ranks)
        if old.end is not None:
            i = bisect_left(ends, old.end)
            while end_ranks[i] != rank:
                i += 1
            del ends[i], end_ranks[i]
        else:
            del open_ranks[bisect_left(open_ranks, rank)]
        if new.end is not None:
            i = bisect_right(ends, new.end)
            ends.insert(i, new.end)
            end_ranks.insert(i, rank)
        else:
            open_ranks.insert(bisect_left(open_ranks, rank), rank)
        store.ends, store.end_ranks, store.open_ranks = ends, end_ranks, open_ranks
        store._instants = Instants(store)
        return store

    def added(self, new: Session) -> Store:
        """A new snapshot with one more session (indexed anew)."""
        return Store((*self.sessions, new))
