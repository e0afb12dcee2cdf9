"""Daily's presence routes (contract part two, §12) on a real server (127.0.0.1), with
``requests`` and ``aiohttp``: ``GET /presence`` and ``GET /rooms/:name/presence``, their shape,
filters and errors, presence following the clock and live joins and leaves, and a property test
against a model computed from the scenario's numbers (and against ``/meetings?ongoing=true``).

Expected values are computed here (who covers now, sorting, time formatting) from the data the
tests wrote or the ids the server returned, never by the package."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import MIN_STAY, NOW
from tests.helpers.scenarios import PartSpec, Scenario, SessionSpec, small_scenario

Serve = Callable[..., ServerThread]

FIELDS = ["room", "id", "userId", "userName", "mtgSessionId", "joinTime", "duration"]


def iso(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


def item(room: str, sid: str, p: PartSpec, now: int) -> dict[str, Any]:
    return {
        "room": room,
        "id": p.participant_id,
        "userId": p.user_id,
        "userName": p.user_name,
        "mtgSessionId": sid,
        "joinTime": iso(p.join_time),
        "duration": now - p.join_time,
    }


def covers(p: PartSpec, now: int) -> bool:
    return p.join_time <= now and (p.duration is None or p.join_time + p.duration > now)


def expected(scenario: Scenario, now: int) -> dict[str, list[dict[str, Any]]]:
    """The model: in each visible session, every stay covering ``now``; rooms by name, people by
    join_time then id; rooms with nobody left out."""
    rooms: dict[str, list[tuple[tuple[int, str], dict[str, Any]]]] = {}
    for s in scenario.sessions:
        if s.start_time > now:
            continue
        for p in s.participants:
            if covers(p, now):
                key = (p.join_time, p.participant_id)
                rooms.setdefault(s.room, []).append((key, item(s.room, s.id, p, now)))
    return {room: [x for _, x in sorted(rooms[room])] for room in sorted(rooms)}


def presence(c: Http, **headers: str) -> Any:
    return ok(c.get("/v1/presence", headers={"Authorization": "Bearer test-key", **headers}))


def room_presence(c: Http, room: str, **params: Any) -> Any:
    return ok(c.api(f"/v1/rooms/{room}/presence", **params))


def freeze(c: Http, now: int) -> None:
    ok(c.post("/_fake/clock", {"freeze_at": now}))


# --------------------------------------------------------------------------- shape


def test_presence_of_the_small_scenario(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world()).base_url)
    body = presence(c)
    s07, s08 = small.by_id["s-07"], small.by_id["s-08"]
    a, _, carol = s07.participants
    assert body == {
        "retro": [item("retro", "s-08", s08.participants[0], NOW)],
        "standup": [item("standup", "s-07", a, NOW), item("standup", "s-07", carol, NOW)],
    }
    assert body == expected(small, NOW)
    assert list(body["standup"][0]) == FIELDS  # Daily's field order, camelCase
    assert body["standup"][0] == {
        "room": "standup",
        "id": "p-07-a",
        "userId": "u-alice",
        "userName": "Alice",
        "mtgSessionId": "s-07",
        "joinTime": "2024-06-01T11:00:00.000Z",
        "duration": 3600,
    }
    assert body["retro"][0]["userId"] is None and body["retro"][0]["userName"] is None
    # the same at the root, without /v1
    assert ok(c.api("/presence")) == body
    # ids are the /meetings ids: participant_id and the session id
    ongoing = ok(c.api("/v1/meetings", ongoing="true"))["data"]
    ids = {(s["id"], p["participant_id"]) for s in ongoing for p in s["participants"]}
    assert {(x["mtgSessionId"], x["id"]) for xs in body.values() for x in xs} <= ids

    page = room_presence(c, "standup")
    assert page == {"total_count": 2, "data": body["standup"]}
    assert list(page) == ["total_count", "data"]
    # a room with no ongoing session, a room whose name differs only in case: nobody
    assert room_presence(c, "all-hands") == {"total_count": 0, "data": []}
    assert room_presence(c, "Standup") == {"total_count": 0, "data": []}


def test_nobody_present_is_an_empty_object(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(World((), Clock(NOW))).base_url)
    assert presence(c) == {}
    ok(c.post("/_fake/join", {"room": "huddle"}), 201)  # the room exists from now on
    freeze(c, NOW - 1)  # before the join: the session (and the room) are not visible yet
    assert presence(c) == {}


# --------------------------------------------------------------------------- filters


def crowd() -> Scenario:
    people = [
        PartSpec("c-1", NOW - 300, None, user_id="u-1", user_name="Ann"),
        PartSpec("c-2", NOW - 200, None, user_id="u-2", user_name="Ann"),
        PartSpec("c-3", NOW - 200, None, user_name="Bo"),  # ties on join_time: by id
        PartSpec("c-0", NOW - 200, None, user_id="u-1", user_name="ann"),
        PartSpec("c-4", NOW - 100, 50, user_id="u-1", user_name="Ann"),  # left before now
        PartSpec("c-5", NOW - 10, None, user_id="u-3"),
    ]
    return Scenario([SessionSpec("crowd", "hall", NOW - 300, people, ongoing=True)])


def test_room_presence_filters_and_limit(serve: Serve, http_client: Http) -> None:
    scenario = crowd()
    c = http_client.at(serve(scenario.world()).base_url)
    everyone = expected(scenario, NOW)["hall"]
    assert [x["id"] for x in everyone] == ["c-1", "c-0", "c-2", "c-3", "c-5"]

    def ids(**params: Any) -> tuple[int, list[str]]:
        page = room_presence(c, "hall", **params)
        return page["total_count"], [x["id"] for x in page["data"]]

    assert room_presence(c, "hall") == {"total_count": 5, "data": everyone}
    assert ids(limit=2) == (5, ["c-1", "c-0"])  # total_count counts every match
    assert ids(limit=100) == (5, ["c-1", "c-0", "c-2", "c-3", "c-5"])
    assert ids(limit=1000) == (5, ["c-1", "c-0", "c-2", "c-3", "c-5"])  # clamped to 100
    assert ids(userId="u-1") == (2, ["c-1", "c-0"])  # c-4 has left
    assert ids(userName="Ann") == (2, ["c-1", "c-2"])  # exact, case-sensitive
    assert ids(userName="ann") == (1, ["c-0"])
    assert ids(userId="u-1", userName="Ann") == (1, ["c-1"])  # both must match
    assert ids(userId="u-1", limit=1) == (2, ["c-1"])
    assert ids(userId="nobody") == (0, [])
    assert ids(userName="") == (0, [])


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"limit": "x"}, ("limit",)),
        ({"limit": "0"}, ("limit",)),
        ({"limit": "-1"}, ("limit",)),
        ({"limit": "1.5"}, ("limit",)),
        ([("limit", "1"), ("limit", "2")], ("limit", "2 times")),
        ([("userId", "a"), ("userId", "b")], ("userId",)),
        ([("userName", "a"), ("userName", "b")], ("userName",)),
    ],
)
def test_bad_parameters_get_dailys_envelope(
    serve: Serve, http_client: Http, params: Any, words: tuple[str, ...]
) -> None:
    c = http_client.at(serve(crowd().world()).base_url)
    headers = {"Authorization": "Bearer test-key"}
    r = c.call("GET", "/v1/rooms/hall/presence", headers=headers, params=params)
    error(r, 400, "invalid-request-error", *words)


def test_strict_limit_refuses_over_100(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(crowd().world(), strict_limit=True).base_url)
    error(c.api("/v1/rooms/hall/presence", limit="101"), 400, "invalid-request-error", "limit")
    assert room_presence(c, "hall", limit="100")["total_count"] == 5


def test_unknown_room_is_404_like_the_rooms_routes(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(small_scenario().world()).base_url)
    info = error(c.api("/v1/rooms/nope/presence"), 404, "not-found")
    assert info == error(c.api("/v1/rooms/nope"), 404, "not-found") == "room nope not found"
    # a deleted room is unknown too
    ok(c.call("DELETE", "/v1/rooms/retro", headers={"Authorization": "Bearer test-key"}))
    error(c.api("/v1/rooms/retro/presence"), 404, "not-found", "retro")
    assert list(presence(c)) == ["retro", "standup"]  # its ongoing session still has people
    # the parameters are checked before the room
    error(c.api("/v1/rooms/nope/presence", limit="0"), 400, "invalid-request-error", "limit")
    # no Authorization: Daily's 400 before anything else
    error(c.get("/v1/presence"), 400, "authorization-header-error")
    error(c.get("/v1/rooms/standup/presence"), 400, "authorization-header-error")
    # GET only
    r = c.call("POST", "/v1/presence", {}, headers={"Authorization": "Bearer test-key"})
    error(r, 405, "method-not-allowed")


# --------------------------------------------------------------------------- time and live


def test_presence_follows_the_clock(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world()).base_url)
    s07, s08 = small.by_id["s-07"], small.by_id["s-08"]
    a, b, carol = s07.participants
    x, y = s08.participants  # x joins 15 s before s-08 starts; y stays [NOW - 590, NOW - 470)
    checks = {
        NOW - 3601: {},  # before s-07 (and the ended sessions are long over)
        NOW - 3600: {"standup": [item("standup", "s-07", a, NOW - 3600)]},
        NOW - 3000: {"standup": [item("standup", "s-07", a, NOW - 3000)]},  # and b: below
        NOW - 601: {
            "standup": [
                item("standup", "s-07", a, NOW - 601),
                item("standup", "s-07", carol, NOW - 601),
            ]
        },
        NOW - 600: {  # s-08 becomes visible with x, who joined before it started
            "retro": [item("retro", "s-08", x, NOW - 600)],
            "standup": [
                item("standup", "s-07", a, NOW - 600),
                item("standup", "s-07", carol, NOW - 600),
            ],
        },
        NOW - 590: {
            "retro": [item("retro", "s-08", x, NOW - 590), item("retro", "s-08", y, NOW - 590)],
            "standup": [
                item("standup", "s-07", a, NOW - 590),
                item("standup", "s-07", carol, NOW - 590),
            ],
        },
        NOW - 471: {
            "retro": [item("retro", "s-08", x, NOW - 471), item("retro", "s-08", y, NOW - 471)],
            "standup": [
                item("standup", "s-07", a, NOW - 471),
                item("standup", "s-07", carol, NOW - 471),
            ],
        },
        NOW - 470: {  # y leaves at exactly this instant: gone
            "retro": [item("retro", "s-08", x, NOW - 470)],
            "standup": [
                item("standup", "s-07", a, NOW - 470),
                item("standup", "s-07", carol, NOW - 470),
            ],
        },
    }
    assert b.join_time == NOW - 3500 and b.duration == 600  # b: [NOW - 3500, NOW - 2900)
    checks[NOW - 3000]["standup"].append(item("standup", "s-07", b, NOW - 3000))
    for now in (*sorted(checks), NOW + 86_400, *sorted(checks, reverse=True)):  # there and back
        freeze(c, now)
        assert presence(c) == expected(small, now), now
        if now in checks:
            assert presence(c) == checks[now], now
    freeze(c, NOW + 86_400)  # open stays go on: duration grows with the clock
    assert [p["duration"] for p in room_presence(c, "standup")["data"]] == [
        86_400 + 3600,
        86_400 + 1800,
    ]


def test_presence_follows_live_joins_and_leaves(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(World((), Clock(NOW))).base_url)
    alice = ok(
        c.post("/_fake/join", {"room": "huddle", "user_name": "Alice", "user_id": "u-a"}), 201
    )
    sid, a = alice["session_id"], alice["participant_id"]
    first = {
        "room": "huddle",
        "id": a,
        "userId": "u-a",
        "userName": "Alice",
        "mtgSessionId": sid,
        "joinTime": iso(NOW),
        "duration": 0,
    }
    assert presence(c) == {"huddle": [first]}  # exact: no lag
    ok(c.post("/_fake/clock", {"advance": 60}))
    bob = ok(c.post("/_fake/join", {"room": "huddle", "user_name": "Bob"}), 201)
    b = bob["participant_id"]
    assert bob["session_id"] == sid
    second = {**first, "id": b, "userId": None, "userName": "Bob", "joinTime": iso(NOW + 60)}
    assert presence(c) == {"huddle": [{**first, "duration": 60}, {**second, "duration": 0}]}
    carol = ok(c.post("/_fake/join", {"room": "den", "user_name": "Carol"}), 201)
    ok(c.post("/_fake/clock", {"advance": 30}))
    third = {
        "room": "den",
        "id": carol["participant_id"],
        "userId": None,
        "userName": "Carol",
        "mtgSessionId": carol["session_id"],
        "joinTime": iso(NOW + 60),
        "duration": 30,
    }
    assert presence(c) == {
        "den": [third],
        "huddle": [{**first, "duration": 90}, {**second, "duration": 30}],
    }
    ok(c.post("/_fake/leave", {"participant_id": a}))
    assert presence(c) == {"den": [third], "huddle": [{**second, "duration": 30}]}
    assert room_presence(c, "huddle", userName="Alice") == {"total_count": 0, "data": []}
    ok(c.post("/_fake/leave", {"participant_id": b}))
    ok(c.post("/_fake/leave", {"participant_id": carol["participant_id"]}))
    assert presence(c) == {}
    assert room_presence(c, "huddle") == {"total_count": 0, "data": []}  # the room stays
    freeze(c, NOW + 60)  # back in time: the stays are open again at that instant
    assert presence(c) == {
        "den": [{**third, "duration": 0}],
        "huddle": [{**first, "duration": 60}, {**second, "duration": 0}],
    }


# --------------------------------------------------------------------------- property


ROOMS = ("r-a", "r-b", "r-c")
STAY = st.tuples(
    st.integers(0, 40),  # join offset from the session start
    st.one_of(st.none(), st.integers(1, 40)),  # duration; None: an open stay
    st.sampled_from([None, "u-1", "u-2"]),
    st.sampled_from([None, "Ann", "Bo"]),
)
SESSION = st.tuples(
    st.integers(-60, 60), st.sampled_from(ROOMS), st.lists(STAY, min_size=1, max_size=4)
)


def build(sessions: list[Any]) -> Scenario:
    specs = []
    for i, (start, room, stays) in enumerate(sessions):
        parts = [
            PartSpec(f"p{i}-{j}", NOW + start + offset, duration, user_id, user_name)
            for j, (offset, duration, user_id, user_name) in enumerate(stays)
        ]
        first = min(p.join_time for p in parts)
        specs.append(SessionSpec(f"s{i:02d}", room, first, parts))
    return Scenario(specs)


@pytest.fixture(scope="module")
def model_server() -> Any:
    with ServerThread(World((), Clock(NOW)), ServerConfig(port=0)) as server:
        yield server


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    sessions=st.lists(SESSION, min_size=0, max_size=6),
    clocks=st.lists(st.integers(-70, 110), max_size=6),
)
def test_presence_is_who_covers_now(model_server: Any, sessions: Any, clocks: Any) -> None:
    scenario = build(sessions)
    c = Http("requests", model_server.base_url)
    try:
        ok(c.post("/_fake/reset", params={"empty": "true"}))
        ok(c.post("/_fake/scenario", {"sessions": scenario.as_data()["sessions"]}))
        instants = {NOW + t for t in clocks}
        joined = {p.participant_id: p.join_time for s in scenario.sessions for p in s.participants}
        for s in scenario.sessions:  # every instant where something changes, and its neighbours
            for p in s.participants:
                instants.update((p.join_time - 1, p.join_time))
                instants.update((p.join_time + MIN_STAY - 1, p.join_time + MIN_STAY))
                if p.duration is not None:
                    instants.update((p.join_time + p.duration - 1, p.join_time + p.duration))
        for now in sorted(instants):
            freeze(c, now)
            want = expected(scenario, now)
            assert presence(c) == want, now
            # and it agrees with /meetings?ongoing=true: who has been present MIN_STAY seconds
            # is a participant of an ongoing session, whose record says they are there until
            # now; who came since has no record yet (Daily's ten-second rule)
            ongoing = ok(c.api("/v1/meetings", ongoing="true"))["data"]
            records = {
                (s["id"], p["participant_id"]): p for s in ongoing for p in s["participants"]
            }
            for xs in want.values():
                for x in xs:
                    record = records.get((x["mtgSessionId"], x["id"]))
                    if now - joined[x["id"]] < MIN_STAY:
                        assert record is None, now
                        continue
                    assert record is not None, now
                    assert record["join_time"] + record["duration"] == now
            for room in ROOMS:
                if any(s.room == room for s in scenario.sessions if s.start_time <= now):
                    page = room_presence(c, room)
                    assert page == {
                        "total_count": len(want.get(room, [])),
                        "data": want.get(room, []),
                    }
    finally:
        c.close()
