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
events and m sessions ongoing at ``before``. :class:`Passing` gives them a few at a time, in
order, building only those taken (a clock jump of a month over 100,000 sessions costs what
the webhook's outbox takes of it), and counts the rest without building them.
"""

from __future__ import annotations

import heapq
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .drawn import EARLY_JOIN_MAX, passing_stays
from .endindex import OPEN
from .model import Participant, Session
from .recordings import Recording
from .store import Store
from .transcripts import Transcript

STARTED = "meeting.started"
ENDED = "meeting.ended"
JOINED = "participant.joined"
LEFT = "participant.left"
EVENT_TYPES = (STARTED, ENDED, JOINED, LEFT)
_ORDER = {STARTED: 0, LEFT: 1, JOINED: 2, ENDED: 4}
_LEFT_AT_ONCE = 3  # the leave of a stay that joined at the same instant: after its join
VERSION = "1.0.0"
LEAD = EARLY_JOIN_MAX  # seconds a join may precede its session's start (generated sessions)
EAGER = 64  # a move over this many sessions or fewer looks at them all at once


def envelope(
    version: str, kind: str, event_id: str, payload: dict[str, Any], instant: int
) -> dict[str, Any]:
    """A webhook event's envelope, keys in Daily's order (every event type has this one)."""
    return {
        "version": version,
        "type": kind,
        "id": event_id,
        "payload": payload,
        "event_ts": instant,
    }


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
        return envelope(VERSION, self.type, self.id, self.payload(), self.instant)

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


def between(store: Store, before: int, after: int, ended_delay: int = 0) -> list[Event]:
    """The events at instants in ``(before, after]``, in order (empty unless after > before)."""
    return Passing(store, before, after, ended_delay).take(sys.maxsize)


# (sort key, tie-breaker, type, session, stay): one event not built yet
_Item = tuple[tuple[int, int, int, str, int, str], int, str, Session, Participant | None]


def _items(
    s: Session, before: int, after: int, ended_delay: int, seq: Iterator[int]
) -> list[_Item]:
    """The events of ``s`` at instants in ``(before, after]``, as items (unsorted); ``seq``
    numbers them, so that two items never compare their sessions."""
    start, sid = s.start_time, s.id
    out: list[_Item] = []
    if before < start <= after:
        out.append(((start, 0, start, sid, 0, ""), next(seq), STARTED, s, None))
    for p in s.participants:
        join, pid = p.join_time, p.participant_id
        if before < join <= after:
            out.append(((join, 2, start, sid, join, pid), next(seq), JOINED, s, p))
        if p.duration is not None:
            leave = join + p.duration
            if before < leave <= after:
                order = _LEFT_AT_ONCE if leave == join else 1
                out.append(((leave, order, start, sid, join, pid), next(seq), LEFT, s, p))
    if s.end is not None and before < s.end + ended_delay <= after:
        end = s.end + ended_delay
        out.append(((end, 4, start, sid, 0, ""), next(seq), ENDED, s, None))
    return out


def _counted(s: Session, before: int, after: int, ended_delay: int, types: frozenset[str]) -> int:
    """How many events of ``types`` ``s`` has at instants in ``(before, after]`` (none built)."""
    n = 0
    if STARTED in types and before < s.start_time <= after:
        n += 1
    joins, leaves = JOINED in types, LEFT in types
    if joins or leaves:
        for p in passing_stays(s):
            join = p.join_time
            if joins and before < join <= after:
                n += 1
            if leaves and p.duration is not None and before < join + p.duration <= after:
                n += 1
    if ENDED in types and s.end is not None and before < s.end + ended_delay <= after:
        n += 1
    return n


class Passing:
    """The events a clock going from ``before`` to ``after`` passes, produced in order on
    demand (:meth:`take`), so a long move costs what is taken of it, not all it passes; the
    rest can be counted without building them (:meth:`count_rest`).

    Sessions come in as the events reach their start: a session's events are looked at when the
    next event to give is at most ``LEAD`` seconds before its start (a generated session's first
    join may precede its start by up to that). Those ongoing at ``before`` (and those whose
    delayed ``meeting.ended`` comes after it) are looked at first. With ``eager`` sessions or
    fewer to look at, all are taken in at once. Either way the order is :func:`between`'s; a
    join more than ``LEAD`` seconds before its own session's start, in a move of more than
    ``eager`` sessions, comes out when the move reaches ``LEAD`` seconds before that start
    (early: out of order). ``eager`` and ``lead`` are parameters for the tests.
    """

    __slots__ = (
        "_after",
        "_before",
        "_delay",
        "_heap",
        "_lead",
        "_next",
        "_seq",
        "_sessions",
        "_stop",
        "made",
    )

    def __init__(
        self,
        store: Store,
        before: int,
        after: int,
        ended_delay: int = 0,
        *,
        eager: int = EAGER,
        lead: int = LEAD,
    ):
        self._before, self._after, self._delay = before, after, ended_delay
        self._lead = lead
        self._sessions = store.sessions
        self._heap: list[_Item] = []
        self._seq = itertools.count()
        self.made = 0  # events built (taken) so far
        self._next = self._stop = 0
        if after <= before:
            return
        ranks = set(store.at(before).ongoing)
        if ended_delay > 0:  # ended by before, but their meeting.ended comes after it
            ends = store.ends
            ranks.update(ends.ranks(ends.ended(before - ended_delay), ends.ended(before)))
        self._next, self._stop = store.visible_count(before), store.visible_count(after)
        if len(ranks) + self._stop - self._next <= eager:
            ranks.update(range(self._next, self._stop))
            self._next = self._stop
        heap = self._heap
        for r in ranks:
            heap.extend(_items(self._sessions[r], before, after, ended_delay, self._seq))
        heapq.heapify(heap)

    @property
    def done(self) -> bool:
        """Nothing more to take or count."""
        return not self._heap and self._next >= self._stop

    def _admit(self) -> None:
        """Take in the sessions that start at most ``lead`` seconds after the next event (at
        least one when there is no next event)."""
        heap, sessions, stop = self._heap, self._sessions, self._stop
        while self._next < stop:
            start = sessions.start(self._next)
            if heap and start > heap[0][0][0] + self._lead:
                return
            items = _items(sessions[self._next], self._before, self._after, self._delay, self._seq)
            self._next += 1
            for item in items:
                heapq.heappush(heap, item)

    def take(self, n: int) -> list[Event]:
        """The next ``n`` events (fewer when the move has no more), built now."""
        out: list[Event] = []
        heap = self._heap
        while len(out) < n:
            self._admit()
            if not heap:
                break
            key, _, kind, s, p = heapq.heappop(heap)
            out.append(Event(key[0], kind, s, p))
        self.made += len(out)
        return out

    def count_rest(self, types: frozenset[str], sessions: int) -> int:
        """How many events of ``types`` are left, none built, looking at ``sessions`` of the
        sessions not taken in yet at most (call again until :attr:`done`). Nothing can be
        taken after."""
        n = sum(1 for item in self._heap if item[2] in types)
        self._heap = []
        stop = min(self._stop, self._next + sessions)
        for r in range(self._next, stop):
            n += _counted(self._sessions[r], self._before, self._after, self._delay, types)
        self._next = stop
        return n


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
    join or leave names its ``session`` (as it is after the change) and ``stay``; a recording
    started or stopped through the API, its ``recording`` (as it is after the change); a
    transcript started, stopped or failed through the API, its ``transcript``."""

    kind: str  # "clock", "load", "reset", "join", "leave", "recording-…", "transcript-…"
    before: int
    after: int
    store: Store
    session: Session | None = None
    stay: Participant | None = None
    recording: Recording | None = None
    transcript: Transcript | None = None
