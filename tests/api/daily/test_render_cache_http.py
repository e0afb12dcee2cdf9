"""Over a real socket: what the server sends (through the render cache) is byte-for-byte what the
uncached reference path produces for the same snapshot, query and instant.

The reference path is the one the handlers used before the cache: parse the query string with
``params``, run ``list_meetings`` / ``list_participants``, serialize with ``render`` (dicts and
orjson, every time). Each answer is fetched twice (the second comes from the cache), after
clock changes (frozen and running clocks) and after reloads of the world.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable

import orjson
import pytest
import requests
from multidict import MultiDict

from fake_meetings.api.daily import params, render
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.model import Session
from fake_meetings.domain.query import list_meetings, list_participants
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.constants import AUTH, NOW, TIMEOUT
from tests.helpers.scenarios import Scenario, big_scenario, small_scenario

Serve = Callable[..., ServerThread]


def reference_list(world: World, query_string: str, **config: object) -> bytes:
    query = MultiDict(urllib.parse.parse_qsl(query_string, keep_blank_values=True))
    q, no_participants = params.meetings_query(query, strict_limit=False)
    now = world.clock.now()
    mode = config.get("unknown_cursor", "error")
    page = list_meetings(world.store, q, now, mode)  # type: ignore[arg-type]
    participants = not no_participants
    return render.meetings_page(page.total_count, page.sessions, now, participants=participants)


def reference_participants(world: World, meeting_id: str, query_string: str) -> bytes:
    query = MultiDict(urllib.parse.parse_qsl(query_string, keep_blank_values=True))
    session = world.store.get(meeting_id)
    assert session is not None
    now = world.clock.now()
    records = list_participants(session, params.participants_query(query, strict_limit=False), now)
    return render.participants_page(records, now)


def reference_session(world: World, session: Session) -> bytes:
    return orjson.dumps(render.session_dict(session, world.clock.now()))


def fetch(http: requests.Session, url: str) -> requests.Response:
    return http.get(url, headers=AUTH, timeout=TIMEOUT)


def list_queries(scenario: Scenario) -> list[str]:
    ordered = scenario.ordered_ids()
    return [
        "",
        "limit=100",
        "limit=3",
        "no_participants=true",
        "no_participants=TRUE&limit=5",
        "ongoing=true",
        "ongoing=false&no_participants=true",
        "room=standup",
        "room=retro&limit=2&no_participants=false",
        f"timeframe_start={NOW - 6 * 86_400}&timeframe_end={NOW}",
        f"starting_after={ordered[1]}&limit=4",
        f"starting_after={ordered[-3]}",
        f"ending_before={ordered[-1]}&limit=3",
        "ending_before=OLDEST&limit=2",
        "limit=500&unknown=1",  # clamped, extra parameter ignored
    ]


def assert_all_match(http: requests.Session, server: ServerThread, world: World) -> list[bytes]:
    """Every list query, every session and every participants page, each fetched twice."""
    bodies = []
    for qs in list_queries(small_scenario()):
        for _ in range(2):
            r = fetch(http, f"{server.url}/meetings?{qs}")
            assert r.status_code == 200, (qs, r.content)
            assert r.content == reference_list(world, qs), qs
        bodies.append(r.content)
    for session in world.store.sessions:
        for _ in range(2):
            r = fetch(http, f"{server.url}/meetings/{session.id}")
            assert r.status_code == 200
            assert r.content == reference_session(world, session)
            r = fetch(http, f"{server.url}/meetings/{session.id}/participants?limit=2")
            assert r.status_code == 200
            assert r.content == reference_participants(world, session.id, "limit=2")
        bodies.append(r.content)
    return bodies


def test_responses_equal_the_reference_before_and_after_the_clock_moves(
    serve: Serve, http: requests.Session
) -> None:
    world = small_scenario().world()
    server = serve(world)
    before = assert_all_match(http, server, world)
    world.clock.advance(90)
    after = assert_all_match(http, server, world)
    changed = sum(a != b for a, b in zip(before, after, strict=True))
    assert changed > 0  # pages holding ongoing sessions moved with the clock
    world.clock.set(NOW)  # back: the very first bytes again
    assert assert_all_match(http, server, world) == before


def test_a_running_clock_keeps_ongoing_sessions_live(serve: Serve, http: requests.Session) -> None:
    wall = [float(NOW)]
    scenario = small_scenario()
    world = World(scenario.world().store.sessions, Clock(source=lambda: wall[0]))
    server = serve(world)
    first = fetch(http, f"{server.url}/meetings?ongoing=true").json()
    wall[0] += 42.7
    second = fetch(http, f"{server.url}/meetings?ongoing=true").json()
    assert [s["duration"] for s in second["data"]] == [s["duration"] + 42 for s in first["data"]]
    assert_all_match(http, server, world)


def test_reloads_never_serve_bytes_of_the_previous_snapshot(
    serve: Serve, http: requests.Session
) -> None:
    small, big = small_scenario(), big_scenario()
    world = small.world()
    server = serve(world)
    assert_all_match(http, server, world)
    old = fetch(http, f"{server.url}/meetings?limit=100").content

    world.replace(big.world().store.sessions)
    new = fetch(http, f"{server.url}/meetings?limit=100").content
    assert new != old
    assert new == reference_list(world, "limit=100")

    world.append(small.world().store.sessions)
    assert fetch(http, f"{server.url}/meetings?limit=100").content == reference_list(
        world, "limit=100"
    )
    world.reset()
    assert fetch(http, f"{server.url}/meetings?limit=100").content == old
    assert_all_match(http, server, world)


def test_errors_are_not_cached_and_options_are_part_of_the_key(
    serve: Serve, http: requests.Session
) -> None:
    world = small_scenario().world()
    strict = serve(world)  # two servers on one world share its cache
    lenient = serve(world, unknown_cursor="empty", strict_limit=True)
    for _ in range(2):
        r = fetch(http, f"{strict.url}/meetings?starting_after=nobody")
        assert r.status_code == 400
        r = fetch(http, f"{lenient.url}/meetings?starting_after=nobody")
        assert r.status_code == 200
        assert r.content == reference_list(world, "starting_after=nobody", unknown_cursor="empty")
        assert fetch(http, f"{strict.url}/meetings?limit=500").status_code == 200
        assert fetch(http, f"{lenient.url}/meetings?limit=500").status_code == 400
        assert fetch(http, f"{strict.url}/meetings?limit=abc").status_code == 400
        assert fetch(http, f"{strict.url}/meetings/nobody").status_code == 404
        assert fetch(http, f"{strict.url}/meetings/s-01/participants?limit=0").status_code == 400


@pytest.mark.parametrize("path", ["/meetings?limit=100", "/meetings?no_participants=true"])
def test_root_and_v1_routes_share_one_cached_answer(
    serve: Serve, http: requests.Session, path: str
) -> None:
    world = small_scenario().world()
    server = serve(world)
    a = fetch(http, server.base_url + path).content
    b = fetch(http, server.url + path).content
    assert a == b == reference_list(world, path.split("?", 1)[1])


def test_worlds_sharing_one_snapshot_each_see_their_own_clock(
    serve: Serve, http: requests.Session
) -> None:
    """Namespaces fork a world: the snapshot (and so its cache) is shared, the clock is not."""
    a = small_scenario().world()
    b = a.fork()
    assert a.store is b.store
    server_a, server_b = serve(a), serve(b)
    b.clock.advance(600)
    for _ in range(2):
        for world, server in ((a, server_a), (b, server_b)):
            for qs in ("", "ongoing=true", "no_participants=true&limit=3"):
                r = fetch(http, f"{server.url}/meetings?{qs}")
                assert r.content == reference_list(world, qs), qs
            for session in world.store.sessions:
                r = fetch(http, f"{server.url}/meetings/{session.id}")
                assert r.content == reference_session(world, session)
    ongoing_a = fetch(http, f"{server_a.url}/meetings?ongoing=true").json()["data"]
    ongoing_b = fetch(http, f"{server_b.url}/meetings?ongoing=true").json()["data"]
    assert [s["duration"] + 600 for s in ongoing_a] == [s["duration"] for s in ongoing_b]
