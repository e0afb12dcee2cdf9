"""An immutable snapshot of all sessions, with the indexes the query engine needs.

Sessions are kept in *ascending* ``(start_time, id)`` order; a session's position in that order
is its *rank*. The list order of the API is descending rank. Every index below is an ascending
sequence of ranks, so a filter, a cursor and ``total_count`` are all ``bisect`` calls:
a query costs O(log n + page), never a scan.

A store is never mutated. Reloading builds a new one and swaps the reference, so a reader holding
the old snapshot keeps a consistent view.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

from .gcpause import gc_paused
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
        "_by_ongoing",
        "_by_room",
        "_by_room_ongoing",
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
        by_room_ongoing: dict[tuple[str, bool], array[int]] = {}
        by_ongoing: dict[bool, array[int]] = {True: array("q"), False: array("q")}
        for rank, s in enumerate(ordered):
            if s.id in self.rank:
                raise DuplicateSessionId(s.id)
            self.rank[s.id] = rank
            by_room.setdefault(s.room, array("q")).append(rank)
            by_room_ongoing.setdefault((s.room, s.ongoing), array("q")).append(rank)
            by_ongoing[s.ongoing].append(rank)
        self._by_room = by_room
        self._by_room_ongoing = by_room_ongoing
        self._by_ongoing = by_ongoing

    def __len__(self) -> int:
        return len(self.sessions)

    def get(self, session_id: str) -> Session | None:
        rank = self.rank.get(session_id)
        return None if rank is None else self.sessions[rank]

    @property
    def rooms(self) -> list[str]:
        return sorted(self._by_room)

    def ranks(self, room: str | None, ongoing: bool | None) -> Sequence[int]:
        """Ascending ranks of the sessions in ``room`` (any when None) with that ``ongoing``."""
        empty: Sequence[int] = ()
        if room is None and ongoing is None:
            return range(len(self.sessions))
        if room is None:
            assert ongoing is not None
            return self._by_ongoing[ongoing]
        if ongoing is None:
            return self._by_room.get(room, empty)
        return self._by_room_ongoing.get((room, ongoing), empty)
