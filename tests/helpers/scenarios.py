"""Scenario data for the HTTP tests: a World built from a scenario dict with a frozen clock.

Expected values in the tests come from the dicts built here (``SessionSpec``) and independent
computations on them (sorting, arithmetic), never from the package under test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.recordings import Recording
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_data
from tests.helpers.constants import DAY, NOW


@dataclass
class PartSpec:
    participant_id: str
    join_time: int
    duration: int | None  # None: still present (ongoing sessions only)
    user_id: str | None = None
    user_name: str | None = None

    def as_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"participant_id": self.participant_id, "join_time": self.join_time}
        if self.duration is not None:
            out["duration"] = self.duration
        if self.user_id is not None:
            out["user_id"] = self.user_id
        if self.user_name is not None:
            out["user_name"] = self.user_name
        return out

    def duration_at(self, now: int) -> int:
        """Present until ``now`` (an open stay, or one that leaves later), else its duration."""
        if self.duration is None or self.join_time + self.duration > now:
            return max(0, now - self.join_time)
        return self.duration

    def expected(self, now: int) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "participant_id": self.participant_id,
            "user_name": self.user_name,
            "join_time": self.join_time,
            "duration": self.duration_at(now),
        }


@dataclass
class SessionSpec:
    id: str
    room: str
    start_time: int
    participants: list[PartSpec]
    ongoing: bool = False
    max_participants: int | None = None  # given explicitly in the data when set

    def as_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "room": self.room,
            "start_time": self.start_time,
            "participants": [p.as_data() for p in self.participants],
        }
        if self.ongoing:
            out["ongoing"] = True
        if self.max_participants is not None:
            out["max_participants"] = self.max_participants
        return out

    @property
    def key(self) -> tuple[int, str]:
        return (self.start_time, self.id)

    def ongoing_at(self, now: int) -> bool:
        """Someone is still in the room at ``now``, or will be: an open stay or a later leave."""
        return any(p.duration is None or p.join_time + p.duration > now for p in self.participants)

    def duration_at(self, now: int) -> int:
        if self.ongoing_at(now):
            return max(0, now - self.start_time)
        return max(p.join_time + (p.duration or 0) for p in self.participants) - self.start_time

    def sorted_participants(self) -> list[PartSpec]:
        return sorted(self.participants, key=lambda p: (p.join_time, p.participant_id))

    def peak(self) -> int:
        """The given max_participants, else the most people present at any join instant
        (a stay is [join, join + duration); someone still present never leaves)."""
        if self.max_participants is not None:
            return self.max_participants
        best = 0
        for t in (p.join_time for p in self.participants):
            here = sum(
                1
                for q in self.participants
                if q.join_time <= t and (q.duration is None or t < q.join_time + q.duration)
            )
            best = max(best, here)
        return best

    def expected(self, now: int, *, participants: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "room": self.room,
            "start_time": self.start_time,
            "duration": self.duration_at(now),
            "ongoing": self.ongoing_at(now),
            "max_participants": self.peak(),
        }
        if participants:
            out["participants"] = [p.expected(now) for p in self.sorted_participants()]
        return out


@dataclass
class Scenario:
    sessions: list[SessionSpec]
    now: int = NOW
    by_id: dict[str, SessionSpec] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.sessions}

    def as_data(self) -> dict[str, Any]:
        return {"now": self.now, "sessions": [s.as_data() for s in self.sessions]}

    def ordered(self, pred: Callable[[SessionSpec], bool] = lambda s: True) -> list[SessionSpec]:
        """Newest first, ties by id descending: computed here, independently of the package."""
        return sorted((s for s in self.sessions if pred(s)), key=lambda s: s.key, reverse=True)

    def ordered_ids(self, pred: Callable[[SessionSpec], bool] = lambda s: True) -> list[str]:
        return [s.id for s in self.ordered(pred)]

    def world(self, recordings: Iterable[Recording] = ()) -> World:
        scenario = load_data(self.as_data(), "test-scenario", now=self.now)
        return World(scenario.sessions, Clock(self.now), recordings=recordings)


def _ended(pid: str, join: int, duration: int, **kw: Any) -> PartSpec:
    return PartSpec(pid, join, duration, **kw)


T0 = NOW - 7 * DAY


def small_scenario() -> Scenario:
    """A dozen hand-made sessions: three rooms (one differing only in case), ties on start_time,
    ongoing sessions with present and departed participants, a join before the session start."""
    return Scenario(
        [
            SessionSpec(
                "s-01",
                "standup",
                T0,
                [
                    _ended("p-01-b", T0, 900, user_id="u-alice", user_name="Alice"),
                    _ended("p-01-a", T0 + 30, 600, user_name="Bob"),
                ],
            ),
            SessionSpec("s-02", "retro", T0 + 3600, [_ended("p-02-a", T0 + 3600, 1800)]),
            SessionSpec(
                "s-03",
                "standup",
                T0 + DAY,
                [
                    _ended("p-03-a", T0 + DAY, 1200, user_id="u-alice"),
                    _ended("p-03-b", T0 + DAY + 60, 300),
                    _ended("p-03-c", T0 + DAY + 60, 600),
                ],
            ),
            # three sessions sharing a start_time: the order is by id descending
            SessionSpec("s-04b", "retro", T0 + 2 * DAY, [_ended("p-04b", T0 + 2 * DAY, 700)]),
            SessionSpec("s-04a", "standup", T0 + 2 * DAY, [_ended("p-04a", T0 + 2 * DAY, 500)]),
            SessionSpec("s-04c", "standup", T0 + 2 * DAY, [_ended("p-04c", T0 + 2 * DAY, 400)]),
            SessionSpec("s-05", "Standup", T0 + 3 * DAY, [_ended("p-05", T0 + 3 * DAY, 100)]),
            SessionSpec(
                "s-06",
                "retro",
                T0 + 4 * DAY,
                [_ended("p-06", T0 + 4 * DAY, 2000)],
                max_participants=1,  # given explicitly: it must agree with the stays
            ),
            SessionSpec(
                "s-09",
                "all-hands",
                T0 + 5 * DAY,
                [_ended(f"p-09-{i:02d}", T0 + 5 * DAY + 15 * (i % 4), 3000) for i in range(9)],
            ),
            SessionSpec(
                "s-07",
                "standup",
                NOW - 3600,
                [
                    PartSpec("p-07-a", NOW - 3600, None, user_id="u-alice", user_name="Alice"),
                    _ended("p-07-b", NOW - 3500, 600, user_name="Bob"),
                    PartSpec("p-07-c", NOW - 1800, None, user_name="Carol"),
                ],
                ongoing=True,
            ),
            SessionSpec(
                "s-08",
                "retro",
                NOW - 600,
                [PartSpec("p-08-a", NOW - 615, None), _ended("p-08-b", NOW - 590, 120)],
                ongoing=True,
            ),
        ]
    )


BIG_COUNT = 130
BIG_ROOMS = ("alpha", "beta", "gamma")


def big_scenario() -> Scenario:
    """130 finished sessions (more than one page of 100), start times tied in pairs."""
    sessions = []
    for i in range(BIG_COUNT):
        start = T0 + (i // 2) * 600
        sessions.append(
            SessionSpec(
                f"m{(i * 37) % BIG_COUNT:04d}",  # ids not in start order, so ties are real tests
                BIG_ROOMS[i % 3],
                start,
                [_ended(f"bp{i:04d}", start, 60 + i)],
            )
        )
    return Scenario(sessions)
