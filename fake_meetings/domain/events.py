"""What Daily would emit between two instants of the timeline (contract part two, §13).

Each session gives ``meeting.started`` at its ``start_time``, ``participant.joined`` at each
stay's join, ``participant.left`` at each stay's leave and ``meeting.ended`` at its end plus
``ended_delay`` (Daily waits up to 20 s for reconnections; the fake's default is 0 [F]).

A clock moving forward from ``before`` to ``after`` passes the events at instants in
``(before, after]``. Their order [F]: by instant; at one instant ``meeting.started`` first,
then ``participant.left``, then ``participant.joined`` (a stay is the half-open
``[join, leave)``: who leaves at t is gone before who joins at t arrives), then the leaves of
stays that joined at that very instant (a stay's join always comes before its leave), then
``meeting.ended``; within a kind, by session (``start_time``, id) and then by stay (join
time, participant id).

Only the sessions that can have an event in the interval are looked at: those starting in it,
those ongoing at ``before``, and those whose delayed end falls in it — O(k log n + m) for k
events and m sessions ongoing at ``before``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .endindex import OPEN
from .model import Participant, Session
from .store import Store

STARTED = "meeting.started"
ENDED = "meeting.ended"
JOINED = "participant.joined"
LEFT = "participant.left"
EVENT_TYPES = (STARTED, ENDED, JOINED, LEFT)
_ORDER = {STARTED: 0, LEFT: 1, JOINED: 2, ENDED: 4}
_LEFT_AT_ONCE = 3  # the leave of a stay that joined at the same instant: after its join
VERSION = "1.0.0"


@dataclass(frozen=True, slots=True)
class Event:
    instant: int  # when it happens on the timeline (unix seconds)
    type: str
    session: Session
    participant: Participant | None = None  # the stay, for participant.*

    @property
    def sort_key(self) -> tuple[int, int, int, str, int, str]:
        p = self.participant
        order = _ORDER[self.type]
        if p is not None and self.type == LEFT and p.join_time == self.instant:
            order = _LEFT_AT_ONCE
        return (
            self.instant,
            order,
            self.session.start_time,
            self.session.id,
            p.join_time if p is not None else 0,
            p.participant_id if p is not None else "",
        )

    @property
    def id(self) -> str:
        """Daily's id patterns: ``met-sta-<meeting>-<start s>``, ``met-end-<meeting>-<end s>``,
        ``ptcpt-join-<participant>-<event ms>``, ``ptcpt-left-<participant>-<event ms>``."""
        if self.participant is None:
            prefix = "met-sta" if self.type == STARTED else "met-end"
            at = self.session.start_time if self.type == STARTED else self.end_ts
            return f"{prefix}-{self.session.id}-{at}"
        prefix = "ptcpt-join" if self.type == JOINED else "ptcpt-left"
        return f"{prefix}-{self.participant.participant_id}-{self.instant * 1000}"

    @property
    def end_ts(self) -> int:
        end = self.session.end
        return end if end is not None else self.instant

    def envelope(self) -> dict[str, Any]:
        """The event as Daily sends it (keys in Daily's order; JSON-shaped values)."""
        return {
            "version": VERSION,
            "type": self.type,
            "id": self.id,
            "payload": self.payload(),
            "event_ts": self.instant,
        }

    def payload(self) -> dict[str, Any]:
        s, p = self.session, self.participant
        if p is None:
            body: dict[str, Any] = {"start_ts": s.start_time}
            if self.type == ENDED:
                body["end_ts"] = self.end_ts
            body["meeting_id"] = s.id
            body["room"] = s.room
            return body
        body = {"room": s.room}
        # user_id: daily-js gives a participant whose meeting token set none its session id
        # (= participant id), and the webhook describes that participant, so the event is
        # never without one [D]; /meetings and presence show the stay's own (null) [F].
        # user_name: what the stay holds, as /meetings and presence show it (null stays
        # null: receivers such as reflector's refuse "") [C].
        body["user_id"] = p.user_id if p.user_id is not None else p.participant_id
        body["user_name"] = p.user_name
        body["session_id"] = p.participant_id
        body["joined_at"] = p.join_time
        body["will_eject_at"] = 0  # [F] no eject time: the fake has no exp/eject rules
        body["owner"] = p.owner
        body["permissions"] = {
            "hasPresence": True,
            "canSend": True,
            "canReceive": {"base": True},
            "canAdmin": False,
        }
        if self.type == LEFT:
            leave = p.leave
            body["duration"] = (leave if leave is not None else self.instant) - p.join_time
        return body


def session_events(s: Session, ended_delay: int = 0) -> list[Event]:
    """Every event of one session over the whole timeline (a stay still open has no leave, a
    session with one has no end yet)."""
    events = [Event(s.start_time, STARTED, s)]
    for p in s.participants:
        events.append(Event(p.join_time, JOINED, s, p))
        if p.leave is not None:
            events.append(Event(p.leave, LEFT, s, p))
    if s.end is not None:
        events.append(Event(s.end + ended_delay, ENDED, s))
    return events


def between(store: Store, before: int, after: int, ended_delay: int = 0) -> list[Event]:
    """The events at instants in ``(before, after]``, in order (empty unless after > before)."""
    if after <= before:
        return []
    sessions = store.sessions
    ranks = set(store.at(before).ongoing)
    ranks.update(range(store.visible_count(before), store.visible_count(after)))
    if ended_delay > 0:  # ended by before, but their meeting.ended comes after it
        ends = store.ends
        ranks.update(ends.ranks(ends.ended(before - ended_delay), ends.ended(before)))
    found = [
        e
        for r in ranks
        for e in session_events(sessions[r], ended_delay)
        if before < e.instant <= after
    ]
    found.sort(key=lambda e: e.sort_key)
    return found


def at_change(
    session: Session, stay: Participant, now: int, *, joined: bool, ended_delay: int = 0
) -> list[Event]:
    """The events a live join or leave at ``now`` causes now: the stay's join (and the
    session's start, when the join started it) or leave (and the session's end, when it was the
    last one present and there is no delay; a delayed end is passed by the clock later)."""
    if joined:
        events = [Event(now, JOINED, session, stay)]
        if session.start_time == now and session.participants == (stay,):
            events.insert(0, Event(now, STARTED, session))
        return events
    events = [Event(now, LEFT, session, stay)]
    if session.end == now and ended_delay == 0:
        events.append(Event(now, ENDED, session))
    return events


def next_instant(store: Store, now: int, ended_delay: int = 0) -> int | None:
    """The first instant after ``now`` with an event (None: nothing more happens), for a clock
    running in real time to wake at: O(log n + stays of the sessions ongoing at ``now``)."""
    found: list[int] = []
    sessions, ends = store.sessions, store.ends
    i = store.visible_count(now)
    if i < len(sessions):
        found.append(sessions.start(i))
    j = ends.ended(now - ended_delay)
    if j < len(ends) and ends[j] != OPEN:
        found.append(ends[j] + ended_delay)
    for r in store.at(now).ongoing:
        for p in sessions[r].participants:
            if p.join_time > now:
                found.append(p.join_time)
            elif p.leave is not None and p.leave > now:
                found.append(p.leave)
    return min(found, default=None)


@dataclass(frozen=True, slots=True)
class Moved:
    """What a change did to a namespace's timeline, for those who listen (the webhooks): the
    clock went from ``before`` to ``after`` (equal when it did not move), on ``store``; a live
    join or leave names its ``session`` (as it is after the change) and ``stay``."""

    kind: str  # "clock", "load", "reset", "join" or "leave"
    before: int
    after: int
    store: Store
    session: Session | None = None
    stay: Participant | None = None
