"""Property test of live joins and leaves against a naive, independent model.

A random sequence of operations (someone joins room ``a`` or ``b``; an earlier participant, or
a bogus one, leaves; the frozen clock advances 0 to 300 s, and in a second test is also set back
1 to 300 s) is applied to a namespace through the state layer, from an empty store. After every
step, ``/meetings`` as the engine renders it at ``now`` (``list_meetings`` +
``render.session_dict``) must equal the model's view.

The model is a list of sessions, each a room, a start and a list of stays ``[id, join, leave |
None]``, and is written as plainly as possible: a join goes to the room's latest started session
that has not ended, else starts a new one at now; a leave closes a stay at now, and is an error
for an unknown id (404) or a stay that has left, or not joined yet (400). A session ends at its
last leave (never while a stay is open) and is shown from its start; its duration runs to now,
or to its end once that has passed; ``max_participants`` is the most stays present at once up to
now, a stay being the half-open ``[join, leave)`` (and at least 1). It shares no code with the
package: only the ids are taken from the namespace's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.api.daily.render import session_dict
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.query import MeetingsQuery, list_meetings
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace

T0 = 1_717_243_200
ROOMS = ("a", "b")
NAMES = ("Ann", "Bo", None)


@dataclass
class Stay:
    pid: str
    name: str | None
    join: int
    leave: int | None = None

    def duration(self, now: int) -> int:
        return max(0, (now if self.leave is None else min(now, self.leave)) - self.join)


@dataclass
class ModelSession:
    id: str
    room: str
    start: int
    stays: list[Stay] = field(default_factory=list)

    def end(self) -> int | None:
        """The last leave, or None while a stay is open."""
        if any(s.leave is None for s in self.stays):
            return None
        return max(s.leave for s in self.stays if s.leave is not None)

    def ongoing(self, now: int) -> bool:
        end = self.end()
        return end is None or now < end

    def duration(self, now: int) -> int:
        end = self.end()
        return max(0, (now if end is None else min(now, end)) - self.start)

    def peak(self, now: int) -> int:
        def present(t: int) -> int:
            return sum(1 for s in self.stays if s.join <= t and (s.leave is None or t < s.leave))

        instants = [s.join for s in self.stays] + [now]
        # someone who joins and leaves within one second is present at no instant, yet was in
        # the meeting: a session always had at least one participant
        return max(1, max(present(t) for t in instants if t <= now))

    def view(self, now: int) -> dict[str, Any]:
        stays = sorted((s for s in self.stays if s.join <= now), key=lambda s: (s.join, s.pid))
        return {
            "id": self.id,
            "room": self.room,
            "start_time": self.start,
            "duration": self.duration(now),
            "ongoing": self.ongoing(now),
            "max_participants": self.peak(now),
            "participants": [
                {
                    "user_id": None,
                    "participant_id": s.pid,
                    "user_name": s.name,
                    "join_time": s.join,
                    "duration": s.duration(now),
                }
                for s in stays
            ],
        }


class Model:
    def __init__(self, now: int):
        self.now = now
        self.sessions: list[ModelSession] = []
        self.stays: dict[str, tuple[ModelSession, Stay]] = {}

    def joined(self, room: str) -> ModelSession | None:
        """The session a join into ``room`` goes to: its latest one started and not ended."""
        open_ = [
            s
            for s in self.sessions
            if s.room == room and s.start <= self.now and s.ongoing(self.now)
        ]
        return max(open_, key=lambda s: (s.start, s.id)) if open_ else None

    def view(self) -> list[dict[str, Any]]:
        visible = [s for s in self.sessions if s.start <= self.now]
        newest_first = sorted(visible, key=lambda s: (s.start, s.id), reverse=True)
        return [s.view(self.now) for s in newest_first]


def engine_view(space: Namespace, **query: Any) -> tuple[int, list[dict[str, Any]]]:
    now = space.world.clock.now()
    page = list_meetings(space.world.store, MeetingsQuery(**query), now)
    return page.total_count, [session_dict(s, now) for s in page.sessions]


joins = st.tuples(st.just("join"), st.sampled_from(ROOMS), st.sampled_from(NAMES))
leaves = st.tuples(st.just("leave"), st.integers(0, 50) | st.none())  # None: a bogus id
advances = st.tuples(st.just("advance"), st.integers(0, 300))
backs = st.tuples(st.just("back"), st.sampled_from([1, 2]) | st.integers(1, 300))
operations = st.lists(st.one_of(joins, joins, leaves, leaves, advances), max_size=40)
with_backs = st.lists(st.one_of(joins, joins, leaves, leaves, advances, backs), max_size=40)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@SETTINGS
@given(operations)
def test_live_joins_and_leaves_follow_the_model(ops: list[tuple[Any, ...]]) -> None:
    run(ops, forward_only=True)


@pytest.mark.slow
@SETTINGS
@given(with_backs)
def test_with_the_clock_also_set_back(ops: list[tuple[Any, ...]]) -> None:
    """Set back, the clock hides what started or joined later and clips stays at now; a
    stay that joins later cannot leave yet, one that leaves later can leave now."""
    run(ops, forward_only=False)


def refused(space: Namespace, pid: str, status: int, error: str) -> None:
    before = space.world.store
    with pytest.raises(ApiError) as answer:
        space.leave(pid)
    assert (answer.value.status, answer.value.error) == (status, error)
    assert space.world.store is before


def run(ops: list[tuple[Any, ...]], *, forward_only: bool) -> None:
    space = Namespace(World((), Clock(T0)), Journal())
    model = Model(T0)
    order: list[str] = []  # participant ids in join order, for "an earlier participant"
    for op in ops:
        now = model.now
        if op[0] == "join":
            _, room, name = op
            expected = model.joined(room)
            session, stay = space.join(room, user_name=name)
            assert (stay.join_time, stay.user_name, stay.leave) == (now, name, None)
            assert stay.participant_id not in model.stays
            if expected is None:
                assert session.id not in {s.id for s in model.sessions}
                expected = ModelSession(session.id, room, now)
                model.sessions.append(expected)
            assert session.id == expected.id
            expected.stays.append(Stay(stay.participant_id, name, now))
            model.stays[stay.participant_id] = (expected, expected.stays[-1])
            order.append(stay.participant_id)
        elif op[0] == "leave":
            pid = "no-such-participant" if op[1] is None or not order else order[op[1] % len(order)]
            if pid not in model.stays:
                refused(space, pid, 404, "not-found")
                continue
            owner, model_stay = model.stays[pid]
            left = model_stay.leave is not None and model_stay.leave <= now
            if left or model_stay.join > now:
                refused(space, pid, 400, "invalid-request-error")
            else:
                session, stay = space.leave(pid)
                model_stay.leave = now
                assert (session.id, stay.participant_id, stay.leave) == (owner.id, pid, now)
        elif op[0] == "advance":
            space.advance_clock(op[1])
            model.now += op[1]
        else:
            space.set_clock(now - op[1])
            model.now -= op[1]

        assert space.world.clock.now() == model.now
        view = model.view()
        assert engine_view(space) == (len(view), view)
        ongoing = [s for s in view if s["ongoing"]]
        assert engine_view(space, ongoing=True) == (len(ongoing), ongoing)
        for room in ROOMS:
            in_room = [s for s in view if s["room"] == room]
            assert engine_view(space, room=room) == (len(in_room), in_room)
            if forward_only:  # at most one meeting of a room is ongoing: joins go to it
                assert sum(1 for s in in_room if s["ongoing"]) <= 1
