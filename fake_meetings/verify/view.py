"""The capture as the questions and the classes need it: its sessions visible at ``now`` in
list order (newest first, ties by id), whether each is ongoing then, and its rooms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..domain import timeline
from ..domain.model import Session
from ..domain.rooms import Room
from ..domain.world import World


@dataclass(frozen=True, slots=True)
class Stay:
    """A participant record's data: what the account's record is checked against."""

    user_id: str | None
    user_name: str | None
    join_time: int
    duration: int | None  # None: present at the capture instant


@dataclass(frozen=True, slots=True)
class Record:
    """A session's data as it was captured (never its derived fields, bar ``ongoing``)."""

    room: str
    start_time: int
    ongoing: bool
    stays: dict[str, Stay]


class CaptureView:
    def __init__(
        self, sessions: Iterable[Session], world: World, now: int, since: int | None = None
    ):
        """``sessions``: those ``world`` serves (its rooms are those it lists, implied too)."""
        self.now, self.since = now, since
        shown = [
            s
            for s in sessions
            if timeline.visible(s, now) and (since is None or s.start_time >= since)
        ]
        self.sessions: list[Session] = sorted(shown, key=lambda s: s.sort_key, reverse=True)
        self.by_id = {s.id: s for s in self.sessions}
        rooms = [r for r in world.rooms if r.created_at <= now]
        self.rooms: list[Room] = sorted(rooms, key=lambda r: r.sort_key, reverse=True)
        self.room_by_name = {r.name: r for r in self.rooms}

    def ongoing(self, s: Session) -> bool:
        return timeline.ongoing(s, self.now)

    def record(self, s: Session) -> Record:
        stays = {
            p.participant_id: Stay(
                p.user_id,
                p.user_name,
                p.join_time,
                p.duration if p.leave is not None and p.leave <= self.now else None,
            )
            for p in timeline.participants(s, self.now)
        }
        return Record(s.room, s.start_time, self.ongoing(s), stays)
