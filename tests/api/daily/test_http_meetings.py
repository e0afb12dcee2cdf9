"""GET /meetings and GET /meetings/:id over a real socket (contract §2, §3, §8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from fake_meetings.testing import ServerThread
from tests.helpers.clients import SyncClient, aio_get, check_int_times
from tests.helpers.constants import DAY, NOW
from tests.helpers.scenarios import BIG_COUNT, BIG_ROOMS, T0, Scenario, big_scenario, small_scenario

MAX_PAGES = 1000  # bound on every page walk


def ids(body: dict[str, Any]) -> list[str]:
    return [s["id"] for s in body["data"]]


def list_ok(client: SyncClient, server: ServerThread, **params: Any) -> dict[str, Any]:
    r = client.get(server.url + "/meetings", params)
    assert r.status == 200, r.body
    assert r.content_type == "application/json"
    body = r.json()
    assert set(body) == {"total_count", "data"}
    check_int_times(body)
    return body


def walk(
    client: SyncClient, server: ServerThread, limit: int, **filters: Any
) -> tuple[list[str], set[int]]:
    """Walk every page with starting_after=<last id> until an empty page; the ids in order,
    and every total_count seen."""
    seen: list[str] = []
    totals: set[int] = set()
    params: dict[str, Any] = {"limit": limit, **filters}
    for _ in range(MAX_PAGES):
        body = list_ok(client, server, **params)
        totals.add(body["total_count"])
        if not body["data"]:
            return seen, totals
        assert len(body["data"]) <= limit
        seen.extend(ids(body))
        params["starting_after"] = body["data"][-1]["id"]
    raise AssertionError("the page walk did not end")


# ----------------------------------------------------------------- routes


@pytest.mark.parametrize("prefix", ["/v1", ""])
def test_every_route_is_served_under_v1_and_at_the_root(
    client: SyncClient, small_server: ServerThread, small: Scenario, prefix: str
) -> None:
    base = small_server.base_url + prefix
    listing = client.get(base + "/meetings")
    one = client.get(base + "/meetings/s-03")
    parts = client.get(base + "/meetings/s-03/participants")
    for r in (listing, one, parts):
        assert r.status == 200, r.body
        assert r.content_type == "application/json"
    assert listing.json()["total_count"] == len(small.sessions)
    assert one.json()["id"] == "s-03"
    assert [p["participant_id"] for p in parts.json()["data"]] == ["p-03-a", "p-03-b", "p-03-c"]


def test_root_and_v1_answer_the_same(client: SyncClient, small_server: ServerThread) -> None:
    for path in ("/meetings?limit=3", "/meetings/s-07", "/meetings/s-09/participants?limit=4"):
        a = client.get(small_server.base_url + path)
        b = client.get(small_server.base_url + "/v1" + path)
        assert (a.status, a.json()) == (b.status, b.json())


# ----------------------------------------------------------------- list: content and order


def test_list_returns_every_session_newest_first_with_ties_by_id_descending(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    body = list_ok(client, small_server)
    assert body["total_count"] == len(small.sessions)
    # written out by hand for this data set
    assert ids(body) == [
        "s-08",
        "s-07",
        "s-09",
        "s-06",
        "s-05",
        "s-04c",
        "s-04b",
        "s-04a",
        "s-03",
        "s-02",
        "s-01",
    ]
    assert ids(body) == small.ordered_ids()


def test_list_items_are_complete_session_objects(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    body = list_ok(client, small_server)
    assert body["data"] == [s.expected(NOW) for s in small.ordered()]
    for item in body["data"]:
        assert set(item) == {
            "id",
            "room",
            "start_time",
            "duration",
            "ongoing",
            "max_participants",
            "participants",
        }


def test_ended_session_duration_matches_its_participants(
    client: SyncClient, small_server: ServerThread
) -> None:
    body = list_ok(client, small_server, room="standup", ongoing="false")
    for item in body["data"]:
        ends = [p["join_time"] + p["duration"] for p in item["participants"]]
        assert item["start_time"] + item["duration"] == max(ends)
    s01 = next(s for s in body["data"] if s["id"] == "s-01")
    assert s01["duration"] == 900  # Alice: T0 .. T0 + 900; Bob leaves at T0 + 630
    assert s01["max_participants"] == 2


def test_explicit_max_participants_agreeing_with_the_stays_is_served(
    client: SyncClient, small_server: ServerThread
) -> None:
    r = client.get(small_server.url + "/meetings/s-06")  # one stay, max_participants: 1 given
    assert r.json()["max_participants"] == 1


def test_participant_fields_and_nulls(client: SyncClient, small_server: ServerThread) -> None:
    body = list_ok(client, small_server, room="standup", timeframe_start=T0, timeframe_end=T0 + 1)
    (s01,) = body["data"]
    assert s01["participants"] == [
        {
            "user_id": "u-alice",
            "participant_id": "p-01-b",
            "user_name": "Alice",
            "join_time": T0,
            "duration": 900,
        },
        {
            "user_id": None,
            "participant_id": "p-01-a",
            "user_name": "Bob",
            "join_time": T0 + 30,
            "duration": 600,
        },
    ]


# ----------------------------------------------------------------- list: filters


@pytest.mark.parametrize("room", ["standup", "retro", "Standup", "all-hands"])
def test_room_filter_is_exact_and_case_sensitive(
    client: SyncClient, small_server: ServerThread, small: Scenario, room: str
) -> None:
    body = list_ok(client, small_server, room=room)
    expected = small.ordered_ids(lambda s: s.room == room)
    assert ids(body) == expected
    assert body["total_count"] == len(expected)
    assert {s["room"] for s in body["data"]} == {room}


@pytest.mark.parametrize("room", ["nope", "STANDUP", "standu", "standup "])
def test_room_without_sessions_gives_the_empty_result(
    client: SyncClient, small_server: ServerThread, room: str
) -> None:
    assert list_ok(client, small_server, room=room) == {"total_count": 0, "data": []}


def test_timeframe_start_is_inclusive(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    start = small.by_id["s-03"].start_time
    at = list_ok(client, small_server, timeframe_start=start)
    after = list_ok(client, small_server, timeframe_start=start + 1)
    assert "s-03" in ids(at)
    assert "s-03" not in ids(after)
    assert ids(at) == small.ordered_ids(lambda s: s.start_time >= start)
    assert ids(after) == small.ordered_ids(lambda s: s.start_time >= start + 1)
    assert at["total_count"] == after["total_count"] + 1


def test_timeframe_end_is_exclusive(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    start = small.by_id["s-03"].start_time
    at = list_ok(client, small_server, timeframe_end=start)
    after = list_ok(client, small_server, timeframe_end=start + 1)
    assert "s-03" not in ids(at)
    assert "s-03" in ids(after)
    assert ids(at) == small.ordered_ids(lambda s: s.start_time < start)
    assert ids(after) == small.ordered_ids(lambda s: s.start_time < start + 1)


def test_timeframe_on_tied_start_times_takes_every_tie(
    client: SyncClient, small_server: ServerThread
) -> None:
    tie = T0 + 2 * DAY
    body = list_ok(client, small_server, timeframe_start=tie, timeframe_end=tie + 1)
    assert ids(body) == ["s-04c", "s-04b", "s-04a"]
    assert body["total_count"] == 3
    assert list_ok(client, small_server, timeframe_start=tie, timeframe_end=tie) == {
        "total_count": 0,
        "data": [],
    }


def test_timeframe_start_after_end_is_empty(client: SyncClient, small_server: ServerThread) -> None:
    body = list_ok(client, small_server, timeframe_start=NOW, timeframe_end=T0)
    assert body == {"total_count": 0, "data": []}


def test_timeframe_zero_and_far_future_bounds(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    body = list_ok(client, small_server, timeframe_start=0, timeframe_end=4_000_000_000)
    assert ids(body) == small.ordered_ids()


def test_filters_combine(client: SyncClient, small_server: ServerThread, small: Scenario) -> None:
    lo, hi = T0 + 1, NOW
    body = list_ok(
        client, small_server, room="standup", timeframe_start=lo, timeframe_end=hi, ongoing="false"
    )
    expected = small.ordered_ids(
        lambda s: s.room == "standup" and lo <= s.start_time < hi and not s.ongoing
    )
    assert expected == ["s-04c", "s-04a", "s-03"]
    assert ids(body) == expected
    assert body["total_count"] == 3


@pytest.mark.parametrize("value", ["true", "TRUE", "True", "tRuE"])
def test_ongoing_true_any_case(
    client: SyncClient, small_server: ServerThread, small: Scenario, value: str
) -> None:
    body = list_ok(client, small_server, ongoing=value)
    assert ids(body) == ["s-08", "s-07"] == small.ordered_ids(lambda s: s.ongoing)
    assert body["total_count"] == 2
    assert all(s["ongoing"] is True for s in body["data"])


@pytest.mark.parametrize("value", ["false", "FALSE", "False", "fAlSe"])
def test_ongoing_false_any_case(
    client: SyncClient, small_server: ServerThread, small: Scenario, value: str
) -> None:
    body = list_ok(client, small_server, ongoing=value)
    assert ids(body) == small.ordered_ids(lambda s: not s.ongoing)
    assert body["total_count"] == len(small.sessions) - 2
    assert all(s["ongoing"] is False for s in body["data"])


def test_ongoing_with_room(client: SyncClient, small_server: ServerThread) -> None:
    body = list_ok(client, small_server, room="retro", ongoing="true")
    assert ids(body) == ["s-08"]
    assert body["total_count"] == 1


@pytest.mark.parametrize("value", ["true", "TRUE", "True"])
def test_no_participants_true_removes_the_key(
    client: SyncClient, small_server: ServerThread, small: Scenario, value: str
) -> None:
    body = list_ok(client, small_server, no_participants=value)
    assert body["data"] == [s.expected(NOW, participants=False) for s in small.ordered()]
    assert all("participants" not in s for s in body["data"])


@pytest.mark.parametrize("value", ["false", "FALSE", "False"])
def test_no_participants_false_keeps_them(
    client: SyncClient, small_server: ServerThread, small: Scenario, value: str
) -> None:
    body = list_ok(client, small_server, no_participants=value)
    assert body["data"] == [s.expected(NOW) for s in small.ordered()]


def test_unknown_extra_parameters_are_ignored(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    body = list_ok(client, small_server, foo="bar", page="2", limit=2)
    assert ids(body) == small.ordered_ids()[:2]


# ----------------------------------------------------------------- limit


def test_limit_takes_the_first_sessions_and_total_count_ignores_it(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    for limit in (1, 2, 5, len(small.sessions), 100):
        body = list_ok(client, small_server, limit=limit)
        assert ids(body) == small.ordered_ids()[:limit]
        assert body["total_count"] == len(small.sessions)


def test_limit_defaults_to_100(client: SyncClient, big_server: ServerThread) -> None:
    big = big_scenario()
    body = list_ok(client, big_server)
    assert len(body["data"]) == 100
    assert ids(body) == big.ordered_ids()[:100]
    assert body["total_count"] == BIG_COUNT


@pytest.mark.parametrize(
    "limit",
    ["101", "1000", "99999999999", "1" + "0" * 25],  # the last: an integer beyond 64 bits
)
def test_limit_over_100_is_clamped_to_100(
    client: SyncClient, big_server: ServerThread, limit: str
) -> None:
    big = big_scenario()
    body = list_ok(client, big_server, limit=limit)
    assert ids(body) == big.ordered_ids()[:100]
    assert body["total_count"] == BIG_COUNT


def test_limit_with_leading_zeros_is_an_integer(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    assert ids(list_ok(client, small_server, limit="003")) == small.ordered_ids()[:3]


def test_strict_limit_makes_over_100_a_400(
    client: SyncClient, serve: Callable[..., ServerThread]
) -> None:
    server = serve(big_scenario().world(), strict_limit=True)
    r = client.get(server.url + "/meetings", {"limit": 101})
    assert r.status == 400
    assert r.content_type == "application/json"
    assert r.json()["error"] == "invalid-request-error"
    assert "limit" in r.json()["info"]
    assert len(client.get(server.url + "/meetings", {"limit": 100}).json()["data"]) == 100
    assert len(client.get(server.url + "/meetings").json()["data"]) == 100


# ----------------------------------------------------------------- cursors


def test_starting_after_returns_the_next_older_sessions(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    order = small.ordered_ids()
    for k, cursor in enumerate(order):
        body = list_ok(client, small_server, starting_after=cursor, limit=3)
        assert ids(body) == order[k + 1 : k + 4], cursor
        assert cursor not in ids(body)
        assert body["total_count"] == len(order)


def test_starting_after_inside_ties(client: SyncClient, small_server: ServerThread) -> None:
    body = list_ok(client, small_server, starting_after="s-04c", limit=2)
    assert ids(body) == ["s-04b", "s-04a"]
    body = list_ok(client, small_server, starting_after="s-04b", limit=2)
    assert ids(body) == ["s-04a", "s-03"]


def test_ending_before_returns_the_closest_newer_sessions_newest_first(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    order = small.ordered_ids()
    for k, cursor in enumerate(order):
        body = list_ok(client, small_server, ending_before=cursor, limit=3)
        assert ids(body) == order[max(0, k - 3) : k], cursor
        assert body["total_count"] == len(order)


def test_ending_before_inside_ties(client: SyncClient, small_server: ServerThread) -> None:
    body = list_ok(client, small_server, ending_before="s-04a", limit=2)
    assert ids(body) == ["s-04c", "s-04b"]


@pytest.mark.parametrize("limit", [1, 3, 4, 11, 100])
def test_ending_before_oldest_gives_the_oldest_page_newest_first(
    client: SyncClient, small_server: ServerThread, small: Scenario, limit: int
) -> None:
    order = small.ordered_ids()
    body = list_ok(client, small_server, ending_before="OLDEST", limit=limit)
    assert ids(body) == order[-limit:]
    assert body["total_count"] == len(order)


def test_ending_before_oldest_with_filters(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    body = list_ok(client, small_server, ending_before="OLDEST", limit=2, room="standup")
    assert ids(body) == small.ordered_ids(lambda s: s.room == "standup")[-2:]
    assert ids(body) == ["s-03", "s-01"]
    assert body["total_count"] == 5


def test_ending_before_oldest_on_empty_result(
    client: SyncClient, small_server: ServerThread
) -> None:
    body = list_ok(client, small_server, ending_before="OLDEST", room="nope")
    assert body == {"total_count": 0, "data": []}


def test_cursor_outside_the_filters_is_positioned_by_its_sort_key(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    # s-04c is a standup session; retro sessions are placed around its (start_time, id)
    cursor = small.by_id["s-04c"]
    body = list_ok(client, small_server, room="retro", starting_after="s-04c")
    assert ids(body) == small.ordered_ids(lambda s: s.room == "retro" and s.key < cursor.key)
    assert ids(body) == ["s-04b", "s-02"]
    assert body["total_count"] == 4

    cursor = small.by_id["s-04a"]
    body = list_ok(client, small_server, room="retro", ending_before="s-04a", limit=2)
    newer = small.ordered_ids(lambda s: s.room == "retro" and s.key > cursor.key)
    assert newer == ["s-08", "s-06", "s-04b"]
    assert ids(body) == newer[-2:]  # the two closest to the cursor, newest first

    # a cursor outside the timeframe
    body = list_ok(client, small_server, starting_after="s-08", timeframe_end=T0 + DAY, limit=100)
    assert ids(body) == ["s-02", "s-01"]
    body = list_ok(client, small_server, ending_before="s-01", timeframe_start=NOW - 3600)
    assert ids(body) == ["s-08", "s-07"]


def test_cursor_at_the_ends(client: SyncClient, small_server: ServerThread) -> None:
    assert list_ok(client, small_server, starting_after="s-01")["data"] == []
    assert list_ok(client, small_server, ending_before="s-08")["data"] == []
    body = list_ok(client, small_server, starting_after="s-01")
    assert body["total_count"] == 11


def test_total_count_ignores_limit_and_cursors(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    standup = len([s for s in small.sessions if s.room == "standup"])
    for params in (
        {"room": "standup", "limit": 1},
        {"room": "standup", "starting_after": "s-04c", "limit": 1},
        {"room": "standup", "ending_before": "s-04c", "limit": 1},
        {"room": "standup", "ending_before": "OLDEST", "limit": 1},
        {"room": "standup", "starting_after": "s-01"},
    ):
        assert list_ok(client, small_server, **params)["total_count"] == standup, params


def test_total_count_counts_every_filter(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    lo, hi = T0 + 3600, T0 + 3 * DAY
    for room in ("standup", "retro"):
        for ongoing in ("true", "false"):
            body = list_ok(
                client,
                small_server,
                room=room,
                ongoing=ongoing,
                timeframe_start=lo,
                timeframe_end=hi,
                limit=1,
            )
            expected = small.ordered_ids(
                lambda s, room=room, ongoing=ongoing: (
                    s.room == room and s.ongoing == (ongoing == "true") and lo <= s.start_time < hi
                )
            )
            assert body["total_count"] == len(expected)
            assert ids(body) == expected[:1]


# ----------------------------------------------------------------- walking the pages


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 11, 100])
def test_walking_all_pages_yields_every_session_once_in_order(
    client: SyncClient, small_server: ServerThread, small: Scenario, limit: int
) -> None:
    seen, totals = walk(client, small_server, limit)
    assert seen == small.ordered_ids()
    assert totals == {len(small.sessions)}


@pytest.mark.parametrize("room", ["standup", "retro"])
def test_walking_one_room(
    client: SyncClient, small_server: ServerThread, small: Scenario, room: str
) -> None:
    seen, totals = walk(client, small_server, 2, room=room)
    expected = small.ordered_ids(lambda s: s.room == room)
    assert seen == expected
    assert totals == {len(expected)}


@pytest.mark.parametrize("limit", [7, 50, 100])
def test_walking_more_than_one_full_page(
    client: SyncClient, big_server: ServerThread, big: Scenario, limit: int
) -> None:
    seen, totals = walk(client, big_server, limit)
    assert seen == big.ordered_ids()
    assert len(set(seen)) == BIG_COUNT
    assert totals == {BIG_COUNT}


def test_walking_rooms_adds_up(client: SyncClient, big_server: ServerThread, big: Scenario) -> None:
    all_seen: list[str] = []
    for room in BIG_ROOMS:
        seen, totals = walk(client, big_server, 100, room=room)
        assert seen == big.ordered_ids(lambda s, room=room: s.room == room)
        assert totals == {len(seen)}
        all_seen += seen
    assert sorted(all_seen) == sorted(s.id for s in big.sessions)


def test_walking_backwards_from_oldest(
    client: SyncClient, big_server: ServerThread, big: Scenario
) -> None:
    pages: list[list[str]] = []
    params: dict[str, Any] = {"ending_before": "OLDEST", "limit": 30}
    for _ in range(MAX_PAGES):
        body = list_ok(client, big_server, **params)
        if not body["data"]:
            break
        pages.append(ids(body))
        params["ending_before"] = body["data"][0]["id"]
    else:
        raise AssertionError("the backward walk did not end")
    flat = [i for page in reversed(pages) for i in page]
    assert flat == big.ordered_ids()
    assert [len(p) for p in pages] == [30, 30, 30, 30, 10]


# ----------------------------------------------------------------- unknown cursor modes


@pytest.mark.parametrize("param", ["starting_after", "ending_before"])
def test_unknown_cursor_empty_mode_gives_an_empty_page(
    client: SyncClient, serve: Callable[..., ServerThread], param: str
) -> None:
    scenario = small_scenario()
    server = serve(scenario.world(), unknown_cursor="empty")
    r = client.get(server.url + "/meetings", {param: "no-such-session"})
    assert r.status == 200
    assert r.json() == {"total_count": len(scenario.sessions), "data": []}
    r = client.get(server.url + "/meetings", {param: "no-such-session", "room": "retro"})
    assert r.json() == {"total_count": 4, "data": []}
    # known cursors still work
    r = client.get(server.url + "/meetings", {"starting_after": "s-02"})
    assert ids(r.json()) == ["s-01"]


# ----------------------------------------------------------------- one session


@pytest.mark.parametrize("session_id", ["s-01", "s-04b", "s-06", "s-07", "s-08", "s-09"])
def test_get_one_session(
    client: SyncClient, small_server: ServerThread, small: Scenario, session_id: str
) -> None:
    r = client.get(small_server.url + f"/meetings/{session_id}")
    assert r.status == 200
    assert r.content_type == "application/json"
    body = r.json()
    check_int_times(body)
    assert body == small.by_id[session_id].expected(NOW)


@pytest.mark.parametrize("session_id", ["nope", "S-01", "s-0", "s-01x", "OLDEST"])
def test_get_unknown_session_is_404(
    client: SyncClient, small_server: ServerThread, session_id: str
) -> None:
    for prefix in ("/v1", ""):
        r = client.get(small_server.base_url + prefix + f"/meetings/{session_id}")
        assert r.status == 404
        assert r.content_type == "application/json"
        body = r.json()
        assert set(body) == {"error", "info"}
        assert body["error"] == "not-found"
        assert isinstance(body["info"], str) and body["info"]


# ----------------------------------------------------------------- frozen clock


def test_frozen_clock_durations_and_advance(
    client: SyncClient, serve: Callable[..., ServerThread]
) -> None:
    scenario = small_scenario()
    world = scenario.world()
    server = serve(world)

    def check(now: int) -> None:
        one = client.get(server.url + "/meetings/s-07").json()
        assert one["duration"] == now - (NOW - 3600)
        by_pid = {p["participant_id"]: p["duration"] for p in one["participants"]}
        assert by_pid == {
            "p-07-a": now - (NOW - 3600),
            "p-07-b": 600,  # left: fixed
            "p-07-c": now - (NOW - 1800),
        }
        listed = client.get(server.url + "/meetings", {"ongoing": "true"}).json()["data"]
        assert [s["id"] for s in listed] == ["s-08", "s-07"]
        assert listed[1] == one
        assert listed[0]["duration"] == now - (NOW - 600)
        p08 = {p["participant_id"]: p["duration"] for p in listed[0]["participants"]}
        assert p08 == {"p-08-a": now - (NOW - 615), "p-08-b": 120}
        parts = client.get(server.url + "/meetings/s-07/participants").json()["data"]
        assert [p["duration"] for p in parts] == [by_pid["p-07-a"], 600, by_pid["p-07-c"]]
        # finished sessions do not move
        assert client.get(server.url + "/meetings/s-01").json()["duration"] == 900

    check(NOW)
    assert world.clock.now() == NOW
    world.clock.advance(60)
    check(NOW + 60)
    world.clock.advance(3600)
    check(NOW + 3660)


def test_durations_grow_by_exactly_the_advance(
    client: SyncClient, serve: Callable[..., ServerThread]
) -> None:
    world = small_scenario().world()
    server = serve(world)
    before = client.get(server.url + "/meetings").json()["data"]
    world.clock.advance(60)
    after = client.get(server.url + "/meetings").json()["data"]
    assert [s["id"] for s in before] == [s["id"] for s in after]
    for b, a in zip(before, after, strict=True):
        assert a["duration"] - b["duration"] == (60 if b["ongoing"] else 0)
        assert a["start_time"] == b["start_time"]
        for pb, pa in zip(b["participants"], a["participants"], strict=True):
            present = b["ongoing"] and pb["participant_id"] in {"p-07-a", "p-07-c", "p-08-a"}
            assert pa["duration"] - pb["duration"] == (60 if present else 0)


# ----------------------------------------------------------------- JSON integers


def test_every_time_is_a_json_integer(client: SyncClient, small_server: ServerThread) -> None:
    for path in (
        "/meetings",
        "/meetings?no_participants=true",
        "/meetings/s-07",
        "/meetings/s-08/participants",
    ):
        r = client.get(small_server.url + path)
        assert r.status == 200
        check_int_times(r.json())
        # and in the raw text: no quoted numbers, no decimal points
        assert b'"start_time":"' not in r.body.replace(b" ", b"")
        assert b"." not in r.body


# ----------------------------------------------------------------- the same, with async tests


async def test_async_list_filters_and_order(
    aio: aiohttp.ClientSession, small_server: ServerThread
) -> None:
    small = small_scenario()
    r = await aio_get(aio, small_server.url + "/meetings")
    assert r.status == 200
    assert r.content_type == "application/json"
    assert ids(r.json()) == small.ordered_ids()
    r = await aio_get(aio, small_server.base_url + "/meetings", {"room": "retro", "limit": 2})
    assert r.json() == {
        "total_count": 4,
        "data": [small.by_id["s-08"].expected(NOW), small.by_id["s-06"].expected(NOW)],
    }
    r = await aio_get(aio, small_server.url + "/meetings", {"ongoing": "TRUE"})
    assert ids(r.json()) == ["s-08", "s-07"]
    r = await aio_get(aio, small_server.url + "/meetings", {"no_participants": "True"})
    assert all("participants" not in s for s in r.json()["data"])


async def test_async_walk_all_pages(aio: aiohttp.ClientSession, big_server: ServerThread) -> None:
    big = big_scenario()
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 45}
    for _ in range(MAX_PAGES):
        r = await aio_get(aio, big_server.url + "/meetings", params)
        assert r.status == 200
        body = r.json()
        assert body["total_count"] == BIG_COUNT
        if not body["data"]:
            break
        seen += ids(body)
        params["starting_after"] = seen[-1]
    assert seen == big.ordered_ids()


async def test_async_one_session_and_clock(
    aio: aiohttp.ClientSession, serve: Callable[..., ServerThread]
) -> None:
    small = small_scenario()
    world = small.world()
    server = serve(world)
    r = await aio_get(aio, server.url + "/meetings/s-08")
    assert r.status == 200
    assert r.json() == small.by_id["s-08"].expected(NOW)
    world.clock.advance(60)
    r = await aio_get(aio, server.url + "/meetings/s-08")
    assert r.json() == small.by_id["s-08"].expected(NOW + 60)
    assert r.json()["duration"] == 660
    r = await aio_get(aio, server.url + "/meetings/missing")
    assert r.status == 404
    assert r.json()["error"] == "not-found"
