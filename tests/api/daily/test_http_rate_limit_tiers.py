"""``serve --rate-limit`` on a real server: Daily's three tiers, by method and route. Deleting a
room and listing recordings share 2 requests per second, starting a recording is 1 per second,
and every other route (their neighbours included) keeps the general 20 per second, each tier
with its own windows per key. The windows over time are checked with an injected clock in
``tests/state/test_ratelimit.py``; here each test's requests must fit in one second."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from fake_meetings.api.routes import daily_routes
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.ratelimits import TIERS
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.clients import Resp

Serve = Callable[..., ServerThread]
T = 1_700_000_000
OTHER = "0b6f1f36-3f2e-4b4e-9a55-2a5a2d1f0c11"  # a second recording instance
SCENARIO = f"""\
now: {T}
rooms:
  - {{name: r1, created_at: -1d}}
  - {{name: r2, created_at: -1d}}
  - {{name: r3, created_at: -1d}}
sessions:
  - id: s0
    room: retro
    start_time: -2h
    participants:
      - {{user_name: A, join_time: -2h, duration: 3600}}
  - id: s1
    room: standup
    start_time: -10m
    participants:
      - {{user_name: B, join_time: -10m}}
recordings:
  - {{id: rec-a, session: s0, start_ts: -115m, end: -100m}}
"""


@pytest.fixture
def api(serve: Serve, plain: Http) -> Callable[..., Resp]:
    """``api(method, path, body=None, key="k")`` on a new server with ``--rate-limit``."""
    sc = load_text(SCENARIO, "tiers.yaml")
    server = serve(
        World(sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings), rate_limit=True
    )
    c = plain.at(server.base_url)

    def call(method: str, path: str, body: Any = None, key: str = "k") -> Resp:
        return c.call(method, path, body, headers={"Authorization": f"Bearer {key}"})

    return call


def _within_a_second(started: float) -> None:
    elapsed = time.monotonic() - started
    if elapsed >= 1.0:
        pytest.skip(f"the requests took {elapsed:.2f} s: too slow to stay in one second")


def test_room_deletes_and_the_recordings_list_share_2_per_second(api: Callable[..., Resp]) -> None:
    started = time.monotonic()
    not_routes = [api("DELETE", "/v1/rooms"), api("DELETE", "/v1/nowhere")]  # general tier
    deletes = [api("DELETE", "/v1/rooms/r1"), api("DELETE", "/rooms/r2/")]  # every form
    refused = [api("DELETE", "/v1/rooms/r3"), api("GET", "/v1/recordings")]
    general = [
        api("GET", "/v1/rooms"),
        api("GET", "/v1/rooms/r3"),  # the refused delete never reached the route
        api("GET", "/v1/recordings/rec-a"),
        api("GET", "/v1/recordings/rec-a/access-link"),
        api("POST", "/v1/rooms/r3", {"privacy": "private"}),
    ]
    other_key = api("GET", "/v1/recordings/", key="another")
    _within_a_second(started)
    assert [r.status for r in not_routes] == [405, 404]
    assert [ok(r)["deleted"] for r in deletes] == [True, True]
    for r in refused:
        error(r, 429, "rate-limit-error", "at most 2 per second and 50 per 30 seconds")
        error(r, 429, "rate-limit-error", "DELETE /rooms/:name and GET /recordings")
    assert [r.status for r in general] == [200] * 5
    names = {room["name"] for room in ok(general[0])["data"]}
    assert "r3" in names and not names & {"r1", "r2"}
    assert ok(other_key)["total_count"] == 1


def test_a_second_recording_start_within_a_second_is_refused(api: Callable[..., Resp]) -> None:
    started = time.monotonic()
    first = api("POST", "/v1/rooms/standup/recordings/start")
    # another instance may record at the same time: only the limit refuses it
    second = api("POST", "/rooms/standup/recordings/start", {"instanceId": OTHER})
    stop = api("POST", "/v1/rooms/standup/recordings/stop")  # the general tier
    listed = api("GET", "/v1/recordings")  # its own tier, untouched
    other_key = api("POST", "/v1/rooms/standup/recordings/start", {"instanceId": OTHER}, "k2")
    _within_a_second(started)
    assert first.status == 200, first.body
    error(second, 429, "rate-limit-error", "at most 1 per second and 5 per 5 seconds")
    error(second, 429, "rate-limit-error", "to POST /rooms/:name/recordings/start")
    assert [stop.status, listed.status, other_key.status] == [200, 200, 200]
    assert ok(listed)["total_count"] == 2  # rec-a and the one stopped
    time.sleep(1.05)
    again = api("POST", "/v1/rooms/standup/recordings/start")
    assert again.status == 200, again.body


def test_the_general_tier_keeps_20_per_second_beside_the_others(api: Callable[..., Resp]) -> None:
    started = time.monotonic()
    special = [api("DELETE", "/v1/rooms/r1"), api("POST", "/v1/rooms/standup/recordings/start")]
    general = [api("GET", "/v1/meetings") for _ in range(21)]
    _within_a_second(started)
    assert [r.status for r in special] == [200, 200]
    assert [r.status for r in general] == [200] * 20 + [429]
    error(general[-1], 429, "rate-limit-error", "at most 20 per second and 100 per 5 seconds")
    assert " to " not in error(general[-1], 429, "rate-limit-error")  # names no route


def test_every_tier_names_routes_of_the_route_table() -> None:
    """A route renamed in its family's table would otherwise fall into the general tier."""
    declared = {str(route) for route in daily_routes()}
    named = [route for tier in TIERS for route in tier.routes]
    assert len(named) == 3 and set(named) <= declared, set(named) - declared
