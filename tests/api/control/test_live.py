"""Live joins and leaves over real HTTP (``requests`` and ``aiohttp``): ``POST /_fake/join`` and
``POST /_fake/leave`` drive a meeting at the server clock's instant, and ``/v1/meetings`` shows
it as Daily would. Every expected value is computed here from the instants the test sets (or
from ``SessionSpec`` in tests/helpers/scenarios.py), never by the package."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW
from tests.helpers.scenarios import PartSpec, Scenario, SessionSpec, small_scenario

Serve = Callable[..., ServerThread]


# --------------------------------------------------------------------------- helpers


def key(k: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {k}"}


def join(c: Http, room: str, headers: dict[str, str] | None = None, **who: Any) -> Any:
    return ok(c.post("/_fake/join", {"room": room, **who}, headers=headers), 201)


def leave(c: Http, pid: str, headers: dict[str, str] | None = None) -> Any:
    return ok(c.post("/_fake/leave", {"participant_id": pid}, headers=headers))


def advance(c: Http, seconds: int, headers: dict[str, str] | None = None) -> None:
    ok(c.post("/_fake/clock", {"advance": seconds}, headers=headers))


def meetings(c: Http, k: str = "test-key", **params: Any) -> Any:
    return ok(c.api("/v1/meetings", key=k, **params))


def meeting(c: Http, sid: str, k: str = "test-key") -> Any:
    return ok(c.api(f"/v1/meetings/{sid}", key=k))


def is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def person(
    pid: str, join_time: int, duration: int, name: str | None = None, user_id: str | None = None
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "participant_id": pid,
        "user_name": name,
        "join_time": join_time,
        "duration": duration,
    }


def empty_world(now: int = NOW) -> World:
    return World((), Clock(now))


# --------------------------------------------------------------------------- the life of a meeting


def test_a_meeting_from_first_join_to_last_leave(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(empty_world()).base_url)

    alice = join(c, "standup", user_name="Alice", user_id="u-alice")
    sid, a = alice["session_id"], alice["participant_id"]
    assert is_uuid(sid) and is_uuid(a) and sid != a
    assert alice == {
        "participant_id": a,
        "session_id": sid,
        "room": "standup",
        "user_id": "u-alice",
        "user_name": "Alice",
        "owner": False,
        "join_time": NOW,
        "leave_time": None,
        "session_ongoing": True,
    }
    # a session started at now, listed once Alice has stayed 10 s (Daily's ten-second rule)
    assert meetings(c) == {"total_count": 0, "data": []}
    assert c.api(f"/v1/meetings/{sid}", key="test-key").status == 404
    advance(c, 9)
    assert meetings(c)["total_count"] == 0
    advance(c, 1)  # NOW + 10
    assert meetings(c) == {
        "total_count": 1,
        "data": [
            {
                "id": sid,
                "room": "standup",
                "start_time": NOW,
                "duration": 10,
                "ongoing": True,
                "max_participants": 1,
                "participants": [person(a, NOW, 10, "Alice", "u-alice")],
            }
        ],
    }
    advance(c, 110)  # NOW + 120
    assert meeting(c, sid)["duration"] == 120
    assert meeting(c, sid)["participants"] == [person(a, NOW, 120, "Alice", "u-alice")]

    bob = join(c, "standup", user_name="Bob", owner=True)
    b = bob["participant_id"]
    assert bob["session_id"] == sid and b not in (a, sid) and is_uuid(b)
    assert (bob["owner"], bob["join_time"], bob["user_id"]) == (True, NOW + 120, None)
    assert meeting(c, sid)["participants"] == [person(a, NOW, 120, "Alice", "u-alice")]
    advance(c, 300)  # NOW + 420
    s = meeting(c, sid)
    assert (s["duration"], s["ongoing"], s["max_participants"]) == (420, True, 2)
    assert s["participants"] == [
        person(a, NOW, 420, "Alice", "u-alice"),
        person(b, NOW + 120, 300, "Bob"),
    ]

    left = leave(c, a)
    assert left == {**alice, "leave_time": NOW + 420, "session_ongoing": True}
    advance(c, 60)  # NOW + 480: Alice's stay is over, Bob's and the session's go on
    s = meeting(c, sid)
    assert (s["duration"], s["ongoing"], s["max_participants"]) == (480, True, 2)
    assert [p["duration"] for p in s["participants"]] == [420, 360]
    assert meetings(c, ongoing="true")["total_count"] == 1

    last = leave(c, b)
    assert (last["leave_time"], last["session_ongoing"]) == (NOW + 480, False)
    ended = {
        "id": sid,
        "room": "standup",
        "start_time": NOW,
        "duration": 480,  # the last leave - start
        "ongoing": False,
        "max_participants": 2,
        "participants": [person(a, NOW, 420, "Alice", "u-alice"), person(b, NOW + 120, 360, "Bob")],
    }
    assert meeting(c, sid) == ended
    for seconds in (1, 3600, 86_400):  # nothing of an ended session follows the clock
        advance(c, seconds)
        assert meeting(c, sid) == ended
        assert meetings(c) == {"total_count": 1, "data": [ended]}
        assert meetings(c, ongoing="true")["total_count"] == 0
        assert meetings(c, ongoing="false")["total_count"] == 1
    later = NOW + 480 + 1 + 3600 + 86_400

    # the room again, after its meeting ended: a new session, starting now
    again = join(c, "standup", user_name="Alice")
    assert again["session_id"] not in (sid, a, b) and is_uuid(again["session_id"])
    assert again["participant_id"] not in (sid, a, b)
    assert meetings(c)["total_count"] == 1  # listed 10 s on
    advance(c, 10)
    page = meetings(c)
    assert page["total_count"] == 2
    assert [s["id"] for s in page["data"]] == [again["session_id"], sid]  # newest first
    assert page["data"][0] == {
        "id": again["session_id"],
        "room": "standup",
        "start_time": later,
        "duration": 10,
        "ongoing": True,
        "max_participants": 1,
        "participants": [person(again["participant_id"], later, 10, "Alice")],
    }
    assert page["data"][1] == ended


def test_rooms_are_separate_and_names_exact(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(empty_world()).base_url)
    a = join(c, "standup")
    b = join(c, "Standup")  # another room: names are compared exactly
    d = join(c, "retro")
    assert len({a["session_id"], b["session_id"], d["session_id"]}) == 3
    advance(c, 10)  # listed once recorded
    assert meetings(c, room="standup")["data"][0]["participants"] == [
        person(a["participant_id"], NOW, 10)
    ]
    assert meetings(c)["total_count"] == 3
    leave(c, b["participant_id"])
    assert meeting(c, a["session_id"])["ongoing"] is True
    assert meeting(c, b["session_id"])["ongoing"] is False


def test_rejoining_is_a_new_stay_of_the_same_session(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(empty_world()).base_url)
    host = join(c, "r", user_name="Host")
    first = join(c, "r", user_name="Guest", user_id="g")
    advance(c, 100)
    leave(c, first["participant_id"])
    advance(c, 50)
    second = join(c, "r", user_name="Guest", user_id="g")
    assert second["session_id"] == host["session_id"]
    assert second["participant_id"] != first["participant_id"]
    advance(c, 10)
    s = meeting(c, host["session_id"])
    at_start = sorted(  # two joins at NOW: in participant_id order
        [
            person(host["participant_id"], NOW, 160, "Host"),
            person(first["participant_id"], NOW, 100, "Guest", "g"),
        ],
        key=lambda p: p["participant_id"],
    )
    assert s["participants"] == [
        *at_start,
        person(second["participant_id"], NOW + 150, 10, "Guest", "g"),
    ]
    assert s["max_participants"] == 2  # never three at once
    assert s["duration"] == 160


# --------------------------------------------------------------------------- scenario sessions


def test_joining_a_room_whose_scenario_session_is_ongoing(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world()).base_url)
    spec = copy.deepcopy(small.by_id["s-07"])  # standup, ongoing at NOW: Alice and Carol present

    dave = join(c, "standup", user_name="Dave")
    assert (dave["session_id"], dave["session_ongoing"]) == ("s-07", True)
    assert meeting(c, "s-07") == spec.expected(NOW)  # Dave is shown once he has stayed 10 s
    advance(c, 10)
    spec.participants.append(PartSpec(dave["participant_id"], NOW, None, user_name="Dave"))
    assert meeting(c, "s-07") == spec.expected(NOW + 10)
    assert meeting(c, "s-07")["max_participants"] == 3  # Alice, Carol and Dave

    advance(c, 50)
    for pid in ("p-07-a", "p-07-c"):
        assert leave(c, pid)["session_ongoing"] is True
    assert leave(c, dave["participant_id"])["session_ongoing"] is False
    for p in spec.participants:
        if p.duration is None:
            p.duration = NOW + 60 - p.join_time
    assert meeting(c, "s-07") == spec.expected(NOW + 60)
    assert meeting(c, "s-07")["duration"] == 3660  # its start was an hour before NOW
    advance(c, 600)
    assert meeting(c, "s-07") == spec.expected(NOW + 60)
    # the other scenario sessions are untouched
    for s in small.sessions:
        if s.id != "s-07":
            assert meeting(c, s.id) == s.expected(NOW + 660)


def test_a_scenario_stay_leaving_later_can_leave_now(serve: Serve, http_client: Http) -> None:
    """A scenario stay that leaves after now ends now instead; the session goes on while
    others are present."""
    later = SessionSpec(
        "s-later",
        "room",
        NOW - 100,
        [PartSpec("early", NOW - 100, 1000), PartSpec("late", NOW - 50, 2000)],
    )
    c = http_client.at(serve(Scenario([later]).world()).base_url)
    answer = leave(c, "early")
    assert (answer["leave_time"], answer["session_ongoing"]) == (NOW, True)
    later.participants[0].duration = 100
    assert meeting(c, "s-later") == later.expected(NOW)
    advance(c, 5000)
    assert meeting(c, "s-later") == later.expected(NOW + 5000)
    assert meeting(c, "s-later")["duration"] == 2050  # the late one's leave - start


def test_the_most_recently_started_of_several_ongoing_sessions(
    serve: Serve, http_client: Http
) -> None:
    specs = [
        SessionSpec(sid, "busy", start, [PartSpec(f"{sid}-p", start, None)], ongoing=True)
        for sid, start in (("b-old", NOW - 900), ("b-tie-1", NOW - 300), ("b-tie-2", NOW - 300))
    ]
    c = http_client.at(serve(Scenario(specs).world()).base_url)
    # latest start_time, ties by id: the session the list shows first
    assert join(c, "busy")["session_id"] == "b-tie-2"
    assert meetings(c, room="busy")["data"][0]["id"] == "b-tie-2"
    assert len(meeting(c, "b-tie-2")["participants"]) == 1  # the join is shown 10 s on
    advance(c, 10)
    assert len(meeting(c, "b-tie-2")["participants"]) == 2
    assert len(meeting(c, "b-tie-1")["participants"]) == 1


def test_an_ended_scenario_session_is_not_joined(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world()).base_url)
    answer = join(c, "all-hands")  # s-09 ended days ago
    assert answer["session_id"] not in small.by_id
    assert meeting(c, "s-09") == small.by_id["s-09"].expected(NOW)
    assert meetings(c, room="all-hands")["total_count"] == 1  # the new one is listed 10 s on
    advance(c, 10)
    assert meetings(c, room="all-hands")["total_count"] == 2


# --------------------------------------------------------------------------- bad input


def sessions_bytes(c: Http, headers: dict[str, str] | None = None) -> bytes:
    r = c.get("/_fake/sessions", headers=headers)
    assert r.status == 200
    return r.body


BAD_JOINS: list[tuple[Any, str]] = [
    ({"room": ""}, "room"),
    ({"room": "   "}, "room"),
    ({}, "room"),
    ({"room": None}, "room"),
    ({"room": 5}, "room"),
    ({"room": ["standup"]}, "room"),
    ({"room": "standup", "user_name": 5}, "user_name"),
    ({"room": "standup", "user_name": ""}, "user_name"),
    ({"room": "standup", "user_id": {"a": 1}}, "user_id"),
    ({"room": "standup", "owner": "yes"}, "owner"),
    ({"room": "standup", "owner": 1}, "owner"),
    ({"room": "standup", "name": "Alice"}, "name"),
    ({"room": "x" * 1025}, "room"),
    (["standup"], "JSON object"),
    ("standup", "JSON"),
    ("", "empty"),
    ("{", "JSON"),
]

BAD_LEAVES: list[tuple[Any, str]] = [
    ({}, "participant_id"),
    ({"participant_id": ""}, "participant_id"),
    ({"participant_id": None}, "participant_id"),
    ({"participant_id": 7}, "participant_id"),
    ({"participant_id": "p-07-a", "room": "standup"}, "room"),
    ([], "JSON object"),
    ("", "empty"),
]


@pytest.fixture
def busy(serve: Serve) -> ServerThread:
    """The small scenario plus: a live stay that left, and one that joins after now."""
    server = serve(small_scenario().world())
    c = Http("requests", server.base_url)
    try:
        gone = join(c, "retro", user_name="Gone")
        leave(c, gone["participant_id"])
        ok(c.post("/_fake/clock", {"freeze_at": NOW + 100}))
        soon = join(c, "later-room", user_name="Soon")
        ok(c.post("/_fake/clock", {"freeze_at": NOW}))
        server.gone, server.soon = gone["participant_id"], soon["participant_id"]  # type: ignore[attr-defined]
    finally:
        c.close()
    return server


def assert_changes_nothing(c: Http, call: Callable[[], Any]) -> None:
    before = (sessions_bytes(c), ok(c.get("/_fake/clock")), ok(c.api("/v1/meetings")))
    call()
    assert (sessions_bytes(c), ok(c.get("/_fake/clock")), ok(c.api("/v1/meetings"))) == before


@pytest.mark.parametrize(("body", "word"), BAD_JOINS)
def test_a_bad_join_is_refused_and_changes_nothing(
    busy: ServerThread, http_client: Http, body: Any, word: str
) -> None:
    c = http_client.at(busy.base_url)
    assert_changes_nothing(
        c, lambda: error(c.post("/_fake/join", body), 400, "invalid-request-error", word)
    )


@pytest.mark.parametrize(("body", "word"), BAD_LEAVES)
def test_a_bad_leave_is_refused_and_changes_nothing(
    busy: ServerThread, http_client: Http, body: Any, word: str
) -> None:
    c = http_client.at(busy.base_url)
    assert_changes_nothing(
        c, lambda: error(c.post("/_fake/leave", body), 400, "invalid-request-error", word)
    )


def test_leaving_who_cannot_leave_is_refused_and_changes_nothing(
    busy: ServerThread, http_client: Http
) -> None:
    c = http_client.at(busy.base_url)
    gone, soon = busy.gone, busy.soon  # type: ignore[attr-defined]

    def refused(pid: str, status: int, name: str, *words: str) -> None:
        body = {"participant_id": pid}
        assert_changes_nothing(c, lambda: error(c.post("/_fake/leave", body), status, name, *words))

    refused("no-such-participant", 404, "not-found", "no-such-participant")
    refused(str(uuid.UUID(int=0)), 404, "not-found")
    refused(gone, 400, "invalid-request-error", "already left")  # leaving twice
    refused("p-07-b", 400, "invalid-request-error", "already left")  # a scenario stay that left
    # a stay of a session ended (no live join here made it): not in a room now, so unknown
    refused("p-01-a", 404, "not-found", "p-01-a", "in a room now")
    refused(soon, 400, "invalid-request-error", "not joined yet")  # joins after now
    # and the stays that can leave still can
    assert leave(c, "p-07-a")["leave_time"] == NOW
    ok(c.post("/_fake/clock", {"freeze_at": NOW + 100}))
    assert leave(c, soon)["session_ongoing"] is False


def test_leave_and_join_are_post_only(busy: ServerThread, http_client: Http) -> None:
    c = http_client.at(busy.base_url)
    for path in ("/_fake/join", "/_fake/leave"):
        assert_changes_nothing(c, lambda p=path: error(c.get(p), 405, "method-not-allowed"))


# --------------------------------------------------------------------------- namespaces, reset


def test_each_key_has_its_own_meetings(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(empty_world(), namespaces=True).base_url)
    one = join(c, "standup", headers=key("k1"), user_name="One")
    advance(c, 300, headers=key("k2"))
    two = join(c, "standup", headers=key("k2"), user_name="Two")
    for k in ("k1", "k2"):  # listed once recorded, 10 s on
        advance(c, 10, headers=key(k))
    # k1's clock moved 10 s; k2's 310
    assert meetings(c, "k1")["data"] == [
        {
            "id": one["session_id"],
            "room": "standup",
            "start_time": NOW,
            "duration": 10,
            "ongoing": True,
            "max_participants": 1,
            "participants": [person(one["participant_id"], NOW, 10, "One")],
        }
    ]
    assert meetings(c, "k2")["data"] == [
        {
            "id": two["session_id"],
            "room": "standup",
            "start_time": NOW + 300,
            "duration": 10,
            "ongoing": True,
            "max_participants": 1,
            "participants": [person(two["participant_id"], NOW + 300, 10, "Two")],
        }
    ]
    assert meetings(c, "k3") == {"total_count": 0, "data": []}
    assert ok(c.get("/_fake/sessions"))["total_count"] == 0  # the default namespace
    # leaving in one namespace leaves the other's meeting as it was
    advance(c, 60, headers=key("k1"))
    assert leave(c, one["participant_id"], headers=key("k1"))["session_ongoing"] is False
    assert meetings(c, "k1")["data"][0]["ongoing"] is False
    assert meetings(c, "k2")["data"][0]["ongoing"] is True
    assert meetings(c, "k2")["data"][0]["participants"][0]["user_name"] == "Two"
    # a third join in k2's room goes to k2's session
    assert join(c, "standup", headers=key("k2"))["session_id"] == two["session_id"]
    assert meetings(c, "k1")["data"][0]["max_participants"] == 1


def test_reset_empty_and_plain(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world()).base_url)
    startup = sessions_bytes(c)
    join(c, "standup")
    advance(c, 60)
    assert sessions_bytes(c) != startup

    answer = ok(c.post("/_fake/reset", params={"empty": "true"}))
    assert (answer["sessions"], answer["frozen"]) == (0, False)
    assert abs(answer["now"] - time.time()) < 5
    assert meetings(c) == {"total_count": 0, "data": []}
    assert ok(c.get("/_fake/sessions")) == {"total_count": 0, "data": []}
    clock = ok(c.get("/_fake/clock"))
    assert clock["frozen"] is False and abs(clock["now"] - time.time()) < 5
    fresh = join(c, "standup")
    assert fresh["session_id"] not in small.by_id
    assert abs(fresh["join_time"] - time.time()) < 5

    answer = ok(c.post("/_fake/reset"))
    assert answer == {"sessions": len(small.sessions), "now": NOW, "frozen": True}
    assert sessions_bytes(c) == startup
    assert [s["id"] for s in meetings(c)["data"]] == small.ordered_ids()

    error(c.post("/_fake/reset", params={"empty": "yes"}), 400, "invalid-request-error", "empty")
    assert sessions_bytes(c) == startup


def test_reset_empty_is_per_key(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world(), namespaces=True).base_url)
    ok(c.post("/_fake/reset", params={"empty": "true"}, headers=key("k1")))
    assert meetings(c, "k1")["total_count"] == 0
    assert meetings(c, "k2")["total_count"] == len(small.sessions)
    assert ok(c.get("/_fake/clock", headers=key("k2"))) == {"now": NOW, "frozen": True}


def test_ids_of_a_replayed_recording_are_not_handed_out_again(
    serve: Serve, http_client: Http
) -> None:
    """Live ids come from a generator seeded anew at every reset, so a recording of an earlier
    run (its sessions dumped, then loaded back) holds the very ids the next joins would draw:
    they must draw others, not answer 500 or give two stays one id."""
    c = http_client.at(serve(empty_world()).base_url)
    first = join(c, "a", user_name="First")
    dump = ok(c.get("/_fake/sessions"))["data"]
    recorded = [
        {
            "id": s["id"],
            "room": s["room"],
            "start_time": s["start_time"],
            "ongoing": True,
            "participants": [
                {"participant_id": p["participant_id"], "join_time": p["join_time"]}
                for p in s["participants"]
            ],
        }
        for s in dump
    ]
    ok(c.post("/_fake/reset", params={"empty": "true"}))
    ok(c.post("/_fake/clock", {"freeze_at": NOW}))
    ok(c.post("/_fake/sessions", recorded), 201)
    served = {first["session_id"], first["participant_id"]}

    into_a = join(c, "a", user_name="Again")  # into the recorded session, which is ongoing
    assert into_a["session_id"] == first["session_id"]
    assert into_a["participant_id"] not in served
    new_room = join(c, "b")  # a new session
    assert new_room["session_id"] not in served | {into_a["participant_id"]}
    assert new_room["participant_id"] not in served | {into_a["participant_id"]}
    advance(c, 10)  # the joins are recorded
    assert meetings(c)["total_count"] == 2
    participants = meeting(c, first["session_id"])["participants"]
    assert len({p["participant_id"] for p in participants}) == 2

    advance(c, 20)
    assert leave(c, into_a["participant_id"])["session_ongoing"] is True  # the recorded one stays
    s = meeting(c, first["session_id"])
    durations = {p["participant_id"]: p["duration"] for p in s["participants"]}
    assert durations == {first["participant_id"]: 30, into_a["participant_id"]: 30}
    assert leave(c, first["participant_id"])["session_ongoing"] is False
