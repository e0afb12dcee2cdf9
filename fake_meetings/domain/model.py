"""Meeting sessions and participant records, and the invariants that tie them together.

Times are integer unix seconds. A participant whose ``duration`` is ``None`` is still in the
room; only an ``ongoing`` session has such participants, and an ongoing session has no stored
duration: both are ``now - start`` at the moment of a request (contract §1, §8).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Participant:
    participant_id: str
    user_id: str | None
    user_name: str | None
    join_time: int
    duration: int | None  # None: still present (ongoing sessions only)

    def duration_at(self, now: int) -> int:
        if self.duration is not None:
            return self.duration
        return max(0, now - self.join_time)

    @property
    def sort_key(self) -> tuple[int, str]:
        """Order of the participants endpoint: join_time ascending, then participant_id."""
        return (self.join_time, self.participant_id)


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    room: str
    start_time: int
    ongoing: bool
    duration: int | None  # None exactly when ongoing
    max_participants: int
    participants: tuple[Participant, ...]  # sorted by Participant.sort_key

    def duration_at(self, now: int) -> int:
        if self.duration is not None:
            return self.duration
        return max(0, now - self.start_time)

    @property
    def sort_key(self) -> tuple[int, str]:
        """The list order is this key *descending*: newest first, ties by id descending."""
        return (self.start_time, self.id)


def peak_overlap(participants: Iterable[Participant]) -> int:
    """Peak number of simultaneous participants; a stay is the half-open [join, join + duration).

    Someone still present never leaves. Someone who leaves at t and someone who joins at t do
    not overlap.
    """
    events: list[tuple[int, int]] = []
    for p in participants:
        events.append((p.join_time, 1))
        if p.duration is not None:
            events.append((p.join_time + p.duration, -1))
    events.sort()  # at equal times, -1 (leave) sorts before +1 (join)
    peak = current = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


def derived_duration(start_time: int, participants: Iterable[Participant]) -> int:
    """An ended session's duration: ``max(join_time + duration) - start_time``."""
    end = max(p.join_time + (p.duration or 0) for p in participants)
    return end - start_time
