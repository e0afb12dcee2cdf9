"""The namespace's own commands (``state/namespaces.py``), called directly: load and append
with their bounds and clashes, reset back to the start-up state (or to nothing), the clock
moved both ways against the naive model of the ten-second rule, live joins and leaves refused,
and the lock that orders a command after a load under way."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain import timeline
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.recordings import Recording
from fake_meetings.domain.rooms import Room
from fake_meetings.domain.store import DuplicateSessionId, Store
from fake_meetings.domain.transcripts import Transcript
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.state.bounds import Bounds
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace
from tests.helpers.models import NaiveStay, naive_session

T0 = 1_717_243_200


def session(sid: str, room: str, start: int, *stays: tuple[int, int | None]) -> Session:
    people = [Participant(f"{sid}-p{i}", None, None, j, d) for i, (j, d) in enumerate(stays)]
    return Session.of(sid, room, start, people)


START = (session("s1", "alpha", T0 - 600, (T0 - 600, 300)),)


def space(sessions: tuple[Session, ...] = START, bounds: Bounds | None = None) -> Namespace:
    return Namespace(
        World(sessions, Clock(T0), (Room("r-a", "alpha", False, "public", 0, {}),)),
        Journal(),
        bounds=bounds,
    )


def refused(status: int, call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ApiError) as caught:
        call(*args, **kwargs)
    assert caught.value.status == status, caught.value.info
    return caught.value.info


# -- load and append


def test_a_load_replaces_sessions_rooms_and_recordings_and_freezes_the_clock() -> None:
    s = space()
    new = session("s2", "beta", T0 - 60, (T0 - 60, None))
    rec = Recording("rec-1", "beta", "s2", T0 - 50)
    s.load(
        Store([new]),
        T0 + 10,
        [Room("r-b", "beta", False, "public", 0, {})],
        recordings=[rec],
        min_stay=0,
    )
    world = s.world
    assert [x.id for x in world.store.sessions] == ["s2"]
    assert [r.name for r in world.rooms] == ["beta"]
    assert world.recordings.rank.keys() == {"rec-1"}
    assert (world.clock.now(), world.clock.frozen, world.min_stay) == (T0 + 10, True, 0)


def test_a_load_keeps_the_rooms_and_recordings_it_does_not_name_and_implies_rooms() -> None:
    s = space()
    s.load(Store([*START, session("s2", "gamma", T0 - 60, (T0 - 60, 10))]), None)
    assert sorted(r.name for r in s.world.rooms) == ["alpha", "gamma"]


def test_an_append_of_a_served_session_id_raises_the_duplicate() -> None:
    with pytest.raises(DuplicateSessionId) as caught:
        space().appended(START)
    assert caught.value.session_id == "s1"


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"rooms": [Room("r-x", "alpha", False, "public", 0, {})]}, "a room named alpha"),
        ({"recordings": [Recording("rec-1", "alpha", "s1", T0 - 600)]}, "recording with id"),
        (
            {"transcripts": [Transcript("tr-1", "alpha", "", "s1", T0 - 600)]},
            "transcript with id",
        ),
    ],
)
def test_an_append_clashing_with_what_is_served_is_a_400_and_changes_nothing(
    kwargs: dict[str, Any], words: str
) -> None:
    s = space()
    if "rooms" not in kwargs:  # served once, then appended again
        s.load(s.world.store, None, append=True, **kwargs)
    store, rooms = s.world.store, s.world.rooms
    more = s.appended([session("s9", "alpha", T0 - 30, (T0 - 30, 5))])
    assert words in refused(400, s.load, more, None, append=True, **kwargs)
    assert s.world.store is store and s.world.rooms is rooms


@pytest.mark.parametrize(
    ("bounds", "words"),
    [(Bounds(sessions=1), "at most 1 sessions"), (Bounds(rooms=1), "at most 1 rooms")],
)
def test_a_load_beyond_the_bounds_is_a_400_and_changes_nothing(bounds: Bounds, words: str) -> None:
    s = space(bounds=bounds)
    store, rooms = s.world.store, s.world.rooms
    more = s.appended([session("s2", "beta", T0 - 60, (T0 - 60, 5))])
    assert words in refused(400, s.load, more, None)
    assert s.world.store is store and s.world.rooms is rooms


# -- reset


def test_reset_restores_the_start_up_state_after_every_kind_of_change() -> None:
    s = space()
    start_store, start_rooms, start_stay = s.world.store, s.world.rooms, s.world.min_stay
    first = s.join("alpha")[1].participant_id
    s.create_room({"name": "extra"})
    s.load(s.appended([session("s2", "beta", T0, (T0, 5))]), T0 + 99, append=True)
    s.set_min_stay(0)
    s.reset()
    world = s.world
    assert world.store is start_store and world.rooms is start_rooms
    assert (world.clock.now(), world.clock.frozen, world.min_stay) == (T0, True, start_stay)
    assert s.join("alpha")[1].participant_id == first  # live ids start over


def test_an_empty_reset_leaves_nothing_and_the_real_clock() -> None:
    s = space()
    s.reset(empty=True)
    assert len(s.world.store) == 0 and len(s.world.rooms) == 0
    assert not s.world.clock.frozen


# -- live joins and leaves


def test_joins_and_leaves_refuse_bad_fields_unknown_ids_and_a_second_leave() -> None:
    s = space()
    assert "room:" in refused(400, s.join, "")
    assert "user_name:" in refused(400, s.join, "alpha", user_name=" ")
    assert "owner:" in refused(400, s.join, "alpha", owner="yes")
    assert "no participant 'ghost'" in refused(404, s.leave, "ghost")
    stay = s.join("alpha")[1]
    s.advance_clock(5)
    session_, closed = s.leave(stay.participant_id)
    assert closed.duration == 5 and not timeline.ongoing(session_, s.world.clock.now())
    refused(400, s.leave, stay.participant_id)


def test_a_join_naming_a_new_room_is_bounded_by_the_rooms_bound() -> None:
    s = space(bounds=Bounds(rooms=1))
    assert "at most 1 rooms" in refused(400, s.join, "beta")
    assert s.world.rooms.get("beta") is None


# -- the clock, both ways, against the naive model of the ten-second rule

MOVES = st.lists(
    st.one_of(
        st.tuples(st.just("set"), st.integers(-30, 120)),
        st.tuples(st.just("advance"), st.integers(-60, 60)),
    ),
    min_size=1,
    max_size=12,
)
STAYS = st.lists(
    st.tuples(st.integers(0, 40), st.none() | st.integers(0, 50)), min_size=1, max_size=4
)


def shown(s: Session, now: int, min_stay: int) -> dict[str, object]:
    return {
        "start_time": s.start_time,
        "duration": timeline.duration(s, now),
        "ongoing": timeline.ongoing(s, now),
        "max_participants": timeline.max_participants(s, now, min_stay),
        "participants": [
            (p.participant_id, p.join_time, timeline.stay_duration(p, now))
            for p in timeline.participants(s, now, min_stay)
        ],
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stays=STAYS, min_stay=st.sampled_from([0, 10]), moves=MOVES)
def test_the_clock_moves_both_ways_and_the_listed_session_follows_the_model(
    stays: list[tuple[int, int | None]], min_stay: int, moves: list[tuple[str, int]]
) -> None:
    s = space(())
    s.set_min_stay(min_stay)
    start = min(j for j, _ in stays)
    s.load(Store([session("s", "alpha", T0 + start, *((T0 + j, d) for j, d in stays))]), T0)
    naive: list[NaiveStay] = [(f"s-p{i}", T0 + j, d) for i, (j, d) in enumerate(stays)]
    expected_now = T0
    for kind, value in moves:
        if kind == "set":
            s.set_clock(T0 + value)
            expected_now = T0 + value
        else:
            s.advance_clock(value)
            expected_now += value
        now = s.world.clock.now()
        assert now == expected_now
        listed = s.world.store.listed(min_stay)
        got = listed.visible("s", now)
        want = naive_session(T0 + start, sorted(naive, key=lambda p: (p[1], p[0])), now, min_stay)
        assert (got is None) == (want is None), (now, min_stay)
        if got is not None:
            assert shown(got, now, min_stay) == want


# -- the lock


async def test_in_turn_waits_for_a_load_under_way() -> None:
    s = space()
    parsed = asyncio.Event()
    order: list[str] = []

    async def load() -> None:
        await parsed.wait()  # parsing off the loop
        order.append("load")

    loading = asyncio.create_task(s.exclusive(load))
    await asyncio.sleep(0)
    joining = asyncio.create_task(s.in_turn(lambda: order.append("join")))
    await asyncio.sleep(0.01)
    assert order == []
    parsed.set()
    await asyncio.gather(loading, joining)
    assert order == ["load", "join"]


def test_a_join_with_a_token_takes_its_room_and_user_fields() -> None:
    from fake_meetings.domain.tokens import TokenDesk

    desk, s = TokenDesk("secret"), space()
    text = desk.issue({"room_name": "alpha", "user_name": "Tok", "is_owner": True}, T0)
    token = desk.verify(text, T0)
    _, stay = s.join(None, user_name="Ann", token=token)
    assert (stay.user_name, stay.owner) == ("Tok", True)
    assert "not valid for room 'beta'" in refused(400, s.join, "beta", token=token)
    assert "room: required (or a token" in refused(400, s.join, None)
