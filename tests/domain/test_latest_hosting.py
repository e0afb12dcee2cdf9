"""The session a recording or transcription start attaches to (``presence.latest_hosting``):
the latest started, by ``(start_time, id)``, of a room's sessions with someone in it now,
against a naive scan of every session; and in a crowded room it reads the newest ongoing
session only, not every one."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.presence import latest_hosting
from fake_meetings.domain.ranked import Ranked
from fake_meetings.domain.store import Store
from tests.helpers.constants import NOW

ROOMS = ("a", "b", "c")
stay = st.tuples(st.integers(-300, 300), st.none() | st.integers(1, 400))  # join offset, duration


@st.composite
def sessions(draw: st.DrawFn) -> list[Session]:
    made = []
    for i in range(draw(st.integers(0, 12))):
        stays = sorted(draw(st.lists(stay, min_size=1, max_size=3)), key=lambda s: s[0])
        start = NOW + stays[0][0]
        people = [
            Participant(f"p{i}-{k}", None, None, NOW + join, duration)
            for k, (join, duration) in enumerate(stays)
        ]
        # ids drawn from a small set of prefixes, so equal starts are ordered by id
        made.append(
            Session.of(
                f"{draw(st.sampled_from('xyz'))}{i}", draw(st.sampled_from(ROOMS)), start, people
            )
        )
    return made


def naive(made: list[Session], room: str, now: int) -> Session | None:
    hosting = [
        s
        for s in made
        if s.room == room
        and any(p.join_time <= now and (p.leave is None or p.leave > now) for p in s.participants)
    ]
    return max(hosting, key=lambda s: (s.start_time, s.id), default=None)


@settings(max_examples=300, deadline=None)
@given(made=sessions(), at=st.integers(-320, 420), room=st.sampled_from(ROOMS))
def test_the_latest_session_with_someone_in_it(made: list[Session], at: int, room: str) -> None:
    assert latest_hosting(Store(made), NOW + at, room) == naive(made, room, NOW + at)


class Counting(Ranked):
    """The store's sessions, recording which ranks are read."""

    read: set[int]

    def __getitem__(self, i: Any) -> Any:
        self.read.add(i)
        return super().__getitem__(i)


def test_a_crowded_room_costs_one_session() -> None:
    crowd = [
        Session.of(
            f"s{i:04d}",
            "big",
            NOW - 3000 + i,
            [Participant(f"p{i:04d}", None, None, NOW - 3000 + i, None)],
        )
        for i in range(2000)
    ]
    s = Store(crowd)
    s.at(NOW)  # the instant, as any earlier request at this clock position leaves it
    counting = Counting(s.sessions, {x.id: r for r, x in enumerate(s.sessions)})
    counting.read = set()
    s.sessions = counting
    found = latest_hosting(s, NOW, "big")
    assert found is not None and found.id == "s1999"
    assert len(counting.read) == 1  # the newest ongoing session, and no other
