"""Who is in which room at one instant (contract part two, §12): Daily's presence.

A participant is **present** at ``now`` when its stay has joined (``join_time <= now``), has not
left (no leave yet, or a leave after ``now``) and belongs to a session visible at ``now``. Only
an ongoing session can hold such a stay (a session ends at its latest leave), so presence is
computed from the store's ongoing sessions at ``now`` (``store.at(now)``, kept per instant):
O(ongoing sessions + their stays), never a scan of every session.

Within a room, present participants are ordered by ``joinTime``, then ``id`` (the participant id)
[F]; ``/presence`` lists rooms by name. Daily's presence lags up to 15 seconds; the fake is exact:
a join or a leave shows at the very instant it happens [F].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Participant, Session
from .rooms import created_at_text
from .store import Store


@dataclass(frozen=True, slots=True)
class Present:
    """One participant present in a room at an instant."""

    session: Session
    participant: Participant

    @property
    def sort_key(self) -> tuple[int, str]:
        return self.participant.sort_key  # join_time, then participant_id

    def as_json(self, now: int) -> dict[str, Any]:
        p = self.participant
        return {
            "room": self.session.room,
            "id": p.participant_id,
            "userId": p.user_id,
            "userName": p.user_name,
            "mtgSessionId": self.session.id,
            "joinTime": created_at_text(p.join_time),
            "duration": max(0, now - p.join_time),
        }


def present(store: Store, now: int, room: str | None = None) -> list[Present]:
    """Everyone present at ``now`` in ``room`` (every room when None), by join_time then id."""
    found: list[Present] = []
    for session in store.sessions.pick(store.at(now).index(room, True)):  # ongoing at now
        for p in session.participants:  # sorted by join_time
            if p.join_time > now:
                break
            leave = p.leave
            if leave is None or leave > now:
                found.append(Present(session, p))
    found.sort(key=lambda x: x.sort_key)
    return found


def latest_hosting(store: Store, now: int, room: str) -> Session | None:
    """The latest started session (by ``(start_time, id)``) going on in ``room`` at ``now``
    with someone in it: the session of :func:`present`'s last-started entry for ``room``.
    The room's ongoing sessions are read from the newest down, only until one has someone in
    it, so a crowded room costs no more than an empty one."""
    sessions = store.sessions
    for rank in reversed(store.at(now).index(room, True)):
        session = sessions[rank]
        for p in session.participants:  # sorted by join_time
            if p.join_time > now:
                break
            leave = p.leave
            if leave is None or leave > now:
                return session
    return None


def by_room(store: Store, now: int) -> dict[str, list[Present]]:
    """``/presence``: the present participants grouped by room, rooms by name; no empty room."""
    rooms: dict[str, list[Present]] = {}
    for x in present(store, now):
        rooms.setdefault(x.session.room, []).append(x)
    return {name: rooms[name] for name in sorted(rooms)}


@dataclass(frozen=True, slots=True)
class PresenceQuery:
    """``/rooms/:name/presence``: at most ``limit`` participants, those whose user id and user
    name equal the given ones (exact, case-sensitive) when given."""

    limit: int
    user_id: str | None = None
    user_name: str | None = None

    def keeps(self, x: Present) -> bool:
        p = x.participant
        return (self.user_id is None or p.user_id == self.user_id) and (
            self.user_name is None or p.user_name == self.user_name
        )


def room_presence(
    store: Store, room: str, now: int, query: PresenceQuery
) -> tuple[int, list[Present]]:
    """The count of every match, and the first ``limit`` of them."""
    matches = [x for x in present(store, now, room) if query.keeps(x)]
    return len(matches), matches[: query.limit]
