"""Property test of live joins and leaves against a naive, independent model.

A random sequence of operations (someone joins room ``a`` or ``b``; an earlier participant, or
a bogus one, leaves; the frozen clock advances 0 to 300 s) is applied to a namespace through
the state layer, from an empty store. After every step, ``/meetings`` as the engine renders it
at ``now`` (``list_meetings`` + ``render.session_dict``) must equal the model's view.

The model is a list of sessions, each a room, a start and a list of stays ``[id, join, leave |
None]``, and is written as plainly as possible: a join goes to the room's latest session with an
open stay, else starts a new one at now; a leave closes an open stay at now, and is an error for
an unknown id (404) or a stay that has left (400). A session is ongoing while a stay is open;
its duration runs to now while ongoing, else to its last leave; ``max_participants`` is the most
stays present at once, a stay being the half-open ``[join, leave)`` and an open one present at
now (and at least 1). It shares no code with the package: only the ids are taken from the
namespace's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.api.render import session_dict
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
        return (now if self.leave is None else self.leave) - self.join


@dataclass
class ModelSession:
    id: str
    room: str
    start: int
    stays: list[Stay] = field(default_factory=list)

    def ongoing(self) -> bool:
        return any(s.leave is None for s in self.stays)

    def duration(self, now: int) -> int:
        if self.ongoing():
            return now - self.start
        return max(s.leave for s in self.stays if s.leave is not None) - self.start

    def peak(self, now: int) -> int:
        def present(t: int) -> int:
            return sum(1 for s in self.stays if s.join <= t and (s.leave is None or t < s.leave))

        instants = [s.join for s in self.stays] + [now]
        # someone who joins and leaves within one second is present at no instant, yet was in
        # the meeting: a session always had at least one participant
        return max(1, max(present(t) for t in instants if t <= now))

    def view(self, now: int) -> dict[str, Any]:
        stays = sorted(self.stays, key=lambda s: (s.join, s.pid))
        return {
            "id": self.id,
            "room": self.room,
            "start_time": self.start,
            "duration": self.duration(now),
            "ongoing": self.ongoing(),
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
        """The session a join into ``room`` goes to: its latest one with someone present."""
        open_ = [s for s in self.sessions if s.room == room and s.ongoing()]
        return max(open_, key=lambda s: (s.start, s.id)) if open_ else None

    def view(self) -> list[dict[str, Any]]:
        newest_first = sorted(self.sessions, key=lambda s: (s.start, s.id), reverse=True)
        return [s.view(self.now) for s in newest_first]


def engine_view(space: Namespace, **query: Any) -> tuple[int, list[dict[str, Any]]]:
    now = space.world.clock.now()
    page = list_meetings(space.world.store, MeetingsQuery(**query), now)
    return page.total_count, [session_dict(s, now) for s in page.sessions]


joins = st.tuples(st.just("join"), st.sampled_from(ROOMS), st.sampled_from(NAMES))
leaves = st.tuples(st.just("leave"), st.integers(0, 50) | st.none())  # None: a bogus id
advances = st.tuples(st.just("advance"), st.integers(0, 300))
operations = st.lists(st.one_of(joins, joins, leaves, leaves, advances), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_live_joins_and_leaves_follow_the_model(ops: list[tuple[Any, ...]]) -> None:
    space = Namespace(World((), Clock(T0)), Journal())
    model = Model(T0)
    order: list[str] = []  # participant ids in join order, for "an earlier participant"
    for op in ops:
        before = space.world.store
        if op[0] == "join":
            _, room, name = op
            expected = model.joined(room)
            session, stay = space.join(room, user_name=name)
            assert (stay.join_time, stay.user_name, stay.leave) == (model.now, name, None)
            assert stay.participant_id not in model.stays
            if expected is None:
                assert session.id not in {s.id for s in model.sessions}
                expected = ModelSession(session.id, room, model.now)
                model.sessions.append(expected)
            assert session.id == expected.id
            expected.stays.append(Stay(stay.participant_id, name, model.now))
            model.stays[stay.participant_id] = (expected, model_stay := expected.stays[-1])
            order.append(model_stay.pid)
        elif op[0] == "leave":
            pid = "no-such-participant" if op[1] is None or not order else order[op[1] % len(order)]
            if pid not in model.stays:
                with pytest.raises(ApiError) as refused:
                    space.leave(pid)
                assert (refused.value.status, refused.value.error) == (404, "not-found")
                assert space.world.store is before
            else:
                owner, model_stay = model.stays[pid]
                if model_stay.leave is not None:
                    with pytest.raises(ApiError) as refused:
                        space.leave(pid)
                    assert (refused.value.status, refused.value.error) == (
                        400,
                        "invalid-request-error",
                    )
                    assert space.world.store is before
                else:
                    session, stay = space.leave(pid)
                    model_stay.leave = model.now
                    assert (session.id, stay.participant_id) == (owner.id, pid)
                    assert stay.leave == model.now
        else:
            space.advance_clock(op[1])
            model.now += op[1]

        assert space.world.clock.now() == model.now
        view = model.view()
        assert engine_view(space) == (len(view), view)
        ongoing = [s for s in view if s["ongoing"]]
        assert engine_view(space, ongoing=True) == (len(ongoing), ongoing)
        for room in ROOMS:
            in_room = [s for s in view if s["room"] == room]
            assert engine_view(space, room=room) == (len(in_room), in_room)
            # at most one meeting of a room is ever ongoing: joins go to it
            assert sum(1 for s in in_room if s["ongoing"]) <= 1
