"""GET /meetings/:id/participants over a real socket (contract §4)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import pytest

from fake_meetings.config import ServerConfig
from fake_meetings.testing import ServerThread
from tests.helpers.clients import SyncClient, aio_get, check_int_times
from tests.helpers.constants import NOW
from tests.helpers.scenarios import T0, PartSpec, Scenario, SessionSpec

MAX_PAGES = 1000
CROWD = 120  # more participant records than one page of 100


def participants_scenario() -> Scenario:
    """Sessions made for the participants endpoint: ties on join_time given out of order, a
    crowd of 120 records, an ongoing session, a single-record session."""
    ties = [  # listed scrambled on purpose; the endpoint sorts by (join_time, participant_id)
        PartSpec("z-late", T0 + 300, 100, user_id="u1", user_name="Zed"),
        PartSpec("b-tie", T0 + 60, 500),
        PartSpec("a-first", T0, 900, user_name="Ann"),
        PartSpec("c-tie", T0 + 60, 400, user_id="u3"),
        PartSpec("a-tie", T0 + 60, 600),
        PartSpec("y-mid", T0 + 120, 30),
    ]
    crowd = [
        PartSpec(f"crowd-{(i * 53) % CROWD:03d}", T0 + 86_400 + 15 * (i // 3), 3600)
        for i in range(CROWD)
    ]
    return Scenario(
        [
            SessionSpec("ties", "room-a", T0, ties),
            SessionSpec("crowd", "room-b", T0 + 86_400, crowd),
            SessionSpec(
                "live",
                "room-a",
                NOW - 900,
                [
                    PartSpec("l-2", NOW - 900, None, user_name="Host"),
                    PartSpec("l-1", NOW - 800, 200),
                    PartSpec("l-3", NOW - 60, None),
                ],
                ongoing=True,
            ),
            SessionSpec("solo", "room-c", T0 + 5000, [PartSpec("only", T0 + 5000, 45)]),
        ]
    )


SCENARIO = participants_scenario()


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(SCENARIO.world(), ServerConfig(port=0)) as s:
        yield s


def expected_ids(session_id: str) -> list[str]:
    return [p.participant_id for p in SCENARIO.by_id[session_id].sorted_participants()]


def page(
    client: SyncClient, server: ServerThread, session_id: str, **params: Any
) -> list[dict[str, Any]]:
    r = client.get(server.url + f"/meetings/{session_id}/participants", params)
    assert r.status == 200, r.body
    assert r.content_type == "application/json"
    body = r.json()
    assert set(body) == {"data"}  # no total_count on this endpoint
    check_int_times(body)
    return list(body["data"])


def pids(records: list[dict[str, Any]]) -> list[str]:
    return [p["participant_id"] for p in records]


def assert_exhausted(
    client: SyncClient, server: ServerThread, session_id: str, **params: Any
) -> None:
    r = client.get(server.url + f"/meetings/{session_id}/participants", params)
    assert r.status == 404, r.body
    assert r.content_type == "application/json"
    assert r.json()["error"] == "not-found"
    assert isinstance(r.json()["info"], str)


def walk(client: SyncClient, server: ServerThread, session_id: str, limit: int) -> list[str]:
    """joined_after=<last participant_id> until the 404 that marks the end."""
    seen: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    for _ in range(MAX_PAGES):
        r = client.get(server.url + f"/meetings/{session_id}/participants", params)
        if r.status == 404:
            assert r.json()["error"] == "not-found"
            return seen
        assert r.status == 200, r.body
        data = r.json()["data"]
        assert 1 <= len(data) <= limit
        seen += pids(data)
        params["joined_after"] = seen[-1]
    raise AssertionError("the participants walk did not end")


def test_order_is_join_time_then_participant_id(client: SyncClient, server: ServerThread) -> None:
    records = page(client, server, "ties")
    assert pids(records) == ["a-first", "a-tie", "b-tie", "c-tie", "y-mid", "z-late"]
    assert pids(records) == expected_ids("ties")
    assert records == [p.expected(NOW) for p in SCENARIO.by_id["ties"].sorted_participants()]


def test_record_fields(client: SyncClient, server: ServerThread) -> None:
    records = page(client, server, "ties")
    assert records[0] == {
        "user_id": None,
        "participant_id": "a-first",
        "user_name": "Ann",
        "join_time": T0,
        "duration": 900,
    }
    assert records[-1] == {
        "user_id": "u1",
        "participant_id": "z-late",
        "user_name": "Zed",
        "join_time": T0 + 300,
        "duration": 100,
    }


@pytest.mark.parametrize("prefix", ["/v1", ""])
def test_both_prefixes(client: SyncClient, server: ServerThread, prefix: str) -> None:
    r = client.get(server.base_url + prefix + "/meetings/solo/participants")
    assert r.status == 200
    assert r.json() == {"data": [SCENARIO.by_id["solo"].participants[0].expected(NOW)]}


def test_matches_the_participants_of_the_session_object(
    client: SyncClient, server: ServerThread
) -> None:
    for session_id in ("ties", "live", "solo"):
        one = client.get(server.url + f"/meetings/{session_id}").json()
        assert page(client, server, session_id) == one["participants"]


def test_limit(client: SyncClient, server: ServerThread) -> None:
    for limit in (1, 2, 5, 6, 100):
        assert pids(page(client, server, "ties", limit=limit)) == expected_ids("ties")[:limit]


def test_limit_defaults_to_100(client: SyncClient, server: ServerThread) -> None:
    records = page(client, server, "crowd")
    assert len(records) == 100
    assert pids(records) == expected_ids("crowd")[:100]


@pytest.mark.parametrize("limit", ["101", "500"])
def test_limit_over_100_is_clamped(client: SyncClient, server: ServerThread, limit: str) -> None:
    assert pids(page(client, server, "crowd", limit=limit)) == expected_ids("crowd")[:100]


def test_strict_limit_applies_here_too(
    client: SyncClient, serve: Callable[..., ServerThread]
) -> None:
    strict = serve(SCENARIO.world(), strict_limit=True)
    r = client.get(strict.url + "/meetings/crowd/participants", {"limit": 101})
    assert r.status == 400
    assert r.json()["error"] == "invalid-request-error"
    assert "limit" in r.json()["info"]


def test_joined_after(client: SyncClient, server: ServerThread) -> None:
    order = expected_ids("ties")
    for k, cursor in enumerate(order[:-1]):
        assert pids(page(client, server, "ties", joined_after=cursor)) == order[k + 1 :]
        assert (
            pids(page(client, server, "ties", joined_after=cursor, limit=2)) == order[k + 1 : k + 3]
        )


def test_joined_before(client: SyncClient, server: ServerThread) -> None:
    order = expected_ids("ties")
    for k, cursor in enumerate(order[1:], start=1):
        assert pids(page(client, server, "ties", joined_before=cursor)) == order[:k]
        # with a limit: `limit` records, all before the cursor, in join order
        limited = pids(page(client, server, "ties", joined_before=cursor, limit=2))
        assert len(limited) == min(2, k)
        assert set(limited) <= set(order[:k])
        assert limited == [i for i in order if i in limited]


def test_exhausted_cursor_is_404(client: SyncClient, server: ServerThread) -> None:
    order = expected_ids("ties")
    assert_exhausted(client, server, "ties", joined_after=order[-1])
    assert_exhausted(client, server, "ties", joined_before=order[0])
    assert_exhausted(client, server, "solo", joined_after="only")
    assert_exhausted(client, server, "solo", joined_before="only")


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_walking_all_records(client: SyncClient, server: ServerThread, limit: int) -> None:
    seen = walk(client, server, "crowd", limit)
    assert seen == expected_ids("crowd")
    assert len(set(seen)) == CROWD


def test_walking_small_sessions(client: SyncClient, server: ServerThread) -> None:
    for session in SCENARIO.sessions:
        assert walk(client, server, session.id, 4) == expected_ids(session.id)


@pytest.mark.parametrize("prefix", ["/v1", ""])
@pytest.mark.parametrize("session_id", ["nope", "TIES", "ties2"])
def test_unknown_meeting_is_404(
    client: SyncClient, server: ServerThread, prefix: str, session_id: str
) -> None:
    r = client.get(server.base_url + prefix + f"/meetings/{session_id}/participants")
    assert r.status == 404
    assert r.content_type == "application/json"
    body = r.json()
    assert set(body) == {"error", "info"}
    assert body["error"] == "not-found"


@pytest.mark.parametrize("param", ["joined_after", "joined_before"])
def test_unknown_participant_cursor_is_400(
    client: SyncClient, server: ServerThread, param: str
) -> None:
    r = client.get(server.url + "/meetings/ties/participants", {param: "no-such-participant"})
    assert r.status == 400
    assert r.content_type == "application/json"
    assert r.json()["error"] == "invalid-request-error"
    assert param in r.json()["info"]


@pytest.mark.parametrize("param", ["joined_after", "joined_before"])
def test_unknown_participant_cursor_in_empty_mode_is_the_end(
    client: SyncClient, serve: Callable[..., ServerThread], param: str
) -> None:
    server = serve(SCENARIO.world(), unknown_cursor="empty")
    # an empty page is "no records remain", which this endpoint answers with 404
    assert_exhausted(client, server, "ties", **{param: "no-such-participant"})
    assert pids(page(client, server, "ties", joined_after="a-first", limit=1)) == ["a-tie"]


@pytest.mark.parametrize(
    ("param", "value"),
    [("limit", "abc"), ("limit", "1.5"), ("limit", ""), ("limit", "-1"), ("limit", "0")],
)
def test_bad_limit_is_400(client: SyncClient, server: ServerThread, param: str, value: str) -> None:
    r = client.get(server.url + "/meetings/ties/participants", {param: value})
    assert r.status == 400
    assert r.content_type == "application/json"
    assert r.json()["error"] == "invalid-request-error"
    assert param in r.json()["info"]


@pytest.mark.parametrize("param", ["limit", "joined_after", "joined_before"])
def test_parameter_twice_is_400(client: SyncClient, server: ServerThread, param: str) -> None:
    value = "2" if param == "limit" else "b-tie"
    r = client.get(server.url + "/meetings/ties/participants", [(param, value), (param, value)])
    assert r.status == 400
    assert r.json()["error"] == "invalid-request-error"
    assert param in r.json()["info"]


def test_present_participants_follow_the_clock(
    client: SyncClient, serve: Callable[..., ServerThread]
) -> None:
    world = SCENARIO.world()
    server = serve(world)
    records = page(client, server, "live")
    assert pids(records) == ["l-2", "l-1", "l-3"]
    assert [p["duration"] for p in records] == [900, 200, 60]
    world.clock.advance(60)
    records = page(client, server, "live")
    assert [p["duration"] for p in records] == [960, 200, 120]
    assert records == [p.expected(NOW + 60) for p in SCENARIO.by_id["live"].sorted_participants()]


async def test_async_participants(aio: aiohttp.ClientSession, server: ServerThread) -> None:
    r = await aio_get(aio, server.url + "/meetings/ties/participants", {"limit": 3})
    assert r.status == 200
    assert r.content_type == "application/json"
    assert pids(r.json()["data"]) == expected_ids("ties")[:3]
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 33}
    for _ in range(MAX_PAGES):
        r = await aio_get(aio, server.base_url + "/meetings/crowd/participants", params)
        if r.status == 404:
            assert r.json()["error"] == "not-found"
            break
        assert r.status == 200
        seen += pids(r.json()["data"])
        params["joined_after"] = seen[-1]
    assert seen == expected_ids("crowd")
    r = await aio_get(aio, server.url + "/meetings/nope/participants")
    assert r.status == 404
    assert r.json()["error"] == "not-found"
