"""Meeting sessions and participant records: one timeline of stays (contract part two, §9).

Times are integer unix seconds. A participant record is one *stay* in a room: it joins at
``join_time`` and leaves at ``join_time + duration``, or has not left yet (``duration`` None: an
open stay, present until it is ended). A session groups the stays of one room from its
``start_time``; its ``end`` is the latest leave of its stays, or None while any stay is open.
What the API shows of a session depends on the instant it is asked at: see ``timeline.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Participant:
    participant_id: str
    user_id: str | None
    user_name: str | None
    join_time: int
    duration: int | None  # None: an open stay (present until it is ended)
    owner: bool = False  # joined as the room's owner (a meeting token's is_owner)

    @property
    def leave(self) -> int | None:
        """When the stay ends, or None while it is open."""
        return None if self.duration is None else self.join_time + self.duration

    @property
    def sort_key(self) -> tuple[int, str]:
        """Order of the participants endpoint: join_time ascending, then participant_id."""
        return (self.join_time, self.participant_id)


@dataclass(frozen=True, slots=True, eq=False)
class Session:
    id: str
    room: str
    start_time: int
    participants: tuple[Participant, ...]  # sorted by Participant.sort_key
    end: int | None  # the latest leave; None while any stay is open
    peak: int  # max_participants once every stay is visible (the whole timeline)

    @staticmethod
    def of(session_id: str, room: str, start_time: int, stays: Iterable[Participant]) -> Session:
        """A session of these stays, with its end and peak derived from them."""
        participants = tuple(sorted(stays, key=lambda p: p.sort_key))
        return Session(
            session_id,
            room,
            start_time,
            participants,
            session_end(participants),
            max(1, peak_overlap(participants)),
        )

    @property
    def sort_key(self) -> tuple[int, str]:
        """The list order is this key *descending*: newest first, ties by id descending."""
        return (self.start_time, self.id)

    def _fields(self) -> tuple[object, ...]:
        return (self.id, self.room, self.start_time, self.participants, self.end, self.peak)

    # Written out rather than generated, so that a session equals one of a subclass with the
    # same fields (a generated session draws its stays on first use: see drawn.py).
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return self is other or self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())


def session_end(stays: Sequence[Participant]) -> int | None:
    """The latest leave of ``stays``, or None when one of them is open."""
    end = None
    for p in stays:
        if p.duration is None:
            return None
        leave = p.join_time + p.duration
        if end is None or leave > end:
            end = leave
    return end


def peak_overlap(
    participants: Iterable[Participant], now: int | None = None, min_stay: int = 0
) -> int:
    """Peak number of simultaneous stays; a stay is the half-open [join, leave).

    With ``now``, only what is visible at ``now`` counts: stays that joined by ``now`` (and,
    with ``min_stay``, have been recorded by then: joined ``min_stay`` seconds before), each
    present at most until ``now`` included. An open stay never leaves. Someone who leaves at t
    and someone who joins at t do not overlap.
    """
    events: list[tuple[int, int]] = []
    for p in participants:
        if now is not None and p.join_time + min_stay > now:
            continue
        events.append((p.join_time, 1))
        leave = p.leave
        if now is not None and (leave is None or leave > now):
            leave = now + 1  # present at now
        if leave is not None:
            events.append((leave, -1))
    events.sort()  # at equal times, -1 (leave) sorts before +1 (join)
    peak = current = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak
